"""The same job code through a real Huey consumer, on its SQLite storage and on Redis.

The test process queues an email and commits; the after-commit hook enqueues the delivery
job on real storage; a `huey_consumer matchmaker.jobs.consumer.huey` subprocess picks it up and
sends it to a real SMTP server on loopback.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from tests.jobs.queue_helpers import app_queue_on, running_consumer, wait_for

REDIS_URL = os.environ.get("REDIS_URL", "")


@pytest.fixture
def huey_name() -> str:
    """A queue name of this test's own, so nothing else's jobs are seen or left behind."""
    return f"cyswllt-test-consumer-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def sqlite_queue(tmp_path, huey_name) -> Iterator[tuple[object, dict[str, str]]]:
    """A Huey on SQLite storage in a temporary file, and the environment a consumer needs for it."""
    from matchmaker.jobs.queue import make_huey

    path = tmp_path / "huey.db"
    queue = make_huey(huey_name, redis_url="", sqlite_path=str(path))
    yield queue, {"HUEY_NAME": huey_name, "HUEY_SQLITE_PATH": str(path)}
    queue.storage.close()


@pytest.fixture
def redis_queue(huey_name) -> Iterator[tuple[object, dict[str, str]]]:
    """A Huey on Redis under a unique name; every key it made is deleted afterwards."""
    if not REDIS_URL:
        pytest.skip("REDIS_URL is not set: the Huey-on-Redis consumer test needs Redis (CI sets REDIS_URL)")
    from matchmaker.jobs.queue import make_huey

    queue = make_huey(huey_name, redis_url=REDIS_URL)
    yield queue, {"HUEY_NAME": huey_name, "REDIS_URL": REDIS_URL}
    queue.flush()
    conn = queue.storage.conn
    leftovers = list(conn.scan_iter(match=f"*{huey_name}*"))
    if leftovers:
        conn.delete(*leftovers)
    assert list(conn.scan_iter(match=f"*{huey_name}*")) == []


def deliver_through_consumer(app, tmp_path, smtp_server, queue, queue_env, queue_message, outbox_row) -> None:
    """Queue an email in the test process and check that the consumer sent it exactly once."""
    with running_consumer(app, tmp_path, smtp_server.port, **queue_env) as consumer_log:
        started = wait_for(lambda: "Huey consumer started" in consumer_log(), timeout=20)
        assert started, f"the consumer did not start within 20 s; its log:\n{consumer_log()}"
        with app_queue_on(queue):
            message_id = queue_message(to_address="consumer@example.org", subject="Ymgynghoriad â’r Bwrdd Iechyd")
        assert app.config["MAIL_SERVER"] == ""  # the test process itself sends nothing

        def done() -> bool:
            return outbox_row(message_id).status.value == "sent" and len(smtp_server.received) == 1

        assert wait_for(done, timeout=20), f"not delivered within 20 s; consumer log:\n{consumer_log()}"
        assert wait_for(lambda: queue.pending_count() == 0 and queue.result_count() == 1, timeout=5)
        assert "deliver_message" in consumer_log()

    [received] = smtp_server.received
    assert received.rcpt_tos == ("consumer@example.org",)
    assert received.parsed()["Subject"] == "Ymgynghoriad â’r Bwrdd Iechyd"
    row = outbox_row(message_id)
    assert (row.status.value, row.attempts) == ("sent", 1)
    assert received.parsed()["Message-ID"] == row.message_id
    [stored] = queue.all_results().values()
    assert queue.serializer.deserialize(stored) == "sent"  # the job's own return value
    assert queue.pending_count() == 0


def test_a_consumer_on_sqlite_storage_delivers_the_mail(
    app, tmp_path, smtp_server, sqlite_queue, queue_message, outbox_row
):
    from huey import SqliteHuey

    queue, env = sqlite_queue
    assert isinstance(queue, SqliteHuey)
    deliver_through_consumer(app, tmp_path, smtp_server, queue, env, queue_message, outbox_row)


def test_a_consumer_on_redis_delivers_the_mail(app, tmp_path, smtp_server, redis_queue, queue_message, outbox_row):
    from huey import RedisHuey

    queue, env = redis_queue
    assert isinstance(queue, RedisHuey)
    deliver_through_consumer(app, tmp_path, smtp_server, queue, env, queue_message, outbox_row)
