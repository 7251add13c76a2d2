"""The outbox in the site: organisers read what the service sent (that is how the demo shows links)."""

from __future__ import annotations

from matchmaker.extensions import db
from matchmaker.mail.outbox import queue_email
from matchmaker.models import OutboxMessage, OutboxStatus
from tests.accounts.support import signed_in_client, text
from tests.helpers import csrf_token


def queue(app, n=1, **fields):
    """Queue n plain messages; return their ids."""
    ids = []
    with app.app_context():
        for i in range(n):
            message = queue_email(
                key=fields.get("key", "test:") + f"{i}",
                to_address=fields.get("to_address", f"person{i}@example.org"),
                subject=fields.get("subject", f"Subject {i}"),
                text_body=fields.get("text_body", f"Body {i}"),
            )
            ids.append(message.id)
        db.session.commit()
    return ids


def test_the_outbox_lists_messages_newest_first_with_pages(app, make_user):
    admin = signed_in_client(app, make_user("organiser"))
    queue(app, 51)
    first = text(admin.get("/organiser/outbox"))
    assert "Subject 50" in first
    assert "Subject 1<" in first
    assert "Subject 0<" not in first
    assert first.index("Subject 50") < first.index("Subject 49")
    assert 'rel="next"' in first
    second = text(admin.get("/organiser/outbox?page=2"))
    assert "Subject 0<" in second
    assert 'rel="next"' not in second
    assert admin.get("/organiser/outbox?page=-3").status_code == 200
    assert admin.get("/organiser/outbox?page=abc").status_code == 200


def test_a_message_shows_its_text_and_a_password_reset_link_without_a_mail_server(app, make_user, submit, outbox):
    admin = signed_in_client(app, make_user("organiser"))
    person = make_user()
    submit("/account/forgot-password", {"email": person.email})
    message = outbox(person.email)[0]
    assert not app.config["MAIL_SERVER"]
    page = text(admin.get(f"/organiser/outbox/{message.id}"))
    assert message.subject in page
    assert "/account/reset-password/" in page


def test_with_a_mail_server_private_links_are_not_shown_to_organisers(app, make_user, submit, outbox):
    admin = signed_in_client(app, make_user("organiser"))
    person = make_user()
    submit("/account/forgot-password", {"email": person.email})
    reset = outbox(person.email)[0]
    [notice] = queue(app, key="notice:", text_body="Nothing secret here")
    app.config["MAIL_SERVER"] = "smtp.example.invalid"
    try:
        page = text(admin.get(f"/organiser/outbox/{reset.id}"))
        plain = text(admin.get(f"/organiser/outbox/{notice}"))
    finally:
        app.config["MAIL_SERVER"] = ""
    assert "/account/reset-password/" not in page
    assert "private sign-in link" in page
    assert "Nothing secret here" in plain


def test_the_body_is_escaped(app, make_user):
    admin = signed_in_client(app, make_user("organiser"))
    [message_id] = queue(app, text_body="<script>alert(1)</script>", subject="<b>bold</b>")
    page = text(admin.get(f"/organiser/outbox/{message_id}"))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert "<b>bold</b>" not in page


def test_retry_requeues_a_failed_message_only(app, make_user):
    admin = signed_in_client(app, make_user("organiser"))
    [message_id] = queue(app)
    with app.app_context():
        db.session.get(OutboxMessage, message_id).status = OutboxStatus.SENT
        db.session.commit()
    page = text(admin.get(f"/organiser/outbox/{message_id}"))
    assert "Try sending again" not in page
    token = csrf_token(page)
    assert admin.post(f"/organiser/outbox/{message_id}/retry", data={"csrf_token": token}).status_code == 400
    with app.app_context():
        row = db.session.get(OutboxMessage, message_id)
        row.status = OutboxStatus.FAILED
        row.attempts = 8
        row.last_error = "550 mailbox unavailable"
        db.session.commit()
    page = text(admin.get(f"/organiser/outbox/{message_id}"))
    assert "550 mailbox unavailable" in page
    response = admin.post(f"/organiser/outbox/{message_id}/retry", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    with app.app_context():
        row = db.session.get(OutboxMessage, message_id)
        # Without a mail server the message waits in the outbox again, from a clean slate.
        assert row.status == OutboxStatus.QUEUED
        assert row.attempts == 0
        from matchmaker.models import AuditEvent

        assert [(e.action, e.target_id) for e in db.session.query(AuditEvent)] == [("mail_retried", message_id)]


def test_unknown_messages_are_404(app, make_user):
    admin = signed_in_client(app, make_user("organiser"))
    assert admin.get("/organiser/outbox/999999").status_code == 404
    token = csrf_token(text(admin.get("/organiser/accounts")))
    assert admin.post("/organiser/outbox/999999/retry", data={"csrf_token": token}).status_code == 404
