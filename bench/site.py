"""Site benchmark (see bench/README.md): the matching job on a database holding an L-sized round.

    python bench/site.py                                   # SQLite scratch file, or: make bench-site
    python bench/site.py --database-url postgresql://postgres@127.0.0.1:5432/postgres

Makes a scratch database (a SQLite file in a temporary folder, or a new PostgreSQL database
next to the one named, dropped at the end), fills it with the solver's generated round
(`generate_problem(size, seed)`: users, profiles, registrations, slots, bookings, by bulk
inserts), then prints figures, never pass/fail:

- building the problem from the database (seconds; participants, slots, bookings);
- the progress JSON's (and page's) latency over HTTP (p50/p95/max ms) while a run executes in a
  `huey_consumer` process on the scratch queue (`--worker thread`: in a thread of this process);
- publishing a draft of N sessions with every invite queued (seconds; sessions, outbox rows,
  delivery jobs queued on Huey's SQLite storage in the scratch folder; nothing is delivered).

Targets from issue 7: building under 5 s, publishing 400 sessions under 30 s, the progress
page never blocks.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import secrets
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The generator's condition ids as the site's reference conditions (it has no diabetes: end of life stands in).
CONDITION_SLUGS = {
    "copd": "respiratory",
    "frailty": "frailty-falls",
    "young-people": "cyp-mental-health",
    "diabetes": "end-of-life",
}
# The generator's priorities, as the link with social prescribing that the site derives them from.
PRIORITY_LINK = {1.0: "formal", 1.5: "informal", 2.0: "none"}


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="L", choices=["S", "M", "L", "XL"], help="generated round size")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--database-url",
        default="",
        help="a PostgreSQL server URL: a new database is made there and dropped (default: a SQLite scratch file)",
    )
    parser.add_argument("--sessions", type=int, default=400, help="sessions in the draft that is published")
    parser.add_argument("--run-seconds", type=float, default=20.0, help="time limit of the run watched")
    parser.add_argument("--requests", type=int, default=200, help="progress JSON requests during the run")
    parser.add_argument(
        "--worker",
        choices=["consumer", "thread"],
        default="consumer",
        help="run the match in a huey_consumer process (as deployed) or in a thread of this process",
    )
    parser.add_argument("--interval", type=float, default=0.05, help="seconds between two progress requests")
    parser.add_argument("--max-parallel", type=int, default=12, help="the round's sessions at once (room for N)")
    parser.add_argument("--profile", default="", help="write a cProfile of the publish step to this file")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database (for bench/pages.py --reuse)")
    return parser.parse_args(argv)


def figure(label: str, value: str) -> None:
    """One line of output."""
    print(f"  {label:<44} {value}", flush=True)


class Stopwatch:
    """Wall-clock and CPU seconds (this process, every thread), and SQL statements, over a block."""

    def __init__(self) -> None:
        """Nothing measured until entered."""
        self.wall = self.cpu = 0.0
        self.statements = 0

    def __enter__(self) -> Stopwatch:
        """Start counting."""
        from sqlalchemy import event

        from matchmaker.extensions import db

        self.engine = db.engine
        event.listen(self.engine, "before_cursor_execute", self._count)
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def _count(self, *_args: Any) -> None:
        """One more statement sent to the database."""
        self.statements += 1

    def __exit__(self, *_exc: object) -> None:
        """Stop counting."""
        from sqlalchemy import event

        self.wall, self.cpu = time.perf_counter() - self._wall, time.process_time() - self._cpu
        event.remove(self.engine, "before_cursor_execute", self._count)

    def __str__(self) -> str:
        """'1.23 s (cpu 1.01 s, 456 SQL statements)'."""
        return f"{self.wall:.2f} s (cpu {self.cpu:.2f} s, {self.statements} SQL statements)"


# --- scratch database ---------------------------------------------------------------------


def new_database(server_url: str, folder: Path) -> str:
    """A new, empty database: a SQLite file in folder, or a new PostgreSQL database on that server."""
    if not server_url:
        return f"sqlite:///{folder / 'site.db'}"
    import psycopg

    admin = server_url.replace("postgresql+psycopg://", "postgresql://")
    name = f"cyswllt_bench_{secrets.token_hex(4)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin.rsplit("/", 1)[0] + f"/{name}"


def drop_database(url: str) -> None:
    """Drop a PostgreSQL database made by new_database (a SQLite file goes with its folder)."""
    if not url.startswith("postgresql"):
        return
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def scratch_database(server_url: str, folder: Path, keep: bool = False) -> Iterator[str]:
    """A new, empty database, dropped afterwards unless kept (its URL is then printed)."""
    url = new_database(server_url, folder)
    try:
        yield url
    finally:
        if keep and server_url:
            print(f"database kept: {url}  (time its pages: python bench/pages.py --reuse {url})", flush=True)
        else:
            drop_database(url)


# --- filling it with a generated round ------------------------------------------------------


def _returning(model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Bulk insert rows of model; their new ids, in the rows' order."""
    from sqlalchemy import insert

    from matchmaker.extensions import db

    if not rows:
        return []
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(db.session.scalars(statement, rows))


