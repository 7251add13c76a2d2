"""Huey tasks for mail: deliver one message, and sweep the outbox every minute."""

from __future__ import annotations

from huey import crontab

from matchmaker.jobs.queue import app_context, huey


@huey.task()
def deliver_message(message_id: int) -> str:
    """Deliver one outbox row; a retry is picked up by the sweep when it falls due."""
    from matchmaker.mail.delivery import deliver

    with app_context():
        return deliver(message_id)


@huey.task()
def deliver_messages(message_ids: list[int]) -> dict[str, int]:
    """Deliver a batch of outbox rows queued together (publishing); a count per outcome."""
    import logging

    from matchmaker.extensions import db
    from matchmaker.mail.delivery import deliver

    counts: dict[str, int] = {}
    with app_context():
        for message_id in message_ids:
            try:
                outcome = deliver(message_id)
            except Exception:  # one message's trouble must not hold up the rest; the sweep tries it again
                logging.getLogger(__name__).exception("could not deliver mail %s", message_id)
                db.session.rollback()
                outcome = "error"
            counts[outcome] = counts.get(outcome, 0) + 1
    return counts


@huey.periodic_task(crontab(minute="*"))
def deliver_due_mail() -> dict[str, int]:
    """Every minute: deliver what is due (retries after back-off, and anything missed)."""
    from matchmaker.mail.delivery import deliver_due

    with app_context():
        return deliver_due()


@huey.periodic_task(crontab(hour="3", minute="17"))
def purge_old_mail_bodies() -> int:
    """Every night: empty the bodies of emails sent more than OUTBOX_RETENTION_DAYS ago (rows stay)."""
    from matchmaker.mail.redact import purge_old_bodies

    with app_context():
        return purge_old_bodies()
