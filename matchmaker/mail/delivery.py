"""Deliver outbox rows over SMTP: claim, send, record; retry with back-off; never twice."""

from __future__ import annotations

import smtplib
import ssl
from datetime import datetime, timedelta
from email.utils import parseaddr

from flask import current_app
from sqlalchemy import ColumnElement, and_, or_, select, update

from matchmaker.extensions import db
from matchmaker.mail.build import build_mime
from matchmaker.mail.outbox import deliver_after_commit, write_deferred
from matchmaker.models import OutboxMessage, OutboxStatus, utcnow

CLAIM_TIMEOUT = timedelta(minutes=10)


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 30 s, 1 min, 2 min, ... at most an hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def mail_enabled() -> bool:
    """Is an SMTP server configured? Without one, mail stays in the outbox."""
    return bool(current_app.config.get("MAIL_SERVER"))


def _due(now: datetime) -> ColumnElement[bool]:
    """Queued and due now, or claimed by a sender that has not finished for too long (it died)."""
    return or_(
        and_(
            OutboxMessage.status == OutboxStatus.QUEUED,
            or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
        ),
        and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_at < now - CLAIM_TIMEOUT),
    )


def _claim(message_id: int) -> OutboxMessage | None:
    """Atomically mark one due message as being sent; None if someone else has it or it is done.

    One UPDATE ... WHERE <still due>: of two workers racing for a row, the database lets
    exactly one change it (SQLite serialises writers; PostgreSQL re-checks the WHERE
    after waiting for the row lock).
    """
    now = utcnow()
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, _due(now))
        .values(status=OutboxStatus.SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount != 1:
        return None
    return db.session.get(OutboxMessage, message_id, populate_existing=True)


def _send(message: OutboxMessage) -> None:
    """Hand one message to the SMTP server; raises on any failure."""
    config = current_app.config
    sender = config["MAIL_FROM"]
    mime = build_mime(message, sender)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        smtp.ehlo()
        if config["MAIL_USE_STARTTLS"]:
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(mime, from_addr=parseaddr(sender)[1], to_addrs=[message.to_address])


# 5xx answers about our own settings (log in first, STARTTLS first, wrong password): fixing
# the settings makes every waiting message go, so keep retrying rather than fail each one.
_SETTINGS_CODES = {530, 534, 535, 538}


def _is_permanent(error: Exception) -> bool:
    """A 5xx answer about the recipient or the message will not change on retry."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    code = getattr(error, "smtp_code", None)
    return isinstance(code, int) and 500 <= code < 600 and code not in _SETTINGS_CODES


def _record_failure(message: OutboxMessage, error: Exception, permanent: bool) -> str:
    """Put a message that could not be sent back in the queue (with back-off), or mark it failed."""
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    message.claimed_at = None
    if permanent or message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        message.status = OutboxStatus.FAILED
        message.next_attempt_at = None
        outcome = "failed"
    else:
        message.status = OutboxStatus.QUEUED
        message.next_attempt_at = utcnow() + backoff(message.attempts)
        outcome = "retry"
    db.session.commit()
    current_app.logger.warning("mail %s to %s (%s): %s", message.id, message.to_address, outcome, message.last_error)
    return outcome


def deliver(message_id: int) -> str:
    """Try to deliver one message now; returns 'sent', 'retry', 'failed', 'kept' or 'skipped'.

    A deferred message (publishing's invitations) is written first, even with no mail server (the
    outbox then shows it); if writing fails it stays queued and is tried again when the sweep runs.
    """
    written = write_now(message_id)
    if written != "ok":
        return written
    if not mail_enabled():
        return "kept"
    message = _claim(message_id)
    if message is None:
        return "skipped"
    try:
        _send(message)
    except (smtplib.SMTPException, OSError) as error:
        return _record_failure(message, error, _is_permanent(error))
    except Exception as error:  # a message we cannot even build will not build next time either
        current_app.logger.exception("mail %s could not be built", message.id)
        return _record_failure(message, error, permanent=True)
    message.status = OutboxStatus.SENT
    message.sent_at = utcnow()
    message.next_attempt_at = None
    db.session.commit()  # last_error stays: the organiser can see why earlier tries failed
    return "sent"


def write_now(message_id: int) -> str:
    """Write a deferred message's bodies and commit: 'ok' (or nothing to write), 'retry' or 'failed'."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.render is None or message.status != OutboxStatus.QUEUED:
        return "ok"
    try:
        if write_deferred(message):
            db.session.commit()
            return "ok"
    except Exception as error:  # noqa: BLE001  (kept queued and retried: a message is never dropped)
        db.session.rollback()
        message = db.session.get(OutboxMessage, message_id)
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        message.next_attempt_at = utcnow() + backoff(max(message.attempts, 1))
        db.session.commit()
        current_app.logger.exception("mail %s could not be written", message_id)
        return "retry"
    message.status = OutboxStatus.FAILED
    message.last_error = "Not sent: what this email was about no longer exists (the place or the account is gone)."
    db.session.commit()
    return "failed"


def due_message_ids(limit: int = 200) -> list[int]:
    """Messages waiting whose next try is due, oldest first (and claims that went stale)."""
    query = select(OutboxMessage.id).where(_due(utcnow())).order_by(OutboxMessage.id).limit(limit)
    return list(db.session.scalars(query))


def deliver_due() -> dict[str, int]:
    """Deliver every due message; returns a count per outcome."""
    counts: dict[str, int] = {}
    if not mail_enabled():
        return counts
    seen: set[int] = set()
    while batch := [message_id for message_id in due_message_ids() if message_id not in seen]:
        for message_id in batch:
            seen.add(message_id)
            outcome = deliver(message_id)
            counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def retry_failed(message: OutboxMessage) -> None:
    """An organiser asks for a failed message to be tried again from scratch."""
    message.status = OutboxStatus.QUEUED
    message.attempts = 0
    message.next_attempt_at = None
    message.claimed_at = None
    deliver_after_commit(message.id)
