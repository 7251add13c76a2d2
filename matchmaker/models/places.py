"""Places taken per role in each published session, kept by the database so a role can never overfill.

One row per (session, role) counts the current attendees (not removed, not declined) in that
role. The count only moves through conditional UPDATEs that the database applies one at a
time (`taken = taken + 1 ... WHERE taken < :max`), and a CHECK keeps `taken <= capacity`.
So when two people take the last place at once, exactly one UPDATE changes a row; the other
changes none and its transaction raises `PlaceTaken`.

The counter is the single mechanism, and nobody has to call it: every ORM flush that inserts,
updates or deletes a `SessionAttendee` claims or releases places here (mapper events), whichever
feature made the change (publishing, refill, invites, joining, bookings). A flush that would
overfill a role raises `PlaceTaken`: the caller must roll back, and may tell the person kindly.
Only bulk SQL that bypasses the ORM (UPDATE/DELETE statements on session_attendees) escapes it:
call `recount(connection, session_id)` after such a change.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Connection,
    ForeignKey,
    Integer,
    String,
    delete,
    event,
    func,
    inspect,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Mapper, Session, mapped_column, object_session

from matchmaker.models.base import Base
from matchmaker.models.rounds import Round
from matchmaker.models.sessions import ConsultationSession, PartStat, SessionAttendee

ROLES = ("creative", "commissioner", "link_worker")
MAXIMUM = {
    "creative": Round.creatives_max,
    "commissioner": Round.commissioners_max,
    "link_worker": Round.link_workers_max,
}


class PlaceTaken(Exception):
    """A role in a session is full: someone else took the last place first. Roll back."""

    def __init__(self, session_id: int, role: str) -> None:
        """Remember which session and role were full."""
        super().__init__(f"session {session_id} has no free place for a {role}")
        self.session_id = session_id
        self.role = role


class SessionPlace(Base):
    """How many current attendees of one role a session has, and the most it may hold."""

    __tablename__ = "session_places"
    __table_args__ = (
        CheckConstraint("taken >= 0", name="taken_not_negative"),
        CheckConstraint("taken <= capacity", name="taken_within_capacity"),
    )

    session_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    taken: Mapped[int] = mapped_column(Integer, default=0)
    # The round's maximum when a place was last claimed (never below `taken`, so the CHECK holds
    # even for a session filled before the maximum was lowered).
    capacity: Mapped[int] = mapped_column(Integer)


def _current(role: str | None, partstat: Any, removed_at: datetime | None) -> str | None:
    """The role a place is held in, or None when the attendee holds no place (removed or declined)."""
    if role not in ROLES or removed_at is not None or partstat == PartStat.DECLINED:
        return None
    return role


def _maxima(connection: Connection, session_id: int) -> dict[str, int]:
    """The round's maximum per role for this session."""
    row = connection.execute(
        select(*MAXIMUM.values())
        .select_from(ConsultationSession.__table__.join(Round.__table__))
        .where(ConsultationSession.__table__.c.id == session_id)
    ).one()
    return dict(zip(MAXIMUM, row, strict=True))


def _upsert(connection: Connection, values: list[dict[str, int | str]]) -> None:
    """Write these rows whether or not they exist (PostgreSQL and SQLite both say ON CONFLICT)."""
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = insert(SessionPlace.__table__).values(values)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=["session_id", "role"],
            set_={"taken": statement.excluded.taken, "capacity": statement.excluded.capacity},
        )
    )


def count_places(connection: Connection, session_id: int) -> None:
    """Set the session's rows from its attendees as they are now (creates missing rows)."""
    table = SessionAttendee.__table__
    counts = dict(
        connection.execute(
            select(table.c.role, func.count())
            .where(
                table.c.session_id == session_id,
                table.c.removed_at.is_(None),
                table.c.partstat != PartStat.DECLINED,
            )
            .group_by(table.c.role)
        ).all()
    )
    maxima = _maxima(connection, session_id)
    _upsert(
        connection,
        [
            {
                "session_id": session_id,
                "role": role,
                "taken": counts.get(role, 0),
                "capacity": max(maxima[role], counts.get(role, 0)),
            }
            for role in ROLES
        ],
    )


def recount(connection: Connection, session_id: int) -> None:
    """Repair one session's counters from its attendees (after bulk SQL that bypassed the ORM)."""
    count_places(connection, session_id)


def claim_place(connection: Connection, session_id: int, role: str, maximum: int | None = None) -> None:
    """Take one place in this role, or raise PlaceTaken when the role is at the round's maximum."""
    if maximum is None:
        maximum = _maxima(connection, session_id)[role]
    table = SessionPlace.__table__
    result = connection.execute(
        update(table)
        .where(table.c.session_id == session_id, table.c.role == role, table.c.taken < maximum)
        .values(taken=table.c.taken + 1, capacity=maximum)
    )
    if result.rowcount == 1:
        return
    exists = connection.execute(
        select(table.c.taken).where(table.c.session_id == session_id, table.c.role == role)
    ).first()
    if exists is not None:
        raise PlaceTaken(session_id, role)
    # No row: a session written without the ORM. Count it from its attendees, who already include
    # this one (its row is written before this runs). Others of the same flush may then be counted
    # twice, which makes the session look fuller, never overfull.
    count_places(connection, session_id)
    taken = connection.execute(
        select(table.c.taken).where(table.c.session_id == session_id, table.c.role == role)
    ).scalar_one()
    if taken > maximum:
        raise PlaceTaken(session_id, role)


