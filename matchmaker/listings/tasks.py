"""Huey task for listings: ask organisations to confirm their details, hide those that did not."""

from __future__ import annotations

from huey import crontab

from matchmaker.jobs.queue import app_context, huey


@huey.periodic_task(crontab(minute="20", hour="6"))
def keep_details_fresh() -> tuple[int, int]:
    """Daily at 06:20 UTC: email those due a check, hide those unconfirmed after the grace days; (asked, hidden)."""
    from matchmaker.listings.service import run_freshness

    with app_context():
        return run_freshness()
