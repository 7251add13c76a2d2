"""Issue 13, finding 7: bodies of sent emails are emptied after OUTBOX_RETENTION_DAYS; the rows stay."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.accounts.support import signed_in_client, text


def _message(app: Any, key: str, status: str, sent_days_ago: int | None) -> int:
    """An outbox row with a calendar, sent so many days ago (or never)."""
    from matchmaker.extensions import db
    from matchmaker.models import OutboxMessage, OutboxStatus, utcnow

    with app.app_context():
        row = OutboxMessage(
            key=key,
            message_id=f"<{key}@example.org>",
            to_address=f"{key}@example.org",
            subject=f"Invitation {key}",
            text_body="Hello Tom Price",
            html_body="<p>Hello Tom Price</p>",
            calendar="BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n",
            calendar_method="REQUEST",
            status=OutboxStatus(status),
            sent_at=utcnow() - timedelta(days=sent_days_ago) if sent_days_ago is not None else None,
        )
        db.session.add(row)
        db.session.commit()
        return row.id


def test_old_sent_bodies_are_emptied_and_everything_else_is_kept(app, make_user):
    from matchmaker.extensions import db
    from matchmaker.mail.tasks import purge_old_mail_bodies
    from matchmaker.models import OutboxMessage

    old = _message(app, "old", "sent", 91)
    recent = _message(app, "recent", "sent", 89)
    waiting = _message(app, "waiting", "queued", None)
    failed = _message(app, "failed", "failed", None)
    assert purge_old_mail_bodies.call_local() == 1
    assert purge_old_mail_bodies.call_local() == 0  # once only
    with app.app_context():
        row = db.session.get(OutboxMessage, old)
        assert (row.text_body, row.html_body, row.calendar) == ("", None, None)
        assert row.subject == "Invitation old" and row.to_address == "old@example.org" and row.sent_at is not None
        assert row.body_purged_at is not None
        for kept in (recent, waiting, failed):
            assert db.session.get(OutboxMessage, kept).text_body == "Hello Tom Price"
    organiser = signed_in_client(app, make_user("organiser"))
    page = text(organiser.get(f"/organiser/outbox/{old}"))
    assert "The text of this email was removed 90 days after it was sent" in page


def test_the_retention_period_comes_from_the_configuration(app):
    from matchmaker.extensions import db
    from matchmaker.mail.redact import purge_old_bodies
    from matchmaker.models import OutboxMessage

    recent = _message(app, "recent", "sent", 10)
    old_setting = app.config["OUTBOX_RETENTION_DAYS"]
    app.config["OUTBOX_RETENTION_DAYS"] = 7
    try:
        with app.app_context():
            assert purge_old_bodies() == 1
            assert db.session.get(OutboxMessage, recent).text_body == ""
    finally:
        app.config["OUTBOX_RETENTION_DAYS"] = old_setting
