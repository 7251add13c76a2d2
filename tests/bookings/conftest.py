"""Fixtures for the booking tests: registrations, a commissioner, an open round, sessions serving bookings.

make_round, make_profile and make_booking come from tests/conftest.py (wrappers over tests/factories).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def register(app: Any) -> Callable[..., None]:
    """register(user, round_id, slots=None): a registration of interest (slots: ids, default all)."""
    from matchmaker.extensions import db
    from matchmaker.models import Round
    from tests.factories import RegistrationFactory

    def make(user: Any, round_id: int, slots: list[int] | None = None) -> None:
        with app.app_context():
            RegistrationFactory(round=db.session.get(Round, round_id), user=user, slots=slots)

    return make


@pytest.fixture
def commissioner(make_user: Callable[..., Any], make_profile: Callable[..., None]) -> Any:
    """An approved commissioner with a profile (stroke and dementia, English and Welsh)."""
    user = make_user("commissioner", name="Ceri Morgan")
    make_profile(user, conditions=("stroke", "dementia"), languages=("en", "cy"), organisation="Cyngor Gwynedd")
    return user


@pytest.fixture
def open_round(make_round: Any, make_user: Any, make_profile: Any, register: Any) -> int:
    """An open round (stroke and dementia; 4 slots over one week) with an English-speaking creative registered."""
    round_id = make_round(slots=4)
    creative = make_user("creative", name="Siân Rowlands")
    make_profile(creative, languages=("en",), organisation="Theatr Fach")
    register(creative, round_id)
    return round_id


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
