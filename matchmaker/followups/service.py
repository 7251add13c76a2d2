"""Follow-ups, the front door: sending them (and one reminder), answering, and what the report counts.

A first follow-up goes FOLLOW_UP_FIRST_DAYS after a session to everyone who came or may have come
(not marked absent, not declined unless marked present); it stays open, answers editable, until the
second is due. The second goes FOLLOW_UP_SECOND_DAYS after the session to those who came, and stays
open FOLLOW_UP_OPEN_DAYS. Each gets one reminder, and none once answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaker.accounts.service import account_closed
from matchmaker.attendance import service as attendance
from matchmaker.extensions import db
from matchmaker.followups.links import url_for_follow_up
from matchmaker.mail.service import queue_templated_email
from matchmaker.models import (
    AttendanceMark,
    ConsultationSession,
    FollowUp,
    FollowUpStage,
    PartStat,
    SessionStatus,
    Slot,
    User,
    utcnow,
)
from matchmaker.models.outcomes import new_nonce
from matchmaker.web.i18n import format_when
from matchmaker.web.labels import OUTCOMES
from matchmaker.web.urls import external_url

OUTCOME_CODES = tuple(code for code, _label in OUTCOMES)
NOTHING = ("nothing_yet", "not_relevant")  # these two stand alone
PATHWAY = ("referral_route",)
PILOT = ("taster_planned", "pilot_running")
COMMISSION = ("commissioned", "joint_bid")
NOTE_MAX = 1000
CATCH_UP_DAYS = 30  # a follow-up missed (the consumer was down) is still sent this long after it was due


def _days(name: str) -> timedelta:
    """A configured number of days."""
    return timedelta(days=int(current_app.config[name]))


@dataclass(frozen=True)
class Answer:
    """What a person told us in a follow-up."""

    attended: bool
    outcomes: list[str]
    funded_amount: int | None = None
    referrals: int | None = None
    plans_to_commission: str = ""
    note: str = ""
    quote_consent: bool = False


# --- sending ------------------------------------------------------------------------------------


def _recipients(session: ConsultationSession, stage: str, marks: dict[int, AttendanceMark]) -> list[Any]:
    """Attendees to ask: for the first, anyone not known to have stayed away; for the second, those who came."""
    people = []
    for attendee in session.attendees:
        if attendee.removed_at is not None or attendee.user.deleted_at is not None or not attendee.user.is_active:
            continue
        mark = marks.get(attendee.user_id)
        if stage == FollowUpStage.SECOND.value:
            if mark is not None and mark.attended:
                people.append(attendee)
        elif (mark is not None and mark.attended) or (mark is None and attendee.partstat != PartStat.DECLINED):
            people.append(attendee)
    return people


def _sessions_due(stage: str, now: datetime) -> list[ConsultationSession]:
    """Sessions whose follow-up of this stage is due now (and not long overdue)."""
    after = _days("FOLLOW_UP_FIRST_DAYS" if stage == FollowUpStage.FIRST.value else "FOLLOW_UP_SECOND_DAYS")
    return list(
        db.session.scalars(
            select(ConsultationSession)
            .join(Slot, ConsultationSession.slot_id == Slot.id)
            .where(
                ConsultationSession.status == SessionStatus.SCHEDULED,
                Slot.ends_at <= now - after,
                Slot.ends_at > now - after - timedelta(days=CATCH_UP_DAYS),
            )
            .options(selectinload(ConsultationSession.attendees))
            .order_by(Slot.starts_at, ConsultationSession.id)
        )
    )


def closes_at(session: ConsultationSession, stage: str, sent_at: datetime) -> datetime:
    """When a follow-up stops taking answers: the first when the second is due; the second after a while."""
    if stage == FollowUpStage.FIRST.value:
        return session.ends_at + _days("FOLLOW_UP_SECOND_DAYS")
    return sent_at + _days("FOLLOW_UP_OPEN_DAYS")


def send_due(now: datetime | None = None) -> int:
    """Create and email every follow-up due now, once each; returns how many. Commits."""
    now = now or utcnow()
    count = 0
    for stage in (FollowUpStage.FIRST.value, FollowUpStage.SECOND.value):
        sessions = _sessions_due(stage, now)
        if not sessions:
            continue
        ids = [s.id for s in sessions]
        existing = {
            (session_id, user_id)
            for session_id, user_id in db.session.execute(
                select(FollowUp.session_id, FollowUp.user_id).where(
                    FollowUp.session_id.in_(ids), FollowUp.stage == stage
                )
            )
        }
        marks: dict[int, dict[int, AttendanceMark]] = {}
        for mark in db.session.scalars(select(AttendanceMark).where(AttendanceMark.session_id.in_(ids))):
            marks.setdefault(mark.session_id, {})[mark.user_id] = mark
        for session in sessions:
            for attendee in _recipients(session, stage, marks.get(session.id, {})):
                if (session.id, attendee.user_id) in existing:
                    continue
                follow_up = FollowUp(
                    session_id=session.id,
                    user_id=attendee.user_id,
                    role=attendee.role,
                    stage=stage,
                    sent_at=now,
                    closes_at=closes_at(session, stage, now),
                )
                db.session.add(follow_up)
                db.session.flush()
                _email(follow_up, reminder=False)
                count += 1
    db.session.commit()
    return count


def send_reminders(now: datetime | None = None) -> int:
    """One reminder for each follow-up unanswered FOLLOW_UP_REMINDER_DAYS after it went; returns how many. Commits."""
    now = now or utcnow()
    due = db.session.scalars(
        select(FollowUp).where(
            FollowUp.answered_at.is_(None),
            FollowUp.reminded_at.is_(None),
            FollowUp.user_id.is_not(None),
            FollowUp.sent_at <= now - _days("FOLLOW_UP_REMINDER_DAYS"),
            FollowUp.closes_at > now,
        )
    ).all()
    count = 0
    for follow_up in due:
        follow_up.reminded_at = now
        if follow_up.user is not None and follow_up.user.is_active and follow_up.user.email:
            _email(follow_up, reminder=True)
            count += 1
    db.session.commit()
    return count


def _email(follow_up: FollowUp, *, reminder: bool) -> None:
    """Queue the follow-up email (or its reminder) in the person's language."""
    user = follow_up.user
    if user is None or not user.email or user.deleted_at is not None:
        return
    session = follow_up.session
    language = user.language or "en"
    queue_templated_email(
        "follow_up",
        key=f"follow-up:{follow_up.id}:{'reminder' if reminder else 'first-email'}",
        user=user,
        reply_to=session.round.organiser_mailbox,
        session=session,
        condition=session.condition.name(language),
        when=format_when(session.starts_at, language),
        closes=format_when(follow_up.closes_at, language),
        link=url_for_follow_up(follow_up),
        my_sessions=external_url("invites.my_sessions"),
        second=follow_up.stage == FollowUpStage.SECOND.value,
        reminder=reminder,
    )


