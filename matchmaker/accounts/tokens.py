"""Signed, expiring links: email verification, password reset, email change, set password."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from matchmaker.extensions import db
from matchmaker.models import User

VERIFY = "verify-email"
RESET = "reset-password"
CHANGE_EMAIL = "change-email"


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    """A serializer whose salt is the link's purpose, so one kind cannot stand for another."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"cyswllt-{purpose}")


def _password_fingerprint(user: User) -> str:
    """Changes whenever the password does: a reset link stops working once used."""
    return hashlib.sha256((user.password_hash or "no-password").encode()).hexdigest()[:20]


def make_token(purpose: str, user: User, **extra: Any) -> str:
    """Sign a token for this user and purpose."""
    payload: dict[str, Any] = {"u": user.id, **extra}
    if purpose == RESET:
        payload["p"] = _password_fingerprint(user)
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: int | None = None) -> tuple[User, dict[str, Any]] | None:
    """The user and payload of a valid, unexpired token, else None."""
    if max_age is None:
        key = "RESET_MAX_AGE_SECONDS" if purpose == RESET else "TOKEN_MAX_AGE_SECONDS"
        max_age = current_app.config[key]
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        return None
    user = db.session.get(User, payload["u"])
    if user is None or user.deleted_at is not None:
        return None
    if purpose == RESET and payload.get("p") != _password_fingerprint(user):
        return None
    return user, payload
