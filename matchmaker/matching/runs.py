"""Matching runs: start one, run the solver with live progress and cancellation, sweep dead ones.

The same `execute_run` runs in a Huey consumer (SQLite storage or Redis) and in the
`flask match run` command. Progress and the heartbeat are written from the solver's
callback threads through the engine in short transactions of their own, never through the
request's session, so the progress page only ever reads.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from matchmaker.extensions import db
from matchmaker.matching.locks import keep_locked
from matchmaker.matching.overrides import carried
from matchmaker.matching.problem import problem_for
from matchmaker.matching.refill import drop_forbidden, forbidden_pairs, refill_forbidden, refill_only
from matchmaker.models import (
    ConsultationSession,
    MatchDraft,
    MatchRun,
    Round,
    RoundStatus,
    RunKind,
    RunStatus,
    SessionStatus,
    User,
    utcnow,
)
from matchmaker.solver import Plan, ProblemError, Progress, plan_to_dict, solve

log = logging.getLogger(__name__)

MIN_TIME_LIMIT = 1
MAX_TIME_LIMIT = 3600
MAX_POINTS = 300  # progress points kept per run (older ones are thinned)


class RunError(ValueError):
    """A run that cannot start; messages are translated, one per problem."""

    def __init__(self, messages: list[str]) -> None:
        """Keep every message."""
        super().__init__("; ".join(messages))
        self.messages = messages


def _setting(name: str, default: float) -> float:
    """A matching setting from the app config, with its default."""
    return float(current_app.config.get(name, default))


def heartbeat_timeout() -> float:
    """Seconds without a heartbeat after which a running run counts as dead."""
    return _setting("MATCH_HEARTBEAT_TIMEOUT", 60)


def queued_timeout() -> float:
    """Seconds a run may wait for a worker before it counts as lost."""
    return _setting("MATCH_QUEUED_TIMEOUT", 900)


# --- starting and cancelling ----------------------------------------------------------------


def has_published(round_: Round) -> bool:
    """Does the round have published sessions still going ahead?"""
    return (
        db.session.scalar(
            select(func.count(ConsultationSession.id)).where(
                ConsultationSession.round_id == round_.id, ConsultationSession.status == SessionStatus.SCHEDULED
            )
        )
        or 0
    ) > 0


def matchable_rounds(limit: int = 5) -> list[Round]:
    """Open and closed rounds, the latest closing first: the ones an organiser may match (home page links)."""
    return list(
        db.session.scalars(
            select(Round)
            .where(Round.status != RoundStatus.DRAFT)
            .order_by(Round.registration_closes_at.desc(), Round.id.desc())
            .limit(limit)
        )
    )


def start_run(round_: Round, user: User | None, time_limit: float, kind: RunKind = RunKind.FULL) -> MatchRun:
    """Queue a run for this round (the caller commits, then calls tasks.queue_run)."""
    sweep_stale(round_.id)
    problems = []
    if round_.status == RoundStatus.DRAFT:
        problems.append(_("Open the round before matching: a draft round has no registrations yet."))
    if not MIN_TIME_LIMIT <= time_limit <= MAX_TIME_LIMIT:
        problems.append(
            _("Enter a time limit between %(low)d and %(high)d seconds", low=MIN_TIME_LIMIT, high=MAX_TIME_LIMIT)
        )
    if kind == RunKind.REFILL and not has_published(round_):
        problems.append(_("A refill fills free places in published sessions, and this round has none yet."))
    if problems:
        raise RunError(problems)
    run = MatchRun(
        round_id=round_.id,
        kind=kind,
        time_limit=float(time_limit),
        status=RunStatus.QUEUED,
        created_by_id=user.id if user is not None else None,
        heartbeat_at=utcnow(),
        progress=[],
    )
    try:
        with db.session.begin_nested():
            db.session.add(run)
            db.session.flush()
    except IntegrityError:
        raise RunError(
            [_("A matching run is already going for this round. Wait for it to finish, or cancel it.")]
        ) from None
    return run


def active_run(round_id: int) -> MatchRun | None:
    """The round's queued or running run, if any."""
    return db.session.scalar(
        select(MatchRun).where(
            MatchRun.round_id == round_id, MatchRun.status.in_([RunStatus.QUEUED, RunStatus.RUNNING])
        )
    )