def release_place(connection: Connection, session_id: int, role: str) -> None:
    """Give one place in this role back (nothing happens below zero or without a row)."""
    table = SessionPlace.__table__
    connection.execute(
        update(table)
        .where(table.c.session_id == session_id, table.c.role == role, table.c.taken > 0)
        .values(taken=table.c.taken - 1)
    )


# --- keeping the counters: ORM events ------------------------------------------------------------

_BEFORE = "session_places_before"  # attendee id -> role whose place they held before this flush
_MAXIMA = "session_places_maxima"  # session id -> the round's maxima, read once per flush


def _flush_memory(target: object) -> dict[str, dict[int, Any]]:
    """What this flush remembers, kept on the target's ORM session (empty when it has none)."""
    owner = object_session(target)
    return owner.info if owner is not None else {}


@event.listens_for(Session, "before_flush")
def _remember_attendees(session: Session, _context: Any, _instances: Any) -> None:
    """Read, from the database, the place held by every attendee this flush may change or delete.

    The attributes' own history is not enough: a value set on an expired object has no
    recorded old value.
    """
    session.info.pop(_MAXIMA, None)
    changing = [
        obj for obj in (*session.dirty, *session.deleted) if isinstance(obj, SessionAttendee) and obj.id is not None
    ]
    if not changing:
        return
    table = SessionAttendee.__table__
    rows = session.connection().execute(
        select(table.c.id, table.c.role, table.c.partstat, table.c.removed_at).where(
            table.c.id.in_([obj.id for obj in changing])
        )
    )
    before = session.info.setdefault(_BEFORE, {})
    for row in rows:
        before[row.id] = _current(row.role, row.partstat, row.removed_at)


@event.listens_for(Session, "after_flush_postexec")
@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, *_args: Any) -> None:
    """What was remembered belongs to one flush only (finished or failed)."""
    session.info.pop(_BEFORE, None)
    session.info.pop(_MAXIMA, None)


def _held_before(target: SessionAttendee) -> str | None:
    """The place this attendee held before the flush."""
    remembered = _flush_memory(target).get(_BEFORE, {})
    if target.id in remembered:
        return remembered[target.id]
    # Not read before the flush (deleted by a cascade): its loaded values are its last state.
    state = inspect(target)

    def old(key: str) -> Any:
        history = state.attrs[key].history
        return history.deleted[0] if history.deleted else getattr(target, key)

    return _current(old("role"), old("partstat"), old("removed_at"))


def _maxima_for(connection: Connection, target: object, session_id: int) -> dict[str, int]:
    """The round's maxima for this session, read once per flush."""
    cache = _flush_memory(target).setdefault(_MAXIMA, {}) if object_session(target) is not None else {}
    if session_id not in cache:
        cache[session_id] = _maxima(connection, session_id)
    return cache[session_id]


@event.listens_for(ConsultationSession, "after_insert")
def _session_inserted(_mapper: Mapper[Any], connection: Connection, target: ConsultationSession) -> None:
    """A new session starts with every role empty (its attendees are counted as they are inserted).

    An upsert, not an insert: SQLite may give a new session the id of a deleted one.
    """
    maxima = _maxima_for(connection, target, target.id)
    _upsert(
        connection, [{"session_id": target.id, "role": role, "taken": 0, "capacity": maxima[role]} for role in ROLES]
    )


@event.listens_for(ConsultationSession, "after_delete")
def _session_deleted(_mapper: Mapper[Any], connection: Connection, target: ConsultationSession) -> None:
    """The counters go with the session (SQLite does not enforce the foreign key's cascade)."""
    connection.execute(delete(SessionPlace.__table__).where(SessionPlace.__table__.c.session_id == target.id))


@event.listens_for(SessionAttendee, "after_insert")
def _attendee_inserted(_mapper: Mapper[Any], connection: Connection, target: SessionAttendee) -> None:
    """A new attendee takes a place in their role (unless added as removed or declined)."""
    role = _current(target.role, target.partstat, target.removed_at)
    if role is not None:
        claim_place(connection, target.session_id, role, _maxima_for(connection, target, target.session_id)[role])


@event.listens_for(SessionAttendee, "after_update")
def _attendee_updated(_mapper: Mapper[Any], connection: Connection, target: SessionAttendee) -> None:
    """Declining, being removed, coming back or changing role moves places between roles."""
    was = _held_before(target)
    now = _current(target.role, target.partstat, target.removed_at)
    if was == now:
        return
    if was is not None:
        release_place(connection, target.session_id, was)
    if now is not None:
        claim_place(connection, target.session_id, now, _maxima_for(connection, target, target.session_id)[now])


@event.listens_for(SessionAttendee, "after_delete")
def _attendee_deleted(_mapper: Mapper[Any], connection: Connection, target: SessionAttendee) -> None:
    """A deleted attendee row gives its place back."""
    was = _held_before(target)
    if was is not None:
        release_place(connection, target.session_id, was)
