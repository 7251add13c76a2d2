"""The demo round: one open round of 20 slots in March 2027 and registrations from most demo people.

Runs after the demo people are loaded and reads them from the database (demo addresses with a
profile), so it works whoever made them. Seeded: every installation gets the same registrations.
Idempotent: a second load finds the round by its title and adds nothing.

Two conditions are made to warn on purpose, so the organiser overview has something to show:
perinatal mental health has no link worker, and the only commissioner for learning disability
is free at one slot that none of its creatives chose.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import (
    Condition,
    CreativeProfile,
    Registration,
    RegistrationCondition,
    Role,
    Round,
    RoundStatus,
    Slot,
    User,
)
from matchmaker.profiles.service import facts_for_users
from matchmaker.rounds.service import local_to_utc, pattern_slots

TITLE_EN = "Spring 2027 arts and health consultations"
TITLE_CY = "Ymgynghoriadau celfyddydau ac iechyd gwanwyn 2027"
DESCRIPTION_EN = (
    "Online sessions of 90 minutes in which creative organisations, commissioners and link workers "
    "talk about one health condition: what works, who is already doing it, and how people are referred."
)
DESCRIPTION_CY = (
    "Sesiynau ar-lein o 90 munud lle mae sefydliadau creadigol, comisiynwyr a gweithwyr cyswllt yn trafod "
    "un cyflwr iechyd: beth sy'n gweithio, pwy sydd eisoes yn ei wneud, a sut mae pobl yn cael eu cyfeirio."
)
DOMAIN = "demo.example.org"
SEED = 20270301
NO_LINK_WORKER = "perinatal"
COMMISSIONER_ELSEWHERE = "learning-disability"
SKIP_SHARE = 0.1  # about one in ten demo people do not register


def first_monday(on_or_after: date) -> date:
    """The first Monday on or after a day."""
    return on_or_after + timedelta(days=(7 - on_or_after.weekday()) % 7)


def demo_slot_times() -> list[tuple[datetime, datetime]]:
    """20 slots of 90 minutes over two weeks from the first Monday of March 2027 (10:00 and 11:00 overlap).

    The pattern: Tuesday to Thursday at 10:00, 11:00 and 14:00 (18 slots), then two added one by one:
    Monday 14:00 and the last Friday 10:00.
    """
    monday = first_monday(date(2027, 3, 1))
    planned = pattern_slots(
        monday, monday + timedelta(days=11), ["tue", "wed", "thu"], [time(10), time(11), time(14)], 90
    )
    times = [(p.starts_at, p.ends_at) for p in planned]
    for day, at in ((monday, time(14)), (monday + timedelta(days=11), time(10))):
        start = local_to_utc(day, at)
        times.append((start, start + timedelta(minutes=90)))
    return sorted(times)


def _round() -> Round:
    """The demo round, open, with every active condition in scope."""
    round_ = Round(
        title_en=TITLE_EN,
        title_cy=TITLE_CY,
        description_en=DESCRIPTION_EN,
        description_cy=DESCRIPTION_CY,
        status=RoundStatus.OPEN,
        registration_opens_at=datetime(2026, 11, 16, 9, tzinfo=UTC),
        registration_closes_at=datetime(2027, 2, 19, 17, tzinfo=UTC),
        session_minutes=90,
        organiser_mailbox=f"rounds@{DOMAIN}",
    )
    round_.conditions = list(
        db.session.scalars(select(Condition).where(Condition.active.is_(True)).order_by(Condition.position))
    )
    round_.slots = [Slot(starts_at=start, ends_at=end) for start, end in demo_slot_times()]
    return round_


def _demo_people() -> list[User]:
    """Demo creatives, commissioners and link workers, in a stable order."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.email.like(f"%@{DOMAIN}"),
                User.role.in_([Role.CREATIVE, Role.COMMISSIONER, Role.LINK_WORKER]),
                User.deleted_at.is_(None),
            )
            .order_by(User.email)
        )
    )


def _listed_ids() -> set[int]:
    """User ids of creative organisations that agreed to be in the directory."""
    return set(db.session.scalars(select(CreativeProfile.user_id).where(CreativeProfile.directory_consent.is_(True))))


def load_demo_round() -> int:
    """Create the demo round and its registrations if missing; returns how many registrations were made."""
    if db.session.scalar(select(Round).where(Round.title_en == TITLE_EN)) is not None:
        return 0
    round_ = _round()
    db.session.add(round_)
    db.session.flush()
    slots = list(round_.slots)
    scope = {c.id: c for c in round_.conditions}
    by_slug = {c.slug: c.id for c in round_.conditions}
    rng = random.Random(SEED)
    people = _demo_people()
    facts = facts_for_users(people)
    listed = [u for u in people if u.role == Role.CREATIVE and u.id in _listed_ids()]
    elsewhere_slot = slots[-1]  # the last Friday morning: kept away from learning-disability creatives
    elsewhere_commissioner_done = False
    made = 0
    for user in people:
        fact = facts.get(user.id)
        if fact is None or not fact.has_profile or rng.random() < SKIP_SHARE:
            continue
        mine = [cid for cid in fact.condition_ids if cid in scope]
        if user.role == Role.LINK_WORKER:
            mine = [cid for cid in mine if cid != by_slug.get(NO_LINK_WORKER)]
        special = by_slug.get(COMMISSIONER_ELSEWHERE)
        chosen_slots: list[Slot]
        if user.role == Role.COMMISSIONER and special in mine:
            if elsewhere_commissioner_done:
                mine = [cid for cid in mine if cid != special]
            else:
                elsewhere_commissioner_done = True
                mine = [special]
        if not mine:
            continue
        if user.role == Role.CREATIVE:  # staff register everything they work on; creatives pick a few
            rng.shuffle(mine)
            mine = mine[: rng.choice((1, 2, 2, 3))]
        mine = sorted(mine, key=lambda cid: scope[cid].position)
        if user.role == Role.COMMISSIONER and mine == [special]:
            chosen_slots = [elsewhere_slot]
        else:
            # Staff offer more times than creatives: that is what makes sessions possible.
            count = rng.randint(8, 14) if user.role != Role.CREATIVE else rng.randint(4, 10)
            pool = [s for s in slots if not (special in mine and s.id == elsewhere_slot.id)]
            chosen_slots = sorted(rng.sample(pool, min(count, len(pool))), key=lambda s: s.starts_at)
        registration = Registration(round_id=round_.id, user_id=user.id)
        registration.conditions = [
            RegistrationCondition(
                condition_id=cid, strength=fact.suggested_strength.get(cid) or rng.choice((1, 2, 3, 3))
            )
            for cid in mine
        ]
        registration.slots = chosen_slots
        if user.role == Role.LINK_WORKER:
            registration.max_sessions = fact.capacity or 2
        else:
            registration.max_sessions = (
                rng.choice((1, 2, 2, 3)) if user.role == Role.CREATIVE else rng.choice((2, 3, 4))
            )
        if user.role != Role.CREATIVE and listed and rng.random() < 0.4:
            registration.wants_to_meet = rng.sample(listed, rng.randint(1, 2))
        db.session.add(registration)
        made += 1
    db.session.commit()
    return made


def demo_loader() -> None:
    """The DEMO_LOADERS entry: the demo people first (idempotent, if that feature is there), then the round."""
    try:
        from matchmaker.demo.people import load_demo_people
    except ImportError:
        load_demo_people = None
    if load_demo_people is not None:
        load_demo_people()
    load_demo_round()
