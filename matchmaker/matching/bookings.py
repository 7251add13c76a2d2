"""What bookings contribute to the solver's problem (see docs/matching-contract.md; ids in matching/ids.py).

Cancelled bookings are left out. Requested, scheduled and unscheduled ones are all in:
a scheduled booking is named by a fixed (published) session, and a re-run may yet serve
one that could not be scheduled before.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaker.extensions import db
from matchmaker.matching.ids import booking_id, participant_id, slot_id
from matchmaker.models import Booking, BookingStatus, Round, User


def _live_bookings(round_: Round) -> list[Booking]:
    """The round's bookings the matching should consider, oldest first."""
    query = (
        select(Booking)
        .where(Booking.round_id == round_.id, Booking.status != BookingStatus.CANCELLED)
        .options(
            selectinload(Booking.slots),
            selectinload(Booking.condition),
            selectinload(Booking.health_board),
            selectinload(Booking.wants_to_meet),
        )
        .order_by(Booking.id)
    )
    return list(db.session.scalars(query))


def bookings_for_problem(round_: Round) -> list[dict[str, Any]]:
    """The contract's `bookings` entries for this round."""
    return [
        {
            "id": booking_id(b.id),
            "commissioner": participant_id(b.commissioner_id),
            "condition": b.condition.slug,
            "slots": [slot_id(s.id) for s in b.slots],
            "language": b.language,
            "region": b.health_board.slug if b.health_board is not None else None,
        }
        for b in _live_bookings(round_)
    ]


def wants_to_meet_by_commissioner(round_: Round) -> dict[str, list[str]]:
    """For each commissioner with a live booking, the participant ids they want to meet (union over bookings)."""
    wanted: dict[str, list[str]] = {}
    for b in _live_bookings(round_):
        ids = wanted.setdefault(participant_id(b.commissioner_id), [])
        for user in b.wants_to_meet:
            pid = participant_id(user.id)
            if pid not in ids:
                ids.append(pid)
    return wanted


def wants_to_meet_for(user: User, round_: Round) -> list[str]:
    """The participant ids this commissioner asked to meet in their live bookings of the round."""
    return wants_to_meet_by_commissioner(round_).get(participant_id(user.id), [])


def booking_needs(round_: Round) -> dict[str, dict[str, Any]]:
    """What each booking commissioner needs as a participant, for one who did not register interest.

    A booking's commissioner must be a participant; if they have no registration, the
    matching job can use this: available at their bookings' slots, the bookings'
    conditions at strength 3, and at most as many sessions as they have live bookings.
    """
    needs: dict[str, dict[str, Any]] = {}
    for b in _live_bookings(round_):
        entry = needs.setdefault(
            participant_id(b.commissioner_id), {"available": [], "conditions": {}, "max_sessions": 0}
        )
        for s in b.slots:
            if slot_id(s.id) not in entry["available"]:
                entry["available"].append(slot_id(s.id))
        entry["conditions"][b.condition.slug] = 3
        entry["max_sessions"] += 1
    return needs
