"""Joining a published session: which sessions have room for a person, whether they may join, and joining.

The rules a matching plan keeps hold here too: no two sessions of one person overlap in time,
nobody goes over their number of sessions in the round, the session's language is one the
person can use, and no role goes over the round's maximum. The last of these is enforced by
the database (see `matchmaker.models.places`): when two people take the last place at the
same moment, exactly one of them gets it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from matchmaker.extensions import db
from matchmaker.invites.service import Excluded, attendee_added, lift_own
from matchmaker.models import (
    Booking,
    CommissionerProfile,
    Condition,
    ConsultationSession,
    CreativeProfile,
    HealthBoard,
    LinkWorkerProfile,
    PartStat,
    PlaceTaken,
    Registration,
    Round,
    SessionAttendee,
    SessionPlace,
    SessionStatus,
    Slot,
    User,
    utcnow,
)
from matchmaker.models.places import MAXIMUM
from matchmaker.models.profiles import commissioner_health_boards, creative_health_boards
from matchmaker.web.i18n import LONDON, to_london
from matchmaker.web.pagination import clamp

PER_PAGE = 10
JOINING_ROLES = ("commissioner", "link_worker")

# Why someone cannot join a session (the routes turn each into a message).
CANCELLED = "cancelled"
STARTED = "started"
REMOVED = "removed"
ALREADY = "already"
NO_PROFILE = "no_profile"
LANGUAGE = "language"
CLASH = "clash"
CAP = "cap"
FULL = "full"
KEPT_OUT = "kept_out"  # a 'not again' exclusion (e.g. a cancelled booking) keeps them out until lifted


@dataclass(frozen=True)
class Booked:
    """One of the person's current places: which session, in which round, when."""

    session_id: int
    round_id: int
    starts_at: datetime
    ends_at: datetime
    condition: Condition


@dataclass
class Joiner:
    """What the rules need to know about the person who wants to join."""

    user: User
    role: str
    languages: frozenset[str] | None  # None: no profile yet
    profile_capacity: int | None  # a link worker's sessions per round
    caps: dict[int, int]  # round id -> max_sessions of their registration
    booked: list[Booked]
    # session id -> "declined" (may rejoin) or "removed" (taken off by the organisers)
    past_places: dict[int, str] = field(default_factory=dict)

    def cap(self, round_id: int) -> int | None:
        """The most sessions this person may have in a round (None: no limit given)."""
        limits = [limit for limit in (self.caps.get(round_id), self.profile_capacity) if limit is not None]
        return min(limits) if limits else None


@dataclass(frozen=True)
class Refusal:
    """Why a person cannot join a session, with what a message needs to say so."""

    reason: str
    clash: Booked | None = None
    cap: int = 0


@dataclass
class Row:
    """A session as the list shows it."""

    session: ConsultationSession
    free: int
    organisations: dict[str, list[str]]
    refusal: Refusal | None


@dataclass
class Listing:
    """One page of sessions with room."""

    rows: list[Row]
    total: int
    page: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        """How many pages there are (at least one)."""
        return max(1, math.ceil(self.total / self.per_page))


@dataclass(frozen=True)
class Outcome:
    """What happened when someone asked to join: joined (refusal None) or refused."""

    session: ConsultationSession | None
    refusal: Refusal | None = None


# --- who is joining -------------------------------------------------------------------------


def _profile(user: User) -> CommissionerProfile | LinkWorkerProfile | None:
    """The person's commissioner or link worker profile."""
    model = LinkWorkerProfile if user.role.value == "link_worker" else CommissionerProfile
    return db.session.scalar(select(model).where(model.user_id == user.id))


def joiner(user: User) -> Joiner:
    """Read what the rules need about this person, as the database has it now."""
    profile = _profile(user)
    rows = db.session.execute(
        select(SessionAttendee, ConsultationSession, Slot)
        .join(ConsultationSession, SessionAttendee.session_id == ConsultationSession.id)
        .join(Slot, ConsultationSession.slot_id == Slot.id)
        .where(SessionAttendee.user_id == user.id)
        .options(selectinload(ConsultationSession.condition))
    ).all()
    booked = [
        Booked(session.id, session.round_id, slot.starts_at, slot.ends_at, session.condition)
        for attendee, session, slot in rows
        if attendee.is_current and session.status == SessionStatus.SCHEDULED
    ]
    past = {
        session.id: "removed" if attendee.removed_at is not None else "declined"
        for attendee, session, _slot in rows
        if not attendee.is_current
    }
    caps = dict(
        db.session.execute(
            select(Registration.round_id, Registration.max_sessions).where(Registration.user_id == user.id)
        ).all()
    )
    return Joiner(
        user=user,
        role=user.role.value,
        languages=frozenset(profile.languages or ()) if profile is not None else None,
        profile_capacity=profile.capacity if isinstance(profile, LinkWorkerProfile) else None,
        caps=caps,
        booked=booked,
        past_places=past,
    )