def _bulk(table: Any, rows: list[dict[str, Any]]) -> None:
    """Bulk insert into a table or model (executemany)."""
    from sqlalchemy import insert

    from matchmaker.extensions import db

    if rows:
        db.session.execute(insert(table), rows)


def fill_round(data: dict[str, Any], max_parallel: int, password: str = "") -> tuple[int, int]:
    """The generated round as users, profiles, a closed round, registrations and bookings; (round id, organiser id)."""
    from sqlalchemy import select

    from matchmaker.accounts.passwords import hash_password
    from matchmaker.extensions import db
    from matchmaker.models import (
        Approval,
        Booking,
        BookingStatus,
        CommissionerKind,
        CommissionerProfile,
        Condition,
        CreativeProfile,
        HealthBoard,
        LinkWorkerProfile,
        OrganisationKind,
        PrescribingLink,
        Registration,
        RegistrationCondition,
        Role,
        Round,
        RoundStatus,
        Slot,
        User,
        utcnow,
    )
    from matchmaker.models.bookings import booking_slots
    from matchmaker.models.profiles import commissioner_health_boards, creative_health_boards, fold
    from matchmaker.models.rounds import registration_slots, registration_wants
    from matchmaker.profiles.service import organisation_key
    from matchmaker.reference.seed import seed_reference_data

    seed_reference_data()
    conditions = {c.slug: c for c in db.session.scalars(select(Condition))}
    boards = {b.slug: b.id for b in db.session.scalars(select(HealthBoard))}

    def condition(cid: str) -> Condition:
        return conditions[CONDITION_SLUGS.get(cid, cid)]

    password_hash = hash_password(password or secrets.token_urlsafe(16))  # once: argon2 is slow on purpose
    now = utcnow()
    organiser = User(
        name="Bench Organiser",
        email="organiser@bench.example.org",
        password_hash=password_hash,
        role=Role.ORGANISER,
        email_verified_at=now,
        approval=Approval.APPROVED,
    )
    db.session.add(organiser)
    rules = data["rules"]
    round_ = Round(
        title_en=f"Benchmark round ({len(data['participants'])} people)",
        title_cy=f"Rownd meincnod ({len(data['participants'])} o bobl)",
        status=RoundStatus.CLOSED,
        registration_opens_at=datetime(2027, 1, 4, 9, tzinfo=UTC),
        registration_closes_at=datetime(2027, 3, 1, 17, tzinfo=UTC),
        creatives_min=rules["creatives"][0],
        creatives_max=rules["creatives"][1],
        commissioners_min=rules["commissioners"][0],
        commissioners_max=rules["commissioners"][1],
        link_workers_min=rules["link_workers"][0],
        link_workers_max=rules["link_workers"][1],
        max_parallel_sessions=max_parallel,
        one_per_organisation=rules["one_per_organisation"],
        organiser_mailbox="rounds@bench.example.org",
        priority_formal=1.0,
        priority_informal=1.5,
        priority_no_link=2.0,
    )
    round_.conditions = [condition(c["id"]) for c in data["conditions"]]
    slot_ids: dict[str, int] = {}
    for s in data["slots"]:
        start = datetime.fromisoformat(s["start"]).astimezone(UTC)
        round_.slots.append(Slot(starts_at=start, ends_at=datetime.fromisoformat(s["end"]).astimezone(UTC)))
    db.session.add(round_)
    db.session.flush()
    for s, slot in zip(data["slots"], sorted(round_.slots, key=lambda x: x.starts_at), strict=True):
        slot_ids[s["id"]] = slot.id

    people = data["participants"]
    role_of = {"creative": Role.CREATIVE, "commissioner": Role.COMMISSIONER, "link_worker": Role.LINK_WORKER}
    user_ids = _returning(
        User,
        [
            {
                "stored_name": f"Bench {p['role']} {p['id']}",
                "email": f"{p['id']}@bench.example.org",
                "password_hash": password_hash,
                "role": role_of[p["role"]],
                "language": "cy" if p["languages"] == ["cy"] else "en",
                "email_verified_at": now,
                "approval": Approval.APPROVED,
                "approval_decided_at": now,
                "session_token": secrets.token_urlsafe(24),
                "feed_token": secrets.token_urlsafe(24),
                "created_at": now,
            }
            for p in people
        ],
    )
    uid = {p["id"]: u for p, u in zip(people, user_ids, strict=True)}

    creatives = [p for p in people if p["role"] == "creative"]
    profile_ids = _returning(
        CreativeProfile,
        [
            {
                "user_id": uid[p["id"]],
                "organisation_name": p["organisation"],
                "organisation_key": organisation_key(p["organisation"]),
                "organisation_kind": OrganisationKind.ARTS_ORGANISATION,
                "languages": p["languages"],
                "prescribing_link": PrescribingLink(PRIORITY_LINK[float(p.get("priority", 1))]),
                "search_text": fold(p["organisation"]),
                "updated_at": now,
            }
            for p in creatives
        ],
    )
    _bulk(
        creative_health_boards,
        [
            {"profile_id": i, "health_board_id": boards[p["region"]]}
            for p, i in zip(creatives, profile_ids, strict=True)
        ],
    )
    commissioners = [p for p in people if p["role"] == "commissioner"]
    profile_ids = _returning(
        CommissionerProfile,
        [
            {
                "user_id": uid[p["id"]],
                "organisation": f"Health board {p['region']}",
                "organisation_kind": CommissionerKind.HEALTH_BOARD,
                "languages": p["languages"],
                "updated_at": now,
            }
            for p in commissioners
        ],
    )
    _bulk(
        commissioner_health_boards,
        [
            {"profile_id": i, "health_board_id": boards[p["region"]]}
            for p, i in zip(commissioners, profile_ids, strict=True)
        ],
    )
    _bulk(
        LinkWorkerProfile,
        [
            {
                "user_id": uid[p["id"]],
                "employer": "Bench practice",
                "health_board_id": boards[p["region"]],
                "languages": p["languages"],
                "capacity": p["max_sessions"],
                "updated_at": now,
            }
            for p in people
            if p["role"] == "link_worker"
        ],
    )

    registration_ids = _returning(
        Registration,
        [
            {
                "round_id": round_.id,
                "user_id": uid[p["id"]],
                "max_sessions": p["max_sessions"],
                "created_at": now,
                "updated_at": now,
            }
            for p in people
        ],
    )
    rid = {p["id"]: r for p, r in zip(people, registration_ids, strict=True)}
    _bulk(
        RegistrationCondition,
        [
            {"registration_id": rid[p["id"]], "condition_id": condition(c).id, "strength": strength}
            for p in people
            for c, strength in p["conditions"].items()
        ],
    )
    _bulk(
        registration_slots,
        [{"registration_id": rid[p["id"]], "slot_id": slot_ids[t]} for p in people for t in p["available"]],
    )
    _bulk(
        registration_wants,
        [{"registration_id": rid[p["id"]], "user_id": uid[q]} for p in people for q in p.get("wants_to_meet", [])],
    )

    # One active booking per commissioner and condition (the site enforces it): later duplicates are left out.
    seen: set[tuple[str, str]] = set()
    bookings = []
    for b in data["bookings"]:
        if (b["commissioner"], b["condition"]) in seen:
            continue
        seen.add((b["commissioner"], b["condition"]))
        bookings.append(b)
    booking_ids = _returning(
        Booking,
        [
            {
                "round_id": round_.id,
                "commissioner_id": uid[b["commissioner"]],
                "condition_id": condition(b["condition"]).id,
                "language": b.get("language"),
                "health_board_id": boards[b["region"]] if b.get("region") else None,
                "purpose": "",
                "status": BookingStatus.REQUESTED,
                "requested_by_id": uid[b["commissioner"]],
                "created_at": now,
                "updated_at": now,
            }
            for b in bookings
        ],
    )
    _bulk(
        booking_slots,
        [
            {"booking_id": i, "slot_id": slot_ids[t]}
            for b, i in zip(bookings, booking_ids, strict=True)
            for t in b["slots"]
        ],
    )
    db.session.commit()
    return round_.id, organiser.id


