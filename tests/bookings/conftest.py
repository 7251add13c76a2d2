"""Fixtures for the booking tests: registrations, a commissioner, an open round, sessions serving bookings.

make_round, make_profile and make_booking come from tests/conftest.py (wrappers over tests/factories).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def register(app: Any) -> Callable[..., None]:
    """register(user, round_id, slots=None, conditions=None): a registration of interest.

    slots: ids (default all); conditions: slugs, at strength 2 (default: the round's conditions
    that are in the person's profile).
    """
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import CommissionerProfile, CreativeProfile, LinkWorkerProfile, Round
    from tests.factories import RegistrationFactory

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
            if conditions is None:
                mine = profile_condition_ids(user)
                conditions = tuple(c.slug for c in round_.conditions if c.id in mine)
            picked = {c.slug: 2 for c in round_.conditions if c.slug in conditions}
            RegistrationFactory(round=round_, user=user, slots=slots, conditions=picked)

    return make


@pytest.fixture
def commissioner(make_user: Callable[..., Any], make_profile: Callable[..., None]) -> Any:
    """An approved commissioner with a profile (stroke and dementia, English and Welsh)."""
    user = make_user("commissioner", name="Ceri Morgan")
    make_profile(user, conditions=("stroke", "dementia"), languages=("en", "cy"), organisation="Cyngor Gwynedd")
    return user


@pytest.fixture
def open_round(make_round: Any, staff_round: Any) -> int:
    """An open round (stroke and dementia; 4 slots over one week) where an English session could run.

    Registered, free at every slot, for both conditions, speaking English only: three
    creatives (Siân Rowlands of Theatr Fach first) and a link worker, the round's minimums.
    """
    round_id = make_round(slots=4)
    staff_round(round_id)
    return round_id


@pytest.fixture
def staff_round(make_user: Any, make_profile: Any, register: Any) -> Callable[[int], None]:
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
def welsh_speakers(make_user: Any, make_profile: Any, register: Any) -> Callable[..., None]:
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
def make_session(app: Any) -> Callable[..., int]:
    """make_session(round_id, booking_id, people=[(user, role), ...]): a published session serving a booking
    (its condition, first slot, language and purpose)."""
    from matchmaker.extensions import db
    from matchmaker.models import Booking, Round
    from tests.factories import SessionFactory

    def make(round_id: int, booking_id: int | None, people: list[tuple[Any, str]]) -> int:
        with app.app_context():
            return SessionFactory(
                round=db.session.get(Round, round_id), booking=db.session.get(Booking, booking_id), attendees=people
            ).id

    return make
