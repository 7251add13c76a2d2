"""Writing messages to the outbox, inside the caller's transaction.

Delivery jobs are queued only after that transaction commits, so a rolled-back
change never sends mail and a committed one always has its row.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from email.utils import parseaddr
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from matchmaker.extensions import db
from matchmaker.mail.build import calendar_method_of
from matchmaker.models import OutboxMessage, User

PENDING_KEY = "outbox_pending_ids"
BATCH_ABOVE = 20  # more messages than this in one commit are handed to the queue in batches
BATCH = 100


def _message_id() -> str:
    """A globally unique Message-ID, fixed at queue time so retries keep it."""
    domain = parseaddr(current_app.config["MAIL_FROM"])[1].rpartition("@")[2] or "cyswllt.invalid"
    return f"<{uuid.uuid4().hex}@{domain}>"


def deliver_after_commit(message_id: int) -> None:
    """Hand this message to the delivery job once the current transaction commits.

    Each id is recorded with the innermost transaction (a savepoint, or the transaction
    itself) so that rolling back a savepoint forgets only what was queued inside it.
    """
    session = db.session()
    transaction = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(PENDING_KEY, []).append((transaction, message_id))


def _inside(transaction: SessionTransaction | None, outer: SessionTransaction) -> bool:
    """Is this transaction `outer` itself or nested somewhere inside it?"""
    while transaction is not None:
        if transaction is outer:
            return True
        transaction = transaction.parent
    return False


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
    reply_to: str = "",
) -> OutboxMessage:
    """Add one message to the outbox in the current transaction; same key twice returns the first."""
    existing = db.session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))
    if existing is not None:
        return existing
    if calendar is not None:
        method = calendar_method_of(calendar)
        if method is None or (calendar_method is not None and calendar_method.upper() != method):
            raise ValueError("the calendar needs a METHOD line, equal to calendar_method when that is given")
        calendar_method = method
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
        reply_to=reply_to,
    )
    db.session.add(message)
    db.session.flush()
    deliver_after_commit(message.id)
    return message


# Writers of deferred messages, by kind: spec -> {"subject", "text_body", "html_body", "calendar"}, or None
# when what the message was about is gone (nothing to send). Registered by the features that queue them.
RENDERERS: dict[str, Callable[[dict[str, Any]], dict[str, Any] | None]] = {}


def renderer(kind: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the function that writes deferred messages of this kind (see queue_deferred)."""

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        RENDERERS[kind] = function
        return function

    return register


def queue_deferred(rows: list[dict[str, Any]]) -> list[OutboxMessage]:
    """Queue several messages whose subject and bodies are written at delivery, in two statements.

    Each row: key, to_address, to_name, user_id, reply_to, calendar_method and render (a
    {"kind": ...} spec for RENDERERS[kind]). A key already queued is left alone. Publishing
    queues thousands of invitations: writing each one there would hold its transaction for a minute.
    """
    keys = [row["key"] for row in rows]
    if not keys:
        return []
    existing = set(db.session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.in_(keys))))
    messages = []
    for row in rows:
        if row["key"] in existing:
            continue
        existing.add(row["key"])
        messages.append(
            OutboxMessage(
                key=row["key"],
                message_id=_message_id(),
                user_id=row.get("user_id"),
                to_address=row["to_address"],
                to_name=row.get("to_name", ""),
                subject="",
                text_body="",
                calendar_method=row.get("calendar_method"),
                attachments=[],
                reply_to=row.get("reply_to", ""),
                render=row["render"],
            )
        )
    db.session.add_all(messages)
    db.session.flush()
    for message in messages:
        deliver_after_commit(message.id)
    return messages


def write_deferred(message: OutboxMessage) -> bool:
    """Write a deferred message's subject and bodies now (the caller commits); False if there is nothing to send.

    Raises whatever the renderer raises: the caller keeps the message queued for a retry.
    """
    if message.render is None:
        return True
    spec = dict(message.render)
    written = RENDERERS[spec["kind"]](spec)
    if written is None:
        return False
    message.subject = written["subject"]
    message.text_body = written["text_body"]
    message.html_body = written.get("html_body")
    calendar = written.get("calendar")
    if calendar is not None:
        method = calendar_method_of(calendar)
        if method is None:
            raise ValueError("the calendar needs a METHOD line")
        message.calendar, message.calendar_method = calendar, method
    message.render = None
    return True


