"""Page benchmark (see bench/README.md): every GET page on an L-sized, published round, one user at a time.

    python bench/pages.py --database-url postgresql://postgres@127.0.0.1:5432/postgres --keep
    python bench/pages.py --reuse postgresql://postgres@127.0.0.1:5432/cyswllt_bench_xxxx   # a kept database
    python bench/pages.py --reuse URL --profile overview    # pyinstrument on one page, HTML to bench/out/

Fills a scratch database as `bench/site.py` does (the solver's generated round, `--size L`), runs a
short match in this process, publishes a draft of `--sessions` sessions (timed: seconds, SQL statements),
then times each page through the Flask test client (`--requests` per page, after one warm-up request):
median, p95, SQL statements and size of the HTML. Figures, not pass/fail. `--keep` leaves the
PostgreSQL database in place (its URL is printed) so that `--reuse` can time or profile again without
filling and publishing.

Targets (issue 17): median under 50 ms and p95 under 120 ms for every GET page; publishing 400
sessions under 8 s.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# bench/site.py, under a name that does not shadow the standard library's `site`.
_spec = importlib.util.spec_from_file_location("bench_site", ROOT / "bench" / "site.py")
bench_site = importlib.util.module_from_spec(_spec)
sys.modules["bench_site"] = bench_site
_spec.loader.exec_module(bench_site)


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="L", choices=["S", "M", "L", "XL"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--database-url", default="", help="a PostgreSQL server URL (default: a SQLite scratch file)")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database made (prints its URL)")
    parser.add_argument("--reuse", default="", help="a database filled and published by an earlier --keep run")
    parser.add_argument("--sessions", type=int, default=400, help="sessions in the draft that is published")
    parser.add_argument("--requests", type=int, default=10, help="timed requests per page")
    parser.add_argument("--only", default="", help="comma-separated page names to time (default: all)")
    parser.add_argument("--profile", default="", help="a page name: write a pyinstrument HTML profile of it")
    return parser.parse_args(argv)


def fill_and_publish(app: Any, args: argparse.Namespace, password: str = "") -> None:
    """The generated round, a short match, a draft of N sessions, published (timed)."""
    from matchmaker.extensions import db
    from matchmaker.matching import runs
    from matchmaker.matching.tasks import run_match
    from matchmaker.models import MatchRun, Round, User
    from matchmaker.solver import generate_problem

    data = generate_problem(args.size, args.seed)
    with bench_site.Stopwatch() as watch:
        round_id, organiser_id = bench_site.fill_round(data, 12, password)
    bench_site.figure("filling the database", str(watch))
    run = runs.start_run(db.session.get(Round, round_id), db.session.get(User, organiser_id), 2)
    db.session.commit()
    run_id = run.id
    run_match.call_local(run_id)
    db.session.remove()
    run = db.session.get(MatchRun, run_id)
    bench_site.figure("match run", f"{run.status.value}, score {run.best_score} {run.error or ''}")
    draft_id = bench_site.draft_of_size(round_id, run.id, args.sessions)
    bench_site.measure_publish(draft_id, "")


def targets(app: Any) -> list[tuple[str, str, Callable[[], str]]]:
    """(name, role, url) of every GET page worth timing, on the biggest round in the database."""
    from sqlalchemy import func, select

    from matchmaker.extensions import db
    from matchmaker.models import (
        Booking,
        ConsultationSession,
        CreativeProfile,
        MatchDraft,
        Registration,
        Role,
        Round,
        SessionAttendee,
        User,
    )

    round_id = db.session.scalar(select(Round.id).order_by(Round.id.desc()))
    versions = list(db.session.scalars(select(MatchDraft.version).where(MatchDraft.round_id == round_id)))
    draft = db.session.scalar(select(MatchDraft).where(MatchDraft.round_id == round_id).order_by(MatchDraft.version))
    session_in_draft = (draft.plan or {}).get("sessions", [{}])[0].get("id", "s1")
    biggest = db.session.execute(
        select(SessionAttendee.session_id, func.count())
        .group_by(SessionAttendee.session_id)
        .order_by(func.count().desc())
        .limit(1)
    ).first()
    session_id = biggest[0] if biggest else db.session.scalar(select(ConsultationSession.id))

    def busiest(role: Role) -> int:
        """The user of this role with most session places (or any, if none)."""
        row = db.session.execute(
            select(User.id, func.count(SessionAttendee.id))
            .outerjoin(SessionAttendee, SessionAttendee.user_id == User.id)
            .where(User.role == role)
            .group_by(User.id)
            .order_by(func.count(SessionAttendee.id).desc())
            .limit(1)
        ).first()
        return row[0]

    commissioner = db.session.scalar(
        select(Booking.commissioner_id).group_by(Booking.commissioner_id).order_by(func.count().desc()).limit(1)
    )
    organiser = db.session.scalar(select(User.id).where(User.role == Role.ORGANISER).limit(1))
    link_worker = busiest(Role.LINK_WORKER)
    creative = busiest(Role.CREATIVE)
    commissioner_with_sessions = busiest(Role.COMMISSIONER)
    profile_id = db.session.scalar(select(CreativeProfile.id).limit(1))
    booking_id = db.session.scalar(select(Booking.id).where(Booking.commissioner_id == commissioner).limit(1))
    registration_id = db.session.scalar(select(Registration.id).where(Registration.user_id == commissioner))
    r = f"/organiser/rounds/{round_id}"
    a, b = (versions[0], versions[-1]) if versions else (1, 1)
    v = versions[-1] if versions else 1
    pages = [
        ("home", creative, "/"),
        ("accessibility (static)", creative, "/accessibility"),
        ("sessions (creative)", creative, "/sessions"),
        ("sessions (commissioner)", commissioner_with_sessions, "/sessions"),
        ("join (link worker)", link_worker, "/join"),
        ("directory", link_worker, "/directory"),
        ("directory profile", link_worker, f"/directory/{profile_id}"),
        ("bookings (commissioner)", commissioner, "/bookings/"),
        ("booking page", commissioner, f"/bookings/{booking_id}"),
        ("booking form (own)", commissioner, f"/bookings/rounds/{round_id}/new"),
        ("register interest (commissioner)", commissioner, f"/rounds/{round_id}/interest"),
        ("registration page", commissioner, f"/rounds/registrations/{registration_id}"),
        ("rounds list", organiser, "/organiser/rounds/"),
        ("round page", organiser, r),
        ("round overview", organiser, f"{r}/overview"),
        ("registrations CSV", organiser, f"{r}/registrations.csv"),
        ("matching page", organiser, f"{r}/matching/"),
        ("draft", organiser, f"{r}/matching/drafts/{v}"),
        ("draft session page", organiser, f"{r}/matching/drafts/{v}/sessions/{session_in_draft}"),
        ("compare two drafts", organiser, f"{r}/matching/compare?a={a}&b={b}"),
        ("publish check", organiser, f"{r}/matching/drafts/{v}/publish"),
        ("bookings (organiser)", organiser, f"{r}/bookings"),
        ("booking form (for someone)", organiser, f"{r}/bookings/new/{commissioner}"),
        ("organiser session page", organiser, f"/organiser/sessions/{session_id}"),
        ("answers", organiser, f"{r}/answers/"),
        ("outbox", organiser, "/organiser/outbox"),
        ("accounts", organiser, "/organiser/accounts"),
        ("audit log", organiser, "/organiser/audit"),
        ("replies", organiser, "/organiser/replies"),
    ]
    return pages


def time_pages(app: Any, args: argparse.Namespace) -> None:
    """Each page: one warm-up, then N timed requests; median, p95, statements, size."""
    from sqlalchemy import event

    from matchmaker.extensions import db
    from matchmaker.models import User

    with app.app_context():
        pages = targets(app)
        who = {uid: db.session.get(User, uid).get_id() for _name, uid, _url in pages}
        db.session.remove()
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    count = [0]

    def counted(*_a: Any) -> None:
        count[0] += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", counted)
    print(f"  {'page':<34} {'median':>9} {'p95':>9} {'SQL':>5} {'KB':>7}  status", flush=True)
    for name, uid, url in pages:
        if only and name not in only:
            continue
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = who[uid]
            session["_fresh"] = True
        if args.profile == name:
            from pyinstrument import Profiler

            client.get(url)
            profiler = Profiler(interval=0.001)
            profiler.start()
            for _ in range(3):
                client.get(url)
            profiler.stop()
            out = ROOT / "bench" / "out"
            out.mkdir(exist_ok=True)
            path = out / f"profile-{name.split()[0]}.html"
            path.write_text(profiler.output_html())
            print(profiler.output_text(unicode=False, color=False, show_all=False)[:6000])
            print(f"  profile written to {path}")
            continue
        response = client.get(url)
        status = response.status_code
        size = len(response.data)
        latencies = []
        statements = 0
        for _ in range(args.requests):
            count[0] = 0
            t0 = time.perf_counter()
            response = client.get(url)
            latencies.append((time.perf_counter() - t0) * 1000)
            statements = count[0]
        q = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else latencies * 99
        print(
            f"  {name:<34} {statistics.median(latencies):>7.1f}ms {q[94]:>7.1f}ms {statements:>5} "
            f"{size / 1024:>7.0f}  {status} {url}",
            flush=True,
        )
    event.remove(engine, "before_cursor_execute", counted)


def main(argv: list[str]) -> int:
    """Fill (or reuse) a database, publish, time the pages."""
    args = parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="cyswllt-bench-pages-"))
    args.folder = folder
    os.environ["INSTANCE_PATH"] = str(folder / "instance")
    os.environ["HUEY_SQLITE_PATH"] = str(folder / "huey.db")
    os.environ["HUEY_NAME"] = f"cyswllt-bench-{folder.name}"
    os.environ["RATELIMIT_ENABLED"] = "0"
    for name in ("REDIS_URL", "MAIL_SERVER", "DATABASE_URL"):
        os.environ.pop(name, None)
    print(f"$ python bench/pages.py {' '.join(argv)}")
    print(f"machine: {os.cpu_count()} cores (nproc), load average {os.getloadavg()[0]:.1f}; size {args.size}")
    try:
        if args.reuse:
            url, keep = args.reuse, True
        else:
            url, keep = bench_site.new_database(args.database_url, folder), args.keep
        try:
            os.environ["DATABASE_URL"] = url
            from flask_migrate import upgrade

            from matchmaker.factory import create_app

            app = create_app({"SECRET_KEY": secrets.token_urlsafe(32), "BASE_URL": "http://127.0.0.1:5000"})
            with app.app_context():
                import logging

                logging.disable(logging.INFO)
                upgrade()
                logging.disable(logging.NOTSET)
            if not args.reuse:
                with app.test_request_context():
                    fill_and_publish(app, args)
                    from matchmaker.extensions import db

                    db.session.remove()
            time_pages(app, args)
            with app.app_context():
                from matchmaker.extensions import db

                db.session.remove()
                db.engine.dispose()
        finally:
            if keep and url.startswith("postgresql"):
                print(
                    f"database kept: {url}  (drop it with: psql {url.rsplit('/', 1)[0]}/postgres -c "
                    f"'DROP DATABASE \"{url.rsplit('/', 1)[1]}\"')"
                )
            else:
                bench_site.drop_database(url)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("targets (issue 17): median < 50 ms and p95 < 120 ms for every GET page")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
