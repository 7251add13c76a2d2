"""Huey tasks for matching: run one match, and sweep runs whose worker died."""

from __future__ import annotations

from huey import crontab

from matchmaker.jobs.queue import app_context, huey


@huey.task()
def run_match(run_id: int) -> str:
    """Run a queued match to the end (the run row records progress, the plan and any failure)."""
    from matchmaker.matching.service import execute_run

    with app_context():
        run = execute_run(run_id)
        return run.status.value if run is not None else "skipped"


@huey.periodic_task(crontab(minute="*"))
def sweep_dead_runs() -> int:
    """Every minute: runs with no heartbeat (their worker died) are marked failed."""
    from matchmaker.extensions import db
    from matchmaker.matching.service import sweep_stale

    with app_context():
        count = sweep_stale()
        db.session.commit()
        return count


def queue_run(run_id: int) -> bool:
    """Hand a committed run to the queue; False (and the run marked failed) if the queue is unreachable."""
    import logging

    from matchmaker.extensions import db
    from matchmaker.matching.service import fail_run

    try:
        run_match(run_id)
    except Exception:  # noqa: BLE001  (a queue outage must not leave the run queued for ever)
        logging.getLogger(__name__).exception("could not queue matching run %s", run_id)
        db.session.rollback()
        fail_run(run_id, "The job queue could not be reached.")
        return False
    return True
