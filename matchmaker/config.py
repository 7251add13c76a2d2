"""Settings from the environment, with embedded defaults for a laptop."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("INSTANCE_PATH", ROOT / "instance"))


def _flag(name: str, default: bool) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    INSTANCE.mkdir(parents=True, exist_ok=True)
    path = INSTANCE / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def database_url() -> str:
    """The SQLAlchemy URL: DATABASE_URL, else a SQLite file in instance/."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE / 'cyswllt.db'}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def load_config() -> dict[str, object]:
    """Build the Flask config mapping from the environment."""
    env = os.environ.get("CYSWLLT_ENV", "production")
    development = env == "development"
    redis_url = os.environ.get("REDIS_URL", "")
    return {
        "ENV_NAME": env,
        "SECRET_KEY": _secret_key(),
        "SQLALCHEMY_DATABASE_URI": database_url(),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": redis_url,
        "HUEY_SQLITE_PATH": os.environ.get("HUEY_SQLITE_PATH", str(INSTANCE / "huey.db")),
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_STARTTLS": _flag("MAIL_USE_STARTTLS", True),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Cyswllt <no-reply@cyswllt.invalid>"),
        "MAIL_MAX_ATTEMPTS": int(os.environ.get("MAIL_MAX_ATTEMPTS", "8")),
        "ORGANISER_MAILBOX": os.environ.get("ORGANISER_MAILBOX", "organisers@cyswllt.invalid"),
        # The round mailbox, read every minute for answers from calendar apps (unset: not read).
        "IMAP_URL": os.environ.get("IMAP_URL", ""),
        "IMAP_PROCESSED_FOLDER": os.environ.get("IMAP_PROCESSED_FOLDER", "Cyswllt processed"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", not development),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", not development),
        "PERMANENT_SESSION_LIFETIME": int(os.environ.get("SESSION_LIFETIME_SECONDS", str(12 * 3600))),
        "WTF_CSRF_TIME_LIMIT": None,
        "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", True),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "cyswllt"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # If Redis is unreachable, count in memory rather than failing the sign-in page.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "PROXY_FIX_X_FOR": int(os.environ.get("PROXY_FIX_X_FOR", "0")),
        "SIGN_IN_RATE_LIMIT": os.environ.get("SIGN_IN_RATE_LIMIT", "10 per minute;50 per hour"),
        "TOKEN_MAX_AGE_SECONDS": int(os.environ.get("TOKEN_MAX_AGE_SECONDS", str(48 * 3600))),
        "RESET_MAX_AGE_SECONDS": int(os.environ.get("RESET_MAX_AGE_SECONDS", str(3600))),
        # Requests larger than this get a 413 page before any form is read; no form here needs more.
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", str(1024 * 1024))),
        "MAX_FORM_MEMORY_SIZE": 200_000,
        "MAX_FORM_PARTS": 2000,
        # Follow-ups after a session: the first this many days after it, the second after the other
        # number; one reminder when a follow-up is unanswered this many days; the last one closes after
        # FOLLOW_UP_OPEN_DAYS (the first stays open, and editable, until the second is due).
        "FOLLOW_UP_FIRST_DAYS": int(os.environ.get("FOLLOW_UP_FIRST_DAYS", "7")),
        "FOLLOW_UP_SECOND_DAYS": int(os.environ.get("FOLLOW_UP_SECOND_DAYS", "182")),
        "FOLLOW_UP_REMINDER_DAYS": int(os.environ.get("FOLLOW_UP_REMINDER_DAYS", "7")),
        "FOLLOW_UP_OPEN_DAYS": int(os.environ.get("FOLLOW_UP_OPEN_DAYS", "60")),
        "OUTBOX_RETENTION_DAYS": int(os.environ.get("OUTBOX_RETENTION_DAYS", "90")),
        "IMPORT_MAX_BYTES": int(os.environ.get("IMPORT_MAX_BYTES", str(10 * 1024 * 1024))),
        "FRESHNESS_CHECK_DAYS": int(os.environ.get("FRESHNESS_CHECK_DAYS", "182")),
        "FRESHNESS_GRACE_DAYS": int(os.environ.get("FRESHNESS_GRACE_DAYS", "30")),
        "DATA_CONTROLLER_NAME": os.environ.get("DATA_CONTROLLER_NAME", "Cyswllt"),
        "DATA_CONTROLLER_CONTACT": os.environ.get("DATA_CONTROLLER_CONTACT", "privacy@cyswllt.invalid"),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "Europe/London",
        "LANGUAGES": ("en", "cy"),
    }
