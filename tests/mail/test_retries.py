"""Never lost: a server that refuses or is down gets the message later; a hard refusal is kept as failed.

Time is driven by moving next_attempt_at into the past, never by sleeping.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

PAST = datetime(2000, 1, 1, tzinfo=UTC)


def seconds_until(moment: datetime) -> float:
    """Seconds from now to that moment."""
    return (moment - datetime.now(UTC)).total_seconds()


def sweep(app) -> dict[str, int]:
    """Run the outbox sweep once, as the periodic job does."""
    from matchmaker.mail.delivery import deliver_due

    with app.app_context():
        return deliver_due()


def test_a_server_that_refuses_at_first_gets_the_message_once_after_backed_off_retries(
    app, smtp_server, use_mail_server, queue_message, outbox_row, set_row
):
    use_mail_server(smtp_server)
    smtp_server.handler.refuse_first = 2
    message_id = queue_message(to_address="retry@example.org", subject="Ymgynghoriad â’r Bwrdd Iechyd")

    row = outbox_row(message_id)
    assert (row.status.value, row.attempts) == ("queued", 1)
    assert "451" in row.last_error and "Try again later" in row.last_error
    assert 25 < seconds_until(row.next_attempt_at) <= 30
    # Not due yet: neither the sweep nor a direct delivery touches it.
    assert sweep(app) == {}
    from matchmaker.mail.delivery import deliver

    with app.app_context():
        assert deliver(message_id) == "skipped"
    assert outbox_row(message_id).attempts == 1

    set_row(message_id, next_attempt_at=PAST)
    assert sweep(app) == {"retry": 1}
    row = outbox_row(message_id)
    assert (row.status.value, row.attempts) == ("queued", 2)
    assert 55 < seconds_until(row.next_attempt_at) <= 60  # backed off: twice as long

    set_row(message_id, next_attempt_at=PAST)
    assert sweep(app) == {"sent": 1}
    row = outbox_row(message_id)
    assert (row.status.value, row.attempts) == ("sent", 3)
    assert "451" in row.last_error  # why the earlier tries failed stays visible
    assert row.next_attempt_at is None

    assert len(smtp_server.received) == 1
    transmissions = smtp_server.transmissions
    assert [t.accepted for t in transmissions] == [False, False, True]
    # Every try carried the same Message-ID, fixed when the message was queued.
    assert {t.parsed()["Message-ID"] for t in transmissions} == {row.message_id}
    assert sweep(app) == {}
    assert len(smtp_server.transmissions) == 3


def test_a_server_that_is_down_at_first_gets_the_message_once_it_is_up(
    app, smtp_down, use_mail_server, queue_message, outbox_row, set_row
):
    use_mail_server(smtp_down)
    message_id = queue_message(to_address="down@example.org")
    row = outbox_row(message_id)
    assert (row.status.value, row.attempts) == ("queued", 1)
    assert "ConnectionRefusedError" in row.last_error
    assert seconds_until(row.next_attempt_at) > 25

    set_row(message_id, next_attempt_at=PAST)
    assert sweep(app) == {"retry": 1}  # still down
    assert outbox_row(message_id).attempts == 2

    smtp_down.start()
    assert sweep(app) == {}  # backed off: not due yet
    set_row(message_id, next_attempt_at=PAST)
    assert sweep(app) == {"sent": 1}
    assert (outbox_row(message_id).status.value, outbox_row(message_id).attempts) == ("sent", 3)
    assert [r.rcpt_tos for r in smtp_down.received] == [("down@example.org",)]


@pytest.mark.parametrize("where", ["DATA", "RCPT"])
def test_a_permanent_refusal_fails_visibly_and_the_organisers_retry_sends_it(
    app, client, smtp_server, use_mail_server, queue_message, outbox_row, make_user, sign_in, submit, where
):
    use_mail_server(smtp_server)
    if where == "DATA":
        smtp_server.handler.refuse_first = 1_000
        smtp_server.handler.refusal = "550 5.7.1 Message rejected"
    else:
        smtp_server.handler.refuse_rcpt = "550 5.1.1 No such mailbox"
    message_id = queue_message(to_address="gone@example.org", subject="Ymgynghoriad â’r Bwrdd Iechyd")

    row = outbox_row(message_id)
    assert (row.status.value, row.attempts) == ("failed", 1)  # no retries for a 5xx
    assert "550" in row.last_error
    assert sweep(app) == {}

    sign_in(make_user("organiser"))
    listing = client.get("/organiser/outbox?status=failed").get_data(as_text=True)
    assert "Ymgynghoriad â’r Bwrdd Iechyd" in listing
    page = client.get(f"/organiser/outbox/{message_id}").get_data(as_text=True)
    assert "550" in page and "Try sending again" in page

    smtp_server.handler.refuse_first = 0
    smtp_server.handler.refuse_rcpt = None
    response = submit(f"/organiser/outbox/{message_id}/retry", {}, page=f"/organiser/outbox/{message_id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/organiser/outbox/{message_id}")

    row = outbox_row(message_id)
    assert (row.status.value, row.attempts) == ("sent", 1)
    assert [r.rcpt_tos for r in smtp_server.received] == [("gone@example.org",)]
    page = client.get(f"/organiser/outbox/{message_id}").get_data(as_text=True)
    assert "Try sending again" not in page


def test_retry_of_a_message_that_has_not_failed_is_refused(
    app, client, queue_message, make_user, sign_in, submit, outbox_row
):
    message_id = queue_message()  # kept: no mail server
    sign_in(make_user("organiser"))
    response = submit(f"/organiser/outbox/{message_id}/retry", {}, page=f"/organiser/outbox/{message_id}")
    assert response.status_code == 400
    assert outbox_row(message_id).status.value == "queued"


def test_after_mail_max_attempts_the_message_is_failed_not_dropped(
    app, smtp_server, use_mail_server, queue_message, outbox_row, set_row
):
    use_mail_server(smtp_server, MAIL_MAX_ATTEMPTS=3)
    smtp_server.handler.refuse_first = 1_000
    message_id = queue_message()
    for _ in range(2):
        assert outbox_row(message_id).status.value == "queued"
        set_row(message_id, next_attempt_at=PAST)
        sweep(app)
    row = outbox_row(message_id)
    assert (row.status.value, row.attempts) == ("failed", 3)
    assert "451" in row.last_error
    assert row.next_attempt_at is None
    set_row(message_id, next_attempt_at=PAST)
    assert sweep(app) == {}  # failed rows wait for an organiser
    assert len(smtp_server.transmissions) == 3
    assert smtp_server.received == []


def test_a_claim_left_by_a_worker_that_died_is_picked_up_again_but_a_live_one_is_not(
    app, smtp_server, use_mail_server, queue_message, outbox_row, set_row
):
    from matchmaker.models import OutboxStatus

    stale = queue_message(to_address="stale@example.org")  # kept: no mail server while queueing
    live = queue_message(to_address="live@example.org")
    now = datetime.now(UTC)
    set_row(stale, status=OutboxStatus.SENDING, claimed_at=now - timedelta(minutes=11), attempts=1)
    set_row(live, status=OutboxStatus.SENDING, claimed_at=now - timedelta(minutes=1), attempts=1)
    use_mail_server(smtp_server)

    assert sweep(app) == {"sent": 1}
    assert [r.rcpt_tos for r in smtp_server.received] == [("stale@example.org",)]
    assert (outbox_row(stale).status.value, outbox_row(stale).attempts) == ("sent", 2)
    assert outbox_row(live).status.value == "sending"


def test_backoff_doubles_up_to_an_hour():
    from matchmaker.mail.delivery import backoff

    assert [backoff(n).total_seconds() for n in range(1, 10)] == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