# --- the figures ------------------------------------------------------------------------------


def spread(latencies: list[float]) -> str:
    """p50, p95 and max of some latencies in milliseconds."""
    if not latencies:
        return "no requests"
    q = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else latencies * 99
    return f"p50 {q[49]:.1f} ms, p95 {q[94]:.1f} ms, max {max(latencies):.1f} ms over {len(latencies)} requests"


def measure_build(round_id: int) -> None:
    """Build the problem from the database twice (cold, then warm), as a run does."""
    from matchmaker.extensions import db
    from matchmaker.matching.problem import problem_for
    from matchmaker.models import Round

    for attempt in ("cold", "warm"):
        db.session.remove()
        with Stopwatch() as watch:
            data, problem = problem_for(db.session.get(Round, round_id))
        roles: dict[str, int] = {}
        for p in data["participants"]:
            roles[p["role"]] = roles.get(p["role"], 0) + 1
        figure(
            f"building the problem ({attempt})",
            f"{watch}; {len(problem.participants)} participants: "
            + ", ".join(f"{n} {r}" for r, n in sorted(roles.items()))
            + f"; {len(problem.slots)} slots; {len(problem.bookings)} bookings",
        )


@contextmanager
def worker(app: Any, run_id: int, how: str, folder: Path) -> Iterator[Callable[[], str]]:
    """Execute the run: a real `huey_consumer` process on the scratch queue, or the task's code in a thread.

    Yields a function returning what went wrong so far ('' while all is well).
    """
    from matchmaker.matching.tasks import queue_run, run_match

    if how == "thread":
        failure: list[str] = []

        def work() -> None:
            try:
                with app.app_context():
                    run_match.call_local(run_id)  # the Huey task's own code, in this process
            except BaseException as error:  # noqa: BLE001  (reported by the caller)
                failure.append(repr(error))

        thread = threading.Thread(target=work, name="match-run")
        thread.start()
        try:
            yield lambda: "; ".join(failure)
        finally:
            thread.join()
        return
    consumer = Path(sys.executable).parent / "huey_consumer"
    log_path = folder / "consumer.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(consumer), "matchmaker.jobs.consumer.huey", "-w", "1", "-k", "thread", "-n", "-d", "0.1", "-m", "0.5"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        queue_run(run_id)  # onto the scratch queue (Huey's SQLite storage), as the page does
        yield lambda: "" if process.poll() is None else log_path.read_text(errors="replace")[-2000:]
    finally:
        process.terminate()
        process.wait(timeout=30)