def request_cancel(run: MatchRun) -> None:
    """Cancel: a queued run stops at once; a running one stops at its next check and keeps its best plan."""
    now = utcnow()
    db.session.execute(
        update(MatchRun)
        .where(MatchRun.id == run.id, MatchRun.status == RunStatus.QUEUED)
        .values(status=RunStatus.CANCELLED, finished_at=now, cancel_requested=True)
    )
    db.session.execute(
        update(MatchRun)
        .where(MatchRun.id == run.id, MatchRun.status == RunStatus.RUNNING)
        .values(cancel_requested=True)
    )
    db.session.expire(run)


def sweep_stale(round_id: int | None = None) -> int:
    """Mark runs whose worker died (no heartbeat) or never started as failed; returns how many."""
    now = utcnow()
    dead = MatchRun.status == RunStatus.RUNNING
    dead = dead & (MatchRun.heartbeat_at < now - timedelta(seconds=heartbeat_timeout()))
    lost = (MatchRun.status == RunStatus.QUEUED) & (MatchRun.created_at < now - timedelta(seconds=queued_timeout()))
    count = 0
    for condition, message in (
        (dead, "The worker running this match stopped responding."),
        (lost, "No worker started this match in time."),
    ):
        if round_id is not None:
            condition = condition & (MatchRun.round_id == round_id)
        # Read first: the pages that sweep are GETs, and on SQLite an UPDATE, even of no row, would
        # take the write lock and make the page wait for a running match's progress writes.
        if db.session.scalar(select(MatchRun.id).where(condition).limit(1)) is None:
            continue
        query = update(MatchRun).where(condition).values(status=RunStatus.FAILED, finished_at=now, error=message)
        count += db.session.execute(query).rowcount or 0
    return count


# --- running ------------------------------------------------------------------------------


class Reporter:
    """Writes progress points and the heartbeat, and answers should_stop, from any thread."""

    def __init__(self, engine: Engine, run_id: int, echo: Callable[[Progress], None] | None = None) -> None:
        """Nothing is written until the solver reports."""
        self.engine = engine
        self.run_id = run_id
        self.echo = echo
        self.points: list[list[float]] = []
        self.lock = threading.Lock()
        self.last_write = 0.0
        self.last_poll = 0.0
        self.stop = False
        self.dirty = False

    def progress(self, p: Progress) -> None:
        """A better plan was found: remember it, and write it out at most twice a second."""
        with self.lock:
            self.points.append([round(p.seconds, 2), int(p.score), int(p.bound)])
            self.dirty = True
        if self.echo is not None:
            self.echo(p)
        if time.monotonic() - self.last_write >= 0.5:
            self.flush()

    def flush(self) -> None:
        """Write the points and heartbeat now."""
        with self.lock:
            points = _thin(list(self.points))
            self.dirty = False
            self.last_write = time.monotonic()
        values: dict[str, Any] = {"heartbeat_at": utcnow(), "progress": points}
        if points:
            values.update(best_score=int(points[-1][1]), best_bound=int(points[-1][2]))
        with self.engine.begin() as conn:
            conn.execute(update(MatchRun.__table__).where(MatchRun.__table__.c.id == self.run_id).values(**values))

    def should_stop(self) -> bool:
        """Polled by the solver about ten times a second: read the cancel flag (and beat) once a second."""
        if self.stop:
            return True
        if time.monotonic() - self.last_poll < 1.0:
            return False
        self.last_poll = time.monotonic()
        table = MatchRun.__table__
        with self.engine.begin() as conn:
            conn.execute(update(table).where(table.c.id == self.run_id).values(heartbeat_at=utcnow()))
            row = conn.execute(select(table.c.status, table.c.cancel_requested).where(table.c.id == self.run_id)).one()
        if row.cancel_requested or row.status != RunStatus.RUNNING.value:
            self.stop = True
        return self.stop


