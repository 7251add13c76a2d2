"""Two past demo rounds with sessions, attendance and follow-ups, so the reach report has something to show.

Dated back from today: the older round's sessions were about ten months ago (both follow-ups are in),
the newer one's about two months ago (the first follow-up only, still open to change). Seeded, so
every installation gets the same story; idempotent: a second load finds the rounds by title.
Runs after the demo people; some creatives say how they evidence their impact.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import (
    AttendanceMark,
    Condition,
    ConsultationSession,
    CreativeProfile,
    FollowUp,
    PartStat,
    Registration,
    RegistrationCondition,
    Role,
    Round,
    RoundStatus,
    SessionAttendee,
    Slot,
    User,
    utcnow,
)
from matchmaker.profiles.service import facts_for_users
from matchmaker.web.labels import IMPACT_MEASURES, OUTCOMES

DOMAIN = "demo.example.org"
SEED = 20260301
PAST_ROUNDS = (
    # title in English, in Welsh, days ago the sessions were, conditions, priority of "no link yet"
    ("Autumn 2025 consultations (past)", "Ymgynghoriadau hydref 2025 (gorffennol)", 300, 3.0),
    ("Spring 2026 consultations (past)", "Ymgynghoriadau gwanwyn 2026 (gorffennol)", 60, 4.0),
)
CONDITIONS_PER_ROUND = 6
SESSIONS_PER_ROUND = 12
OUTCOME_CODES = [code for code, _label in OUTCOMES]
# What people report: mostly contacts and information, fewer pilots and commissions.
OUTCOME_WEIGHTS = {
    "contact_exchanged": 8,
    "information_shared": 6,
    "referral_route": 3,
    "taster_planned": 3,
    "pilot_running": 1,
    "commissioned": 1,
    "joint_bid": 1,
}


def _people() -> list[User]:
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


def _outcomes(rng: random.Random) -> list[str]:
    """A plausible answer to 'what has happened since?'."""
    if rng.random() < 0.2:
        return [rng.choice(("nothing_yet", "nothing_yet", "not_relevant"))]
    codes = list(OUTCOME_WEIGHTS)
    chosen = set(rng.choices(codes, weights=list(OUTCOME_WEIGHTS.values()), k=rng.randint(1, 3)))
    return [code for code in OUTCOME_CODES if code in chosen]


def _round(rng: random.Random, title_en: str, title_cy: str, days_ago: int, priority: float) -> Round:
    """A closed round whose sessions were `days_ago` days ago, on a few conditions."""
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    first = (now - timedelta(days=days_ago)).replace(hour=10)
    conditions = list(
        db.session.scalars(select(Condition).where(Condition.active.is_(True)).order_by(Condition.position))
    )
    round_ = Round(
        title_en=title_en,
        title_cy=title_cy,
        status=RoundStatus.CLOSED,
        registration_opens_at=first - timedelta(days=45),
        registration_closes_at=first - timedelta(days=10),
        session_minutes=90,
        organiser_mailbox=f"rounds@{DOMAIN}",
        priority_no_link=priority,
    )
    round_.conditions = sorted(
        rng.sample(conditions, min(CONDITIONS_PER_ROUND, len(conditions))), key=lambda c: c.position
    )
    round_.slots = [
        Slot(
            starts_at=first + timedelta(days=day, hours=hour),
            ends_at=first + timedelta(days=day, hours=hour, minutes=90),
        )
        for day in range(4)
        for hour in (0, 4)
    ]
    return round_


def _load_round(rng: random.Random, people: list[User], spec: tuple[str, str, int, float]) -> int:
    """One past round: registrations, sessions, answers, attendance and follow-ups."""
    title_en, title_cy, days_ago, priority = spec
    round_ = _round(rng, title_en, title_cy, days_ago, priority)
    db.session.add(round_)
    db.session.flush()
    in_scope = {c.id for c in round_.conditions}
    facts = facts_for_users(people)
    registered: dict[int, list[User]] = {cid: [] for cid in in_scope}
    for user in people:
        fact = facts.get(user.id)
        if fact is None or not fact.has_profile or rng.random() < 0.25:
            continue
        mine = [cid for cid in fact.condition_ids if cid in in_scope][:2]
        if not mine:
            continue
        registration = Registration(round_id=round_.id, user_id=user.id, max_sessions=1)
        registration.conditions = [RegistrationCondition(condition_id=cid, strength=rng.choice((2, 3))) for cid in mine]
        registration.slots = list(round_.slots)
        db.session.add(registration)
        for cid in mine:
            registered[cid].append(user)
    db.session.flush()
    placed: set[int] = set()
    slots = list(round_.slots)
    made = 0
    for index in range(SESSIONS_PER_ROUND * 3):
        if made >= SESSIONS_PER_ROUND:
            break
        cid = sorted(in_scope)[index % len(in_scope)]
        free = [u for u in registered[cid] if u.id not in placed]
        creatives = [u for u in free if u.role == Role.CREATIVE][: rng.randint(3, 5)]
        commissioners = [u for u in free if u.role == Role.COMMISSIONER][:1]
        link_workers = [u for u in free if u.role == Role.LINK_WORKER][: rng.randint(1, 2)]
        if len(creatives) < 3 or not commissioners or not link_workers:
            continue
        slot = slots[made % len(slots)]
        session = ConsultationSession(
            round_id=round_.id,
            plan_key=f"S{made + 1}",
            condition_id=cid,
            slot_id=slot.id,
            language="cy" if rng.random() < 0.25 else "en",
            published_at=slot.starts_at - timedelta(days=7),
        )
        db.session.add(session)
        db.session.flush()
        made += 1
        for user in creatives + commissioners + link_workers:
            placed.add(user.id)
            answer = rng.random()
            partstat = (
                PartStat.ACCEPTED if answer < 0.85 else PartStat.DECLINED if answer < 0.95 else PartStat.NEEDS_ACTION
            )
            db.session.add(
                SessionAttendee(
                    session_id=session.id,
                    user_id=user.id,
                    role=user.role.value,
                    partstat=partstat,
                    responded_at=session.published_at + timedelta(days=1)
                    if partstat != PartStat.NEEDS_ACTION
                    else None,
                    added_at=session.published_at,
                )
            )
            if partstat == PartStat.DECLINED:
                continue
            came = rng.random() < (0.9 if partstat == PartStat.ACCEPTED else 0.3)
            db.session.add(
                AttendanceMark(
                    session_id=session.id,
                    user_id=user.id,
                    role=user.role.value,
                    attended=came,
                    marked_at=slot.ends_at + timedelta(hours=2),
                )
            )
            if came:
                _follow_ups(rng, session, slot, user, days_ago)
    db.session.flush()
    return round_.id


SIGN_IN_ACCOUNTS = ("creative@demo.example.org", "commissioner@demo.example.org", "linkworker@demo.example.org")


def _sign_in_accounts_in(round_id: int) -> None:
    """The demo sign-ins came to the newer past round's first session: each has a follow-up waiting in My sessions."""
    session = db.session.scalar(
        select(ConsultationSession).where(ConsultationSession.round_id == round_id).order_by(ConsultationSession.id)
    )
    if session is None:
        return
    slot = db.session.get(Slot, session.slot_id)
    for user in db.session.scalars(select(User).where(User.email.in_(SIGN_IN_ACCOUNTS)).order_by(User.email)):
        db.session.add(Registration(round_id=round_id, user_id=user.id))
        db.session.add(
            SessionAttendee(
                session_id=session.id,
                user_id=user.id,
                role=user.role.value,
                partstat=PartStat.ACCEPTED,
                responded_at=session.published_at + timedelta(days=1),
                added_at=session.published_at,
            )
        )
        db.session.add(AttendanceMark(session_id=session.id, user_id=user.id, role=user.role.value, attended=True))
        db.session.add(
            FollowUp(
                session_id=session.id,
                user_id=user.id,
                role=user.role.value,
                stage="first",
                sent_at=slot.ends_at + timedelta(days=7),
                closes_at=slot.ends_at + timedelta(days=182),
            )
        )
    db.session.flush()