def measure_progress(app: Any, round_id: int, organiser_id: int, args: argparse.Namespace) -> int:
    """Poll the progress JSON (and page) over HTTP while a run executes; returns the run id."""
    from matchmaker.extensions import db
    from matchmaker.matching import runs
    from matchmaker.models import Round, RunStatus, User

    round_ = db.session.get(Round, round_id)
    run = runs.start_run(round_, db.session.get(User, organiser_id), args.run_seconds)
    db.session.commit()
    run_id = run.id

    # A real server in a thread, as the browser sees it: each request in its own thread and app context.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, name="web", daemon=True).start()
    signed = app.session_interface.get_signing_serializer(app)
    cookie = signed.dumps({"_user_id": db.session.get(User, organiser_id).get_id(), "_fresh": True})
    db.session.commit()  # end this thread's read, so it holds no lock while the run writes
    opener = urllib.request.build_opener()
    opener.addheaders = [("Cookie", f"{app.config['SESSION_COOKIE_NAME']}={cookie}")]
    page = f"http://127.0.0.1:{server.server_port}/organiser/rounds/{round_id}/matching/runs/{run_id}"
    latencies: dict[str, list[float]] = {"json": [], "page": []}
    statuses: dict[str, int] = {}
    started = time.perf_counter()
    deadline = time.monotonic() + 5 * args.run_seconds + 180
    status = "queued"
    with worker(app, run_id, args.worker, args.folder) as trouble:
        while status in ("queued", "running") and time.monotonic() < deadline and not trouble():
            # Timed while the run is running: the JSON the page polls, and every fifth time the page itself.
            polling = len(latencies["json"]) < args.requests
            wanted = [("json", page + "/progress.json")] + [("page", page)] * (len(latencies["json"]) % 5 == 0)
            for kind, url in wanted if polling else wanted[:1]:
                t0 = time.perf_counter()
                with opener.open(url, timeout=60) as response:
                    body = response.read()
                if polling and status == "running":
                    latencies[kind].append((time.perf_counter() - t0) * 1000)
                if kind == "json":
                    status = json.loads(body)["status"]
                    statuses[status] = statuses.get(status, 0) + 1
            time.sleep(args.interval if polling else 0.5)
        problem = trouble()
    server.shutdown()
    server.server_close()
    total = time.perf_counter() - started
    db.session.remove()
    run = runs.run_of_round(db.session.get(Round, round_id), run_id)
    if run is None or run.status != RunStatus.FINISHED:
        raise SystemExit(f"the run did not finish: {run.status if run else None} {run.error if run else ''} {problem}")
    figure(
        f"run watched ({args.worker})",
        f"{total:.1f} s wall from queueing (time limit {args.run_seconds:g} s), score {run.best_score}, "
        f"bound {run.best_bound}, {len((run.plan or {}).get('sessions', []))} sessions",
    )
    figure(
        "progress JSON during the run",
        f"{spread(latencies['json'])} (answers: {', '.join(f'{k} {v}' for k, v in sorted(statuses.items()))})",
    )
    figure("progress page (HTML) during the run", spread(latencies["page"]))
    return run_id


