"""Security headers, safe redirects and the role decorator every route uses."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Flask, Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.routing import IntegerConverter, Map, ValidationError

from matchmaker.models import Role

F = TypeVar("F", bound=Callable[..., Any])

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` for ids: plain digits up to the largest database integer, else the route does not match (404)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> Any:
        """Refuse non-ASCII digits and absurd lengths before int() sees them."""
        if len(value) > 10 or not value.isascii():
            raise ValidationError()
        return super().to_python(value)


def refuse_nul_in_query() -> None:
    """A NUL byte in the address or query is never a real request; PostgreSQL would refuse it later."""
    if "\x00" in request.path or any("\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)):
        abort(404)


# The headers every response carries (static files too: WhiteNoise adds them, see web/assets.py).
COMMON_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def add_security_headers(response: Response) -> Response:
    """Set the headers every response carries."""
    for name, value in COMMON_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint != "static" and current_user and current_user.is_authenticated:
        # Signed-in pages show personal data: no shared or back-button cache may keep them.
        response.headers["Cache-Control"] = "no-store"
    return response


def safe_next(target: str | None, default: str) -> str:
    """Return target only if it is a path on this site, else default."""
    if not target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return default  # control characters: browsers drop some (/\t/evil -> //evil), others split headers
    target = target.replace("\\", "/")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def role_required(*roles: Role, approved: bool = True, verified: bool = True) -> Callable[[F], F]:
    """Allow only signed-in users with one of these roles (any role if none given).

    approved: commissioners and link workers must have been approved by an organiser.
    verified: the email address must have been confirmed.
    """

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                flash(_("Sign in to continue."), "info")
                return redirect(url_for("accounts.sign_in", next=request.full_path.rstrip("?")))
            if roles and current_user.role not in roles:
                abort(403)
            if verified and not current_user.is_verified:
                return redirect(url_for("accounts.verify_needed"))
            if approved and not current_user.is_approved:
                return redirect(url_for("accounts.awaiting_approval"))
            return view(*args, **kwargs)

        wrapped.__dict__["role_checked"] = True
        return wrapped  # type: ignore[return-value]

    return decorator


def organiser_only(view: F) -> F:
    """Allow only signed-in organisers."""
    return role_required(Role.ORGANISER)(view)


def public(view: F) -> F:
    """Mark a view as deliberately open to everyone (checked by a test over all routes)."""
    view.__dict__["role_checked"] = True
    return view


def init_app(app: Flask) -> None:
    """Bounded ids in every route, the NUL guard, and the headers on every response (before blueprints register)."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(refuse_nul_in_query)
    app.after_request(add_security_headers)
