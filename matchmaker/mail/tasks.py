"""Huey tasks for mail: deliver one message, and sweep the outbox every minute."""

from __future__ import annotations

from huey import crontab

from matchmaker.jobs import app_context, huey


@huey.task()
def deliver_message(message_id: int) -> str:
    """Deliver one outbox row; a retry is picked up by the sweep when it falls due."""
    from matchmaker.mail.delivery import deliver

    with app_context():
        return deliver(message_id)


@huey.periodic_task(crontab(minute="*"))
def deliver_due_mail() -> dict[str, int]:
    """Every minute: deliver what is due (retries after back-off, and anything missed)."""
    from matchmaker.mail.delivery import deliver_due

    with app_context():
        return deliver_due()


@huey.periodic_task(crontab(minute="*"))
def read_calendar_replies() -> dict[str, int]:
    """Every minute: read answers from calendar apps in the IMAP mailbox (nothing when IMAP_URL is unset)."""
    from flask import current_app

    from matchmaker.mail.inbound import poll_imap

    with app_context():
        if not current_app.config.get("IMAP_URL"):
            return {}
        return poll_imap()