# --- answering ----------------------------------------------------------------------------------


def open_follow_up(session_id: int, user: User, now: datetime | None = None) -> FollowUp | None:
    """This person's follow-up for this session that is open now (the later stage first)."""
    rows = db.session.scalars(
        select(FollowUp)
        .where(FollowUp.session_id == session_id, FollowUp.user_id == user.id)
        .order_by(FollowUp.sent_at.desc(), FollowUp.id.desc())
    ).all()
    now = now or utcnow()
    return next((f for f in rows if f.is_open(now)), None)


def open_by_session(user: User, now: datetime | None = None) -> dict[int, FollowUp]:
    """Session id -> this person's open follow-up, for "My sessions" (one statement)."""
    now = now or utcnow()
    found: dict[int, FollowUp] = {}
    for follow_up in db.session.scalars(
        select(FollowUp)
        .where(FollowUp.user_id == user.id, FollowUp.closes_at > now)
        .order_by(FollowUp.sent_at, FollowUp.id)
    ):
        found[follow_up.session_id] = follow_up  # the later stage wins
    return found


def earlier_answer(follow_up: FollowUp) -> FollowUp | None:
    """For a second follow-up: the first one's answer, which its form starts from."""
    if follow_up.stage != FollowUpStage.SECOND.value or follow_up.user_id is None:
        return None
    return db.session.scalar(
        select(FollowUp).where(
            FollowUp.session_id == follow_up.session_id,
            FollowUp.user_id == follow_up.user_id,
            FollowUp.stage == FollowUpStage.FIRST.value,
            FollowUp.answered_at.is_not(None),
        )
    )