def refusal(person: Joiner, session: ConsultationSession, free: int) -> Refusal | None:
    """Why this person cannot join this session now (None: they can). `free`: places left for their role."""
    if session.status != SessionStatus.SCHEDULED:
        return Refusal(CANCELLED)
    if session.starts_at <= utcnow():
        return Refusal(STARTED)
    if any(b.session_id == session.id for b in person.booked):
        return Refusal(ALREADY)
    if person.past_places.get(session.id) == "removed":
        return Refusal(REMOVED)
    if person.languages is None:
        return Refusal(NO_PROFILE)
    if session.language not in person.languages:
        return Refusal(LANGUAGE)
    clash = next(
        (
            b
            for b in person.booked
            if b.session_id != session.id and b.starts_at < session.ends_at and session.starts_at < b.ends_at
        ),
        None,
    )
    if clash is not None:
        return Refusal(CLASH, clash=clash)
    cap = person.cap(session.round_id)
    if cap is not None and sum(1 for b in person.booked if b.round_id == session.round_id) >= cap:
        return Refusal(CAP, cap=cap)
    if free <= 0:
        return Refusal(FULL)
    return None


# --- browsing -------------------------------------------------------------------------------


def _with_room(role: str, user_id: int) -> Select:
    """Scheduled, future sessions with a free place for this role that the person is not in.

    Sessions the person declined stay listed (they may take the place again); sessions the
    organisers took them off do not.
    """
    maximum = MAXIMUM[role]
    theirs = exists().where(
        SessionAttendee.session_id == ConsultationSession.id,
        SessionAttendee.user_id == user_id,
        or_(SessionAttendee.removed_at.is_not(None), SessionAttendee.partstat != PartStat.DECLINED),
    )
    return (
        select(ConsultationSession, (maximum - SessionPlace.taken).label("free"))
        .join(Slot, ConsultationSession.slot_id == Slot.id)
        .join(Round, ConsultationSession.round_id == Round.id)
        .join(SessionPlace, and_(SessionPlace.session_id == ConsultationSession.id, SessionPlace.role == role))
        .where(
            ConsultationSession.status == SessionStatus.SCHEDULED,
            Slot.starts_at > utcnow(),
            SessionPlace.taken < maximum,
            ~theirs,
        )
    )


def _in_health_board(board_id: int) -> ColumnElement[bool]:
    """A session is in a health board when its booking asks for it or someone attending works there."""
    current = and_(
        SessionAttendee.session_id == ConsultationSession.id,
        SessionAttendee.removed_at.is_(None),
        SessionAttendee.partstat != PartStat.DECLINED,
    )
    return or_(
        exists().where(Booking.id == ConsultationSession.booking_id, Booking.health_board_id == board_id),
        exists()
        .where(current, CreativeProfile.user_id == SessionAttendee.user_id)
        .where(
            creative_health_boards.c.profile_id == CreativeProfile.id,
            creative_health_boards.c.health_board_id == board_id,
        ),
        exists()
        .where(current, CommissionerProfile.user_id == SessionAttendee.user_id)
        .where(
            commissioner_health_boards.c.profile_id == CommissionerProfile.id,
            commissioner_health_boards.c.health_board_id == board_id,
        ),
        exists().where(
            current, LinkWorkerProfile.user_id == SessionAttendee.user_id, LinkWorkerProfile.health_board_id == board_id
        ),
    )


def london_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The start and end of a Europe/London day, as aware datetimes (compared with UTC ones)."""
    start = datetime.combine(day, time(0), tzinfo=LONDON)
    return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=LONDON)


def organisations(sessions: list[ConsultationSession]) -> dict[int, dict[str, list[str]]]:
    """Per session, the organisations of the people attending, by role (three queries in all)."""
    user_ids = {a.user_id for s in sessions for a in s.attendees if a.is_current}
    names: dict[int, str] = {}
    for model, column in (
        (CreativeProfile, CreativeProfile.organisation_name),
        (CommissionerProfile, CommissionerProfile.organisation),
        (LinkWorkerProfile, LinkWorkerProfile.employer),
    ):
        if user_ids:
            names.update(db.session.execute(select(model.user_id, column).where(model.user_id.in_(user_ids))).all())
    result: dict[int, dict[str, list[str]]] = {}
    for session in sessions:
        by_role: dict[str, list[str]] = defaultdict(list)
        for attendee in session.attendees:
            name = names.get(attendee.user_id, "")
            if attendee.is_current and attendee.user.deleted_at is None and name and name not in by_role[attendee.role]:
                by_role[attendee.role].append(name)
        result[session.id] = {
            role: sorted(by_role[role], key=str.casefold)
            for role in ("creative", "commissioner", "link_worker")
            if by_role[role]
        }
    return result


def days_with_room(user: User) -> list[date]:
    """The Europe/London days on which some session has room for this person's role."""
    query = _with_room(user.role.value, user.id).with_only_columns(Slot.starts_at)
    return sorted({to_london(starts).date() for starts in db.session.scalars(query)})


