"""Fixtures for the joining tests (thin wrappers over tests/factories): a closed round, published sessions,
and the people who join them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.factories import TUESDAY_10AM


@pytest.fixture
def make_round(app: Any, reference_data: None) -> Callable[..., int]:
    """make_round(**rules) -> id of a closed round with no slots or conditions (defaults: 3-6 creatives,
    1-2 commissioners, 1-3 link workers; registration closed on 1 February 2027)."""
    from tests.factories import RoundFactory, persist

    def make(**fields: Any) -> int:
        values = {"status": "closed", "conditions": (), "registration_closes_at": datetime(2027, 2, 1, 17, tzinfo=UTC)}
        return persist(app, RoundFactory, **{**values, **fields})

    return make


@pytest.fixture
def round_id(make_round: Callable[..., int]) -> int:
    """One closed round with the default rules."""
    return make_round()


@pytest.fixture
def make_session(app: Any, round_id: int) -> Callable[..., int]:
    """make_session(attendees=[(user, role)], starts_at=..., minutes=90, condition="stroke", language="en",
    round_id=..., booking_board=None, booking_by=None) -> the id of a published session (its slot made for it);
    with booking_board, it serves a scheduled booking of booking_by's for that health board."""
    from matchmaker.extensions import db
    from matchmaker.models import Round
    from tests.factories import BookingFactory, SessionFactory

    def make(
        attendees: list[tuple[Any, str]] = (),  # type: ignore[assignment]
        *,
        starts_at: datetime = TUESDAY_10AM,
        minutes: int = 90,
        condition: str = "stroke",
        language: str = "en",
        round_id: int = round_id,
        booking_board: str | None = None,
        booking_by: Any = None,
    ) -> int:
        with app.app_context():
            round_ = db.session.get(Round, round_id)
            booking = None
            if booking_board is not None:
                booking = BookingFactory(
                    round=round_,
                    commissioner=booking_by,
                    condition=condition,
                    health_board=booking_board,
                    purpose="Singing groups",
                    status="scheduled",
                    slots=[],
                )
            return SessionFactory(
                round=round_,
                booking=booking,
                starts_at=starts_at,
                minutes=minutes,
                condition=condition,
                language=language,
                purpose="",
                attendees=attendees,
            ).id

    return make


@pytest.fixture
def make_person(app: Any, make_user: Callable[..., Any], reference_data: None) -> Callable[..., Any]:
    """make_person(role, languages=("en",), capacity=2, health_board=None, organisation=None, **user) -> a user
    with a profile (profile_for)."""
    from tests.factories import profile_for

    def make(
        role: str = "link_worker",
        *,
        organisation: str | None = None,
        languages: tuple[str, ...] = ("en",),
        capacity: int = 2,
        health_board: str | None = None,
        **user_fields: Any,
    ) -> Any:
        user = make_user(role, **user_fields)
        extra = {"capacity": capacity} if role == "link_worker" else {}
        with app.app_context():
            profile_for(
                user,
                organisation=organisation or f"{role.title()} organisation {user.id}",
                languages=languages,
                boards=[health_board] if health_board else [],
                **extra,
            )
        return user

    return make


@pytest.fixture
def places(app: Any) -> Callable[[int], dict[str, int]]:
    """places(session_id) -> {role: taken} as the database's counters hold it."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import SessionPlace

    def read(session_id: int) -> dict[str, int]:
        with app.app_context():
            return dict(
                db.session.execute(
                    select(SessionPlace.role, SessionPlace.taken).where(SessionPlace.session_id == session_id)
                ).all()
            )

    return read


@pytest.fixture
def attendees(app: Any) -> Callable[[int], list[tuple[int, str, str, bool]]]:
    """attendees(session_id) -> [(user_id, role, partstat, removed)] for every row, in id order."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import SessionAttendee

    def read(session_id: int) -> list[tuple[int, str, str, bool]]:
        with app.app_context():
            rows = db.session.scalars(
                select(SessionAttendee).where(SessionAttendee.session_id == session_id).order_by(SessionAttendee.id)
            )
            return [(a.user_id, a.role, a.partstat.value, a.removed_at is not None) for a in rows]

    return read


@pytest.fixture
def invites_to(outbox: Callable[..., list[Any]]) -> Callable[[Any], list[str]]:
    """invites_to(user) -> the calendar methods of the invite emails queued for them, oldest first."""

    def read(user: Any) -> list[str]:
        return [m.calendar_method for m in outbox(user.email) if m.calendar_method]

    return read
