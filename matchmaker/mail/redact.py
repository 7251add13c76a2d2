"""Taking personal data out of stored mail: an erased person's name in others' emails, and old bodies."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy import or_, select, update

from matchmaker.extensions import db
from matchmaker.models import OutboxMessage, OutboxStatus, User, utcnow

_UNFOLD_RE = re.compile(r"\r?\n[ \t]")


def _unfold(calendar: str) -> str:
    """RFC 5545 unfolding: a line break followed by one space or tab continues the line."""
    return _UNFOLD_RE.sub("", calendar)


def _fold(calendar: str) -> str:
    """RFC 5545 folding: lines of at most 75 octets, never splitting a UTF-8 character."""
    out: list[str] = []
    for line in calendar.split("\r\n"):
        pieces, current, size = [], "", 0
        for char in line:
            width = len(char.encode("utf-8"))
            if size + width > (75 if not pieces else 74):
                pieces.append(current)
                current, size = "", 0
            current += char
            size += width
        pieces.append(current)
        out.append("\r\n ".join(pieces))
    return "\r\n".join(out)


def _pattern(names: list[str]) -> re.Pattern[str] | None:
    """One regex for the names as whole words, longest first (so 'Name, Organisation' goes in one piece)."""
    usable = sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True)
    if not usable:
        return None
    return re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in usable))


def redact_names(names: list[str], placeholder_for: User | None = None) -> int:
    """Replace these names in every stored email (text, HTML, calendar) with "Deleted user"; how many rows changed.

    The placeholder is in each recipient's language. Runs in the caller's transaction.
    """
    names = [n for n in names if n]
    plain = _pattern(names)
    if plain is None:
        return 0
    escaped = _pattern([str(escape(n)) for n in names])
    ical = _pattern([n.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;") for n in names])
    words = [n.strip() for n in names if n and len(n.strip()) >= 2]
    candidates = db.session.scalars(
        select(OutboxMessage).where(
            or_(*[OutboxMessage.text_body.contains(w, autoescape=True) for w in words]),
        )
    ).all()
    changed = 0
    for message in candidates:
        recipient = db.session.get(User, message.user_id) if message.user_id else None
        with force_locale((recipient.language if recipient else None) or "en"):
            placeholder = _("Deleted user")
        text = plain.sub(placeholder, message.text_body)
        html_body = escaped.sub(str(escape(placeholder)), message.html_body) if message.html_body and escaped else None
        calendar = None
        if message.calendar and ical:
            calendar = _fold(ical.sub(placeholder, _unfold(message.calendar)))
        if text != message.text_body or html_body != message.html_body or calendar != message.calendar:
            message.text_body = text
            if message.html_body is not None:
                message.html_body = html_body
            if message.calendar is not None:
                message.calendar = calendar
            changed += 1
    return changed


def purge_old_bodies() -> int:
    """Empty the bodies of emails sent more than OUTBOX_RETENTION_DAYS ago, keeping the row's metadata."""
    days = current_app.config["OUTBOX_RETENTION_DAYS"]
    cutoff = utcnow() - timedelta(days=days)
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.SENT,
            OutboxMessage.sent_at < cutoff,
            OutboxMessage.body_purged_at.is_(None),
        )
        .values(text_body="", html_body=None, calendar=None, attachments=[], body_purged_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount or 0
