"""Without MAIL_SERVER mail stays in the outbox, which organisers (and only they) can read; the CLI."""

from __future__ import annotations

import pytest

SUBJECT = "Ymgynghoriad â’r Bwrdd Iechyd"


def test_without_a_mail_server_the_message_is_kept_in_the_outbox(app, queue_message, outbox_row):
    from matchmaker.mail.delivery import deliver, deliver_due

    assert not app.config["MAIL_SERVER"]
    message_id = queue_message(subject=SUBJECT)
    with app.app_context():
        assert deliver(message_id) == "kept"
        assert deliver_due() == {}
    row = outbox_row(message_id)
    assert (row.status.value, row.attempts, row.last_error, row.sent_at) == ("queued", 0, None, None)


def test_organisers_read_the_outbox_and_each_message(app, client, queue_message, make_user, sign_in):
    message_id = queue_message(to_address="nia@example.org", subject=SUBJECT, text_body="Bore da Nia\nDolen: /x\n")
    other_id = queue_message(subject="Another message")
    sign_in(make_user("organiser"))

    listing = client.get("/organiser/outbox")
    assert listing.status_code == 200
    html = listing.get_data(as_text=True)
    assert SUBJECT in html and "nia@example.org" in html and "Another message" in html
    assert html.index("Another message") < html.index(SUBJECT)  # newest first
    assert "Without a mail server configured" in html

    assert SUBJECT not in client.get("/organiser/outbox?status=sent").get_data(as_text=True)
    assert SUBJECT in client.get("/organiser/outbox?status=queued").get_data(as_text=True)

    page = client.get(f"/organiser/outbox/{message_id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert SUBJECT in text and "Bore da Nia" in text and "nia@example.org" in text
    assert "Try sending again" not in text  # only failed messages can be retried
    assert client.get(f"/organiser/outbox/{other_id + 1000}").status_code == 404


@pytest.mark.parametrize("role", ["creative", "commissioner", "link_worker"])
def test_everyone_else_is_refused_the_outbox(app, client, queue_message, make_user, sign_in, role):
    from tests.helpers import csrf_token

    message_id = queue_message(subject=SUBJECT)
    sign_in(make_user(role))
    assert client.get("/organiser/outbox").status_code == 403
    assert client.get(f"/organiser/outbox/{message_id}").status_code == 403
    token = csrf_token(client.get("/account/change-password").get_data(as_text=True))
    assert client.post(f"/organiser/outbox/{message_id}/retry", data={"csrf_token": token}).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(app, client, queue_message):
    message_id = queue_message()
    for path in ("/organiser/outbox", f"/organiser/outbox/{message_id}"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/account/sign-in" in response.headers["Location"]


def test_outbox_deliver_without_mail_server_exits_2_with_one_line(app, runner, queue_message, outbox_row):
    message_id = queue_message()
    result = runner.invoke(args=["outbox", "deliver"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == ["MAIL_SERVER is not set: mail stays in the outbox."]
    assert outbox_row(message_id).status.value == "queued"


def test_outbox_deliver_sends_what_is_due_and_status_counts(
    app, runner, smtp_server, use_mail_server, queue_message, outbox_row
):
    kept = [queue_message(to_address=f"p{n}@example.org") for n in range(3)]
    result = runner.invoke(args=["outbox", "status"])
    assert result.exit_code == 0
    assert result.output.splitlines() == ["queued: 3", "sending: 0", "sent: 0", "failed: 0"]

    use_mail_server(smtp_server)
    result = runner.invoke(args=["outbox", "deliver"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "sent: 3"
    assert sorted(r.rcpt_tos[0] for r in smtp_server.received) == ["p0@example.org", "p1@example.org", "p2@example.org"]
    assert {outbox_row(i).status.value for i in kept} == {"sent"}

    result = runner.invoke(args=["outbox", "deliver"])
    assert (result.exit_code, result.output.strip()) == (0, "nothing due")
    assert runner.invoke(args=["outbox", "status"]).output.splitlines() == [
        "queued: 0",
        "sending: 0",
        "sent: 3",
        "failed: 0",
    ]
