"""The invite events the matching job and the organiser pages call, answers, and what a person can see.

Every event changes the session in the caller's transaction and queues its emails in that same
transaction (outbox rows with a unique key); delivery starts only after the caller commits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaker.extensions import db
from matchmaker.invites.emails import CANCEL, REQUEST, queue_invite
from matchmaker.models import (
    ConsultationSession,
    PartStat,
    Role,
    SessionAttendee,
    SessionStatus,
    Slot,
    User,
    utcnow,
)


def _not_removed(session: ConsultationSession) -> list[SessionAttendee]:
    """Everyone still on the session's list, whatever they answered."""
    return [a for a in session.attendees if a.removed_at is None]


def _current(session: ConsultationSession) -> list[SessionAttendee]:
    """Everyone still invited who has not declined."""
    return [a for a in session.attendees if a.is_current]


def session_published(session: ConsultationSession) -> None:
    """A new session: a REQUEST to every current attendee (a second call sends nothing new)."""
    if session.status == SessionStatus.CANCELLED:
        return
    db.session.flush()
    for attendee in _current(session):
        queue_invite(attendee, REQUEST, "new")


def session_changed(session: ConsultationSession) -> None:
    """The session moved or changed: same UID, higher SEQUENCE, a REQUEST to every current attendee."""
    if session.status == SessionStatus.CANCELLED:
        raise ValueError("a cancelled session cannot change")
    session.bump()
    db.session.flush()
    for attendee in _current(session):
        queue_invite(attendee, REQUEST, "changed")


def session_cancelled(session: ConsultationSession) -> None:
    """The session is off: STATUS:CANCELLED in a CANCEL to everyone still on its list."""
    if session.status == SessionStatus.CANCELLED:
        return
    session.status = SessionStatus.CANCELLED
    session.cancelled_at = utcnow()
    session.bump()
    db.session.flush()
    for attendee in _not_removed(session):
        queue_invite(attendee, CANCEL, "cancelled")


def attendee_added(session: ConsultationSession, user: User, role: str) -> SessionAttendee:
    """Invite one more person (or invite a removed person again): a REQUEST to them.

    SEQUENCE rises so that a calendar that holds an earlier CANCEL for this person takes the
    new REQUEST.
    """
    if session.status == SessionStatus.CANCELLED:
        raise ValueError("nobody can be added to a cancelled session")
    attendee = next((a for a in session.attendees if a.user_id == user.id), None)
    if attendee is None:
        attendee = SessionAttendee(user=user, role=role)
        session.attendees.append(attendee)
    elif attendee.is_current:
        return attendee
    attendee.role = role
    attendee.removed_at = None
    attendee.partstat = PartStat.NEEDS_ACTION
    attendee.responded_at = None
    attendee.added_at = utcnow()
    session.bump()
    db.session.flush()
    queue_invite(attendee, REQUEST, "added")
    return attendee


def attendee_removed(session: ConsultationSession, attendee: SessionAttendee) -> None:
    """Take one person off the session: a CANCEL to them alone (the row stays, marked removed)."""
    if attendee.session_id != session.id:
        raise ValueError("that attendee is not on this session")
    if attendee.removed_at is not None:
        return
    attendee.removed_at = utcnow()
    session.bump()
    db.session.flush()
    queue_invite(attendee, CANCEL, "removed")


def set_join_link(session: ConsultationSession, url: str) -> bool:
    """The organiser pastes a Teams or Zoom link (or clears it): a change event when it differs."""
    url = url.strip()
    if url == session.join_url_override:
        return False
    session.join_url_override = url
    session_changed(session)
    return True


ROLE_LIMITS = {"creative": "creatives_max", "commissioner": "commissioners_max", "link_worker": "link_workers_max"}


def place_free(attendee: SessionAttendee) -> bool:
    """Could this (declined) person take their place back: is their role below the round's maximum?"""
    session = attendee.session
    limit = getattr(session.round, ROLE_LIMITS.get(attendee.role, ""), None)
    if limit is None:
        return True
    taken = sum(1 for a in session.attendees if a.is_current and a.role == attendee.role and a.id != attendee.id)
    return taken < limit


