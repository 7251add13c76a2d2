"""Addresses the invites hand out: the join link, site links that work outside a request, RSVP tokens."""

from __future__ import annotations

from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from matchmaker.extensions import db
from matchmaker.models import ConsultationSession, SessionAttendee, utcnow
from matchmaker.web.urls import external_url

RSVP_SALT = "cyswllt-rsvp"
ANSWERS = ("accept", "decline")
DEFAULT_RSVP_MAX_AGE = 120 * 24 * 3600


def join_url(session: ConsultationSession) -> str:
    """Where attendees meet: the organiser's pasted link, else the round's template with the room."""
    if session.join_url_override:
        return session.join_url_override
    template = session.round.meeting_url_template or "https://meet.jit.si/{room}"
    return template.replace("{room}", session.room)


def site_url(endpoint: str, **values: Any) -> str:
    """An absolute link on BASE_URL, also from a job or a reminder (no request to build it from)."""
    return external_url(endpoint, **values)


def feed_urls(feed_token: str) -> tuple[str, str]:
    """The calendar feed address to copy (https) and to open in a calendar app (webcal)."""
    https = site_url("invites.feed", feed_token=feed_token)
    webcal = "webcal://" + https.split("://", 1)[1]
    return https, webcal


def _serializer() -> URLSafeTimedSerializer:
    """Signs RSVP links; the purpose-specific salt keeps other kinds of token out."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RSVP_SALT)


def rsvp_token(attendee: SessionAttendee, answer: str) -> str:
    """A signed link token that records this answer for this attendee."""
    if answer not in ANSWERS:
        raise ValueError(f"unknown answer {answer!r}")
    return _serializer().dumps({"a": attendee.id, "u": attendee.user_id, "r": answer})


def rsvp_url(attendee: SessionAttendee, answer: str) -> str:
    """The accept or decline link for an email."""
    return site_url("invites.respond_by_link", token=rsvp_token(attendee, answer))


def read_rsvp_token(token: str) -> tuple[SessionAttendee, str] | None:
    """The attendee and answer of a valid, unexpired token for a session not yet over, else None."""
    max_age = current_app.config.get("RSVP_MAX_AGE_SECONDS", DEFAULT_RSVP_MAX_AGE)
    try:
        payload = _serializer().loads(token, max_age=max_age)
    except BadSignature:  # also SignatureExpired
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("a"), int) or payload.get("r") not in ANSWERS:
        return None
    attendee = db.session.get(SessionAttendee, payload["a"])
    if attendee is None or attendee.user_id != payload.get("u") or not attendee.user.is_active:
        return None
    if attendee.session.ends_at <= utcnow():
        return None
    return attendee, payload["r"]
