"""Invite, cancellation and reminder emails: one per attendee, in their language, through the outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import render_template
from flask_babel import force_locale

from matchmaker.extensions import db
from matchmaker.invites.details import access_arrangements, others_attending, summary
from matchmaker.invites.ical import CANCEL, REQUEST, invite_calendar
from matchmaker.invites.links import join_url, rsvp_url, site_url
from matchmaker.mail.service import queue_deferred, queue_email, renderer
from matchmaker.models import OutboxMessage, SessionAttendee
from matchmaker.web.i18n import format_time, format_when

# Why a message goes out: new, changed, moved, added and rejoined are REQUESTs; the rest are CANCELs.
REQUEST_REASONS = ("new", "changed", "moved", "added", "rejoined")
CANCEL_REASONS = ("cancelled", "removed", "declined")


def _context(attendee: SessionAttendee, language: str) -> dict[str, Any]:
    """What every invite template shows (rendered inside force_locale(language))."""
    session = attendee.session
    return {
        "user": attendee.user,
        "attendee": attendee,
        "session": session,
        "title": summary(session, language),
        "when": format_when(session.starts_at, language),
        "end": format_time(session.ends_at, language),
        "condition": session.condition.name(language),
        "join": join_url(session),
        "others": others_attending(session, attendee.user_id),
        "access": access_arrangements(session),
        "my_sessions": site_url("invites.my_sessions"),
    }


def _render(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, text and HTML of templates/emails/<template>.*."""
    subject = render_template(f"emails/{template}.subject.txt", **context).strip()
    text = render_template(f"emails/{template}.txt", **context)
    html = render_template(f"emails/{template}.html", subject=subject, **context)
    return subject, text, html


def queue_invite(
    attendee: SessionAttendee, method: str, reason: str, *, moved_from: tuple[datetime, datetime] | None = None
) -> OutboxMessage | None:
    """Queue the REQUEST or CANCEL for one attendee, once per (session, person, SEQUENCE, METHOD).

    moved_from: the old start and end, which a 'moved' email states next to the new ones.
    """
    user = attendee.user
    if not user.email or user.deleted_at is not None:
        return None
    session = attendee.session
    if (method == REQUEST) != (reason in REQUEST_REASONS) or reason not in REQUEST_REASONS + CANCEL_REASONS:
        raise ValueError(f"{reason!r} does not go with {method}")
    attendee.last_sequence = session.sequence
    language = user.language or "en"
    with force_locale(language):
        context = _context(attendee, language)
        context["reason"] = reason
        if moved_from is not None:
            context["old_when"] = format_when(moved_from[0], language)
            context["old_end"] = format_time(moved_from[1], language)
        if method == REQUEST:
            context["accept"] = rsvp_url(attendee, "accept")
            context["decline"] = rsvp_url(attendee, "decline")
        subject, text, html = _render("invite" if method == REQUEST else "invite_cancelled", context)
    return queue_email(
        key=f"invite:{session.uid}:{user.id}:{session.sequence}:{method}",
        to_address=user.email,
        to_name=user.name,
        subject=subject,
        text_body=text,
        html_body=html,
        calendar=invite_calendar(attendee, method),
        calendar_method=method,
        user=user,
        reply_to=session.round.organiser_mailbox,
    )


def invite_row(attendee: SessionAttendee, method: str, reason: str) -> dict[str, Any] | None:
    """The outbox row of an invitation written at delivery (queue_deferred); None if nobody to send to."""
    user = attendee.user
    if not user.email or user.deleted_at is not None:
        return None
    session = attendee.session
    if (method == REQUEST) != (reason in REQUEST_REASONS) or reason not in REQUEST_REASONS + CANCEL_REASONS:
        raise ValueError(f"{reason!r} does not go with {method}")
    attendee.last_sequence = session.sequence
    return {
        "key": f"invite:{session.uid}:{user.id}:{session.sequence}:{method}",
        "to_address": user.email,
        "to_name": user.name,
        "user_id": user.id,
        "reply_to": session.round.organiser_mailbox,
        "calendar_method": method,
        "render": {"kind": "invite", "attendee": attendee.id, "method": method, "reason": reason},
    }


def queue_invites(attendees: list[SessionAttendee], method: str, reason: str) -> list[OutboxMessage]:
    """Invitations to many people at once (publishing): rows now, each written when it is delivered."""
    rows = [row for row in (invite_row(a, method, reason) for a in attendees) if row is not None]
    return queue_deferred(rows)


@renderer("invite")
def write_invite(spec: dict[str, Any]) -> dict[str, Any] | None:
    """Write a deferred invitation as queue_invite would have (in the person's language, as things stand now)."""
    attendee = db.session.get(SessionAttendee, spec["attendee"])
    if attendee is None or attendee.user.deleted_at is not None or not attendee.user.email:
        return None
    method, reason = spec["method"], spec["reason"]
    language = attendee.user.language or "en"
    with force_locale(language):
        context = _context(attendee, language)
        context["reason"] = reason
        if method == REQUEST:
            context["accept"] = rsvp_url(attendee, "accept")
            context["decline"] = rsvp_url(attendee, "decline")
        subject, text, html = _render("invite" if method == REQUEST else "invite_cancelled", context)
    return {"subject": subject, "text_body": text, "html_body": html, "calendar": invite_calendar(attendee, method)}


def queue_reminder(attendee: SessionAttendee, kind: str, key: str) -> OutboxMessage | None:
    """Queue a 'tomorrow' or 'today' reminder (no calendar: the invite already put it there)."""
    user = attendee.user
    if not user.email or user.deleted_at is not None:
        return None
    language = user.language or "en"
    with force_locale(language):
        context = _context(attendee, language)
        context["kind"] = kind
        context["decline"] = rsvp_url(attendee, "decline")
        subject, text, html = _render("reminder", context)
    return queue_email(
        key=key,
        to_address=user.email,
        to_name=user.name,
        subject=subject,
        text_body=text,
        html_body=html,
        user=user,
        reply_to=attendee.session.round.organiser_mailbox,
    )


__all__ = ["CANCEL", "REQUEST", "queue_invite", "queue_invites", "queue_reminder"]
