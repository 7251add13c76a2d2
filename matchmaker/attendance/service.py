"""Attendance, the front door: the checklist after a session, marks, and each person's record across rounds.

The matching across rounds reads `history(user_ids)`; follow-ups call `confirm_own` when an attendee
says whether they came.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import selectinload

from matchmaker.audit import service as audit
from matchmaker.extensions import db
from matchmaker.models import (
    AttendanceMark,
    AttendanceSource,
    ConsultationSession,
    PartStat,
    Round,
    SessionAttendee,
    SessionStatus,
    Slot,
    User,
    utcnow,
)


@dataclass(frozen=True)
class ChecklistRow:
    """One attendee on the checklist, with the answer to show ticked (None: nothing known yet)."""

    attendee: SessionAttendee
    attended: bool | None
    source: str  # organiser, self, invitation (from their answer) or "" (nothing known)


@dataclass(frozen=True)
class SessionState:
    """An ended session and how far its attendance is marked."""

    session: ConsultationSession
    expected: int
    marked: int
    came: int


@dataclass(frozen=True)
class Record:
    """A person's attendance across every round: sessions they came to, and no-shows."""

    attended: int = 0
    no_shows: int = 0


def has_ended(session: ConsultationSession, now: datetime | None = None) -> bool:
    """Over, and not cancelled: attendance can be marked."""
    return session.status == SessionStatus.SCHEDULED and session.ends_at <= (now or utcnow())


def expected_attendees(session: ConsultationSession) -> list[SessionAttendee]:
    """Everyone still on the session when it took place (a decline stays: they may have come after all)."""
    return [a for a in session.attendees if a.removed_at is None]


def _marks(session: ConsultationSession) -> dict[int, AttendanceMark]:
    """The marks of this session, by user id."""
    rows = db.session.scalars(select(AttendanceMark).where(AttendanceMark.session_id == session.id))
    return {mark.user_id: mark for mark in rows}


def checklist(session: ConsultationSession) -> list[ChecklistRow]:
    """The checklist, prefilled: a mark already made, else the invitation answer (accepted: came; declined: not)."""
    marks = _marks(session)
    rows = []
    for attendee in expected_attendees(session):
        mark = marks.get(attendee.user_id)
        if mark is not None:
            rows.append(ChecklistRow(attendee, mark.attended, mark.source))
        elif attendee.partstat == PartStat.ACCEPTED:
            rows.append(ChecklistRow(attendee, True, "invitation"))
        elif attendee.partstat == PartStat.DECLINED:
            rows.append(ChecklistRow(attendee, False, "invitation"))
        else:
            rows.append(ChecklistRow(attendee, None, ""))
    return rows


def mark(session: ConsultationSession, decisions: dict[int, bool], organiser: User) -> int:
    """Record the organiser's checklist (user id -> came); returns how many marks changed. Caller commits."""
    expected = {a.user_id: a for a in expected_attendees(session)}
    marks = _marks(session)
    changed = 0
    now = utcnow()
    for user_id, attended in decisions.items():
        attendee = expected.get(user_id)
        if attendee is None:
            continue
        existing = marks.get(user_id)
        if existing is None:
            db.session.add(
                AttendanceMark(
                    session_id=session.id,
                    user_id=user_id,
                    role=attendee.role,
                    attended=attended,
                    source=AttendanceSource.ORGANISER.value,
                    marked_at=now,
                    marked_by_id=organiser.id,
                )
            )
            changed += 1
        elif existing.attended != attended or existing.source != AttendanceSource.ORGANISER.value:
            existing.attended = attended
            existing.source = AttendanceSource.ORGANISER.value
            existing.marked_at = now
            existing.marked_by_id = organiser.id
            changed += 1
    if changed:
        came = sum(1 for value in decisions.values() if value)
        audit.record(organiser, "attendance_marked", session, {"came": came, "marked": len(decisions)})
    return changed


def confirm_own(session: ConsultationSession, user: User, attended: bool) -> None:
    """The attendee says whether they came (in a follow-up). An organiser's mark is left as it is."""
    attendee = next((a for a in session.attendees if a.user_id == user.id), None)
    if attendee is None:
        return
    existing = db.session.scalar(
        select(AttendanceMark).where(AttendanceMark.session_id == session.id, AttendanceMark.user_id == user.id)
    )
    if existing is None:
        db.session.add(
            AttendanceMark(
                session_id=session.id,
                user_id=user.id,
                role=attendee.role,
                attended=attended,
                source=AttendanceSource.SELF.value,
            )
        )
    elif existing.source == AttendanceSource.SELF.value:
        existing.attended = attended
        existing.marked_at = utcnow()


