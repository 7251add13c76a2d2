"""Never twice: a message is queued only when its transaction commits and is sent at most once."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from huey.signals import SIGNAL_ENQUEUED


@pytest.fixture
def enqueued(app) -> Iterator[list[tuple[str, tuple]]]:
    """The (task name, args) of every job enqueued on the app's Huey during the test."""
    from matchmaker.jobs.queue import huey

    seen: list[tuple[str, tuple]] = []

    def record(signal, task, *args, **kwargs):
        seen.append((task.name, tuple(task.args)))

    huey.signal(SIGNAL_ENQUEUED)(record)
    yield seen
    huey.disconnect_signal(record, SIGNAL_ENQUEUED)


def count_rows(app) -> int:
    """How many outbox rows exist."""
    from sqlalchemy import func, select

    from matchmaker.extensions import db
    from matchmaker.models import OutboxMessage

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_queueing_in_a_transaction_that_rolls_back_sends_nothing(app, smtp_server, use_mail_server, enqueued):
    from matchmaker.extensions import db
    from matchmaker.mail.outbox import queue_email

    use_mail_server(smtp_server)
    with app.app_context():
        queue_email(key="rolled-back", to_address="a@example.org", subject="s", text_body="t")
        db.session.rollback()
        # A later commit in the same session must not deliver the forgotten row either.
        db.session.commit()
    assert count_rows(app) == 0
    assert enqueued == []
    assert smtp_server.transmissions == []


def test_committing_enqueues_delivery_once_and_sends_once(
    app, smtp_server, use_mail_server, enqueued, queue_message, outbox_row
):
    use_mail_server(smtp_server)
    message_id = queue_message(to_address="once@example.org")
    assert enqueued == [("deliver_message", (message_id,))]
    assert [r.rcpt_tos for r in smtp_server.received] == [("once@example.org",)]
    row = outbox_row(message_id)
    assert (row.status.value, row.attempts) == ("sent", 1)
    assert row.sent_at is not None


def test_queueing_the_same_key_twice_keeps_one_row_and_one_job(app, smtp_server, use_mail_server, enqueued):
    from matchmaker.extensions import db
    from matchmaker.mail.outbox import queue_email

    use_mail_server(smtp_server)
    with app.app_context():
        first = queue_email(key="same", to_address="a@example.org", subject="s", text_body="t")
        second = queue_email(key="same", to_address="a@example.org", subject="s", text_body="t")
        assert first.id == second.id
        db.session.commit()
        again = queue_email(key="same", to_address="a@example.org", subject="s", text_body="t")
        assert again.id == first.id
        db.session.commit()
    assert count_rows(app) == 1
    assert len(enqueued) == 1
    assert len(smtp_server.received) == 1


def test_a_rolled_back_savepoint_forgets_only_its_own_messages(app, smtp_server, use_mail_server, enqueued):
    from matchmaker.extensions import db
    from matchmaker.mail.outbox import queue_email

    use_mail_server(smtp_server)
    with app.app_context():
        kept = queue_email(key="outer", to_address="outer@example.org", subject="s", text_body="t")
        savepoint = db.session.begin_nested()
        queue_email(key="inner", to_address="inner@example.org", subject="s", text_body="t")
        savepoint.rollback()
        with db.session.begin_nested():  # released, not committed: nothing may go out yet
            queue_email(key="released", to_address="released@example.org", subject="s", text_body="t")
        assert enqueued == []
        assert smtp_server.transmissions == []
        db.session.commit()
        kept_id = kept.id
    assert [args for _, args in enqueued][0] == (kept_id,)
    assert len(enqueued) == 2
    assert sorted(r.rcpt_tos[0] for r in smtp_server.received) == ["outer@example.org", "released@example.org"]


def test_a_released_savepoint_inside_a_rolled_back_transaction_sends_nothing(
    app, smtp_server, use_mail_server, enqueued
):
    from matchmaker.extensions import db
    from matchmaker.mail.outbox import queue_email

    use_mail_server(smtp_server)
    with app.app_context():
        # Write first: with pysqlite a SAVEPOINT opened before any write is not inside a
        # transaction at all, and releasing it commits (a driver quirk, not ours).
        queue_email(key="outer", to_address="outer@example.org", subject="s", text_body="t")
        with db.session.begin_nested():
            queue_email(key="inner", to_address="inner@example.org", subject="s", text_body="t")
        db.session.rollback()
    assert count_rows(app) == 0
    assert enqueued == []
    assert smtp_server.transmissions == []


def test_delivering_again_or_sweeping_after_the_task_sends_nothing_more(
    app, smtp_server, use_mail_server, queue_message, outbox_row
):
    from matchmaker.mail.delivery import deliver, deliver_due
    from matchmaker.mail.tasks import deliver_due_mail, deliver_message

    use_mail_server(smtp_server)
    message_id = queue_message()
    assert len(smtp_server.received) == 1
    with app.app_context():
        assert deliver(message_id) == "skipped"
        assert deliver_due() == {}
        assert deliver_message(message_id).get() == "skipped"
        deliver_due_mail()  # periodic tasks keep no result; what counts is what the server got
    assert len(smtp_server.received) == 1
    assert outbox_row(message_id).attempts == 1


def test_the_sweep_and_the_task_on_a_kept_message_send_it_once(
    app, smtp_server, use_mail_server, queue_message, outbox_row
):
    from matchmaker.mail.tasks import deliver_due_mail, deliver_message

    message_id = queue_message()  # no mail server yet: kept in the outbox
    assert outbox_row(message_id).status.value == "queued"
    use_mail_server(smtp_server)
    with app.app_context():
        deliver_due_mail()
        assert outbox_row(message_id).status.value == "sent"
        assert deliver_message(message_id).get() == "skipped"
    assert len(smtp_server.received) == 1
    assert outbox_row(message_id).status.value == "sent"


def test_threads_delivering_the_same_message_at_once_send_it_once(
    app, smtp_server, use_mail_server, queue_message, outbox_row
):
    """While one thread is in the middle of sending, every other one finds the row claimed."""
    from matchmaker.mail.delivery import deliver

    message_id = queue_message()  # kept: no mail server while queueing
    use_mail_server(smtp_server)
    smtp_server.handler.gate = threading.Event()
    threads_count = 4
    start = threading.Barrier(threads_count)
    outcomes: list[str] = []
    lock = threading.Lock()
    others_done = threading.Event()

    def run() -> None:
        with app.app_context():
            start.wait(timeout=10)
            outcome = deliver(message_id)
        with lock:
            outcomes.append(outcome)
            if len(outcomes) == threads_count - 1:
                others_done.set()

    threads = [threading.Thread(target=run) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    # The winner is held inside DATA until the others have all given up on the row.
    assert others_done.wait(timeout=15), f"outcomes so far: {outcomes}"
    assert outcomes == ["skipped"] * (threads_count - 1)
    smtp_server.handler.gate.set()
    for thread in threads:
        thread.join(timeout=15)
    assert sorted(outcomes) == ["sent"] + ["skipped"] * (threads_count - 1)
    assert len(smtp_server.transmissions) == 1
    assert (outbox_row(message_id).status.value, outbox_row(message_id).attempts) == ("sent", 1)
