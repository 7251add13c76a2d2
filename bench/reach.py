"""Reach report benchmark (issue 14): the report page on three past L-sized rounds.

    python bench/reach.py                                  # SQLite scratch file (make bench-site runs it)
    python bench/reach.py --database-url postgresql://postgres@127.0.0.1:5432/postgres

Fills a scratch database (as bench/site.py makes one) with three past rounds of PEOPLE registrations
each (default 2,400: the same people come back, so some organisations are returning), SESSIONS sessions
each (default 400, six people a session), attendance for everyone placed, and follow-ups for half of
those who came (answered, both stages for the oldest round). Then prints, never pass/fail: the report
page's time (median and worst of several requests, signed in as an organiser, after one to warm up)
and its SQL statements, first at a tenth of the size and then at full size: the statement count is
the same at both sizes, because every count is aggregated in SQL.

Target from issue 14: the page in under 300 ms with PostgreSQL on this machine; statements that do
not grow with the number of people.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import secrets
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.site import Stopwatch, _bulk, _returning, figure, scratch_database  # noqa: E402

OUTCOMES = [
    "contact_exchanged",
    "information_shared",
    "referral_route",
    "taster_planned",
    "pilot_running",
    "commissioned",
]


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="", help="a PostgreSQL server URL (default: a SQLite scratch file)")
    parser.add_argument("--people", type=int, default=2400, help="registrations in each round")
    parser.add_argument("--sessions", type=int, default=400, help="sessions in each round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=7, help="timed requests of the page")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--slowest", type=int, default=0, help="print the N slowest statements of the last request")
    return parser.parse_args(argv)


def fill(people: int, sessions: int, rounds: int, seed: int, tag: str) -> int:
    """The past rounds, by bulk inserts; the organiser's id."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import (
        AttendanceMark,
        Condition,
        ConsultationSession,
        CreativeProfile,
        FollowUp,
        HealthBoard,
        LinkWorkerProfile,
        Registration,
        Round,
        SessionAttendee,
        Slot,
        User,
    )
    from matchmaker.models.profiles import creative_health_boards
    from matchmaker.reference.service import seed_reference_data

    seed_reference_data()
    rng = random.Random(seed)
    conditions = list(db.session.scalars(select(Condition.id)))
    boards = list(db.session.scalars(select(HealthBoard.id)))
    now = datetime.now(UTC).replace(microsecond=0)
    organiser_id = _returning(
        User,
        [
            {
                "email": f"organiser-{tag}@bench.example.org",
                "stored_name": "Organiser",
                "role": "organiser",
                "language": "en",
                "email_verified_at": now,
                "approval": "approved",
            }
        ],
    )[0]
    roles = ["creative"] * 7 + ["link_worker"] * 2 + ["commissioner"]
    user_rows = [
        {
            "email": f"p{i}-{tag}@bench.example.org",
            "stored_name": f"Person {i}",
            "role": roles[i % 10],
            "language": "cy" if i % 4 == 0 else "en",
            "email_verified_at": now,
            "approval": "approved",
        }
        for i in range(people)
    ]
    user_ids = _returning(User, user_rows)
    creatives = [(uid, i) for i, uid in enumerate(user_ids) if roles[i % 10] == "creative"]
    profile_ids = _returning(
        CreativeProfile,
        [
            {
                "user_id": uid,
                "organisation_name": f"Organisation {i // 2}",
                "organisation_key": f"organisation {i // 2}",
                "organisation_kind": rng.choice(["arts_organisation", "charity", "community_group", "freelancer"]),
                "prescribing_link": rng.choice(["none", "none", "informal", "formal"]),
                "languages": ["en"],
            }
            for uid, i in creatives
        ],
    )
    _bulk(creative_health_boards, [{"profile_id": pid, "health_board_id": rng.choice(boards)} for pid in profile_ids])
    _bulk(
        LinkWorkerProfile,
        [
            {"user_id": uid, "employer": "Surgery", "health_board_id": rng.choice(boards), "languages": ["en"]}
            for i, uid in enumerate(user_ids)
            if roles[i % 10] == "link_worker"
        ],
    )
    role_of = {uid: roles[i % 10] for i, uid in enumerate(user_ids)}
    for number in range(rounds):
        days_ago = 400 - number * 120
        start = now - timedelta(days=days_ago)
        round_id = _returning(
            Round,
            [
                {
                    "title_en": f"Past round {number + 1}",
                    "title_cy": f"Rownd {number + 1}",
                    "status": "closed",
                    "registration_opens_at": start - timedelta(days=40),
                    "registration_closes_at": start - timedelta(days=5),
                    "organiser_mailbox": "rounds@bench.example.org",
                }
            ],
        )[0]
        slot_ids = _returning(
            Slot,
            [
                {
                    "round_id": round_id,
                    "starts_at": start + timedelta(hours=h),
                    "ends_at": start + timedelta(hours=h, minutes=90),
                }
                for h in range(0, 40 * 24, 24)
            ],
        )
        _bulk(Registration, [{"round_id": round_id, "user_id": uid, "max_sessions": 1} for uid in user_ids])
        session_ids = _returning(
            ConsultationSession,
            [
                {
                    "round_id": round_id,
                    "plan_key": f"S{s}",
                    "condition_id": rng.choice(conditions),
                    "slot_id": slot_ids[s % len(slot_ids)],
                    "language": "cy" if s % 5 == 0 else "en",
                    "uid": f"bench-{tag}-{number}-{s}@cyswllt",
                    "room": f"room-{s}",
                }
                for s in range(sessions)
            ],
        )
        placed = rng.sample(user_ids, min(len(user_ids), sessions * 6))
        attendees, marks, follow_ups = [], [], []
        for index, uid in enumerate(placed):
            session_id = session_ids[index % len(session_ids)]
            partstat = "ACCEPTED" if rng.random() < 0.9 else "DECLINED"
            attendees.append({"session_id": session_id, "user_id": uid, "role": role_of[uid], "partstat": partstat})
            if partstat == "DECLINED":
                continue
            came = rng.random() < 0.85
            marks.append(
                {
                    "session_id": session_id,
                    "user_id": uid,
                    "role": role_of[uid],
                    "attended": came,
                    "source": "organiser",
                    "marked_at": now,
                }
            )
            if came and rng.random() < 0.5:
                for stage in ("first", "second") if number == 0 else ("first",):
                    follow_ups.append(
                        {
                            "session_id": session_id,
                            "user_id": uid,
                            "role": role_of[uid],
                            "stage": stage,
                            "nonce": secrets.token_urlsafe(8),
                            "sent_at": now,
                            "closes_at": now + timedelta(days=30),
                            "answered_at": now,
                            "attended": True,
                            "outcomes": rng.sample(OUTCOMES, rng.randint(1, 3)),
                            "plans_to_commission": "",
                            "note": "",
                            "quote_consent": False,
                        }
                    )
        _bulk(SessionAttendee, attendees)
        _bulk(AttendanceMark, marks)
        _bulk(FollowUp, follow_ups)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # A database in use has planner statistics (autovacuum gathers them); one just bulk-filled has none yet.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")
    return organiser_id