def queue_templated_email(
    template: str, *, key: str, user: User, to_address: str | None = None, reply_to: str = "", **context: Any
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
        key=key,
        to_address=address,
        to_name=user.name,
        subject=subject,
        text_body=text,
        html_body=html,
        user=user,
        reply_to=reply_to,
    )


BULK_DELIVER_NOW = 50  # up to this many messages queued at once get a delivery job each after commit


def queue_templated_emails(template: str, items: list[tuple[str, User, dict[str, Any]]]) -> int:
    """Queue one templated email per (key, user, context) in the current transaction, in bulk.

    For many recipients at once (a bulk import): rendered once per language switch, written with
    one flush; keys already in the outbox are skipped. Up to BULK_DELIVER_NOW messages get a
    delivery job after commit; more are left to the every-minute sweep (`deliver_due_mail`),
    so that thousands of rows do not mean thousands of queue writes. Returns how many were queued.
    """
    keys = [key for key, _user, _context in items]
    existing: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        existing |= set(db.session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.in_(chunk))))
    messages: list[OutboxMessage] = []
    by_language: dict[str, list[tuple[str, User, dict[str, Any]]]] = {}
    for item in items:
        if item[0] not in existing:
            by_language.setdefault(item[1].language or "en", []).append(item)
    for language, group in by_language.items():
        with force_locale(language):
            for key, user, context in group:
                subject = render_template(f"emails/{template}.subject.txt", user=user, **context).strip()
                messages.append(
                    OutboxMessage(
                        key=key,
                        message_id=_message_id(),
                        user_id=user.id,
                        to_address=user.email,
                        to_name=user.name,
                        subject=subject,
                        text_body=render_template(f"emails/{template}.txt", user=user, **context),
                        html_body=render_template(f"emails/{template}.html", user=user, subject=subject, **context),
                        calendar=None,
                        calendar_method=None,
                        attachments=[],
                        reply_to="",
                    )
                )
    db.session.add_all(messages)
    db.session.flush()
    if len(messages) <= BULK_DELIVER_NOW:
        for message in messages:
            deliver_after_commit(message.id)
    return len(messages)


@event.listens_for(Session, "after_commit")
def _enqueue_after_commit(session: Session) -> None:
    """Hand the newly committed messages to the delivery job (only when the whole transaction commits).

    SQLAlchemy also fires after_commit when a savepoint is released; the rows are not
    visible to a worker until the outer transaction commits, so wait for that.
    """
    if session.in_nested_transaction():
        return
    pending = session.info.pop(PENDING_KEY, None)
    if not pending:
        return
    from matchmaker.mail.tasks import deliver_message, deliver_messages

    ids = list(dict.fromkeys(message_id for _, message_id in pending))
    # A few messages: a job each. Many (publishing): a job per batch, not thousands of queue writes.
    batches = [[i] for i in ids] if len(ids) <= BATCH_ABOVE else [ids[n : n + BATCH] for n in range(0, len(ids), BATCH)]
    for batch in batches:
        try:
            if len(batch) == 1:
                deliver_message(batch[0])
            else:
                deliver_messages(batch)
        except Exception:
            # The change is committed already; the periodic sweep will deliver the rows.
            logging.getLogger(__name__).exception("could not queue delivery of mail %s", batch)


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    """Rows rolled back were never written: nothing to deliver."""
    pending = session.info.get(PENDING_KEY)
    if not pending:
        return
    if not session.in_transaction():
        session.info.pop(PENDING_KEY, None)
        return
    # Only a savepoint was rolled back: forget what was queued inside it.
    session.info[PENDING_KEY] = [item for item in pending if not _inside(item[0], previous_transaction)]
