"""Display names for stored codes: bank holidays (stored in English by the holidays package)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

BANK_HOLIDAYS = {
    "New Year's Day": _l("New Year's Day"),
    "Good Friday": _l("Good Friday"),
    "Easter Monday": _l("Easter Monday"),
    "May Day": _l("Early May bank holiday"),
    "Spring Bank Holiday": _l("Spring bank holiday"),
    "Late Summer Bank Holiday": _l("Summer bank holiday"),
    "Christmas Day": _l("Christmas Day"),
    "Boxing Day": _l("Boxing Day"),
    "Christmas Day (observed)": _l("Christmas Day (substitute day)"),
    "Boxing Day (observed)": _l("Boxing Day (substitute day)"),
    "New Year's Day (observed)": _l("New Year's Day (substitute day)"),
}


def bank_holiday_name(name: str) -> str:
    """The bank holiday's name in the current language (unknown names as stored)."""
    known = BANK_HOLIDAYS.get(name)
    return str(known) if known is not None else name
