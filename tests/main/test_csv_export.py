"""CSV exports cannot carry spreadsheet formulas (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io

import pytest

from matchmaker.web.csv_export import csv_text, safe_cell


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"],
)
def test_text_that_a_spreadsheet_would_run_gets_an_apostrophe(value):
    assert safe_cell(value) == "'" + value
    (row,) = csv.reader(io.StringIO(csv_text([[value]])))
    assert row == ["'" + value]


@pytest.mark.parametrize("value", ["Siân Llŷr", "Theatr = Drama", "", "a-b", "'quoted"])
def test_ordinary_text_is_unchanged(value):
    assert safe_cell(value) == value


def test_numbers_and_empty_values_stay_numbers():
    assert safe_cell(-3) == -3
    assert safe_cell(4.5) == 4.5
    assert safe_cell(None) == ""
    assert csv_text([[1, None, "x"]], bom=True) == "\ufeff1,,x\r\n"
