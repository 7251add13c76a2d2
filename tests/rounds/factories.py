"""Factories for rounds, slots, profiles and registrations (used by tests/rounds and tests/interest)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

LONDON_10AM_MARCH_2027 = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)  # GMT: 10:00 local is 10:00Z


@pytest.fixture
def make_round(app: Any, reference_data: None) -> Callable[..., int]:
    """make_round(status="open", slots=4, conditions=("stroke", "dementia"), **fields) -> round id.

    Slots are weekday mornings from Monday 1 March 2027 at 10:00 (GMT), 90 minutes long.
    """
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import Condition, Round, RoundStatus, Slot

    def make(
        status: str = "open",
        slots: int = 4,
        conditions: tuple[str, ...] = ("stroke", "dementia"),
        **fields: Any,
    ) -> int:
        with app.app_context():
            values = {
                "title_en": "Spring round",
                "title_cy": "Rownd y gwanwyn",
                "registration_opens_at": datetime(2027, 1, 4, 9, tzinfo=UTC),
                "registration_closes_at": datetime(2027, 2, 26, 17, tzinfo=UTC),
                "organiser_mailbox": "rounds@example.org",
                "status": RoundStatus(status),
                **fields,
            }
            round_ = Round(**values)
            round_.conditions = list(db.session.scalars(select(Condition).where(Condition.slug.in_(conditions))))
            for index in range(slots):
                start = LONDON_10AM_MARCH_2027 + timedelta(days=index)
                round_.slots.append(Slot(starts_at=start, ends_at=start + timedelta(minutes=90)))
            db.session.add(round_)
            db.session.commit()
            return round_.id

    return make


def condition_ids(app: Any, *slugs: str) -> list[int]:
    """Ids of conditions by slug, in the order given."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import Condition

    with app.app_context():
        by_slug = {c.slug: c.id for c in db.session.scalars(select(Condition))}
    return [by_slug[s] for s in slugs]


def slot_ids(app: Any, round_id: int) -> list[int]:
    """The round's slot ids, earliest first."""
    from matchmaker.extensions import db
    from matchmaker.models import Round

    with app.app_context():
        return [s.id for s in db.session.get(Round, round_id).slots]


@pytest.fixture
def make_profile(app: Any, reference_data: None) -> Callable[..., None]:
    """make_profile(user, conditions=("stroke",), languages=("en",), boards=("cardiff-vale",), **extra)."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import (
        CommissionerKind,
        CommissionerProfile,
        Condition,
        CreativeCondition,
        CreativeProfile,
        Experience,
        HealthBoard,
        LinkWorkerProfile,
        OrganisationKind,
        Role,
    )

    def make(
        user: Any,
        conditions: tuple[str, ...] = ("stroke",),
        languages: tuple[str, ...] = ("en",),
        boards: tuple[str, ...] = ("cardiff-vale",),
        **extra: Any,
    ) -> None:
        with app.app_context():
            chosen = list(db.session.scalars(select(Condition).where(Condition.slug.in_(conditions))))
            board_rows = list(db.session.scalars(select(HealthBoard).where(HealthBoard.slug.in_(boards))))
            if user.role == Role.CREATIVE:
                name = extra.pop("organisation", f"Org of {user.name}")
                profile = CreativeProfile(
                    user_id=user.id,
                    organisation_name=name,
                    organisation_key=name.strip().lower(),
                    organisation_kind=OrganisationKind.ARTS_ORGANISATION,
                    languages=list(languages),
                    directory_consent=extra.pop("directory_consent", True),
                    **extra,
                )
                profile.conditions = [
                    CreativeCondition(condition_id=c.id, experience=Experience.SPECIALIST) for c in chosen
                ]
                profile.health_boards = board_rows
            elif user.role == Role.COMMISSIONER:
                profile = CommissionerProfile(
                    user_id=user.id,
                    organisation=extra.pop("organisation", "Cardiff Council"),
                    organisation_kind=CommissionerKind.LOCAL_AUTHORITY,
                    languages=list(languages),
                    **extra,
                )
                profile.conditions = chosen
                profile.health_boards = board_rows
            else:
                profile = LinkWorkerProfile(
                    user_id=user.id,
                    employer=extra.pop("organisation", "Cluster surgery"),
                    languages=list(languages),
                    health_board_id=board_rows[0].id if board_rows else None,
                    **extra,
                )
                profile.conditions = chosen
            db.session.add(profile)
            db.session.commit()

    return make


def local(day: date, at: time) -> datetime:
    """A Europe/London wall time as aware UTC."""
    from matchmaker.rounds.slots import local_to_utc

    return local_to_utc(day, at)


@pytest.fixture
def make_registration(app: Any) -> Callable[..., int]:
    """make_registration(user, round_id, {"stroke": 3}, slot_indexes=(0,), max_sessions=2) -> registration id."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import Condition, Registration, RegistrationCondition, Round

    def make(
        user: Any,
        round_id: int,
        conditions: dict[str, int],
        slot_indexes: tuple[int, ...] = (0,),
        max_sessions: int = 2,
    ) -> int:
        with app.app_context():
            round_ = db.session.get(Round, round_id)
            by_slug = {c.slug: c for c in db.session.scalars(select(Condition))}
            registration = Registration(round_id=round_id, user_id=user.id, max_sessions=max_sessions)
            registration.conditions = [
                RegistrationCondition(condition_id=by_slug[slug].id, strength=strength)
                for slug, strength in conditions.items()
            ]
            registration.slots = [round_.slots[i] for i in slot_indexes]
            db.session.add(registration)
            db.session.commit()
            return registration.id

    return make
