"""Huey task for answers: the daily digest of declines, at 07:00 UTC."""

from __future__ import annotations

from huey import crontab

from matchmaker.jobs.queue import app_context, huey


@huey.periodic_task(crontab(hour="7", minute="0"))
def send_decline_digests() -> int:
    """Queue yesterday's declines for each round that asked for a digest."""
    from matchmaker.answers.service import send_digests
    from matchmaker.models import utcnow

    with app_context():
        return send_digests(utcnow())
