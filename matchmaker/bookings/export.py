"""A round's bookings as CSV for organisers: UTF-8 with a byte order mark (Excel then keeps Welsh letters)."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from matchmaker.bookings import organisations, reasons
from matchmaker.bookings.service import organisations_of
from matchmaker.models import Booking, Round
from matchmaker.web.csv_export import csv_text
from matchmaker.web.i18n import to_london
from matchmaker.web.labels import BOOKING_STATUSES, label, language_name


def _slot_text(booking: Booking) -> str:
    """The booking's slots in Wales time, 'YYYY-MM-DD HH:MM-HH:MM', separated by semicolons."""
    return "; ".join(f"{to_london(s.starts_at):%Y-%m-%d %H:%M}-{to_london(s.ends_at):%H:%M}" for s in booking.slots)


def _reason(booking: Booking) -> str:
    """Why it could not be scheduled, in the export's language, then the solver's own note."""
    said = reasons.explain(booking.reason_code)[0] if booking.reason_code else ""
    return " ".join(filter(None, [said, booking.reason_detail]))


def bookings_csv(round_: Round, bookings: list[Booking], language: str = "en") -> str:
    """The CSV text (with BOM) of these bookings, headings and names in this language."""
    found = organisations_of([b.commissioner for b in bookings])
    rows: list[list[object]] = []
    with force_locale(language):
        rows.append(
            [
                _("Booking"),
                _("Status"),
                _("Commissioner"),
                _("Email"),
                _("Organisation"),
                _("Condition"),
                _("Language"),
                _("Health board"),
                _("Slots (Wales time)"),
                _("What they want to learn or discuss"),
                _("Organisations they would like to meet"),
                _("Reason it could not be scheduled"),
                _("Requested at (Wales time)"),
                _("Cancelled at (Wales time)"),
            ]
        )
        for b in bookings:
            rows.append(
                [
                    b.id,
                    label(BOOKING_STATUSES, b.status.value),
                    b.commissioner.name,
                    b.commissioner.email or "",
                    found.get(b.commissioner_id, ""),
                    b.condition.name(language),
                    language_name(b.language or "either"),
                    b.health_board.name(language) if b.health_board else "",
                    _slot_text(b),
                    b.purpose,
                    "; ".join(organisations.names_of(b.wants_to_meet)),
                    _reason(b),
                    f"{to_london(b.created_at):%Y-%m-%d %H:%M}",
                    f"{to_london(b.cancelled_at):%Y-%m-%d %H:%M}" if b.cancelled_at else "",
                ]
            )
    return csv_text(rows, bom=True)
