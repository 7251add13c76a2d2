"""Helpers for the booking tests: a valid request form, and every booking as saved."""

from __future__ import annotations

from typing import Any

from tests.helpers import condition_ids, slot_ids


def booking_form(app: Any, round_id: int, slug: str = "stroke", **overrides: Any) -> dict[str, Any]:
    """A valid booking form submission for this round (condition by slug, first two slots, English)."""
    data: dict[str, Any] = {
        "condition": str(condition_ids(app, slug)[0]),
        "slots": [str(s) for s in slot_ids(app, round_id)[:2]],
        "language": "en",
        "health_board": "",
        "purpose": "Sut mae cerddoriaeth yn helpu ar ôl strôc – how music helps after a stroke",
    }
    data.update(overrides)
    return data


def bookings(app: Any) -> list[Any]:
    """Every booking, oldest first, detached with slots and wants loaded."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from matchmaker.extensions import db
    from matchmaker.models import Booking

    with app.app_context():
        rows = list(
            db.session.scalars(
                select(Booking)
                .options(selectinload(Booking.slots), selectinload(Booking.wants_to_meet))
                .order_by(Booking.id)
            )
        )
        for row in rows:
            db.session.expunge(row)
        return rows
