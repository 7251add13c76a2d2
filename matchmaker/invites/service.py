"""The invite events the matching job and the organiser pages call, answers, and what a person can see.

Every event changes the session in the caller's transaction and queues its emails in that same
transaction (outbox rows with a unique key); delivery starts only after the caller commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from matchmaker.accounts import service as accounts_service
from matchmaker.answers.service import notify_decline
from matchmaker.extensions import db
from matchmaker.invites.emails import CANCEL, REQUEST, queue_invite, queue_invites
from matchmaker.invites.replies import FOR_ORGANISERS, NotAnEmail, Received, for_organisers, parse_email, receive
from matchmaker.models import (
    ConsultationSession,
    ExclusionReason,
    InboundMessage,
    InboundStatus,
    PartStat,
    Role,
    SessionAttendee,
    SessionExclusion,
    SessionStatus,
    Slot,
    User,
    utcnow,
)


class Excluded(ValueError):
    """This person is kept out of this session ('not again'); an organiser may lift it."""


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
    queue_invites(_current(session), REQUEST, "new")  # written at delivery: publishing queues thousands


def session_changed(session: ConsultationSession, *, moved_from: tuple[datetime, datetime] | None = None) -> None:
    """The session moved or changed: same UID, higher SEQUENCE, a REQUEST to every current attendee.

    moved_from: the old start and end when the time changed. Then every answer goes back to
    NEEDS-ACTION and the email asks again; a new link or wording keeps the answers.
    """
    if session.status == SessionStatus.CANCELLED:
        raise ValueError("a cancelled session cannot change")
    moved = moved_from is not None and moved_from != (session.starts_at, session.ends_at)
    if moved:
        for attendee in _current(session):
            attendee.partstat = PartStat.NEEDS_ACTION
            attendee.responded_at = None
    session.bump()
    db.session.flush()
    for attendee in _current(session):
        if moved:
            queue_invite(attendee, REQUEST, "moved", moved_from=moved_from)
        else:
            queue_invite(attendee, REQUEST, "changed")


def slot_moved(sessions: list[ConsultationSession], old: tuple[datetime, datetime]) -> int:
    """A slot's time or length changed: tell everyone in its scheduled sessions; returns how many were told."""
    told = 0
    for session in sessions:
        if session.status != SessionStatus.SCHEDULED:
            continue
        session_changed(session, moved_from=old)
        told += len(_current(session))
    return told


def people_to_tell(sessions: list[ConsultationSession]) -> tuple[int, int]:
    """(people, sessions) a change to these sessions would send an updated invitation to."""
    live = [s for s in sessions if s.status == SessionStatus.SCHEDULED]
    return sum(len(_current(s)) for s in live), len(live)


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


def attendee_added(session: ConsultationSession, user: User, role: str, *, accepted: bool = False) -> SessionAttendee:
    """Invite one more person (or invite a removed person again): a REQUEST to them.

    SEQUENCE rises so that a calendar that holds an earlier CANCEL for this person takes the
    new REQUEST. accepted: they asked for the place themselves (joining), so their answer
    is already "coming" and nobody waits for it.
    """
    if session.status == SessionStatus.CANCELLED:
        raise ValueError("nobody can be added to a cancelled session")
    if is_excluded(session, user.id):
        raise Excluded(f"user {user.id} is kept out of session {session.id}")
    attendee = next((a for a in session.attendees if a.user_id == user.id), None)
    if attendee is None:
        attendee = SessionAttendee(user=user, role=role)
        session.attendees.append(attendee)
    elif attendee.is_current:
        return attendee
    attendee.role = role
    attendee.removed_at = None
    attendee.partstat = PartStat.ACCEPTED if accepted else PartStat.NEEDS_ACTION
    attendee.added_at = utcnow()
    attendee.responded_at = attendee.added_at if accepted else None
    session.bump()
    db.session.flush()
    queue_invite(attendee, REQUEST, "added")
    return attendee