def draft_of_size(round_id: int, run_id: int, size: int) -> Any:
    """A new draft of the run: the greedy plan on its problem, its first `size` sessions (checked valid)."""
    from matchmaker.extensions import db
    from matchmaker.matching.runs import add_draft
    from matchmaker.models import MatchRun
    from matchmaker.solver import check_plan, complete_plan, greedy_plan, parse_problem, plan_to_dict

    run = db.session.get(MatchRun, run_id)
    problem = parse_problem(run.problem)
    greedy = greedy_plan(problem)
    sessions = sorted(greedy.sessions, key=lambda s: (s.slot, s.id))[:size]
    plan = complete_plan(problem, sessions, status="feasible", bound=greedy.bound, seconds=0.0)
    violations = check_plan(problem, plan)
    if violations:
        raise SystemExit(f"the draft is not valid: {violations[:3]}")
    if len(plan.sessions) < size:
        print(f"  (the greedy plan has only {len(plan.sessions)} sessions; publishing those)", flush=True)
    draft = add_draft(round_id, run_id, plan_to_dict(plan), change={"action": "bench"}, user_id=None)
    db.session.commit()
    return draft.id


def measure_publish(draft_id: int, profile_to: str) -> None:
    """Publish the draft and commit (invites written, delivery jobs queued after the commit)."""
    from sqlalchemy import func, select

    from matchmaker.extensions import db
    from matchmaker.jobs.queue import huey
    from matchmaker.matching.publish import publish
    from matchmaker.models import ConsultationSession, MatchDraft, OutboxMessage, SessionAttendee

    db.session.remove()
    queued_before = huey.pending_count()
    profiler = None
    if profile_to:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    with Stopwatch() as watch:
        result = publish(db.session.get(MatchDraft, draft_id))
        db.session.commit()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile_to)
    count = db.session.scalar
    figure(
        "publishing the draft, invites queued",
        f"{watch}; {result.created} sessions, "
        f"{count(select(func.count()).select_from(SessionAttendee))} attendees, "
        f"{count(select(func.count()).select_from(OutboxMessage))} outbox rows, "
        f"{huey.pending_count() - queued_before} delivery jobs queued; "
        f"bookings {result.scheduled_bookings} scheduled, {result.unscheduled_bookings} not",
    )
    sessions = count(select(func.count()).select_from(ConsultationSession))
    with Stopwatch() as again:
        second = publish(db.session.get(MatchDraft, draft_id))
        db.session.commit()
    figure(
        "publishing it again (nothing new)",
        f"{again}; {second.created} created, {second.added} added, "
        f"{count(select(func.count()).select_from(ConsultationSession)) - sessions} new sessions",
    )


