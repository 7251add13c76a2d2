"""`flask --app app match run|export|publish ROUND`: matching from the command line.

Bad input (no such round, a round that cannot be matched, an invalid problem, no draft to
publish) exits with status 2 and one line per problem on standard error.
"""

from __future__ import annotations

import functools
import json
import sys
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from matchmaker.extensions import db
from matchmaker.models import Round, RunKind, RunStatus
from matchmaker.solver import ProblemError, Progress


def in_request(command: Any) -> Any:
    """Run the command inside a request context, so translated messages can be built."""

    @functools.wraps(command)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with current_app.test_request_context():
            return command(*args, **kwargs)

    return wrapped


def _fail(lines: list[str]) -> None:
    """Print one line per problem and exit 2."""
    for line in lines:
        click.echo(line, err=True)
    sys.exit(2)


def _round(round_id: int) -> Round:
    """The round, or exit 2."""
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        _fail([f"round {round_id}: no such round"])
    assert round_ is not None
    return round_


@click.group("match")
def match_cli() -> None:
    """Run, export and publish matching."""


@match_cli.command("run")
@click.argument("round_id", type=int, metavar="ROUND")
@click.option("--time-limit", type=float, default=30.0, show_default=True, help="Seconds the solver may search.")
@click.option("--workers", type=int, default=None, help="Solver threads (default: MATCH_WORKERS or 1).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--refill", is_flag=True, help="Only fill free places in published sessions.")
@with_appcontext
@in_request
def run_command(round_id: int, time_limit: float, workers: int | None, seed: int, refill: bool) -> None:
    """Match ROUND in the foreground, printing progress, and store the draft."""
    from matchmaker.matching.service import RunError, execute_run, start_run

    round_ = _round(round_id)
    try:
        run = start_run(round_, None, time_limit, RunKind.REFILL if refill else RunKind.FULL)
    except RunError as error:
        _fail([f"round {round_id}: {m}" for m in error.messages])
    db.session.commit()
    click.echo(f"run {run.id} on round {round_id}, time limit {time_limit:g} s")

    def echo(p: Progress) -> None:
        click.echo(f"  {p.seconds:8.2f} s  score {p.score:>10}  bound {p.bound:>10}")

    done = execute_run(run.id, workers=workers, seed=seed, echo=echo)
    if done is None or done.status == RunStatus.FAILED:
        lines = (done.error or "failed").splitlines() if done is not None else ["the run was taken by another worker"]
        _fail([f"run {run.id}: {line}" for line in lines])
    assert done is not None
    plan = done.plan or {}
    click.echo(
        f"{done.status.value}: {plan.get('status')}, score {done.best_score}, bound {done.best_bound}, "
        f"{len(plan.get('sessions', []))} sessions, {len(plan.get('unassigned', []))} people left out"
    )


@match_cli.command("export")
@click.argument("round_id", type=int, metavar="ROUND")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None)
@with_appcontext
@in_request
def export_command(round_id: int, output: str | None) -> None:
    """Write ROUND's problem JSON (the matching contract) to FILE or standard output."""
    from matchmaker.matching.service import latest_locked, problem_for

    round_ = _round(round_id)
    try:
        data, _problem = problem_for(round_, latest_locked(round_.id))
    except ProblemError as error:
        _fail(error.problems)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@match_cli.command("publish")
@click.argument("round_id", type=int, metavar="ROUND")
@with_appcontext
@in_request
def publish_command(round_id: int) -> None:
    """Publish ROUND's latest draft: sessions, then invites once committed."""
    from matchmaker.matching.service import PublishError, latest_draft, publish

    round_ = _round(round_id)
    draft = latest_draft(round_)
    if draft is None:
        _fail([f"round {round_id}: no draft to publish; run the matching first"])
    assert draft is not None
    try:
        result = publish(draft)
    except PublishError as error:
        db.session.rollback()
        _fail([f"round {round_id}: {m}" for m in error.messages])
    db.session.commit()
    click.echo(
        f"published draft {draft.version}: {result.created} sessions created, {result.added} people added, "
        f"{result.scheduled_bookings} bookings scheduled, {result.unscheduled_bookings} not, "
        f"{result.kept_out} kept out (declined, removed or account closed)"
    )
