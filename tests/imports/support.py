"""CSV files for the import tests."""

from __future__ import annotations

from matchmaker.imports.service import COLUMNS


def csv_file(*rows: dict[str, str]) -> bytes:
    """A UTF-8 CSV with the template's columns; each row gives the columns it needs."""
    lines = [",".join(COLUMNS)]
    for row in rows:
        lines.append(",".join(f'"{row.get(column, "")}"' for column in COLUMNS))
    return ("\n".join(lines) + "\n").encode()


def good_row(number: int, **fields: str) -> dict[str, str]:
    """A valid row for organisation number n."""
    return {
        "email": f"contact{number}@org{number}.example",
        "contact_name": f"Contact {number}",
        "organisation_name": f"Organisation {number}",
        "kind": "community_group",
        "conditions": "dementia;stroke",
        "art_forms": "singing",
        "health_boards": "powys",
        "languages": "en;cy",
        **fields,
    }
