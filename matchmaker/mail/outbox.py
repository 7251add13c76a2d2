"""Writing messages to the outbox, inside the caller's transaction.

Delivery jobs are queued only after that transaction commits, so a rolled-back
change never sends mail and a committed one always has its row.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from matchmaker.extensions import db
from matchmaker.models import OutboxMessage, User

PENDING_KEY = "outbox_pending_ids"


def _message_id() -> str:
    """A globally unique Message-ID, fixed at queue time so retries keep it."""
    domain = current_app.config["MAIL_FROM"].rsplit("@", 1)[-1].rstrip(">").strip() or "cyswllt.invalid"
    return f"<{uuid.uuid4().hex}@{domain}>"


def queue_email(
    *,
    key: str,
    to_address: str,
    subject: str,
    text_body: str,
    html_body: str | None = None,
    to_name: str = "",
    user: User | None = None,
    calendar: str | None = None,
    calendar_method: str | None = None,
    attachments: list[dict[str, Any]] | None = None,
) -> OutboxMessage:
    """Add one message to the outbox in the current transaction; same key twice returns the first."""
    existing = db.session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))
    if existing is not None:
        return existing
    message = OutboxMessage(
        key=key,
        message_id=_message_id(),
        user_id=user.id if user is not None else None,
        to_address=to_address,
        to_name=to_name,
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        calendar=calendar,
        calendar_method=calendar_method,
        attachments=attachments or [],
    )
    db.session.add(message)
    db.session.flush()
    db.session.info.setdefault(PENDING_KEY, []).append(message.id)
    return message


def queue_templated_email(
    template: str, *, key: str, user: User, to_address: str | None = None, **context: Any
) -> OutboxMessage:
    """Render templates/emails/<template>.{txt,html} in the user's language and queue it."""
    with force_locale(user.language or "en"):
        subject = render_template(f"emails/{template}.subject.txt", user=user, **context).strip()
        text = render_template(f"emails/{template}.txt", user=user, **context)
        html = render_template(f"emails/{template}.html", user=user, subject=subject, **context)
    address = to_address or user.email
    if not address:
        raise ValueError("no address to send to")
    return queue_email(
        key=key, to_address=address, to_name=user.name, subject=subject, text_body=text, html_body=html, user=user
    )


@event.listens_for(Session, "after_commit")
def _enqueue_after_commit(session: Session) -> None:
    """Hand the newly committed messages to the delivery job."""
    ids = session.info.pop(PENDING_KEY, None)
    if not ids:
        return
    from matchmaker.mail.tasks import deliver_message

    for message_id in ids:
        deliver_message(message_id)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    """Rows rolled back were never written: nothing to deliver."""
    session.info.pop(PENDING_KEY, None)
