"""The reach report's front door: whose report a person may see, the report, and its exports.

Organisers see everything, with exact counts on the page. Commissioners see their own health
boards' people and the people of their own sessions, with small counts hidden. Exports (CSV of each
table, JSON of the aggregates) always hide small counts and hold no personal data.
"""

from __future__ import annotations

from typing import Any

from matchmaker.models import Role, User
from matchmaker.reach import queries
from matchmaker.reach.report import Report, Table, build, exported, shown
from matchmaker.web.csv_export import csv_text

Scope = queries.Scope


def scope_for(user: User, round_id: int | None) -> Scope:
    """What this person may see: everything for organisers; a commissioner's boards and sessions."""
    if user.role == Role.ORGANISER:
        return Scope(round_id=round_id)
    return Scope(round_id=round_id, boards=queries.commissioner_boards(user), user_id=user.id)


def report_rounds() -> list[Any]:
    """Every round the report can show, oldest first (for the choice of round)."""
    return queries.rounds(Scope())


def report_for(user: User, round_id: int | None) -> Report:
    """The report as this person sees it on the page."""
    scope = scope_for(user, round_id)
    return build(scope, suppress=scope.restricted)


def export_report(user: User, round_id: int | None) -> Report:
    """The report for an export: small counts always hidden."""
    return build(scope_for(user, round_id), suppress=True)


def table_csv(table: Table) -> str:
    """One table as CSV (through the shared, formula-safe writer), its counts as shown in exports."""
    header = [table.category, *table.columns] + ([table.rates_title] if table.rates else [])
    rows: list[list[Any]] = [header]
    for index, (label, values) in enumerate(table.rows):
        row: list[Any] = [label, *(exported(v) if v is not None else "" for v in values)]
        if table.rates:
            row.append(table.rates[index])
        rows.append(row)
    return csv_text(rows, bom=True)


def report_json(report: Report) -> dict[str, Any]:
    """The aggregates as JSON: counts only (hidden below 5), category names, no person."""
    return {
        "rounds": [r.id for r in report.rounds],
        "scope": {
            "round": report.scope.round_id,
            "health_boards": list(report.scope.boards) if report.scope.boards is not None else "all",
        },
        "suppression": "counts from 1 to 4 are given as 'fewer than 5'",
        "tables": [
            {
                "key": table.key,
                "title": table.title,
                "summary": table.summary,
                "category": table.category,
                "columns": table.columns,
                "rows": [{"category": label, "counts": [exported(v) for v in values]} for label, values in table.rows],
            }
            for table in report.tables
        ],
        "never_matched_organisations": exported(len(report.never_matched.names)),
    }


__all__ = [
    "Report",
    "Scope",
    "export_report",
    "report_for",
    "report_rounds",
    "report_json",
    "scope_for",
    "shown",
    "table_csv",
]
