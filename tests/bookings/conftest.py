"""Factories for the booking tests: rounds and profiles (from tests/rounds), registrations, bookings, sessions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.rounds.factories import condition_ids, make_profile, make_round, slot_ids  # noqa: F401


@pytest.fixture
def register(app: Any) -> Callable[..., None]:
    """register(user, round_id, slots=None): a registration of interest (slots: ids, default all)."""
    from matchmaker.extensions import db
    from matchmaker.models import Registration, Round

    def make(user: Any, round_id: int, slots: list[int] | None = None) -> None:
        with app.app_context():
            round_ = db.session.get(Round, round_id)
            chosen = [s for s in round_.slots if slots is None or s.id in slots]
            db.session.add(Registration(round_id=round_id, user_id=user.id, slots=chosen))
            db.session.commit()

    return make


@pytest.fixture
def commissioner(make_user: Callable[..., Any], make_profile: Callable[..., None]) -> Any:  # noqa: F811
    """An approved commissioner with a profile (stroke and dementia, English and Welsh)."""
    user = make_user("commissioner", name="Ceri Morgan")
    make_profile(user, conditions=("stroke", "dementia"), languages=("en", "cy"), organisation="Cyngor Gwynedd")
    return user


@pytest.fixture
def open_round(make_round: Any, make_user: Any, make_profile: Any, register: Any) -> int:  # noqa: F811
    """An open round (stroke and dementia; 4 slots over one week) with an English-speaking creative registered."""
    round_id = make_round(slots=4)
    creative = make_user("creative", name="Siân Rowlands")
    make_profile(creative, languages=("en",), organisation="Theatr Fach")
    register(creative, round_id)
    return round_id


@pytest.fixture
def make_booking(app: Any) -> Callable[..., int]:
    """make_booking(user, round_id, condition="stroke", slots=None, language=None, status="requested", **fields)."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import Booking, BookingStatus, Condition, Round, User

    def make(
        user: Any,
        round_id: int,
        condition: str = "stroke",
        slots: list[int] | None = None,
        language: str | None = None,
        status: str = "requested",
        **fields: Any,
    ) -> int:
        with app.app_context():
            round_ = db.session.get(Round, round_id)
            booking = Booking(
                round=round_,
                commissioner=db.session.get(User, user.id),
                condition=db.session.scalars(select(Condition).where(Condition.slug == condition)).one(),
                language=language,
                status=BookingStatus(status),
                purpose=fields.pop("purpose", "How music helps after a stroke"),
                **fields,
            )
            booking.slots = [s for s in round_.slots if slots is None or s.id in slots]
            db.session.add(booking)
            db.session.commit()
            return booking.id

    return make


@pytest.fixture
def make_session(app: Any) -> Callable[..., int]:
    """make_session(round_id, booking_id, people=[(user, role), ...]): a published session serving a booking."""
    from matchmaker.extensions import db
    from matchmaker.models import Booking, ConsultationSession, SessionAttendee

    def make(round_id: int, booking_id: int | None, people: list[tuple[Any, str]]) -> int:
        with app.app_context():
            booking = db.session.get(Booking, booking_id)
            session = ConsultationSession(
                round_id=round_id,
                plan_key=f"S{booking_id}",
                condition_id=booking.condition_id,
                slot_id=booking.slots[0].id,
                language=booking.language or "en",
                booking_id=booking.id,
                purpose=booking.purpose,
            )
            session.attendees = [SessionAttendee(user_id=user.id, role=role) for user, role in people]
            db.session.add(session)
            db.session.commit()
            return session.id

    return make


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