def slowest(app: Any, client: Any, count: int) -> None:
    """The slowest statements of one request, with their time."""
    from sqlalchemy import event

    from matchmaker.extensions import db

    timings: list[tuple[float, str]] = []
    started: list[float] = []

    def before(*_args: Any) -> None:
        started.append(time.perf_counter())

    def after(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        timings.append((time.perf_counter() - started.pop(), statement))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        client.get("/organiser/reach")
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    for seconds, statement in sorted(timings, reverse=True)[:count]:
        print(f"    {seconds * 1000:7.1f} ms  {' '.join(statement.split())[:400]}")


def measure(app: Any, organiser_id: int, requests: int, label: str, show_slowest: int = 0) -> None:
    """Time the report page as an organiser sees it; count its statements."""
    from matchmaker.extensions import db
    from matchmaker.models import User

    with app.app_context():
        token = db.session.get(User, organiser_id).session_token
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = f"{organiser_id}:{token}"
        session["_fresh"] = True
    assert client.get("/organiser/reach").status_code == 200  # warm up: templates, caches
    times = []
    statements = 0
    for _ in range(requests):
        with app.app_context(), Stopwatch() as watch:
            response = client.get("/organiser/reach")
        assert response.status_code == 200, response.status_code
        times.append(watch.wall * 1000)
        statements = watch.statements
    if show_slowest:
        slowest(app, client, show_slowest)
    figure(
        f"{label}: report page",
        f"median {statistics.median(times):.0f} ms, worst {max(times):.0f} ms, {statements} SQL statements",
    )


def main(argv: list[str]) -> int:
    """Two scratch databases (a tenth of the size, then full size), the figures, clean up."""
    args = parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="cyswllt-bench-reach-"))
    os.environ["INSTANCE_PATH"] = str(folder / "instance")
    os.environ["HUEY_SQLITE_PATH"] = str(folder / "huey.db")
    os.environ["HUEY_NAME"] = f"cyswllt-bench-{folder.name}"
    os.environ["RATELIMIT_ENABLED"] = "0"
    for name in ("REDIS_URL", "MAIL_SERVER", "DATABASE_URL"):
        os.environ.pop(name, None)
    print("$ python bench/reach.py" + ("" if not argv else " " + shlex.join(argv)))
    print(f"machine: {os.cpu_count()} cores (nproc), load average {os.getloadavg()[0]:.1f}")
    from flask_migrate import upgrade

    from matchmaker.factory import create_app

    try:
        for scale, label in ((10, "a tenth"), (1, "full size")):
            people, sessions = args.people // scale, args.sessions // scale
            sub = folder / f"scale{scale}"
            sub.mkdir()
            with scratch_database(args.database_url, sub) as url:
                os.environ["DATABASE_URL"] = url
                app = create_app({"SECRET_KEY": secrets.token_urlsafe(32), "BASE_URL": "http://127.0.0.1:5000"})
                with app.app_context():
                    logging.disable(logging.INFO)
                    upgrade()
                    logging.disable(logging.NOTSET)
                    started = time.perf_counter()
                    organiser_id = fill(people, sessions, args.rounds, args.seed, f"s{scale}")
                    figure(
                        f"{label}: {args.rounds} rounds of {people} people, {sessions} sessions",
                        f"filled in {time.perf_counter() - started:.1f} s "
                        f"({app.config['SQLALCHEMY_DATABASE_URI'].split('://')[0]})",
                    )
                measure(app, organiser_id, args.requests, label, args.slowest if scale == 1 else 0)
                from matchmaker.extensions import db

                with app.app_context():
                    db.session.remove()
                    db.engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("target (issue 14): the report page < 300 ms with PostgreSQL; statements the same at both sizes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
