"""Demo bookings: a few commissioners in the demo round ask for sessions, so matching serves bookings.

Idempotent: a commissioner who already has a booking in the demo round gets no other.
"""

from __future__ import annotations

from sqlalchemy import select

from matchmaker.bookings.service import BookingError, BookingRequest, create_booking
from matchmaker.demo.round import TITLE_EN
from matchmaker.extensions import db
from matchmaker.models import Booking, Registration, Role, Round, User

PURPOSES = [
    "How singing and music groups could take referrals from our link workers",
    "What creative projects exist near our GP clusters, and what they need to keep going",
    "Meeting organisations that work in Welsh with older people",
    "Short-term projects we could fund from the spring budget",
]
HOW_MANY = 4


def load_demo_bookings() -> int:
    """Book sessions for up to four demo commissioners on a condition they registered for; returns how many."""
    round_ = db.session.scalar(select(Round).where(Round.title_en == TITLE_EN))
    if round_ is None:
        return 0
    registrations = db.session.scalars(
        select(Registration)
        .join(User, Registration.user_id == User.id)
        .where(Registration.round_id == round_.id, User.role == Role.COMMISSIONER)
        .order_by(User.email)
    ).all()
    made = 0
    for registration, purpose in zip(registrations[:HOW_MANY], PURPOSES, strict=False):
        user = registration.user
        mine = select(Booking.id).where(Booking.round_id == round_.id, Booking.commissioner_id == user.id)
        if db.session.scalar(mine):
            continue
        strongest = max(registration.conditions, key=lambda c: c.strength, default=None)
        if strongest is None or not registration.slots:
            continue
        request = BookingRequest(
            condition_id=strongest.condition_id,
            slot_ids=[slot.id for slot in registration.slots],
            language=None,
            health_board_id=None,
            purpose=purpose,
        )
        try:
            create_booking(round_, user, request, requested_by=user)
        except BookingError:
            continue  # this commissioner's choice does not fit the round's rules: the demo skips it
        made += 1
    db.session.commit()
    return made
