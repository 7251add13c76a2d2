"""The report as tables: labels, a one-sentence summary and a chart each, with small counts hidden where needed.

Suppression: outside the organiser role, and in every export, a count from 1 to 4 is shown as
"fewer than 5" (0 names nobody and is shown). A rate built on a hidden count is hidden too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Condition, HealthBoard, Round
from matchmaker.reach import queries
from matchmaker.reach.charts import Bar, bar_chart
from matchmaker.web import labels
from matchmaker.web.i18n import current_language

SMALL = 5  # counts below this (and above 0) are hidden where suppression applies

STAGE_NAMES = {
    "registered": _l("Registered"),
    "matched": _l("Matched to a session"),
    "invited": _l("Still invited when it took place"),
    "attended": _l("Came"),
    "answered": _l("Answered a follow-up"),
    "outcome": _l("Reported a pathway, pilot or commission"),
}
DIMENSION_TITLES = {
    "condition": _l("Reach by condition"),
    "health_board": _l("Reach by health board"),
    "organisation_kind": _l("Reach by kind of creative organisation"),
    "prescribing_link": _l("Reach by link with social prescribing"),
    "commissioner_kind": _l("Reach by kind of commissioner"),
    "employer_kind": _l("Reach by link workers' employer"),
    "role": _l("Reach by role"),
    "language": _l("Reach by language of the session"),
    "returning": _l("First-time and returning creative organisations"),
    "fairness": _l("Left out before, served now?"),
}
# How a person attribute's stored values read (add one entry with each new attribute in queries.py).
ATTRIBUTE_LABELS: dict[str, Any] = {
    "organisation_kind": dict(labels.ORGANISATION_KINDS),
    "prescribing_link": {"formal": _l("Formal referrals"), "informal": _l("Informal links"), "none": _l("No link yet")},
    "role": labels.ROLES,
    "commissioner_kind": dict(labels.COMMISSIONER_KINDS),
    "employer_kind": dict(labels.EMPLOYER_KINDS),
}


def fewer_than_five() -> str:
    """The words that stand for a hidden count."""
    return _("fewer than 5")


def hidden(value: int | None, suppress: bool) -> bool:
    """Is this count hidden?"""
    return suppress and value is not None and 0 < value < SMALL


def shown(value: int | None, suppress: bool) -> str:
    """A count as the reader sees it."""
    if value is None:
        return "–"
    return fewer_than_five() if hidden(value, suppress) else f"{value:,}"


def exported(value: int | None) -> int | str | None:
    """A count as exports carry it (always suppressed)."""
    return fewer_than_five() if hidden(value, True) else value


@dataclass
class Table:
    """One table of the report, with its chart."""

    key: str
    title: str
    columns: list[str]  # headers of the value columns (the first column is `category`)
    category: str
    rows: list[tuple[str, list[int | None]]]  # (label, counts); None: does not apply
    chart_column: int = 0
    summary: str = ""
    chart: Markup = field(default_factory=lambda: Markup(""))
    rates: list[str] | None = None  # a percentage column, already suppressed, when the table has one
    rates_title: str = ""

    def cells(self, suppress: bool) -> list[tuple[str, list[str]]]:
        """The rows as shown."""
        return [(label, [shown(v, suppress) for v in values]) for label, values in self.rows]


@dataclass
class Report:
    """The whole report for one scope."""

    scope: queries.Scope
    rounds: list[Round]
    suppress: bool
    tables: list[Table]
    never_matched: queries.NeverMatched
    quotes: list[tuple[str, str, str]] = field(default_factory=list)  # (note, stage, condition), organisers only

    def table(self, key: str) -> Table | None:
        """One table by key."""
        return next((t for t in self.tables if t.key == key), None)


def _rate(part: int | None, whole: int | None, suppress: bool) -> str:
    """part/whole as a percentage, hidden when either count is."""
    if not whole or part is None or hidden(part, suppress) or hidden(whole, suppress):
        return "–"
    return f"{round(100 * part / whole)}%"


def _chart(table: Table, suppress: bool) -> None:
    """Draw the table's chart from its chart column."""
    bars = []
    for label, values in table.rows:
        value = values[table.chart_column]
        bars.append(Bar(label, None if hidden(value, suppress) else (value or 0), shown(value, suppress)))
    table.chart = bar_chart(f"chart-{table.key}", table.title, table.summary, bars)


def _largest_summary(table: Table, suppress: bool, what: str) -> str:
    """'Most people who came were in X (n).' or 'No one yet.'"""
    values = [(label, values[table.chart_column] or 0) for label, values in table.rows]
    values = [(label, value) for label, value in values if value]
    if not values:
        return _("Nobody is counted here yet.")
    label, value = max(values, key=lambda item: item[1])
    return _(
        "The largest group by %(what)s is %(label)s, with %(count)s.",
        what=what,
        label=label,
        count=shown(value, suppress),
    )