def record_answer(follow_up: FollowUp, answer: Answer, now: datetime | None = None) -> None:
    """Store (or change) the answer, and the person's word on whether they came. Caller commits."""
    now = now or utcnow()
    if not follow_up.is_open(now) or follow_up.user is None:
        raise ValueError("this follow-up is closed")
    outcomes = [code for code in OUTCOME_CODES if code in answer.outcomes]
    follow_up.attended = answer.attended
    follow_up.outcomes = outcomes
    follow_up.funded_amount = answer.funded_amount if "commissioned" in outcomes else None
    follow_up.referrals = answer.referrals if follow_up.role == "link_worker" else None
    follow_up.plans_to_commission = answer.plans_to_commission if follow_up.role == "commissioner" else ""
    follow_up.note = answer.note[:NOTE_MAX]
    follow_up.quote_consent = bool(answer.quote_consent and answer.note)
    follow_up.answered_at = follow_up.answered_at or now
    follow_up.updated_at = now
    attendance.confirm_own(follow_up.session, follow_up.user, answer.attended)


# --- accounts -----------------------------------------------------------------------------------


@account_closed.connect
def close_for(user: User, **_kwargs: Any) -> None:
    """An account closed (deactivated or rejected): its follow-ups stop, and their links die."""
    now = utcnow()
    for follow_up in db.session.scalars(select(FollowUp).where(FollowUp.user_id == user.id, FollowUp.closes_at > now)):
        follow_up.closes_at = now
        follow_up.nonce = new_nonce()


def export_follow_ups(user: User) -> dict[str, Any]:
    """'Download my data': every follow-up and answer."""
    rows = db.session.scalars(select(FollowUp).where(FollowUp.user_id == user.id).order_by(FollowUp.id))
    return {
        "follow_ups": [
            {
                "session": f.session_id,
                "stage": f.stage,
                "sent_at": f.sent_at.isoformat(),
                "answered_at": f.answered_at.isoformat() if f.answered_at else None,
                "attended": f.attended,
                "outcomes": list(f.outcomes or []),
                "funded_amount": f.funded_amount,
                "referrals": f.referrals,
                "plans_to_commission": f.plans_to_commission,
                "note": f.note,
                "quote_consent": f.quote_consent,
            }
            for f in rows
        ]
    }


def erase_follow_ups(user: User) -> None:
    """Delete my account: answers stay only as anonymous counts (no person, no note); links die."""
    now = utcnow()
    for follow_up in db.session.scalars(select(FollowUp).where(FollowUp.user_id == user.id)):
        follow_up.user_id = None
        follow_up.note = ""
        follow_up.quote_consent = False
        follow_up.nonce = new_nonce()
        follow_up.closes_at = min(follow_up.closes_at, now)
        if follow_up.answered_at is None:
            db.session.delete(follow_up)  # an unanswered question counts for nothing


__all__ = [
    "COMMISSION",
    "NOTHING",
    "OUTCOME_CODES",
    "PATHWAY",
    "PILOT",
    "Answer",
    "close_for",
    "earlier_answer",
    "open_by_session",
    "open_follow_up",
    "record_answer",
    "send_due",
    "send_reminders",
]