def attendee_removed(
    session: ConsultationSession, attendee: SessionAttendee, reason: ExclusionReason = ExclusionReason.REMOVED
) -> None:
    """Take one person off the session: a CANCEL to them alone (the row stays, marked removed, and 'not again')."""
    if attendee.session_id != session.id:
        raise ValueError("that attendee is not on this session")
    if attendee.removed_at is not None:
        return
    attendee.removed_at = utcnow()
    exclude(session, attendee.user_id, reason)
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


ANSWERS = {"accept": PartStat.ACCEPTED, "decline": PartStat.DECLINED, "tentative": PartStat.TENTATIVE}


def respond(attendee: SessionAttendee, answer: str, *, by_calendar: bool = False) -> str:
    """Record 'accept', 'tentative' or 'decline'; returns 'accepted', 'tentative', 'declined', 'unchanged',
    'closed' or 'full'.

    A decline frees the place, keeps the person out of this session from now on ('not again'),
    takes it out of their calendar with a CANCEL and tells the round's organisers, whose refill
    then fills it; accepting again after a decline, while the place is still free, sends a fresh
    REQUEST. by_calendar: the answer came as an iTIP REPLY from the person's calendar app.
    """
    if not can_answer(attendee):
        return "closed"
    wanted = ANSWERS[answer]
    if attendee.partstat == wanted:
        return "unchanged"
    session = attendee.session
    was_declined = attendee.partstat == PartStat.DECLINED
    if was_declined and not place_free(attendee):
        return "full"
    attendee.partstat = wanted
    attendee.responded_at = utcnow()
    if wanted == PartStat.DECLINED:
        exclude(session, attendee.user_id, ExclusionReason.DECLINED)
        session.bump()
        db.session.flush()
        queue_invite(attendee, CANCEL, "declined")
        notify_decline(attendee, by_calendar=by_calendar)
        return "declined"
    if was_declined:
        lift_own(session, attendee.user_id)  # they changed their mind themselves
        session.bump()
        db.session.flush()
        queue_invite(attendee, REQUEST, "rejoined")
    return "accepted" if wanted == PartStat.ACCEPTED else "tentative"


# --- 'not again': exclusions ------------------------------------------------------------------------


def exclude(
    session: ConsultationSession | None, user_id: int, reason: ExclusionReason, *, round_id: int | None = None
) -> SessionExclusion:
    """Keep this person out of this session (session None: out of the whole round); once per reason."""
    rid = session.round_id if session is not None else round_id
    if rid is None:
        raise ValueError("an exclusion needs a session or a round")
    sid = session.id if session is not None else None
    existing = db.session.scalar(
        select(SessionExclusion).where(
            SessionExclusion.round_id == rid,
            SessionExclusion.session_id.is_(None) if sid is None else SessionExclusion.session_id == sid,
            SessionExclusion.user_id == user_id,
            SessionExclusion.reason == reason,
            SessionExclusion.lifted_at.is_(None),
        )
    )
    if existing is not None:
        return existing
    row = SessionExclusion(round_id=rid, session_id=sid, user_id=user_id, reason=reason)
    db.session.add(row)
    db.session.flush()
    return row


def _active() -> Any:
    """Exclusions not lifted."""
    return select(SessionExclusion).where(SessionExclusion.lifted_at.is_(None))


def is_excluded(session: ConsultationSession, user_id: int) -> bool:
    """Is this person kept out of this session (by a row for it, or for its whole round)?"""
    query = _active().where(
        SessionExclusion.user_id == user_id,
        SessionExclusion.round_id == session.round_id,
        or_(SessionExclusion.session_id.is_(None), SessionExclusion.session_id == session.id),
    )
    return db.session.scalar(select(func.count()).select_from(query.subquery())) > 0


def round_exclusions(round_id: int) -> list[SessionExclusion]:
    """Every active exclusion of a round."""
    return list(db.session.scalars(_active().where(SessionExclusion.round_id == round_id)))


def session_exclusions(session: ConsultationSession) -> list[SessionExclusion]:
    """Active exclusions that keep people out of this session (its own and round-wide ones), oldest first."""
    query = _active().where(
        SessionExclusion.round_id == session.round_id,
        or_(SessionExclusion.session_id.is_(None), SessionExclusion.session_id == session.id),
    )
    return list(db.session.scalars(query.order_by(SessionExclusion.created_at, SessionExclusion.id)))