def _funnel_table(total: dict[str, int], suppress: bool) -> Table:
    """The funnel over the scope's rounds."""
    rows = [(str(STAGE_NAMES[stage]), [total[stage]]) for stage in queries.STAGES]
    table = Table("funnel", _("From registration to results"), [_("People")], _("Step"), rows)
    table.rates = [_rate(total[stage], total["registered"], suppress) for stage in queries.STAGES]
    table.rates_title = _("Share of those who registered")
    table.summary = _(
        "Of %(registered)s people who registered, %(attended)s came to a session and %(outcome)s reported a pathway, "
        "pilot or commission.",
        registered=shown(total["registered"], suppress),
        attended=shown(total["attended"], suppress),
        outcome=shown(total["outcome"], suppress),
    )
    return table


def _rounds_table(rounds: list[Round], per_round: dict[int, dict[str, int]], suppress: bool) -> Table:
    """Round over round: every step for each round, and the rules the round ran with."""
    language = current_language()
    rows = [(r.title(language), [per_round[r.id][stage] for stage in queries.STAGES]) for r in rounds]
    table = Table(
        "rounds",
        _("Round over round"),
        [str(STAGE_NAMES[stage]) for stage in queries.STAGES],
        _("Round"),
        rows,
        chart_column=queries.STAGES.index("attended"),
    )
    table.rates = [_rate(per_round[r.id]["attended"], per_round[r.id]["registered"], suppress) for r in rounds]
    table.rates_title = _("Came, of those who registered")
    held = [index for index, r in enumerate(rounds) if per_round[r.id]["matched"]]  # rounds whose sessions took place
    if len(held) >= 2:
        first, last = held[0], held[-1]
        table.summary = _(
            "In %(first)s, %(a)s of those who registered came; in %(last)s, %(b)s.",
            first=rounds[first].title(language),
            a=table.rates[first],
            last=rounds[last].title(language),
            b=table.rates[last],
        )
    elif rounds:
        table.summary = _("Only one round has had sessions so far, so there is nothing to compare yet.")
    else:
        table.summary = _("No round has opened yet.")
    return table


def _fairness_table(rounds: list[Round], found: dict[int, dict[str, int]], suppress: bool) -> Table:
    """Round over round: creatives left out in every earlier round they registered for, and how many were matched."""
    language = current_language()
    rows = [
        (r.title(language), [found.get(r.id, {}).get("registered", 0), found.get(r.id, {}).get("matched", 0)])
        for r in rounds
    ]
    table = Table(
        "fairness",
        str(DIMENSION_TITLES["fairness"]),
        [_("Registered again after being left out"), _("Matched this round")],
        _("Round"),
        rows,
        chart_column=1,
    )
    table.rates = [_rate(values[1], values[0], suppress) for _label, values in rows]
    table.rates_title = _("Matched, of those left out before")
    latest = next((index for index in range(len(rows) - 1, -1, -1) if rows[index][1][0]), None)
    if latest is None:
        table.summary = _("Nobody who was left out in an earlier round has registered again yet.")
    else:
        table.summary = _(
            "Creatives left out in earlier rounds, in %(round)s: %(registered)s registered again, %(matched)s matched.",
            round=rows[latest][0],
            matched=shown(rows[latest][1][1], suppress),
            registered=shown(rows[latest][1][0], suppress),
        )
    return table


def _dimension(key: str, category: str, rows: list[tuple[str, list[int | None]]], suppress: bool, what: str) -> Table:
    """A reach table: registered, matched, came (or sessions, matched, came for languages)."""
    columns = [_("Registered"), _("Matched"), _("Came")]
    if key == "language":
        columns = [_("Sessions"), _("Matched"), _("Came")]
    table = Table(key, str(DIMENSION_TITLES[key]), columns, category, rows, chart_column=2)
    table.summary = _largest_summary(table, suppress, what)
    return table


def _stage_values(found: dict[Any, dict[str, int]], value: Any, stages: tuple[str, ...]) -> list[int | None]:
    """The counts of one category, 0 where nothing was found."""
    counts = found.get(value, {})
    return [counts.get(stage, 0) for stage in stages]


def _amount(found: dict[str, int], suppress: bool) -> int | None:
    """The total amount funded, or None ("–") where fewer than 5 people gave one and counts are hidden."""
    if suppress and found.get("funded_answers", 0) < SMALL:
        return None
    return found.get("funded_amount", 0)


