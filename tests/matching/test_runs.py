"""Runs as Huey jobs: end to end in immediate mode, overlap refused, dead workers, cancel, bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest


def test_a_run_through_the_huey_task_stores_the_plan_progress_and_first_draft(app, seeded, run_round):
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import MatchDraft, MatchRun
    from matchmaker.solver import check_bookkeeping, check_plan, parse_problem, plan_from_dict

    run_id = run_round(seeded.round_id)
    with app.test_request_context():
        run = db.session.get(MatchRun, run_id)
        assert run.status.value == "finished" and run.error is None
        assert run.started_at <= run.finished_at and run.heartbeat_at is not None
        problem = parse_problem(run.problem)
        plan = plan_from_dict(run.plan, problem)
        assert check_plan(problem, plan) == [] and check_bookkeeping(problem, plan) == []
        assert run.best_score == plan.score and run.best_bound == plan.bound
        assert run.progress and run.progress[-1][1] == plan.score
        # Everyone fits: 7 creatives over two sessions, c6 and c7 (one organisation) apart, the booking served.
        seated = {pid for s in plan.sessions for pid in s.participants}
        assert {seeded.pid(f"c{i}") for i in range(1, 8)} <= seated
        assert any(s.booking == f"b{seeded.booking_id}" for s in plan.sessions)
        [draft] = db.session.scalars(select(MatchDraft)).all()
        assert (draft.version, draft.run_id, draft.change, draft.plan) == (1, run_id, None, run.plan)


def test_two_runs_of_one_round_cannot_overlap_and_the_database_enforces_it(app, seeded):
    from sqlalchemy.exc import IntegrityError

    from matchmaker.extensions import db
    from matchmaker.matching.runs import RunError, start_run
    from matchmaker.models import MatchRun, Round, RunStatus

    with app.test_request_context():
        round_ = db.session.get(Round, seeded.round_id)
        first = start_run(round_, None, 5)
        db.session.commit()
        with pytest.raises(RunError) as refused:
            start_run(round_, None, 5)
        assert "already going" in refused.value.messages[0]
        db.session.rollback()
        # Past the service check: the partial unique index itself refuses a second active run.
        db.session.add(MatchRun(round_id=round_.id, status=RunStatus.RUNNING, time_limit=5, progress=[]))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        # A finished run does not block the next one.
        db.session.get(MatchRun, first.id).status = RunStatus.FINISHED
        db.session.commit()
        start_run(round_, None, 5)
        db.session.add(MatchRun(round_id=round_.id, status=RunStatus.FAILED, time_limit=5, progress=[]))
        db.session.commit()


def test_a_run_whose_worker_died_is_marked_failed_and_leaves_the_round_as_it_was(app, seeded):
    from sqlalchemy import func, select

    from matchmaker.extensions import db
    from matchmaker.matching.runs import execute_run, start_run, sweep_stale
    from matchmaker.matching.tasks import sweep_dead_runs
    from matchmaker.models import ConsultationSession, MatchDraft, MatchRun, Round, RunStatus, utcnow

    with app.test_request_context():
        round_ = db.session.get(Round, seeded.round_id)
        run = start_run(round_, None, 5)
        run.status, run.started_at = RunStatus.RUNNING, utcnow() - timedelta(minutes=5)
        run.heartbeat_at = utcnow() - timedelta(seconds=30)
        db.session.commit()
        assert sweep_stale() == 0  # 30 s without a heartbeat: still alive
        run.heartbeat_at = utcnow() - timedelta(minutes=3)
        db.session.commit()
        run_id = run.id
    from matchmaker.jobs.queue import use_app

    previous = use_app(app)  # as in a consumer: no app context, the app its entry made
    try:
        assert sweep_dead_runs.call_local() == 1  # the periodic task's own code
    finally:
        use_app(previous)
    with app.test_request_context():
        run = db.session.get(MatchRun, run_id)
        assert run.status == RunStatus.FAILED and "stopped responding" in run.error
        assert db.session.scalar(select(func.count(MatchDraft.id))) == 0
        assert db.session.scalar(select(func.count(ConsultationSession.id))) == 0
        assert execute_run(run_id) is None  # a late worker cannot revive it
        # And the round can be matched again.
        start_run(db.session.get(Round, seeded.round_id), None, 5)


def test_cancel_from_the_page_keeps_the_best_plan_so_far(app, seeded, organiser, client, sign_in):
    from matchmaker.extensions import db
    from matchmaker.matching.runs import execute_run, start_run
    from matchmaker.models import MatchDraft, MatchRun, Round
    from matchmaker.solver import parse_problem, plan_from_dict, score_plan
    from tests.helpers import csrf_token

    sign_in(organiser)
    with app.test_request_context():
        run = start_run(db.session.get(Round, seeded.round_id), None, 120)
        db.session.commit()
        run_id = run.id
    page = client.get(f"/organiser/rounds/{seeded.round_id}/matching/runs/{run_id}")
    token = csrf_token(page.get_data(as_text=True))
    answers = []

    def cancel_on_first_plan(progress):
        if not answers:  # the organiser presses Cancel while the solver is working
            answers.append(
                client.post(
                    f"/organiser/rounds/{seeded.round_id}/matching/runs/{run_id}/cancel", data={"csrf_token": token}
                )
            )

    with app.test_request_context():
        execute_run(run_id, workers=1, echo=cancel_on_first_plan)
    assert answers and answers[0].status_code == 302
    with app.test_request_context():
        run = db.session.get(MatchRun, run_id)
        assert run.status.value == "cancelled" and run.cancel_requested
        assert (run.finished_at - run.started_at).total_seconds() < 60  # well before the 120 s limit
        problem = parse_problem(run.problem)
        plan = plan_from_dict(run.plan, problem)
        assert plan.sessions and score_plan(problem, plan) == run.best_score == run.progress[-1][1]
        assert db.session.query(MatchDraft).filter_by(run_id=run_id).one().plan == run.plan


def test_cancelling_a_queued_run_stops_it_before_it_starts(app, seeded):
    from matchmaker.extensions import db
    from matchmaker.matching.runs import execute_run, request_cancel, start_run
    from matchmaker.models import MatchRun, Round

    with app.test_request_context():
        run = start_run(db.session.get(Round, seeded.round_id), None, 5)
        db.session.commit()
        request_cancel(run)
        db.session.commit()
        assert execute_run(run.id) is None
        run = db.session.get(MatchRun, run.id)
        assert run.status.value == "cancelled" and run.plan is None


def test_an_invalid_problem_fails_the_run_with_one_line_per_problem(app, seeded):
    from matchmaker.extensions import db
    from matchmaker.matching.runs import execute_run, start_run
    from matchmaker.models import MatchRun, Round

    with app.test_request_context():
        round_ = db.session.get(Round, seeded.round_id)
        round_.max_parallel_sessions = -1  # a rule no form allows, to reach the solver's validation
        run = start_run(round_, None, 5)
        db.session.commit()
        execute_run(run.id)
        run = db.session.get(MatchRun, run.id)
        assert run.status.value == "failed"
        assert run.error.splitlines() == ["rules.max_parallel_sessions: must be >= 0, got -1"]


def test_a_draft_round_cannot_be_matched_and_the_time_limit_is_bounded(app, make_round):
    from matchmaker.extensions import db
    from matchmaker.matching.runs import RunError, start_run
    from matchmaker.models import Round

    round_id = make_round(status="draft")
    with app.test_request_context():
        with pytest.raises(RunError) as refused:
            start_run(db.session.get(Round, round_id), None, 0)
        assert len(refused.value.messages) == 2