def _thin(points: list[list[float]]) -> list[list[float]]:
    """Keep at most MAX_POINTS points: the first, the latest, and evenly spaced ones between."""
    if len(points) <= MAX_POINTS:
        return points
    step = len(points) / (MAX_POINTS - 1)
    return [points[int(i * step)] for i in range(MAX_POINTS - 1)] + [points[-1]]


def _claim(run_id: int) -> bool:
    """queued -> running, atomically (a second worker given the same job does nothing)."""
    now = utcnow()
    done = db.session.execute(
        update(MatchRun)
        .where(MatchRun.id == run_id, MatchRun.status == RunStatus.QUEUED)
        .values(status=RunStatus.RUNNING, started_at=now, heartbeat_at=now)
    ).rowcount
    db.session.commit()
    return bool(done)


def fail_run(run_id: int, message: str) -> None:
    """Record a failure (the round is left as it was: no draft)."""
    db.session.rollback()
    db.session.execute(
        update(MatchRun)
        .where(MatchRun.id == run_id, MatchRun.status.in_([RunStatus.QUEUED, RunStatus.RUNNING]))
        .values(status=RunStatus.FAILED, finished_at=utcnow(), error=message)
    )
    db.session.commit()


def latest_overrides(round_id: int) -> list[dict[str, Any]]:
    """The people added against a rule in the round's latest draft (a re-run keeps those still in its plan)."""
    draft = db.session.scalar(
        select(MatchDraft).where(MatchDraft.round_id == round_id).order_by(MatchDraft.version.desc()).limit(1)
    )
    return list(draft.overrides or []) if draft is not None else []


def latest_locked(round_id: int) -> list[dict[str, Any]]:
    """The locked sessions of the round's latest draft (a full re-run keeps them as fixed)."""
    draft = db.session.scalar(
        select(MatchDraft).where(MatchDraft.round_id == round_id).order_by(MatchDraft.version.desc()).limit(1)
    )
    if draft is None or not draft.locked:
        return []
    return [s for s in draft.plan.get("sessions", []) if s["id"] in set(draft.locked)]


def execute_run(
    run_id: int, *, workers: int | None = None, seed: int = 0, echo: Callable[[Progress], None] | None = None
) -> MatchRun | None:
    """Run a queued run to the end: build the problem, solve, store the plan and its first draft."""
    if not _claim(run_id):
        return None
    run = db.session.get(MatchRun, run_id)
    assert run is not None
    try:
        round_ = db.session.get(Round, run.round_id)
        assert round_ is not None
        locked = latest_locked(round_.id) if run.kind == RunKind.FULL else []
        overrides = latest_overrides(round_.id)
        try:
            data, problem = problem_for(round_, locked)
        except ProblemError as error:
            fail_run(run_id, "\n".join(error.problems))
            return db.session.get(MatchRun, run_id)
        forbidden = forbidden_pairs(round_)
        run.problem = data
        db.session.commit()
        reporter = Reporter(db.engine, run_id, echo)
        plan = solve(
            problem,
            time_limit=run.time_limit,
            workers=workers or int(_setting("MATCH_WORKERS", 1)),
            seed=seed,
            on_progress=reporter.progress,
            should_stop=reporter.should_stop,
        )
        plan = (
            refill_only(problem, plan, refill_forbidden(problem, forbidden))
            if run.kind == RunKind.REFILL
            else drop_forbidden(problem, plan, forbidden)
        )
        locked_ids = {entry["id"] for entry in locked}
        plan = keep_locked(problem, plan, locked_ids)
        reporter.flush()
        return _finish(run_id, plan, reporter, locked_ids, overrides)
    except Exception as error:  # noqa: BLE001  (any failure must leave the run marked, never running)
        log.exception("matching run %s failed", run_id)
        fail_run(run_id, f"{type(error).__name__}: {error}")
        return db.session.get(MatchRun, run_id)


