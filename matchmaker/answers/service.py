"""Every invitation's answer in a round, sessions short of a role minimum, and emails about declines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from matchmaker.extensions import db
from matchmaker.mail.service import queue_email
from matchmaker.models import ConsultationSession, PartStat, Round, SessionAttendee, SessionStatus, User
from matchmaker.web.csv_export import csv_text
from matchmaker.web.i18n import to_london
from matchmaker.web.labels import answer_name, language_name, role_name
from matchmaker.web.urls import external_url

FILTERS = {
    "accepted": [PartStat.ACCEPTED],
    "declined": [PartStat.DECLINED],
    "waiting": [PartStat.NEEDS_ACTION, PartStat.TENTATIVE],
}


@dataclass
class ShortSession:
    """A published session with fewer people of some role than the round's minimum."""

    session: ConsultationSession
    roles: list[str]


def _sessions(round_: Round, people: bool = True) -> list[ConsultationSession]:
    """The round's scheduled sessions with attendees (and their accounts, unless people=False), slots and
    conditions, in time order; each attendee holds its session (the identity map alone is weak: a page
    reading attendee.session would query)."""
    attendees = selectinload(ConsultationSession.attendees)
    query = (
        select(ConsultationSession)
        .where(ConsultationSession.round_id == round_.id, ConsultationSession.status == SessionStatus.SCHEDULED)
        .options(
            attendees.selectinload(SessionAttendee.user) if people else attendees,
            selectinload(ConsultationSession.slot),
            selectinload(ConsultationSession.condition),
        )
    )
    sessions = sorted(db.session.scalars(query), key=lambda s: (s.starts_at, s.id))
    for session in sessions:
        for attendee in session.attendees:
            set_committed_value(attendee, "session", session)  # not a query per attendee later
    return sessions


def answers(round_: Round, answer: str = "", condition: str = "") -> list[SessionAttendee]:
    """Everyone invited to the round's sessions (not removed), filtered by answer and condition slug."""
    wanted = FILTERS.get(answer)
    rows = []
    for session in _sessions(round_):
        if condition and session.condition.slug != condition:
            continue
        for attendee in session.attendees:
            if attendee.removed_at is None and (wanted is None or attendee.partstat in wanted):
                rows.append(attendee)
    return rows


def counts(round_: Round) -> dict[str, int]:
    """How many invitations are accepted, declined and waiting for an answer."""
    everyone = answers(round_)
    return {key: sum(1 for a in everyone if a.partstat in states) for key, states in FILTERS.items()}


def short_sessions(round_: Round) -> list[ShortSession]:
    """Published sessions below a role minimum after declines or removals (names of the roles short)."""
    minimum = {
        "creative": round_.creatives_min,
        "commissioner": round_.commissioners_min,
        "link_worker": round_.link_workers_min,
    }
    out = []
    for session in _sessions(round_, people=False):
        current = [a.role for a in session.attendees if a.is_current]
        roles = [role_name(role) for role, low in minimum.items() if current.count(role) < low]
        if roles:
            out.append(ShortSession(session, roles))
    return out


def _mailbox_language(round_: Round) -> str:
    """The language of emails to the organiser mailbox: that of the organiser who made the round."""
    creator = db.session.get(User, round_.created_by_id) if round_.created_by_id else None
    return creator.language if creator is not None and creator.language in ("en", "cy") else "en"


def _send(round_: Round, key: str, template: str, **context: Any) -> None:
    """Render an organiser email in the mailbox's language and put it in the outbox."""
    language = _mailbox_language(round_)
    context.update(
        round=round_,
        language=language,
        user={"language": language, "name": ""},
        link=external_url("answers.index", round_id=round_.id),
    )
    with force_locale(language):
        subject = render_template(f"emails/{template}.subject.txt", **context).strip()
        text = render_template(f"emails/{template}.txt", **context)
        html = render_template(f"emails/{template}.html", subject=subject, **context)
    queue_email(
        key=key,
        to_address=round_.organiser_mailbox,
        subject=subject,
        text_body=text,
        html_body=html,
        reply_to=round_.organiser_mailbox,
    )


def notify_decline(attendee: SessionAttendee, *, by_calendar: bool = False) -> None:
    """Tell the organiser mailbox at once that someone declined (on the site or in their calendar app), unless
    the round wants a daily digest."""
    round_ = attendee.session.round
    if round_.decline_digest:
        return
    stamp = attendee.responded_at.strftime("%Y%m%d%H%M%S") if attendee.responded_at else "0"
    _send(
        round_,
        f"decline:{attendee.id}:{stamp}",
        "decline",
        attendee=attendee,
        session=attendee.session,
        by_calendar=by_calendar,
    )


def send_digests(now: datetime) -> int:
    """One email per digest round listing the declines of the 24 hours before now; returns how many were queued."""
    since = now - timedelta(days=1)
    sent = 0
    for round_ in db.session.scalars(select(Round).where(Round.decline_digest.is_(True))):
        declined = [
            a for a in answers(round_, "declined") if a.responded_at is not None and since < a.responded_at <= now
        ]
        if declined:
            _send(round_, f"decline-digest:{round_.id}:{now:%Y%m%d}", "decline_digest", declined=declined)
            sent += 1
    db.session.commit()
    return sent


def set_digest(round_: Round, digest: bool) -> None:
    """Choose one email per decline (False) or a daily digest (True)."""
    round_.decline_digest = digest


def published_sessions(round_: Round) -> list[ConsultationSession]:
    """Every published session of the round, cancelled ones too, in time order."""
    query = (
        select(ConsultationSession)
        .where(ConsultationSession.round_id == round_.id)
        .options(selectinload(ConsultationSession.slot), selectinload(ConsultationSession.condition))
    )
    return sorted(db.session.scalars(query), key=lambda s: (s.starts_at, s.id))


def _local(value: datetime | None) -> str:
    """A UTC time as 'YYYY-MM-DD HH:MM' in Europe/London (sortable in a spreadsheet), or blank."""
    return to_london(value).strftime("%Y-%m-%d %H:%M") if value is not None else ""


def sessions_csv(round_: Round, language: str) -> str:
    """One line per person invited to each published session (cancelled ones too), with their answer."""
    rows: list[list[object]] = [
        [
            _("Session"),
            _("Condition"),
            _("Starts (time in Wales)"),
            _("Ends (time in Wales)"),
            _("Language"),
            _("Session status"),
            _("Name"),
            _("Email address"),
            _("Role"),
            _("Answer"),
            _("Answered (time in Wales)"),
        ]
    ]
    for session in published_sessions(round_):
        status = _("Cancelled") if session.status == SessionStatus.CANCELLED else _("Going ahead")
        for attendee in session.attendees:
            answer = _("Removed") if attendee.removed_at is not None else answer_name(attendee.partstat.value)
            rows.append(
                [
                    session.id,
                    session.condition.name(language),
                    _local(session.starts_at),
                    _local(session.ends_at),
                    language_name(session.language),
                    status,
                    attendee.user.name,
                    attendee.user.email or "",
                    role_name(attendee.role),
                    answer,
                    _local(attendee.responded_at),
                ]
            )
    return csv_text(rows)
