"""Bulk import benchmark (issue 15): previewing and importing 5,000 organisations from a CSV.

    python bench/import_organisations.py                  # SQLite scratch file
    python bench/import_organisations.py --rows 5000 --database-url postgresql://postgres@127.0.0.1:5432/postgres

Makes a scratch database (a SQLite file in a temporary folder, or a new PostgreSQL database next to the
one named, dropped at the end), runs the migrations, seeds the reference data, then prints figures,
never pass/fail:

- preview: reading and checking every row and column of the file (seconds);
- import: the same file confirmed, with an unclaimed account, profile, listing and a queued invitation
  email for each row, committed in one transaction (seconds; outbox rows);
- import again: the same file a second time (idempotent by email: nothing created).

Target from issue 15: preview and import of 5,000 rows under 30 s.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_csv(rows: int) -> str:
    """A file of distinct, valid organisations."""
    from matchmaker.imports.service import COLUMNS

    kinds = ("arts_organisation", "charity", "social_enterprise", "community_group", "freelancer")
    lines = [",".join(COLUMNS)]
    for n in range(rows):
        values = {
            "email": f"contact{n}@org{n}.bench.example",
            "contact_name": f"Contact {n}",
            "organisation_name": f"Organisation {n}",
            "kind": kinds[n % len(kinds)],
            "website": f"https://org{n}.bench.example",
            "description_en": "Creative sessions for people living with long-term conditions.",
            "description_cy": "Sesiynau creadigol.",
            "conditions": "dementia;stroke",
            "art_forms": "singing;music",
            "health_boards": "powys;hywel-dda",
            "languages": "en;cy",
            "public_email": f"hello@org{n}.bench.example",
            "public_phone": "01970 123456",
        }
        lines.append(",".join(f'"{values[c]}"' for c in COLUMNS))
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="cyswllt-bench-import-"))
    os.environ["INSTANCE_PATH"] = str(scratch)
    os.environ["HUEY_SQLITE_PATH"] = str(scratch / "huey.db")
    os.environ["HUEY_NAME"] = f"bench-import-{secrets.token_hex(4)}"
    drop = None
    if args.database_url:
        import psycopg

        name = f"cyswllt_bench_import_{secrets.token_hex(4)}"
        admin = args.database_url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = admin.rsplit("/", 1)[0] + f"/{name}"

        def drop() -> None:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'bench.db'}"
    try:
        from flask_migrate import upgrade

        from matchmaker.extensions import db
        from matchmaker.factory import create_app
        from matchmaker.imports import service
        from matchmaker.jobs.queue import huey
        from matchmaker.models import OutboxMessage
        from matchmaker.reference.service import seed_reference_data

        huey.immediate = False  # invitations stay queued; nothing is delivered
        app = create_app({"SECRET_KEY": secrets.token_urlsafe(32), "BASE_URL": "http://bench.invalid"})
        text = make_csv(args.rows)
        print(
            f"{args.rows} rows, {len(text.encode()) / 1e6:.2f} MB, "
            f"database {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}"
        )
        with app.app_context():
            upgrade()
            seed_reference_data()
            db.session.commit()
        with app.test_request_context():
            started = time.perf_counter()
            result = service.preview(text)
            preview_s = time.perf_counter() - started
            print(f"preview   {preview_s:6.2f} s  ({len(result.new)} to create, {len(result.problems)} problems)")
            started = time.perf_counter()
            created = service.apply(text)
            db.session.commit()
            import_s = time.perf_counter() - started
            outbox = db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage))
            print(f"import    {import_s:6.2f} s  ({created} created, {outbox} invitations queued)")
            print(f"together  {preview_s + import_s:6.2f} s  (target: under 30 s)")
            started = time.perf_counter()
            again = service.apply(text)
            db.session.commit()
            print(f"again     {time.perf_counter() - started:6.2f} s  ({again} created)")
    finally:
        if drop is not None:
            drop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
