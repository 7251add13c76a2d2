"""Reminders: an email the day before a session and on its morning (Europe/London days), each once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaker.extensions import db
from matchmaker.invites.emails import queue_reminder
from matchmaker.models import ConsultationSession, OutboxMessage, SessionAttendee, SessionStatus, Slot
from matchmaker.web.i18n import to_london

DAY_BEFORE_FROM_HOUR = 9  # the day-before reminder goes from 9am (UK time) the day before
MORNING_FROM_HOUR = 7  # the morning one from 7am on the day, until the session starts


def reminder_kind(starts_at: datetime, now: datetime) -> str | None:
    """'tomorrow', 'today' or None: which reminder is due now for a session starting then."""
    if starts_at <= now:
        return None
    local_now = to_london(now)
    session_day = to_london(starts_at).date()
    if session_day == local_now.date() and local_now.hour >= MORNING_FROM_HOUR:
        return "today"
    if session_day == local_now.date() + timedelta(days=1) and local_now.hour >= DAY_BEFORE_FROM_HOUR:
        return "tomorrow"
    return None


def reminder_key(attendee: SessionAttendee, kind: str) -> str:
    """The outbox key: once per person, session, kind and session day (a moved session is reminded again)."""
    day = to_london(attendee.session.starts_at).date().isoformat()
    return f"reminder:{attendee.session.uid}:{attendee.user_id}:{kind}:{day}"


def due_reminders(now: datetime) -> list[tuple[SessionAttendee, str, str]]:
    """(attendee, kind, key) for every reminder due at `now` and not yet queued.

    Only scheduled sessions, and only people still invited who have not declined.
    """
    sessions = db.session.scalars(
        select(ConsultationSession)
        .join(Slot, ConsultationSession.slot_id == Slot.id)
        .where(
            ConsultationSession.status == SessionStatus.SCHEDULED,
            Slot.starts_at > now,
            Slot.starts_at < now + timedelta(days=2),
        )
        .options(selectinload(ConsultationSession.attendees).selectinload(SessionAttendee.user))
        .order_by(Slot.starts_at, ConsultationSession.id)
    ).all()
    due: list[tuple[SessionAttendee, str, str]] = []
    for session in sessions:
        kind = reminder_kind(session.starts_at, now)
        if kind is None:
            continue
        for attendee in session.attendees:
            if attendee.is_current and attendee.user.deleted_at is None and attendee.user.email:
                due.append((attendee, kind, reminder_key(attendee, kind)))
    if not due:
        return []
    sent = set(db.session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.in_([d[2] for d in due]))))
    return [item for item in due if item[2] not in sent]


def send_reminders(now: datetime) -> int:
    """Queue the reminders due now and commit; returns how many were queued."""
    count = 0
    for attendee, kind, key in due_reminders(now):
        if queue_reminder(attendee, kind, key) is not None:
            count += 1
    db.session.commit()
    return count
