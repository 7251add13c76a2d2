"""CSV for spreadsheets: every export writes through here so no cell can run as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

# OWASP "CSV injection": a cell starting with one of these may be read as a formula by
# Excel, LibreOffice or Google Sheets (tab and carriage return hide a leading '=').
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value, with a leading apostrophe if it is text a spreadsheet would treat as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: Iterable[Iterable[Any]], *, bom: bool = False, lineterminator: str = "\r\n") -> str:
    """The CSV text of these rows, every text cell neutralised; bom=True helps Excel keep Welsh letters."""
    out = io.StringIO()
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator=lineterminator)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()