def _finish(
    run_id: int,
    plan: Plan,
    reporter: Reporter,
    locked: set[str] | None = None,
    overrides: list[dict[str, Any]] | None = None,
) -> MatchRun | None:
    """Store the plan and its first draft in one transaction, unless the run was failed meanwhile."""
    db.session.expire_all()
    run = db.session.get(MatchRun, run_id)
    if run is None or run.status != RunStatus.RUNNING:
        return run
    run.status = RunStatus.CANCELLED if run.cancel_requested else RunStatus.FINISHED
    run.finished_at = utcnow()
    run.plan = plan_to_dict(plan)
    run.best_score, run.best_bound, run.plan_status = plan.score, plan.bound, plan.status
    points = list(run.progress or [])
    last = [round(plan.solve_seconds, 2), plan.score, plan.bound]
    if not points or points[-1][1:] != last[1:]:
        points.append(last)
    run.progress = _thin(points)
    draft = add_draft(run.round_id, run.id, run.plan, change=None, user_id=run.created_by_id)
    draft.locked = sorted(s["id"] for s in run.plan["sessions"] if s["id"] in (locked or set()))
    draft.overrides = carried(overrides or [], run.plan)
    db.session.commit()
    return run


def next_version(round_id: int) -> int:
    """The version number the round's next draft gets."""
    return (db.session.scalar(select(func.max(MatchDraft.version)).where(MatchDraft.round_id == round_id)) or 0) + 1


def add_draft(
    round_id: int,
    run_id: int,
    plan: dict[str, Any],
    *,
    change: dict[str, Any] | None,
    user_id: int | None,
    parent: MatchDraft | None = None,
) -> MatchDraft:
    """Store a new draft version (the caller commits)."""
    draft = MatchDraft(
        round_id=round_id,
        run_id=run_id,
        version=next_version(round_id),
        parent_id=parent.id if parent is not None else None,
        plan=plan,
        change=change,
        locked=[s for s in (parent.locked if parent else []) if s in {x["id"] for x in plan["sessions"]}],
        overrides=carried(parent.overrides or [], plan) if parent else [],
        kept_short=list(parent.kept_short) if parent else [],
        created_by_id=user_id,
    )
    db.session.add(draft)
    db.session.flush()
    return draft


# --- reading ------------------------------------------------------------------------------


def run_of_round(round_: Round, run_id: int) -> MatchRun | None:
    """A run of this round (None for another round's run)."""
    run = db.session.get(MatchRun, run_id)
    return run if run is not None and run.round_id == round_.id else None


def runs_of(round_: Round) -> list[MatchRun]:
    """The round's runs, newest first."""
    return list(db.session.scalars(select(MatchRun).where(MatchRun.round_id == round_.id).order_by(MatchRun.id.desc())))


def elapsed(run: MatchRun) -> float:
    """Seconds the run has been (or was) running."""
    if run.started_at is None:
        return 0.0
    end = run.finished_at or utcnow()
    return max(0.0, (end - run.started_at).total_seconds())


def gap(score: int | None, bound: int | None) -> float | None:
    """How far the best plan may be from the best possible, in percent of the bound."""
    if score is None or bound is None:
        return None
    return round(100.0 * max(0, bound - score) / max(1, abs(bound)), 2)


def progress_state(run_id: int) -> dict[str, Any] | None:
    """What the progress page and its JSON show (one indexed read, no locks taken)."""
    table = MatchRun.__table__
    row = db.session.execute(
        select(
            table.c.id,
            table.c.round_id,
            table.c.status,
            table.c.progress,
            table.c.best_score,
            table.c.best_bound,
            table.c.started_at,
            table.c.finished_at,
            table.c.time_limit,
            table.c.cancel_requested,
            table.c.error,
            table.c.plan_status,
        ).where(table.c.id == run_id)
    ).one_or_none()
    if row is None:
        return None
    started, finished = row.started_at, row.finished_at
    seconds = max(0.0, ((finished or utcnow()) - started).total_seconds()) if started else 0.0
    return {
        "id": row.id,
        "round_id": row.round_id,
        "status": str(row.status.value if hasattr(row.status, "value") else row.status),
        "active": row.status in (RunStatus.QUEUED.value, RunStatus.RUNNING.value),
        "cancel_requested": bool(row.cancel_requested),
        "elapsed": round(seconds, 1),
        "time_limit": row.time_limit,
        "score": row.best_score,
        "bound": row.best_bound,
        "gap": gap(row.best_score, row.best_bound),
        "plan_status": row.plan_status,
        "points": list(row.progress or []),
        "error": row.error,
    }