def _follow_ups(rng: random.Random, session: ConsultationSession, slot: Slot, user: User, days_ago: int) -> None:
    """The first follow-up (answered by about two in three), and the second where six months have passed."""
    sent = slot.ends_at + timedelta(days=7)
    first = FollowUp(
        session_id=session.id,
        user_id=user.id,
        role=user.role.value,
        stage="first",
        sent_at=sent,
        closes_at=slot.ends_at + timedelta(days=182),
    )
    answered = rng.random() < 0.65
    outcomes: list[str] = []
    if answered:
        outcomes = _outcomes(rng)
        _answer(rng, first, outcomes, sent + timedelta(days=2))
    db.session.add(first)
    if days_ago < 190:
        return
    second_sent = slot.ends_at + timedelta(days=182)
    second = FollowUp(
        session_id=session.id,
        user_id=user.id,
        role=user.role.value,
        stage="second",
        sent_at=second_sent,
        closes_at=second_sent + timedelta(days=60),
        reminded_at=second_sent + timedelta(days=7),
    )
    if rng.random() < 0.5:
        later = [code for code in outcomes if code not in ("nothing_yet", "not_relevant")]
        if rng.random() < 0.4:
            later.append(rng.choice(("pilot_running", "commissioned", "referral_route")))
        chosen = set(later) or {"nothing_yet"}
        _answer(rng, second, [code for code in OUTCOME_CODES if code in chosen], second_sent + timedelta(days=3))
    db.session.add(second)


def _answer(rng: random.Random, follow_up: FollowUp, outcomes: list[str], when: datetime) -> None:
    """Fill in an answer."""
    follow_up.answered_at = when.astimezone(UTC)
    follow_up.updated_at = follow_up.answered_at
    follow_up.attended = True
    follow_up.outcomes = outcomes
    if "commissioned" in outcomes:
        follow_up.funded_amount = rng.choice((1500, 4000, 12000))
    if follow_up.role == "link_worker":
        follow_up.referrals = rng.randint(0, 6)
    if follow_up.role == "commissioner":
        follow_up.plans_to_commission = rng.choice(("yes", "maybe", "maybe", "no"))


def _impact(rng: random.Random) -> None:
    """About half the demo creatives say how they evidence their impact."""
    codes = [code for code, _label in IMPACT_MEASURES if code != "none_yet"]
    for profile in db.session.scalars(
        select(CreativeProfile)
        .join(User, User.id == CreativeProfile.user_id)
        .where(User.email.like(f"%@{DOMAIN}"))
        .order_by(CreativeProfile.id)
    ):
        if profile.impact_measures or rng.random() < 0.5:
            continue
        profile.impact_measures = sorted(rng.sample(codes, rng.randint(1, 2)), key=codes.index)
        if rng.random() < 0.3:
            profile.evaluation_url = "https://example.org/evaluation"


def load_demo_outcomes() -> int:
    """Make the past rounds that are missing; returns how many were made."""
    people = _people()
    if not people:
        return 0
    rng = random.Random(SEED)
    made = 0
    for spec in PAST_ROUNDS:
        if db.session.scalar(select(Round.id).where(Round.title_en == spec[0])) is not None:
            continue
        round_id = _load_round(rng, people, spec)
        made += 1
        if spec is PAST_ROUNDS[-1]:
            _sign_in_accounts_in(round_id)
    if made:
        _impact(rng)
    db.session.commit()
    return made
