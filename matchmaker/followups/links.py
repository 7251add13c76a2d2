"""Signed follow-up links: they name one follow-up and its nonce, and work until the follow-up closes."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from matchmaker.extensions import db
from matchmaker.models import FollowUp, utcnow
from matchmaker.web.urls import external_url

SALT = "cyswllt-follow-up"


def _serializer() -> URLSafeTimedSerializer:
    """A serializer whose salt keeps every other kind of token out."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _max_age() -> int:
    """A belt to the braces of closes_at: no link lives longer than both follow-ups' windows together."""
    config = current_app.config
    return (config["FOLLOW_UP_SECOND_DAYS"] + config["FOLLOW_UP_OPEN_DAYS"]) * 24 * 3600


def token_for(follow_up: FollowUp) -> str:
    """The token of this follow-up's link."""
    return _serializer().dumps({"f": follow_up.id, "n": follow_up.nonce})


def url_for_follow_up(follow_up: FollowUp) -> str:
    """The absolute link for an email."""
    return external_url("followups.answer_by_link", token=token_for(follow_up))


def read_token(token: str) -> tuple[FollowUp | None, str]:
    """(follow-up, "") for a live link, else (None, why): "invalid", "closed" (expired) or "gone" (account)."""
    try:
        payload = _serializer().loads(token, max_age=_max_age())
    except BadSignature:  # also SignatureExpired
        return None, "invalid"
    if not isinstance(payload, dict) or not isinstance(payload.get("f"), int) or not isinstance(payload.get("n"), str):
        return None, "invalid"
    follow_up = db.session.get(FollowUp, payload["f"])
    if follow_up is None or follow_up.nonce != payload["n"]:
        return None, "invalid"
    if follow_up.user is None or not follow_up.user.is_active:
        return None, "gone"
    if not follow_up.is_open(utcnow()):
        return None, "closed"
    return follow_up, ""
