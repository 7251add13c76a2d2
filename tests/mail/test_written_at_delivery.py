"""Messages written at delivery (publishing queues thousands): a compact row now, its bodies when it is sent.

A renderer that fails leaves the row queued with the error, to be written and sent later: never dropped.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

PAST = datetime(2000, 1, 1, tzinfo=UTC)


@pytest.fixture
def greeting(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A renderer of kind 'greeting' for these tests; set state['broken'] to make it raise."""
    from matchmaker.mail.outbox import RENDERERS

    state: dict[str, Any] = {"broken": False, "calls": 0}

    def write(spec: dict[str, Any]) -> dict[str, Any] | None:
        state["calls"] += 1
        if state["broken"]:
            raise RuntimeError("template trouble")
        if spec["name"] == "gone":
            return None
        return {"subject": f"Helo {spec['name']}", "text_body": f"Hello {spec['name']}", "html_body": None}

    monkeypatch.setitem(RENDERERS, "greeting", write)
    return state


def _queue(app: Any, *names: str, key_prefix: str = "greet") -> list[int]:
    from matchmaker.extensions import db
    from matchmaker.mail.service import queue_deferred

    with app.app_context():
        rows = [
            {
                "key": f"{key_prefix}:{name}",
                "to_address": f"{name}@example.org",
                "render": {"kind": "greeting", "name": name},
            }
            for name in names
        ]
        ids = [m.id for m in queue_deferred(rows)]
        db.session.commit()
        return ids


def test_written_and_sent_at_delivery_once_per_key(app, smtp_server, use_mail_server, greeting, outbox_row):
    use_mail_server(smtp_server)
    (first,) = _queue(app, "sian")
    assert _queue(app, "sian") == []  # the same key again queues nothing
    row = outbox_row(first)
    assert (row.status.value, row.subject, row.text_body, row.render) == ("sent", "Helo sian", "Hello sian", None)
    assert [r.parsed()["To"].addresses[0].addr_spec for r in smtp_server.received] == ["sian@example.org"]


def test_many_at_once_go_in_batches(app, smtp_server, use_mail_server, greeting, outbox_row):
    use_mail_server(smtp_server)
    ids = _queue(app, *[f"p{n}" for n in range(30)])  # more than BATCH_ABOVE: handed over in batches
    assert len(ids) == 30 and all(outbox_row(i).status.value == "sent" for i in ids)
    assert len(smtp_server.received) == 30


def test_a_renderer_that_fails_keeps_the_message_for_a_retry(
    app, smtp_server, use_mail_server, greeting, outbox_row, set_row
):
    from matchmaker.mail.delivery import deliver_due

    use_mail_server(smtp_server)
    greeting["broken"] = True
    (message_id,) = _queue(app, "aled")
    row = outbox_row(message_id)
    assert row.status.value == "queued" and "template trouble" in row.last_error
    assert row.render == {"kind": "greeting", "name": "aled"} and row.next_attempt_at is not None
    assert smtp_server.received == []

    greeting["broken"] = False
    set_row(message_id, next_attempt_at=PAST)
    with app.app_context():
        assert deliver_due() == {"sent": 1}
    row = outbox_row(message_id)
    assert (row.status.value, row.text_body) == ("sent", "Hello aled")
    assert len(smtp_server.received) == 1


def test_nothing_left_to_say_is_marked_failed_with_the_reason(app, smtp_server, use_mail_server, greeting, outbox_row):
    use_mail_server(smtp_server)
    (message_id,) = _queue(app, "gone")
    row = outbox_row(message_id)
    assert row.status.value == "failed" and "no longer exists" in row.last_error
    assert smtp_server.received == []


def test_without_a_mail_server_the_outbox_shows_it_written(app, greeting, outbox_row):
    (message_id,) = _queue(app, "mair")
    row = outbox_row(message_id)
    assert (row.status.value, row.subject, row.render) == ("queued", "Helo mair", None)


def test_the_outbox_names_a_message_not_yet_written(app, client, make_user, sign_in, greeting, outbox_row):
    greeting["broken"] = True
    (message_id,) = _queue(app, "nia")
    assert outbox_row(message_id).subject == ""
    sign_in(make_user("organiser"))
    page = client.get("/organiser/outbox").get_data(as_text=True)
    assert f'/organiser/outbox/{message_id}">Invitation (written when it is sent)</a>' in page
    client.get("/language/cy")
    page = client.get("/organiser/outbox").get_data(as_text=True)
    assert "Gwahoddiad (caiff ei ysgrifennu pan gaiff ei anfon)" in page
    greeting["broken"] = False  # opening it writes it
    assert "Helo nia" in client.get(f"/organiser/outbox/{message_id}").get_data(as_text=True)
    assert outbox_row(message_id).render is None
