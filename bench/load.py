"""Load benchmark (`make bench-load`; see bench/README.md): gunicorn on an L-sized PostgreSQL round, Locust headless.

    python bench/load.py                                  # 100 users, 2 new a second, 60 s
    python bench/load.py --users 50 --run-time 30s --keep # keep the database (its URL is printed)
    python bench/load.py --reuse postgresql://postgres@127.0.0.1:5432/cyswllt_bench_xxxx

Fills a new PostgreSQL database as bench/pages.py does (bench/site.py's generated round, a short
match, 400 sessions published; every account's password set to one known here), starts gunicorn
with --workers (4) on it, with Redis for the rate limits (REDIS_URL, default db 7), then runs
bench/locustfile.py headless: the four roles' journeys, 1-3 s of think time, users started at
--spawn-rate a second so that sign-ins are spread. Prints requests per second, p50/p95/p99 per
page and every error. Figures, not pass/fail.

All simulated people come from 127.0.0.1, so the sign-in limit per address is raised for the run
(SIGN_IN_RATE_LIMIT); the per-account limit stays. Cookies go over plain HTTP here
(SESSION_COOKIE_SECURE=0). Targets (issue 17): p95 under 300 ms for every page, no errors.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
PASSWORD = "bench-load-password-1"  # noqa: S105  (a scratch database of made-up people)


def _load(name: str, path: Path) -> Any:
    """A bench module by path (bench/site.py must not shadow the standard library's `site`)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


bench_site = _load("bench_site", ROOT / "bench" / "site.py")
bench_pages = _load("bench_pages", ROOT / "bench" / "pages.py")


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--reuse", default="", help="a database filled by an earlier --keep run of this script")
    parser.add_argument("--keep", action="store_true", help="keep the database made")
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/7"))
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=2.0, help="users started (signing in) a second")
    parser.add_argument("--run-time", default="60s")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8017)
    parser.add_argument("--size", default="L", choices=["S", "M", "L", "XL"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sessions", type=int, default=400)
    return parser.parse_args(argv)


def prepare(url: str, args: argparse.Namespace, fill: bool) -> dict[str, Any]:
    """Migrate (and fill) the database; the plan the locustfile reads: accounts per role, round, draft."""
    os.environ["DATABASE_URL"] = url
    from flask_migrate import upgrade
    from sqlalchemy import func, select, update

    from matchmaker.accounts.passwords import hash_password
    from matchmaker.extensions import db
    from matchmaker.factory import create_app
    from matchmaker.models import MatchDraft, Role, Round, SessionAttendee, User

    app = create_app({"SECRET_KEY": secrets.token_urlsafe(32), "BASE_URL": "http://127.0.0.1"})
    with app.app_context():
        import logging

        logging.disable(logging.INFO)
        upgrade()
        logging.disable(logging.NOTSET)
    with app.test_request_context():
        if fill:
            bench_pages.fill_and_publish(app, args, PASSWORD)
        db.session.remove()
        db.session.execute(update(User).values(password_hash=hash_password(PASSWORD)))
        db.session.commit()
        round_id = db.session.scalar(select(Round.id).order_by(Round.id.desc()))
        version = db.session.scalar(select(func.max(MatchDraft.version)).where(MatchDraft.round_id == round_id))
        people: dict[str, list[str]] = {}
        for role in (Role.CREATIVE, Role.LINK_WORKER, Role.COMMISSIONER, Role.ORGANISER):
            # Those with sessions first: their pages are the fuller ones.
            rows = db.session.execute(
                select(User.email, func.count(SessionAttendee.id))
                .outerjoin(SessionAttendee, SessionAttendee.user_id == User.id)
                .where(User.role == role)
                .group_by(User.id, User.email)
                .order_by(func.count(SessionAttendee.id).desc(), User.id)
                .limit(args.users)
            ).all()
            people[role.value] = [email for email, _n in rows]
        db.session.remove()
        db.engine.dispose()
    return {"password": PASSWORD, "round_id": round_id, "draft_version": version or 1, "people": people}


def wait_for(url: str, seconds: float = 60) -> None:
    """Until the server answers."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310  (our own http://127.0.0.1 server)
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer at {url}")


def report(folder: Path) -> None:
    """Requests per second, p50/p95/p99 per page, and the errors, from Locust's CSV files."""
    with open(folder / "load_stats.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    print(f"\n  {'page':<38} {'requests':>8} {'fails':>6} {'rps':>6} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}")
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "ALL (aggregated)"
        print(
            f"  {(row['Type'] + ' ' + name).strip():<38} {row['Request Count']:>8} {row['Failure Count']:>6} "
            f"{float(row['Requests/s']):>6.1f} {row['50%']:>5}ms {row['95%']:>5}ms {row['99%']:>5}ms "
            f"{float(row['Max Response Time']):>5.0f}ms"
        )
    failures = folder / "load_failures.csv"
    errors = list(csv.DictReader(open(failures, newline=""))) if failures.exists() else []
    print(f"\n  errors: {sum(int(e['Occurrences']) for e in errors)}")
    for error in errors:
        print(f"    {error['Occurrences']} x {error['Method']} {error['Name']}: {error['Error'][:200]}")


def main(argv: list[str]) -> int:
    """Database, gunicorn, Locust, figures; then stop the server (and drop the database unless kept)."""
    args = parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="cyswllt-bench-load-"))
    args.folder = folder
    os.environ.update(
        {
            "INSTANCE_PATH": str(folder / "instance"),
            "HUEY_SQLITE_PATH": str(folder / "huey.db"),
            "HUEY_NAME": f"cyswllt-bench-{folder.name}",
        }
    )
    for name in ("REDIS_URL", "MAIL_SERVER", "DATABASE_URL"):
        os.environ.pop(name, None)
    print(f"$ python bench/load.py {' '.join(argv)}")
    print(f"machine: {os.cpu_count()} cores (nproc), load average {os.getloadavg()[0]:.1f}")
    url = args.reuse or bench_site.new_database(args.database_url, folder)
    server = None
    try:
        plan = prepare(url, args, fill=not args.reuse)
        (folder / "plan.json").write_text(json.dumps(plan))
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "REDIS_URL": args.redis_url,
            "SECRET_KEY": secrets.token_urlsafe(32),
            "SESSION_COOKIE_SECURE": "0",
            "SIGN_IN_RATE_LIMIT": "100000 per minute",
            "RATELIMIT_KEY_PREFIX": f"cyswllt-bench-{folder.name}",
            "BENCH_LOAD_PLAN": str(folder / "plan.json"),
            "PYTHONPATH": str(ROOT),
        }
        address = f"127.0.0.1:{args.port}"
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--workers",
                str(args.workers),
                "--bind",
                address,
                "--timeout",
                "60",
                "--log-level",
                "warning",
                "app:create_app()",
            ],
            cwd=ROOT,
            env=env,
        )
        wait_for(f"http://{address}/healthz")
        print(
            f"gunicorn: {args.workers} workers at {address}; locust: {args.users} users, "
            f"{args.spawn_rate:g} a second, {args.run_time}, 1-3 s think time",
            flush=True,
        )
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                args.run_time,
                "--host",
                f"http://{address}",
                "--csv",
                str(folder / "load"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        report(folder)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if args.keep or args.reuse:
            print(f"database kept: {url}")
        else:
            bench_site.drop_database(url)
        shutil.rmtree(folder, ignore_errors=True)
    print("targets (issue 17): p95 < 300 ms for every page, no errors, no timed-out sign-in")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
