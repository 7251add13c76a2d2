"""Helpers for the job tests: point the app's queue at real storage, run a real Huey consumer."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from huey import Huey

ROOT = Path(__file__).resolve().parents[2]
CONSUMER = Path(sys.executable).parent / "huey_consumer"


@contextmanager
def app_queue_on(storage: Huey) -> Iterator[None]:
    """Make the app's Huey (immediate in tests) enqueue onto this instance's storage for a while."""
    from matchmaker.jobs.queue import huey

    huey.immediate = False
    huey.storage = storage.storage
    try:
        yield
    finally:
        huey.immediate = True  # back to in-memory storage, as tests/conftest.py set it


def plain_database_url(app: Any) -> str:
    """The app's database URL in the form DATABASE_URL takes (without the +psycopg driver)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    return re.sub(r"^postgresql\+psycopg://", "postgresql://", str(url))


@contextmanager
def running_consumer(app: Any, tmp_path: Path, smtp_port: int, **queue_env: str) -> Iterator[Callable[[], str]]:
    """Run `huey_consumer matchmaker.jobs.consumer.huey -w 1 -k thread` against the test database.

    queue_env holds HUEY_NAME and either HUEY_SQLITE_PATH or REDIS_URL. Yields a function
    that returns the consumer's log so far; the process is always stopped at the end.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("HUEY_", "MAIL_", "REDIS_", "DATABASE_", "CYSWLLT_", "RATELIMIT_"))
    }
    env.update(
        PYTHONPATH=str(ROOT),
        DATABASE_URL=plain_database_url(app),
        INSTANCE_PATH=str(tmp_path / "instance"),
        SECRET_KEY=secrets.token_urlsafe(32),
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(smtp_port),
        MAIL_USE_STARTTLS="false",
        **queue_env,
    )
    log_path = tmp_path / "consumer.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            # -n: no periodic sweep, so the delivery seen is the job's; -m: poll at least twice a second.
            [str(CONSUMER), "matchmaker.jobs.consumer.huey", "-w", "1", "-k", "thread", "-n", "-d", "0.1", "-m", "0.5"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield lambda: log_path.read_text(errors="replace")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def wait_for(condition: Callable[[], bool], timeout: float = 20.0) -> bool:
    """Poll condition until it holds or timeout seconds pass (bounded, for a consumer in another process)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()
