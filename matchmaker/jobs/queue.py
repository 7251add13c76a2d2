"""The job queue: Huey on its SQLite storage by default, on Redis when REDIS_URL is set.

The consumer runs `huey_consumer matchmaker.jobs.consumer.huey` (consumer.py makes the app,
which registers every feature's tasks, and hands it to this module). Tasks open an app context
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


def make_huey(name: str | None = None, *, redis_url: str | None = None, sqlite_path: str | None = None) -> Huey:
    """Build a Huey instance: Redis when a URL is given, else SQLite storage.

    Each argument left as None is read from the environment (HUEY_NAME, REDIS_URL,
    HUEY_SQLITE_PATH); pass redis_url="" to ask for SQLite storage whatever the environment says.
    """
    name = name or os.environ.get("HUEY_NAME", "cyswllt")
    if redis_url is None:
        redis_url = os.environ.get("REDIS_URL", "")
    if redis_url:
        return RedisHuey(name, url=redis_url, utc=True)
    path = Path(sqlite_path or os.environ.get("HUEY_SQLITE_PATH") or INSTANCE / "huey.db")
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(name, filename=str(path), utc=True)


huey = make_huey()
_worker_app: Flask | None = None


def use_app(app: Flask | None) -> Flask | None:
    """Run tasks taken outside an app context in this app (the consumer's entry; tests); return the previous one."""
    global _worker_app
    previous, _worker_app = _worker_app, app
    return previous


def _app() -> Flask:
    """The app to run a task in: the caller's, else the one the consumer's entry made."""
    if has_app_context():
        return current_app._get_current_object()  # type: ignore[attr-defined]
    if _worker_app is None:
        raise RuntimeError("No app to run the task in: start the consumer with matchmaker.jobs.consumer.huey")
    return _worker_app


@contextmanager
def app_context() -> Iterator[Flask]:
    """Run task code in a fresh app context, and so with a database session of its own.

    In immediate mode a task runs inside the caller (even inside its after-commit hook);
    a separate session keeps the task's commits apart from the caller's transaction.
    """
    app = _app()
    with app.app_context():
        yield app