def came(session_id: int, user_id: int) -> bool | None:
    """Did this person come to this session (None: not marked)?"""
    return db.session.scalar(
        select(AttendanceMark.attended).where(
            AttendanceMark.session_id == session_id, AttendanceMark.user_id == user_id
        )
    )


def ended_sessions(round_: Round, now: datetime | None = None) -> list[SessionState]:
    """The round's sessions that have taken place, earliest first, with how many are marked (three statements)."""
    now = now or utcnow()
    sessions = list(
        db.session.scalars(
            select(ConsultationSession)
            .join(Slot, ConsultationSession.slot_id == Slot.id)
            .where(
                ConsultationSession.round_id == round_.id,
                ConsultationSession.status == SessionStatus.SCHEDULED,
                Slot.ends_at <= now,
            )
            .options(selectinload(ConsultationSession.attendees), selectinload(ConsultationSession.condition))
            .order_by(Slot.starts_at, ConsultationSession.id)
        )
    )
    counts = {
        session_id: (marked, came_)
        for session_id, marked, came_ in db.session.execute(
            select(
                AttendanceMark.session_id,
                func.count(AttendanceMark.id),
                func.sum(case((AttendanceMark.attended, 1), else_=0)),
            )
            .where(AttendanceMark.session_id.in_([s.id for s in sessions] or [0]))
            .group_by(AttendanceMark.session_id)
        )
    }
    return [
        SessionState(
            session=s,
            expected=len(expected_attendees(s)),
            marked=counts.get(s.id, (0, 0))[0],
            came=int(counts.get(s.id, (0, 0))[1] or 0),
        )
        for s in sessions
    ]


def history(user_ids: list[int]) -> dict[int, Record]:
    """Each person's attendance across all rounds, for matching: sessions they came to and no-shows.

    A no-show is a session the person was still invited to, had not declined, and did not come to.
    One statement, however many people.
    """
    if not user_ids:
        return {}
    no_show = and_(
        AttendanceMark.attended.is_(False),
        SessionAttendee.partstat != PartStat.DECLINED,
    )
    rows = db.session.execute(
        select(
            AttendanceMark.user_id,
            func.sum(case((AttendanceMark.attended, 1), else_=0)),
            func.sum(case((no_show, 1), else_=0)),
        )
        .join(
            SessionAttendee,
            and_(
                SessionAttendee.session_id == AttendanceMark.session_id,
                SessionAttendee.user_id == AttendanceMark.user_id,
            ),
        )
        .where(AttendanceMark.user_id.in_(user_ids))
        .group_by(AttendanceMark.user_id)
    )
    return {user_id: Record(attended=int(a or 0), no_shows=int(n or 0)) for user_id, a, n in rows}


def rounds_history(round_ids: list[int], user_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per person over the given rounds: (rounds they came to a session in, no-shows). One statement."""
    if not round_ids or not user_ids:
        return {}
    no_show = and_(
        AttendanceMark.attended.is_(False),
        SessionAttendee.partstat != PartStat.DECLINED,
    )
    rows = db.session.execute(
        select(
            AttendanceMark.user_id,
            func.count(func.distinct(case((AttendanceMark.attended, ConsultationSession.round_id), else_=None))),
            func.sum(case((no_show, 1), else_=0)),
        )
        .join(ConsultationSession, ConsultationSession.id == AttendanceMark.session_id)
        .join(
            SessionAttendee,
            and_(
                SessionAttendee.session_id == AttendanceMark.session_id,
                SessionAttendee.user_id == AttendanceMark.user_id,
            ),
        )
        .where(ConsultationSession.round_id.in_(round_ids), AttendanceMark.user_id.in_(user_ids))
        .group_by(AttendanceMark.user_id)
    )
    return {user_id: (int(came or 0), int(missed or 0)) for user_id, came, missed in rows}


def no_shows(user_ids: list[int]) -> dict[int, int]:
    """How many sessions each person did not come to without saying so (people with none are left out)."""
    return {user_id: record.no_shows for user_id, record in history(user_ids).items() if record.no_shows}


def export_attendance(user: User) -> dict[str, object]:
    """'Download my data': the sessions marked for this person."""
    rows = db.session.scalars(
        select(AttendanceMark).where(AttendanceMark.user_id == user.id).order_by(AttendanceMark.id)
    )
    return {
        "attendance": [
            {"session": m.session_id, "attended": m.attended, "source": m.source, "marked_at": m.marked_at.isoformat()}
            for m in rows
        ]
    }


def erase_attendance(user: User) -> None:
    """Erasure: the marks stay on the anonymised account, so counts hold; nothing in them names the person."""
