"""Factories for the booking tests: rounds and profiles (from tests/rounds), registrations, bookings, sessions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.rounds.factories import condition_ids, make_profile, make_round, slot_ids  # noqa: F401


@pytest.fixture
def register(app: Any) -> Callable[..., None]:
    """register(user, round_id, slots=None, conditions=None): a registration of interest.

    slots: ids (default all); conditions: slugs, at strength 2 (default: the round's conditions
    that are in the person's profile).
    """
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import (
        CommissionerProfile,
        CreativeProfile,
        LinkWorkerProfile,
        Registration,
        RegistrationCondition,
        Round,
    )

    def profile_condition_ids(user: Any) -> set[int]:
        for model in (CreativeProfile, CommissionerProfile, LinkWorkerProfile):
            profile = db.session.scalar(select(model).where(model.user_id == user.id))
            if profile is not None:
                return {getattr(c, "condition_id", None) or c.id for c in profile.conditions}
        return set()

    def make(
        user: Any, round_id: int, slots: list[int] | None = None, conditions: tuple[str, ...] | None = None
    ) -> None:
        with app.app_context():
            round_ = db.session.get(Round, round_id)
            chosen = [s for s in round_.slots if slots is None or s.id in slots]
            if conditions is None:
                mine = profile_condition_ids(user)
                picked = [c for c in round_.conditions if c.id in mine]
            else:
                picked = [c for c in round_.conditions if c.slug in conditions]
            registration = Registration(round_id=round_id, user_id=user.id, slots=chosen)
            registration.conditions = [RegistrationCondition(condition_id=c.id, strength=2) for c in picked]
            db.session.add(registration)
            db.session.commit()

    return make


@pytest.fixture
def commissioner(make_user: Callable[..., Any], make_profile: Callable[..., None]) -> Any:  # noqa: F811
    """An approved commissioner with a profile (stroke and dementia, English and Welsh)."""
    user = make_user("commissioner", name="Ceri Morgan")
    make_profile(user, conditions=("stroke", "dementia"), languages=("en", "cy"), organisation="Cyngor Gwynedd")
    return user


@pytest.fixture
def open_round(make_round: Any, staff_round: Any) -> int:  # noqa: F811
    """An open round (stroke and dementia; 4 slots over one week) where an English session could run.

    Registered, free at every slot, for both conditions, speaking English only: three
    creatives (Siân Rowlands of Theatr Fach first) and a link worker, the round's minimums.
    """
    round_id = make_round(slots=4)
    staff_round(round_id)
    return round_id


@pytest.fixture
def staff_round(make_user: Any, make_profile: Any, register: Any) -> Callable[[int], None]:  # noqa: F811
    """staff_round(round_id): register three English-speaking creatives and a link worker, free at every slot."""

    def make(round_id: int) -> None:
        creative = make_user("creative", name="Siân Rowlands")
        make_profile(creative, conditions=("stroke", "dementia"), languages=("en",), organisation="Theatr Fach")
        register(creative, round_id)
        for name in ("Bryn Jones", "Dafydd Price"):
            other = make_user("creative", name=name)
            make_profile(other, conditions=("stroke", "dementia"), languages=("en",), organisation=f"{name} Arts")
            register(other, round_id)
        link_worker = make_user("link_worker", name="Eleri Lloyd")
        make_profile(link_worker, conditions=("stroke", "dementia"), languages=("en",))
        register(link_worker, round_id)

    return make


@pytest.fixture
def welsh_speakers(make_user: Any, make_profile: Any, register: Any) -> Callable[..., None]:  # noqa: F811
    """welsh_speakers(round_id, link_worker=True, creatives=3): register Welsh speakers for both conditions."""

    def make(round_id: int, link_worker: bool = True, creatives: int = 3) -> None:
        if link_worker:
            person = make_user("link_worker", name="Nia Wyn")
            make_profile(person, conditions=("stroke", "dementia"), languages=("cy", "en"))
            register(person, round_id)
        for index in range(creatives):
            person = make_user("creative", name=f"Cymro {index}")
            make_profile(person, conditions=("stroke", "dementia"), languages=("cy",), organisation=f"Cwmni {index}")
            register(person, round_id)

    return make


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