def browse(
    user: User,
    *,
    condition: str | None = None,
    day: date | None = None,
    language: str | None = None,
    health_board: str | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Listing:
    """Sessions with room for this person's role, filtered (slugs, a London day, a language code), a page at a time."""
    query = _with_room(user.role.value, user.id)
    if condition:
        query = query.join(Condition, ConsultationSession.condition_id == Condition.id).where(
            Condition.slug == condition
        )
    if day is not None:
        start, end = london_day_bounds(day)
        query = query.where(Slot.starts_at >= start, Slot.starts_at < end)
    if language:
        query = query.where(ConsultationSession.language == language)
    if health_board:
        board_id = db.session.scalar(select(HealthBoard.id).where(HealthBoard.slug == health_board))
        query = query.where(_in_health_board(board_id or 0))
    count_query = select(func.count()).select_from(query.with_only_columns(ConsultationSession.id).subquery())
    total = db.session.scalar(count_query) or 0
    page = clamp(total, page, per_page).page
    found = db.session.execute(
        query.options(
            selectinload(ConsultationSession.attendees).selectinload(SessionAttendee.user),
            selectinload(ConsultationSession.condition),
            selectinload(ConsultationSession.slot),
        )
        .order_by(Slot.starts_at, ConsultationSession.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    person = joiner(user)
    names = organisations([session for session, _free in found])
    rows = [Row(session, free, names[session.id], refusal(person, session, free)) for session, free in found]
    return Listing(rows=rows, total=total, page=page, per_page=per_page)


def alternatives(user: User, session: ConsultationSession, limit: int = 3) -> list[Row]:
    """Up to `limit` other sessions this person could join now, on the same condition first."""
    person = joiner(user)
    query = _with_room(person.role, user.id).where(ConsultationSession.id != session.id)
    candidates = db.session.execute(
        query.options(selectinload(ConsultationSession.attendees), selectinload(ConsultationSession.slot))
        .order_by((ConsultationSession.condition_id != session.condition_id), Slot.starts_at, ConsultationSession.id)
        .limit(50)
    ).all()
    joinable = [(s, free) for s, free in candidates if refusal(person, s, free) is None][:limit]
    names = organisations([s for s, _free in joinable])
    return [Row(s, free, names[s.id], None) for s, free in joinable]


# --- joining --------------------------------------------------------------------------------


def _one_join_at_a_time(user: User) -> None:
    """Make the reads that follow see every join that committed before, and hold off the person's other joins.

    PostgreSQL: lock the person's row, so two joins by one person (say two tabs) run one
    after the other; other people's joins go ahead, and the place counters settle who gets
    the last place. SQLite allows one writer at a time: take the write lock now (BEGIN
    IMMEDIATE waits for the busy timeout) rather than at the first write.
    """
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        if not connection.connection.driver_connection.in_transaction:  # type: ignore[union-attr]
            connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        db.session.execute(select(User.id).where(User.id == user.id).with_for_update())


def free_places(session: ConsultationSession, role: str) -> int:
    """Places left for this role in the session (read from its counter)."""
    taken = db.session.scalar(
        select(SessionPlace.taken).where(SessionPlace.session_id == session.id, SessionPlace.role == role)
    )
    return getattr(session.round, MAXIMUM[role].key) - (taken or 0)


def join(user: User, session_id: int) -> Outcome:
    """Take a place in the session for this person, or say why not; commits or rolls back.

    On success the person is an attendee (a declined one is made current again) and their
    invitation is queued in the same transaction.
    """
    _one_join_at_a_time(user)
    session = db.session.get(ConsultationSession, session_id)
    if session is None:
        db.session.rollback()
        return Outcome(None)
    role = user.role.value
    refused = refusal(joiner(user), session, free_places(session, role))
    if refused is not None:
        db.session.rollback()
        return Outcome(db.session.get(ConsultationSession, session_id), refused)
    try:
        lift_own(session, user.id)  # someone who declined may change their mind and take the place back
        attendee_added(session, user, role, accepted=True)  # they chose this session: already coming
        db.session.commit()
    except Excluded:
        db.session.rollback()
        return Outcome(db.session.get(ConsultationSession, session_id), Refusal(KEPT_OUT))
    except PlaceTaken:
        db.session.rollback()
        return Outcome(db.session.get(ConsultationSession, session_id), Refusal(FULL))
    return Outcome(session)


def joined(user: User, session_id: int) -> ConsultationSession | None:
    """The session, when this person currently has a place in it (for the confirmation page)."""
    attendee = db.session.scalar(
        select(SessionAttendee).where(SessionAttendee.session_id == session_id, SessionAttendee.user_id == user.id)
    )
    if attendee is None or not attendee.is_current:
        return None
    return attendee.session
