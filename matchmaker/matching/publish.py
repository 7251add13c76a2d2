"""Publishing a draft: sessions, attendees, booking statuses and invites in one transaction.

Idempotent by (round, plan_key): a session already published under its key only gets the
people it lacks, so publishing twice creates nothing twice. Invites are outbox rows written
in the same transaction with unique keys; their delivery is queued only after the commit
(and the outbox sweep delivers anything whose queueing failed), so a crash between the
commit and the queueing neither loses nor duplicates an invite.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaker.bookings.service import mark_scheduled, mark_unscheduled
from matchmaker.extensions import db
from matchmaker.invites.service import attendee_added, excluded_pairs, session_published
from matchmaker.matching.drafts import loaded, stale_reason, superseded_reason
from matchmaker.matching.ids import parse_booking_id, parse_participant_id, parse_slot_id
from matchmaker.matching.overrides import excused
from matchmaker.matching.reasons import rule_broken
from matchmaker.models import (
    Booking,
    BookingStatus,
    Condition,
    ConsultationSession,
    MatchDraft,
    SessionAttendee,
    SessionStatus,
    User,
    utcnow,
)
from matchmaker.solver import check_plan


class PublishError(ValueError):
    """A draft that cannot be published; messages are translated."""

    def __init__(self, messages: list[str]) -> None:
        """Keep every message."""
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class Published:
    """What publishing did."""

    created: int = 0
    added: int = 0
    unchanged: int = 0
    scheduled_bookings: int = 0
    unscheduled_bookings: int = 0
    kept_out: int = 0  # people in the plan not invited: they declined, were removed, or their account closed


def plan_key(draft: MatchDraft, session_id: str, published_keys: set[str]) -> str:
    """The key a plan session is published under: a published session keeps its own, a new one is run-scoped."""
    return session_id if session_id in published_keys else f"R{draft.run_id}.{session_id}"


def publish(draft: MatchDraft) -> Published:
    """Publish the draft (the caller commits; invites go out after the commit).

    A superseded draft (a newer version exists) is refused; publishing the latest again only
    adds what is missing, and never anyone kept out ('not again').
    """
    superseded = superseded_reason(draft)
    if superseded:
        raise PublishError([superseded])
    if draft.published_at is not None:
        return _publish(draft)  # again: only what is missing, which is normally nothing
    stale = stale_reason(draft)
    if stale:
        raise PublishError([stale])
    return _publish(draft)


def _publish(draft: MatchDraft) -> Published:
    """Create or complete every session of the plan; mark bookings."""
    problem, plan = loaded(draft)
    violations = excused(check_plan(problem, plan), draft.overrides or [])
    if violations:
        raise PublishError([f"{rule_broken(v.rule)} ({v.message})" for v in violations])
    round_id = draft.round_id
    existing = {
        s.plan_key: s
        for s in db.session.scalars(
            select(ConsultationSession)
            .where(ConsultationSession.round_id == round_id)
            .options(selectinload(ConsultationSession.attendees).selectinload(SessionAttendee.user))
        )
    }
    published_keys = set(existing)
    conditions = {c.slug: c for c in db.session.scalars(select(Condition))}
    user_ids = {parse_participant_id(pid) for s in plan.sessions for pid in s.participants}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids or {0})))}
    booking_ids = [parse_booking_id(b.id) for b in problem.bookings]
    bookings = {
        b.id: b for b in db.session.scalars(select(Booking).where(Booking.id.in_([i for i in booking_ids if i] or [0])))
    }
    pairs, kept_out_of_round = excluded_pairs(round_id)
    result = Published()
    for s in plan.sessions:
        key = plan_key(draft, s.id, published_keys)
        booking = bookings.get(parse_booking_id(s.booking) or 0) if s.booking else None
        if booking is not None and booking.status == BookingStatus.CANCELLED:
            booking = None
        session = existing.get(key)
        if session is None:
            session = ConsultationSession(
                round_id=round_id,
                plan_key=key,
                condition=conditions[s.condition],
                slot_id=parse_slot_id(s.slot),
                language=s.language,
                booking_id=booking.id if booking else None,
                purpose=booking.purpose if booking else "",
            )
            for pid in s.participants:
                if parse_participant_id(pid) in kept_out_of_round or not users[parse_participant_id(pid)].is_active:
                    result.kept_out += 1
                    continue
                user = users[parse_participant_id(pid)]
                session.attendees.append(SessionAttendee(user=user, role=problem.person[pid].role))
            db.session.add(session)
            db.session.flush()
            session_published(session)
            result.created += 1
        elif session.status == SessionStatus.CANCELLED:
            continue  # the organiser cancelled it after the run: it stays cancelled
        else:
            current = {a.user_id for a in session.attendees if a.is_current}
            missing = [pid for pid in s.participants if parse_participant_id(pid) not in current]
            allowed = [
                pid
                for pid in missing
                if (parse_participant_id(pid), session.id) not in pairs
                and parse_participant_id(pid) not in kept_out_of_round
                and users[parse_participant_id(pid)].is_active
            ]
            result.kept_out += len(missing) - len(allowed)
            missing = allowed
            for pid in missing:
                attendee_added(session, users[parse_participant_id(pid)], problem.person[pid].role)
            result.added += len(missing)
            result.unchanged += not missing
            if booking is not None and session.booking_id is None:
                session.booking_id, session.purpose = booking.id, booking.purpose
        if booking is not None:
            if booking.status != BookingStatus.SCHEDULED:
                result.scheduled_bookings += 1
            mark_scheduled(booking)
    for unserved in plan.unserved_bookings:
        booking = bookings.get(parse_booking_id(unserved.booking) or 0)
        if booking is not None and booking.status in (BookingStatus.REQUESTED, BookingStatus.UNSCHEDULED):
            mark_unscheduled(booking, unserved.reason, unserved.detail)
            result.unscheduled_bookings += 1
    if draft.published_at is None:
        draft.published_at = utcnow()
    db.session.flush()
    return result


def publish_error_lines(error: Exception) -> list[str]:
    """Messages of a publishing failure, for the CLI and pages."""
    return list(getattr(error, "messages", [str(error)])) or [_("The draft could not be published.")]
