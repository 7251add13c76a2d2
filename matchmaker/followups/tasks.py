"""Huey tasks for follow-ups: every hour, send the follow-ups that are due and the one reminder each."""

from __future__ import annotations

from huey import crontab

from matchmaker.jobs.queue import app_context, huey


@huey.periodic_task(crontab(minute="20"))
def send_follow_ups() -> dict[str, int]:
    """Queue the follow-ups due now, then the reminders due now (each once)."""
    from matchmaker.followups.service import send_due, send_reminders

    with app_context():
        return {"sent": send_due(), "reminded": send_reminders()}
