"""The job queue: Huey on its SQLite storage by default, on Redis when REDIS_URL is set.

The consumer runs `huey_consumer matchmaker.jobs.huey`; tasks open an app context
themselves so the same code runs in a consumer, in `make run` and in tests.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import Huey, RedisHuey, SqliteHuey

from matchmaker.config import INSTANCE


def make_huey() -> Huey:
    """Build the Huey instance the environment asks for."""
    name = os.environ.get("HUEY_NAME", "cyswllt")
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        return RedisHuey(name, url=redis_url, utc=True)
    path = Path(os.environ.get("HUEY_SQLITE_PATH", INSTANCE / "huey.db"))
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(name, filename=str(path), utc=True)


huey = make_huey()
_worker_app: Flask | None = None


@contextmanager
def app_context() -> Iterator[Flask]:
    """Run task code inside an app context (the caller's, or one made once per worker)."""
    global _worker_app
    if has_app_context():
        yield current_app._get_current_object()  # type: ignore[attr-defined]
        return
    if _worker_app is None:
        from matchmaker.factory import create_app

        _worker_app = create_app()
    with _worker_app.app_context():
        yield _worker_app
