"""Helpers for the account, organiser and site tests: pages, tokens, extra app instances."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from tests.helpers import csrf_token

SUMMARY_RE = re.compile(r'<div class="govuk-error-summary".*?</div>\s*</div>\s*</div>', re.S)
SUMMARY_LINK_RE = re.compile(r'<a href="#([^"]+)"[^>]*>([^<]+)</a>')


def text(response: Any) -> str:
    """The response body as text."""
    return response.get_data(as_text=True)


def error_summary(page: str) -> dict[str, str]:
    """The error summary's links: {field id: message}; asserts each link points at an element on the page."""
    match = SUMMARY_RE.search(page)
    assert match, "no error summary on the page"
    links = {target: html.unescape(message.strip()) for target, message in SUMMARY_LINK_RE.findall(match.group(0))}
    for target in links:
        assert f'id="{target}"' in page, f"error summary links to #{target}, which is not on the page"
    return links


def field_value(page: str, name: str) -> str | None:
    """The value attribute of the input with this name, if any."""
    tag = re.search(rf'<input[^>]*\bname="{re.escape(name)}"[^>]*>', page)
    assert tag, f"no input named {name}"
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else None


def checked_value(page: str, name: str) -> str | None:
    """The value of the checked radio button with this name, if any."""
    for tag in re.findall(rf'<input[^>]*\bname="{re.escape(name)}"[^>]*>', page):
        if re.search(r"\bchecked\b", tag):
            value = re.search(r'\bvalue="([^"]*)"', tag)
            return value.group(1) if value else None
    return None


def post_with_token(client: Any, url: str, data: dict[str, Any] | None = None, page: str = "/account/sign-in") -> Any:
    """POST with a CSRF token taken from a page this client can open (for button-only forms)."""
    token = csrf_token(text(client.get(page)))
    return client.post(url, data={"csrf_token": token, **(data or {})})


def signed_in_client(app: Any, user: Any, password: str | None = None) -> Any:
    """A fresh test client signed in as this user.

    With a password it signs in through the real form; without, it writes the session that
    sign-in would write (argon2 is slow on purpose, and most tests are not about sign-in).
    """
    client = app.test_client()
    if password is None:
        quick_sign_in(client, user)
        return client
    token = csrf_token(text(client.get("/account/sign-in")))
    response = client.post("/account/sign-in", data={"csrf_token": token, "email": user.email, "password": password})
    assert response.status_code == 302, text(response)[:500]
    return client


def quick_sign_in(client: Any, user: Any) -> None:
    """Put this user's current session token in the client's session, as login_user does."""
    from matchmaker.extensions import db
    from matchmaker.models import User

    with client.application.app_context():
        token = db.session.get(User, user.id).session_token
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}:{token}"
        session["_fresh"] = True


def is_signed_in(client: Any) -> bool:
    """Does the account page open (rather than redirect to sign-in)?"""
    response = client.get("/account/")
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
    return False


def aged_token(app: Any, purpose: str, payload: dict[str, Any], age_seconds: int) -> str:
    """A token signed as the app signs them, but dated age_seconds ago (itsdangerous timestamps)."""

    class PastSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - age_seconds

    serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=f"cyswllt-{purpose}", signer=PastSigner)
    return serializer.dumps(payload)


@contextmanager
def extra_app(overrides: dict[str, Any] | None = None, env: dict[str, str] | None = None) -> Iterator[Any]:
    """A second app instance on the same database (env applied while it is built).

    The limiter is one object shared by every app in the process; its storage is put back
    afterwards so the main test app keeps its own.
    """
    import os

    from matchmaker.extensions import limiter
    from matchmaker.factory import create_app

    saved_env = {key: os.environ.get(key) for key in (env or {})}
    saved_limiter = (limiter._storage, limiter._limiter)
    try:
        os.environ.update(env or {})
        app = create_app({"TESTING": True, **(overrides or {})})
    finally:
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    try:
        yield app
    finally:
        limiter._storage, limiter._limiter = saved_limiter
