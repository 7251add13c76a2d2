"""The job queue itself: which storage it uses, what a commit puts on it, and what a job may touch."""

from __future__ import annotations

import logging
from datetime import datetime

import pytest

from tests.jobs.queue_helpers import app_queue_on
from tests.mail.smtp_server import free_port


def test_make_huey_uses_sqlite_by_default_and_redis_when_asked(tmp_path, monkeypatch):
    from huey import RedisHuey, SqliteHuey

    from matchmaker.jobs.queue import make_huey

    explicit = make_huey("q1", redis_url="", sqlite_path=str(tmp_path / "q1.db"))
    assert isinstance(explicit, SqliteHuey)
    assert (explicit.name, explicit.storage.filename) == ("q1", str(tmp_path / "q1.db"))

    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("HUEY_NAME", "from-env")
    monkeypatch.setenv("HUEY_SQLITE_PATH", str(tmp_path / "sub" / "env.db"))
    from_env = make_huey()
    assert isinstance(from_env, SqliteHuey)
    assert (from_env.name, from_env.storage.filename) == ("from-env", str(tmp_path / "sub" / "env.db"))

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6399/3")
    on_redis = make_huey()
    assert isinstance(on_redis, RedisHuey)
    assert on_redis.name == "from-env"
    kwargs = on_redis.storage.conn.connection_pool.connection_kwargs
    assert (kwargs["port"], kwargs["db"]) == (6399, 3)
    assert isinstance(make_huey(redis_url=""), SqliteHuey)  # explicit SQLite wins over the environment


def test_the_worker_registers_the_delivery_job_and_the_minute_sweep():
    from matchmaker.jobs.consumer import huey

    names = {task.name for task in huey.read_periodic(datetime(2027, 3, 2, 10, 0))}
    assert "deliver_due_mail" in names
    from matchmaker.jobs.queue import huey as app_huey

    assert huey is app_huey


def enqueued_messages(queue) -> list[tuple[str, tuple]]:
    """(task name, args) of every job waiting on this queue's storage."""
    return [
        (message.name, tuple(message.args))
        for message in (queue.serializer.deserialize(raw) for raw in queue.storage.enqueued_items())
    ]


def test_a_commit_puts_one_delivery_job_on_real_storage_and_a_rollback_none(app, tmp_path, queue_message):
    from matchmaker.extensions import db
    from matchmaker.jobs.queue import make_huey
    from matchmaker.mail.outbox import queue_email

    queue = make_huey("commit-test", redis_url="", sqlite_path=str(tmp_path / "huey.db"))
    with app_queue_on(queue):
        with app.app_context():
            queue_email(key="rolled-back", to_address="a@example.org", subject="s", text_body="t")
            db.session.rollback()
        assert enqueued_messages(queue) == []
        message_id = queue_message()
    assert enqueued_messages(queue) == [("matchmaker.mail.tasks.deliver_message", (message_id,))]


def test_when_the_queue_is_down_the_commit_still_stands_and_the_sweep_sends_the_mail(
    app, smtp_server, use_mail_server, queue_message, outbox_row, caplog
):
    from matchmaker.jobs.queue import make_huey
    from matchmaker.mail.delivery import deliver_due

    use_mail_server(smtp_server)
    unreachable = make_huey("down", redis_url=f"redis://127.0.0.1:{free_port()}/0")
    with app_queue_on(unreachable), caplog.at_level(logging.ERROR, logger="matchmaker.mail.outbox"):
        message_id = queue_message(to_address="later@example.org")
    assert "could not queue delivery of mail" in caplog.text
    assert outbox_row(message_id).status.value == "queued"
    assert smtp_server.received == []
    with app.app_context():
        assert deliver_due() == {"sent": 1}
    assert [r.rcpt_tos for r in smtp_server.received] == [("later@example.org",)]


def test_a_job_run_inside_a_request_keeps_to_its_own_database_session(
    app, smtp_server, use_mail_server, queue_message, outbox_row
):
    """An immediate-mode job commits its own work only, never what the caller has pending."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.mail.tasks import deliver_message
    from matchmaker.models import OutboxMessage

    message_id = queue_message()  # kept: no mail server while queueing
    use_mail_server(smtp_server)
    with app.app_context():
        caller_row = db.session.get(OutboxMessage, message_id)
        caller_row.subject = "changed by the caller, never committed"
        assert deliver_message(message_id).get() == "sent"
        db.session.rollback()
        assert db.session.scalar(select(OutboxMessage.subject).where(OutboxMessage.id == message_id)) != (
            "changed by the caller, never committed"
        )
    assert outbox_row(message_id).status.value == "sent"
    assert len(smtp_server.received) == 1


def test_tasks_outside_an_app_context_run_in_the_app_the_consumer_entry_made():
    """Without an app context, jobs run in the app the consumer entry made (which registered every task)."""
    from flask import has_app_context

    import matchmaker.jobs.consumer as consumer
    from matchmaker.jobs import queue as jobs

    assert not has_app_context()
    with jobs.app_context() as first:
        assert has_app_context()
    with jobs.app_context() as second:
        pass
    assert first is second
    assert not has_app_context()
    registered = set(consumer.huey._registry._registry)
    for task in ("deliver_message", "deliver_due_mail", "send_session_reminders", "run_match", "sweep_dead_runs"):
        assert any(name.endswith("." + task) for name in registered), (task, sorted(registered))
    previous = jobs.use_app(None)
    try:
        with pytest.raises(RuntimeError, match="start the consumer"):
            with jobs.app_context():
                pass
    finally:
        jobs.use_app(previous)
