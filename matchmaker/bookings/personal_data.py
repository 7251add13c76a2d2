"""Bookings in "download my data" and "delete my account" (registered once, on import)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from matchmaker.accounts.service import register_personal_data
from matchmaker.bookings import organisations
from matchmaker.bookings.service import cancel_booking
from matchmaker.extensions import db
from matchmaker.models import Booking, User


def _iso(value: Any) -> str | None:
    """ISO 8601 for a datetime, or None."""
    return value.isoformat() if value is not None else None


def _mine(user: User) -> list[Booking]:
    """Every booking this person made or that was made for them."""
    return list(db.session.scalars(select(Booking).where(Booking.commissioner_id == user.id).order_by(Booking.id)))


def export_bookings(user: User) -> dict[str, Any]:
    """The person's bookings, as JSON-able data."""
    return {
        "bookings": [
            {
                "id": b.id,
                "round": b.round.title_en,
                "condition": b.condition.slug,
                "slots": [{"start": _iso(s.starts_at), "end": _iso(s.ends_at)} for s in b.slots],
                "language": b.language,
                "health_board": b.health_board.slug if b.health_board else None,
                "purpose": b.purpose,
                "organisations_to_meet": organisations.names_of(b.wants_to_meet),
                "status": b.status.value,
                "reason": b.reason_code,
                "created_at": _iso(b.created_at),
                "updated_at": _iso(b.updated_at),
                "cancelled_at": _iso(b.cancelled_at),
            }
            for b in _mine(user)
        ]
    }


def erase_bookings(user: User) -> None:
    """Cancel the person's bookings and blank what they wrote; the rows stay, so sessions that name them hold."""
    for booking in _mine(user):
        cancel_booking(booking, notify=False)
        booking.purpose = ""
        booking.wants_to_meet = []
        booking.reason_detail = None
    # Others' bookings that asked to meet this person no longer do.
    for booking in db.session.scalars(select(Booking).where(Booking.wants_to_meet.any(User.id == user.id))):
        booking.wants_to_meet = [u for u in booking.wants_to_meet if u.id != user.id]


register_personal_data(export_bookings, erase_bookings)
