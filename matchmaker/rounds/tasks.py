"""Huey task for rounds: registration closes by itself at the round's closing time."""

from __future__ import annotations

from huey import crontab

from matchmaker.jobs.queue import app_context, huey


@huey.periodic_task(crontab(minute="*"))
def close_registration_when_due() -> int:
    """Close open rounds whose closing time has come and tell each organiser mailbox; returns how many closed."""
    from matchmaker.rounds.service import close_due

    with app_context():
        return close_due()
