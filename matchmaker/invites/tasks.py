"""Huey tasks for invites: reminders, checked every quarter of an hour."""

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