def excluded_pairs(round_id: int) -> tuple[set[tuple[int, int]], set[int]]:
    """(user id, session id) pairs kept apart, and user ids kept out of the whole round."""
    pairs: set[tuple[int, int]] = set()
    whole: set[int] = set()
    for row in round_exclusions(round_id):
        if row.session_id is None:
            whole.add(row.user_id)
        else:
            pairs.add((row.user_id, row.session_id))
    return pairs, whole


def lift_exclusion(exclusion_id: int, session: ConsultationSession, organiser: User) -> bool:
    """An organiser lets this person be placed again (they are not re-invited by this alone)."""
    row = db.session.get(SessionExclusion, exclusion_id)
    if row is None or row.lifted_at is not None or row.round_id != session.round_id:
        return False
    if row.session_id not in (None, session.id):
        return False
    row.lifted_at = utcnow()
    row.lifted_by_id = organiser.id
    return True


def lift_own(session: ConsultationSession, user_id: int) -> None:
    """The person accepts again after declining: their own 'declined' exclusion goes."""
    for row in db.session.scalars(
        _active().where(
            SessionExclusion.session_id == session.id,
            SessionExclusion.user_id == user_id,
            SessionExclusion.reason == ExclusionReason.DECLINED,
        )
    ):
        row.lifted_at = utcnow()


def lift_round_booking_exclusion(round_id: int, user_id: int) -> None:
    """A commissioner whose cancelled booking kept them out of a round books again: they may be placed."""
    for row in db.session.scalars(
        _active().where(
            SessionExclusion.round_id == round_id,
            SessionExclusion.session_id.is_(None),
            SessionExclusion.user_id == user_id,
            SessionExclusion.reason == ExclusionReason.BOOKING_CANCELLED,
        )
    ):
        row.lifted_at = utcnow()


def booking_cancelled(round_id: int, session: ConsultationSession | None, user: User) -> None:
    """A commissioner cancelled a booking: off its session, and nowhere else in the round until they book again."""
    if session is not None:
        attendee = next((a for a in session.attendees if a.user_id == user.id and a.removed_at is None), None)
        if attendee is not None:
            attendee_removed(session, attendee, ExclusionReason.BOOKING_CANCELLED)
    exclude(None, user.id, ExclusionReason.BOOKING_CANCELLED, round_id=round_id)


@accounts_service.account_closed.connect
def account_closed(user: User, **_: Any) -> None:
    """Deactivated or rejected: kept out of every session they were ever on (an organiser may lift it)."""
    for attendee in db.session.scalars(select(SessionAttendee).where(SessionAttendee.user_id == user.id)):
        exclude(attendee.session, user.id, ExclusionReason.ACCOUNT_CLOSED)


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
        .options(
            selectinload(SessionAttendee.session).options(
                selectinload(ConsultationSession.attendees).selectinload(SessionAttendee.user),
                selectinload(ConsultationSession.condition),
                selectinload(ConsultationSession.slot),
            )
        )
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


# --- answers from calendar apps ------------------------------------------------------------------


__all__ = ["NotAnEmail", "Received", "parse_email"]


def receive_message(raw: bytes, source: str) -> Received:
    """Read one email sent to a round mailbox and apply a calendar answer in it (commits); see replies.py.

    Raises `NotAnEmail` when the bytes are not an email.
    """
    return receive(raw, source)


def replies_for_organisers() -> list[InboundMessage]:
    """Calendar emails an organiser should look at, with the reason each was not applied."""
    return for_organisers()


def resolve_reply(reply_id: int, organiser: User) -> bool:
    """An organiser has dealt with a reply: it leaves the Replies list."""
    row = db.session.get(InboundMessage, reply_id)
    if row is None or row.status not in FOR_ORGANISERS:
        return False
    row.status = InboundStatus.RESOLVED
    row.resolved_at = utcnow()
    row.resolved_by_id = organiser.id
    return True