def _outcomes_table(found: dict[str, dict[str, int]], suppress: bool) -> Table:
    """What sessions led to, at each follow-up."""
    first, second = found.get("first", {}), found.get("second", {})
    rows: list[tuple[str, list[int | None]]] = [
        (str(label), [first.get(code, 0), second.get(code, 0)]) for code, label in labels.OUTCOMES
    ]
    rows.append((_("Answered the follow-up"), [first.get("answered", 0), second.get("answered", 0)]))
    rows.append((_("People referred by link workers"), [first.get("referrals", 0), second.get("referrals", 0)]))
    rows.append(
        (
            _("Amount commissioned or funded (£), where people gave it"),
            [_amount(first, suppress), _amount(second, suppress)],
        )
    )
    for plan, label in labels.PLANS_TO_COMMISSION:
        rows.append(
            (
                _("Commissioners who plan to commission: %(answer)s", answer=label),
                [
                    first.get(f"plans_{plan}", 0),
                    second.get(f"plans_{plan}", 0),
                ],
            )
        )
    table = Table(
        "outcomes",
        _("What the sessions led to"),
        [_("A week after"), _("Six months after")],
        _("Answer"),
        rows,
    )
    chart_rows = rows[: len(labels.OUTCOMES)]
    best = [(label, values[0] or 0) for label, values in chart_rows if values[0]]
    if best:
        label, value = max(best, key=lambda item: item[1])
        table.summary = _(
            "A week after their session, the answer given most was “%(label)s”, by %(count)s people.",
            label=label,
            count=shown(value, suppress),
        )
    else:
        table.summary = _("Nobody has answered a follow-up yet.")
    chart_table = Table("outcomes", table.title, table.columns, table.category, chart_rows, summary=table.summary)
    _chart(chart_table, suppress)
    table.chart = chart_table.chart
    return table


def build(scope: queries.Scope, suppress: bool) -> Report:
    """Every table of the report for this scope."""
    language = current_language()
    rounds = queries.rounds(scope)
    round_ids = [r.id for r in rounds]
    total, per_round = queries.funnel(scope, round_ids)
    tables = [
        _funnel_table(total, suppress),
        _rounds_table(rounds, per_round, suppress),
        _fairness_table(rounds, queries.left_out_before(scope, round_ids), suppress),
    ]

    three = ("registered", "matched", "attended")
    conditions = {c.id: c for c in db.session.scalars(select(Condition).order_by(Condition.position, Condition.id))}
    found = queries.by_condition(scope, round_ids)
    rows = [(conditions[cid].name(language), _stage_values(found, cid, three)) for cid in conditions if cid in found]
    tables.append(_dimension("condition", _("Condition"), rows, suppress, _("condition")))

    boards = {b.id: b for b in db.session.scalars(select(HealthBoard).order_by(HealthBoard.position, HealthBoard.id))}
    people = queries.by_people(scope, round_ids)  # every person attribute, keyed by its value as text
    found = people["health_board"]
    visible = [bid for bid in boards if not scope.restricted or bid in (scope.boards or ())]
    rows = [(boards[bid].name(language), _stage_values(found, str(bid), three)) for bid in visible]
    tables.append(_dimension("health_board", _("Health board"), rows, suppress, _("health board")))

    for key, category, what in (
        ("organisation_kind", _("Kind of organisation"), _("kind of organisation")),
        ("prescribing_link", _("Link with social prescribing"), _("link with social prescribing")),
        ("commissioner_kind", _("Kind of commissioner"), _("kind of commissioner")),
        ("employer_kind", _("Employer"), _("employer")),
        ("role", _("Role"), _("role")),
    ):
        found = people[key]
        names = ATTRIBUTE_LABELS[key]
        codes = [code for code in names if code != "organiser"]
        codes += sorted(  # a value not labelled yet
            code for code in found if code is not None and code not in names and code != "organiser"
        )
        rows = [(str(names.get(code, code)), _stage_values(found, code, three)) for code in codes]
        if None in found:  # an optional answer left blank (a link worker's employer)
            rows.append((_("Not given"), _stage_values(found, None, three)))
        tables.append(_dimension(key, category, rows, suppress, what))

    found = queries.by_language(scope, round_ids)
    rows = [
        (labels.language_name(code), _stage_values(found, code, ("sessions", "matched", "attended")))
        for code in sorted(found)
    ]
    tables.append(_dimension("language", _("Language"), rows, suppress, _("language")))

    found = queries.by_returning(scope, round_ids)
    rows = [
        (_("First time"), _stage_values(found, "first", three)),
        (_("Returning"), _stage_values(found, "returning", three)),
    ]
    tables.append(_dimension("returning", _("Organisations"), rows, suppress, _("first-time or returning")))

    tables.append(_outcomes_table(queries.outcomes(scope, round_ids, tuple(c for c, _l in labels.OUTCOMES)), suppress))
    for table in tables:
        if table.key != "outcomes":
            _chart(table, suppress)
    quotes = []
    if not suppress:
        quotes = [
            (note, stage, conditions[cid].name(language) if cid in conditions else "")
            for note, stage, cid in queries.quotes(scope, round_ids)
        ]
    return Report(
        scope=scope,
        rounds=rounds,
        suppress=suppress,
        tables=tables,
        never_matched=queries.never_matched(scope),
        quotes=quotes,
    )