def can_answer(attendee: SessionAttendee) -> bool:
    """May this person still answer: invited, the session on and not over."""
    session = attendee.session
    return attendee.removed_at is None and session.status == SessionStatus.SCHEDULED and session.ends_at > utcnow()


def respond(attendee: SessionAttendee, answer: str) -> str:
    """Record 'accept' or 'decline'; returns 'accepted', 'declined', 'unchanged', 'closed' or 'full'.

    A decline frees the place (the refill fills it) and takes the session out of the person's
    calendar with a CANCEL; accepting again after a decline, while the place is still free,
    sends a fresh REQUEST.
    """
    if not can_answer(attendee):
        return "closed"
    wanted = PartStat.ACCEPTED if answer == "accept" else PartStat.DECLINED
    if attendee.partstat == wanted:
        return "unchanged"
    session = attendee.session
    was_declined = attendee.partstat == PartStat.DECLINED
    if was_declined and not place_free(attendee):
        return "full"
    attendee.partstat = wanted
    attendee.responded_at = utcnow()
    if wanted == PartStat.DECLINED:
        session.bump()
        db.session.flush()
        queue_invite(attendee, CANCEL, "declined")
        return "declined"
    if was_declined:
        session.bump()
        db.session.flush()
        queue_invite(attendee, REQUEST, "rejoined")
    return "accepted"


def attendance(session_id: int, user: User) -> SessionAttendee | None:
    """This person's place on this session (None when they were never invited or were removed)."""
    attendee = db.session.scalar(
        select(SessionAttendee).where(
            SessionAttendee.session_id == session_id,
            SessionAttendee.user_id == user.id,
            SessionAttendee.removed_at.is_(None),
        )
    )
    return attendee


def attendances(user: User, *, include_removed: bool = False) -> list[SessionAttendee]:
    """A person's sessions, earliest first."""
    query = (
        select(SessionAttendee)
        .join(ConsultationSession, SessionAttendee.session_id == ConsultationSession.id)
        .join(Slot, ConsultationSession.slot_id == Slot.id)
        .where(SessionAttendee.user_id == user.id)
        .options(selectinload(SessionAttendee.session).selectinload(ConsultationSession.attendees))
        .order_by(Slot.starts_at, ConsultationSession.id)
    )
    if not include_removed:
        query = query.where(SessionAttendee.removed_at.is_(None))
    return list(db.session.scalars(query))


def user_by_feed_token(token: str) -> User | None:
    """The live account whose calendar feed this is (not a deleted, deactivated or rejected one)."""
    if not token or len(token) > 64:
        return None
    user = db.session.scalar(select(User).where(User.feed_token == token))
    if user is None or not user.is_active:
        return None
    return user


def may_see(user: User, session: ConsultationSession) -> bool:
    """Organisers see every session; anyone else only the ones they are on."""
    return user.role == Role.ORGANISER or any(a.user_id == user.id and a.removed_at is None for a in session.attendees)


def export_attendances(user: User) -> dict[str, Any]:
    """Personal data: the sessions this person was invited to and what they answered."""
    rows = []
    for attendee in attendances(user, include_removed=True):
        session = attendee.session
        rows.append(
            {
                "session": session.uid,
                "round": session.round.title_en,
                "condition": session.condition.name_en,
                "starts_at": session.starts_at.isoformat(),
                "ends_at": session.ends_at.isoformat(),
                "role": attendee.role,
                "answer": attendee.partstat.value,
                "responded_at": attendee.responded_at.isoformat() if attendee.responded_at else None,
                "added_at": attendee.added_at.isoformat(),
                "removed_at": attendee.removed_at.isoformat() if attendee.removed_at else None,
            }
        )
    return {"sessions": rows}


def erase_attendances(user: User) -> None:
    """Account deleted: the sessions stay for the others; this person's place and answers go."""
    now = utcnow()
    for attendee in db.session.scalars(select(SessionAttendee).where(SessionAttendee.user_id == user.id)):
        attendee.removed_at = attendee.removed_at or now
        attendee.partstat = PartStat.NEEDS_ACTION
        attendee.responded_at = None
        attendee.added_at = now
    user.rotate_feed_token()