def main(argv: list[str]) -> int:
    """Make the scratch database, fill it, print the figures, clean up."""
    args = parse_args(argv)
    folder = args.folder = Path(tempfile.mkdtemp(prefix="cyswllt-bench-site-"))
    # Before the app (and its Huey instance) is imported: nothing touches instance/ or a shared queue.
    os.environ["INSTANCE_PATH"] = str(folder / "instance")
    os.environ["HUEY_SQLITE_PATH"] = str(folder / "huey.db")
    os.environ["HUEY_NAME"] = f"cyswllt-bench-{folder.name}"
    os.environ["RATELIMIT_ENABLED"] = "0"
    for name in ("REDIS_URL", "MAIL_SERVER", "DATABASE_URL"):
        os.environ.pop(name, None)
    command = "python bench/site.py" + ("" if not argv else " " + shlex.join(argv))
    print(f"$ {command}")
    print(f"machine: {os.cpu_count()} cores (nproc), load average {os.getloadavg()[0]:.1f}; size {args.size}")
    try:
        with scratch_database(args.database_url, folder, args.keep) as url:
            os.environ["DATABASE_URL"] = url
            from flask_migrate import upgrade

            from matchmaker.factory import create_app
            from matchmaker.solver import generate_problem

            app = create_app({"SECRET_KEY": secrets.token_urlsafe(32), "BASE_URL": "http://127.0.0.1:5000"})
            print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split('://')[0]} (scratch, made for this run)")
            with app.app_context():
                logging.disable(logging.INFO)  # the migrations' own log lines
                upgrade()
                logging.disable(logging.NOTSET)
            with app.test_request_context():
                data = generate_problem(args.size, args.seed)
                with Stopwatch() as watch:
                    round_id, organiser_id = fill_round(data, args.max_parallel)
                figure("filling the database (bulk inserts, set-up)", str(watch))
                measure_build(round_id)
                run_id = measure_progress(app, round_id, organiser_id, args)
                draft_id = draft_of_size(round_id, run_id, args.sessions)
                measure_publish(draft_id, args.profile)
                from matchmaker.extensions import db

                db.session.remove()
                db.engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("targets (issue 7): building < 5 s; publishing 400 sessions < 30 s; the progress page never blocks")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
