"""Huey tasks for invites: reminders every quarter of an hour; answers from calendar apps every minute."""

from __future__ import annotations

from huey import crontab

from matchmaker.jobs.queue import app_context, huey


@huey.periodic_task(crontab(minute="*/15"))
def send_session_reminders() -> int:
    """Queue the day-before and morning reminders that are due (each is sent once)."""
    from matchmaker.invites.reminders import send_reminders
    from matchmaker.models import utcnow

    with app_context():
        return send_reminders(utcnow())


@huey.periodic_task(crontab(minute="*"))
def read_calendar_replies() -> dict[str, int]:
    """Every minute: read answers from calendar apps in the IMAP mailbox (nothing when IMAP_URL is unset)."""
    from flask import current_app

    from matchmaker.invites.inbound import poll_imap

    with app_context():
        if not current_app.config.get("IMAP_URL"):
            return {}
        return poll_imap()
