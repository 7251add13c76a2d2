"""Factories for joining tests: a closed round, published sessions, and the people who join them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

TUESDAY_10AM = datetime(2027, 3, 2, 10, 0, tzinfo=UTC)  # GMT: 10am in Wales


@pytest.fixture
def make_round(app: Any, reference_data: None) -> Callable[..., int]:
    """make_round(**rules) -> id of a closed round (defaults: 3-6 creatives, 1-2 commissioners, 1-3 link workers)."""
    from matchmaker.extensions import db
    from matchmaker.models import Round, RoundStatus

    def make(**fields: Any) -> int:
        with app.app_context():
            round_ = Round(
                title_en="Spring round",
                title_cy="Rownd y gwanwyn",
                registration_opens_at=datetime(2027, 1, 4, 9, tzinfo=UTC),
                registration_closes_at=datetime(2027, 2, 1, 17, tzinfo=UTC),
                organiser_mailbox="rounds@example.org",
                status=RoundStatus.CLOSED,
                **fields,
            )
            db.session.add(round_)
            db.session.commit()
            return round_.id

    return make


@pytest.fixture
def round_id(make_round: Callable[..., int]) -> int:
    """One closed round with the default rules."""
    return make_round()


@pytest.fixture
def make_session(app: Any, round_id: int) -> Callable[..., int]:
    """make_session(attendees=[(user, role)], starts_at=..., minutes=90, condition="stroke", language="en",
    round_id=..., booking_board=None) -> the id of a published session (its slot made for it)."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import (
        Booking,
        BookingStatus,
        Condition,
        ConsultationSession,
        HealthBoard,
        SessionAttendee,
        Slot,
    )

    counter = iter(range(1, 10_000))

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
            slot = Slot(round_id=round_id, starts_at=starts_at, ends_at=starts_at + timedelta(minutes=minutes))
            found = db.session.scalar(select(Condition).where(Condition.slug == condition))
            session = ConsultationSession(
                round_id=round_id, plan_key=f"S{next(counter)}", condition=found, slot=slot, language=language
            )
            if booking_board is not None:
                booking = Booking(
                    round_id=round_id,
                    commissioner_id=booking_by.id,
                    condition_id=found.id,
                    language=None,
                    health_board_id=db.session.scalar(select(HealthBoard.id).where(HealthBoard.slug == booking_board)),
                    purpose="Singing groups",
                    status=BookingStatus.SCHEDULED,
                )
                db.session.add(booking)
                db.session.flush()
                session.booking_id = booking.id
            for user, role in attendees:
                session.attendees.append(SessionAttendee(user_id=user.id, role=role))
            db.session.add(session)
            db.session.commit()
            return session.id

    return make


@pytest.fixture
def make_person(app: Any, make_user: Callable[..., Any], reference_data: None) -> Callable[..., Any]:
    """make_person(role, languages=("en",), capacity=2, health_board=None, organisation=None, **user) -> a user."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import (
        CommissionerKind,
        CommissionerProfile,
        CreativeProfile,
        HealthBoard,
        LinkWorkerProfile,
        OrganisationKind,
    )

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
        organisation = organisation or f"{role.title()} organisation {user.id}"
        with app.app_context():
            board = (
                db.session.scalar(select(HealthBoard).where(HealthBoard.slug == health_board)) if health_board else None
            )
            if role == "creative":
                profile: Any = CreativeProfile(
                    user_id=user.id,
                    organisation_name=organisation,
                    organisation_key=organisation.lower(),
                    organisation_kind=OrganisationKind.ARTS_ORGANISATION,
                    languages=list(languages),
                    health_boards=[board] if board else [],
                )
            elif role == "commissioner":
                profile = CommissionerProfile(
                    user_id=user.id,
                    organisation=organisation,
                    organisation_kind=CommissionerKind.HEALTH_BOARD,
                    languages=list(languages),
                    health_boards=[board] if board else [],
                )
            else:
                profile = LinkWorkerProfile(
                    user_id=user.id,
                    employer=organisation,
                    languages=list(languages),
                    capacity=capacity,
                    health_board_id=board.id if board else None,
                )
            db.session.add(profile)
            db.session.commit()
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
