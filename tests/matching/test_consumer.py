"""A matching run through a real Huey consumer process on Redis (when REDIS_URL is set)."""

from __future__ import annotations

import os
import uuid

import pytest

from tests.jobs.queue_helpers import app_queue_on, running_consumer, wait_for

REDIS_URL = os.environ.get("REDIS_URL", "")


def test_a_consumer_on_redis_runs_the_match(app, seeded, tmp_path, smtp_server):
    if not REDIS_URL:
        pytest.skip("REDIS_URL is not set: the matching run through a Huey consumer on Redis needs Redis (CI sets it)")
    from matchmaker.extensions import db
    from matchmaker.jobs.queue import make_huey
    from matchmaker.matching.runs import start_run
    from matchmaker.matching.tasks import queue_run
    from matchmaker.models import MatchDraft, MatchRun, Round

    name = f"cyswllt-test-match-{uuid.uuid4().hex[:12]}"
    queue = make_huey(name, redis_url=REDIS_URL)
    try:
        with running_consumer(app, tmp_path, smtp_server.port, HUEY_NAME=name, REDIS_URL=REDIS_URL) as log:
            assert wait_for(lambda: "Huey consumer started" in log(), timeout=20), log()
            with app_queue_on(queue), app.test_request_context():
                run = start_run(db.session.get(Round, seeded.round_id), None, 2)
                db.session.commit()
                run_id = run.id
                assert queue_run(run_id)

            def finished() -> bool:
                with app.app_context():
                    return db.session.get(MatchRun, run_id).status.value == "finished"

            assert wait_for(finished, timeout=60), log()
            assert "run_match" in log()
        with app.app_context():
            run = db.session.get(MatchRun, run_id)
            assert run.plan["sessions"] and run.progress and run.best_score == run.plan["score"]
            assert db.session.query(MatchDraft).filter_by(run_id=run_id).count() == 1
    finally:
        queue.flush()
        leftovers = list(queue.storage.conn.scan_iter(match=f"*{name}*"))
        if leftovers:
            queue.storage.conn.delete(*leftovers)
