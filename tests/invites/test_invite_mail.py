"""Invites as they arrive at a real SMTP server: MIME shape, method=, bodies, and the event sequence."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.invites.support import (
    Mailbox,
    body_text,
    calendar_part,
    calendar_text,
    parse_with_ical,
    parse_with_icaljs,
)

SAMPLES = Path(__file__).resolve().parents[2] / "test-artifacts" / "invites"


def _keep_sample(name: str, raw: bytes) -> None:
    """Keep a received message as it arrived, for people to read (test-artifacts/invites/)."""
    SAMPLES.mkdir(parents=True, exist_ok=True)
    (SAMPLES / name).write_bytes(raw)


def _structure(message: Any) -> list[str]:
    """Content types in walk order, with nesting shown by the parents."""
    return [part.get_content_type() for part in message.walk()]


def _summary(message: Any) -> tuple[str, str, int, str]:
    """(recipient, METHOD, SEQUENCE, STATUS) of one received invite, read by the strict parser."""
    calendar = parse_with_ical(calendar_text(message))
    event = calendar.events[0]
    return (str(message["To"].addresses[0].addr_spec), calendar.method, event.sequence, event.status.value)


def test_invite_arrives_as_a_proper_invitation(
    app: Any, people: dict[str, Any], make_session: Callable[..., int], in_app: Callable[..., Any], smtp: Mailbox
) -> None:
    from matchmaker.invites import service

    sian, tom, priya, gareth = people["siân"], people["tom"], people["priya"], people["gareth"]
    session_id = make_session(
        [(sian, "creative"), (tom, "creative"), (priya, "commissioner"), (gareth, "link_worker")],
        purpose="Singing groups for people after a stroke",
    )
    in_app(session_id, service.session_published)

    messages = smtp.messages()
    assert sorted(m["To"].addresses[0].addr_spec for m in messages) == [
        "gareth@example.org",
        "priya@example.org",
        "sian@example.org",
        "tom@example.org",
    ]
    tom_mail = next(m for m in messages if m["To"].addresses[0].addr_spec == "tom@example.org")
    assert _structure(tom_mail) == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/html",
        "text/calendar",
        "application/ics",
    ]
    part = calendar_part(tom_mail)
    assert part.get_param("method") == "REQUEST"
    assert part.get_content_charset() == "utf-8"
    text = calendar_text(tom_mail)
    assert re.search(r"^METHOD:(\w+)\r$", text, re.MULTILINE).group(1) == part.get_param("method")
    attachment = [p for p in tom_mail.walk() if p.get_filename()][0]
    assert attachment.get_filename() == "cyswllt-session-2027-03-02-1000.ics"
    assert attachment.get_payload(decode=True).decode("utf-8") == text

    body = body_text(tom_mail)
    html = tom_mail.get_body(preferencelist=("html",)).get_content()
    # .strip(): CPython folds a long Subject right after "Subject:" and its parser keeps that space.
    assert tom_mail["Subject"].strip() == "Invitation: Consultation session: Stroke, 10am on Tuesday 2 March 2027"
    assert "10am on Tuesday 2 March 2027 to 11:30am" in body
    assert "Singing groups for people after a stroke" in body and "Singing groups for people after a stroke" in html
    assert "Siân Ŵyn Jones, Côr Cymunedol Aberteifi" in body
    assert "Priya Shah, Hywel Dda University Health Board" in body
    assert "Gareth Lloyd, Ceredigion Social Prescribing" in body
    assert "Tom Price, Sound Minds Collective" not in body  # not told about himself
    for address in ("sian@", "priya@", "gareth@"):  # nobody else's address, anywhere in the message
        assert address not in tom_mail.as_string() and address not in body and address not in text
    for arrangement in ("Live captions", "British Sign Language (BSL) interpretation", "Step-free access"):
        assert arrangement in body and arrangement in html
    with app.app_context():
        from matchmaker.extensions import db
        from matchmaker.models import ConsultationSession

        join = f"https://meet.jit.si/{db.session.get(ConsultationSession, session_id).room}"
    assert join in body and join in html
    assert len(re.findall(r"http://localhost/sessions/respond/\S+", body)) == 2

    sian_mail = next(m for m in messages if m["To"].addresses[0].addr_spec == "sian@example.org")
    assert "10yb ddydd Mawrth 2 Mawrth 2027" in body_text(sian_mail)  # her language
    assert "Helo Siân Ŵyn Jones" in body_text(sian_mail)

    _keep_sample("invite-sample.eml", bytes(tom_mail))


@pytest.mark.parametrize(
    ("starts_at", "local"),
    [
        (datetime(2027, 3, 28, 9, 0, tzinfo=UTC), "10am on Sunday 28 March 2027"),  # first day of BST
        (datetime(2027, 3, 29, 9, 0, tzinfo=UTC), "10am on Monday 29 March 2027"),
        (datetime(2027, 10, 31, 10, 0, tzinfo=UTC), "10am on Sunday 31 October 2027"),  # back to GMT
        (datetime(2027, 11, 1, 10, 0, tzinfo=UTC), "10am on Monday 1 November 2027"),
    ],
)
def test_clock_change_days_show_local_time_in_the_email_and_utc_in_the_calendar(
    app: Any,
    people: dict[str, Any],
    make_session: Callable[..., int],
    in_app: Callable[..., Any],
    smtp: Mailbox,
    starts_at: datetime,
    local: str,
) -> None:
    from matchmaker.invites import service

    session_id = make_session([(people["tom"], "creative")], starts_at=starts_at, minutes=60)
    in_app(session_id, service.session_published)
    (message,) = smtp.messages()
    assert local in message["Subject"] and local in body_text(message)
    assert "to 11am" in body_text(message)
    text = calendar_text(message)
    assert parse_with_ical(text).events[0].dtstart == starts_at
    assert parse_with_icaljs(text)["events"][0]["dtstart"] == starts_at.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def test_create_change_add_remove_cancel_in_order_without_duplicates(
    app: Any,
    people: dict[str, Any],
    make_session: Callable[..., int],
    in_app: Callable[..., Any],
    smtp: Mailbox,
    deliver: Callable[[], dict[str, int]],
    outbox: Callable[..., list[Any]],
) -> None:
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.invites import service
    from matchmaker.models import SessionAttendee, Slot, User

    tom, priya, gareth = people["tom"], people["priya"], people["gareth"]
    session_id = make_session([(tom, "creative"), (priya, "commissioner")])

    in_app(session_id, service.session_published)

    def move(session: Any) -> None:
        later = Slot(
            round=session.round,
            starts_at=datetime(2027, 3, 3, 14, tzinfo=UTC),
            ends_at=datetime(2027, 3, 3, 15, 30, tzinfo=UTC),
        )
        session.slot = later
        service.session_changed(session)

    in_app(session_id, move)
    in_app(session_id, lambda s: service.attendee_added(s, db.session.get(User, gareth.id), "link_worker"))
    in_app(
        session_id,
        lambda s: service.attendee_removed(
            s, db.session.scalar(select(SessionAttendee).where(SessionAttendee.user_id == priya.id))
        ),
    )
    in_app(session_id, service.session_cancelled)
    # The delivery sweep runs again (twice): nothing is sent a second time.
    assert deliver() == {}
    assert deliver() == {}

    got = [_summary(m) for m in smtp.messages()]
    assert got == [
        ("tom@example.org", "REQUEST", 0, "CONFIRMED"),
        ("priya@example.org", "REQUEST", 0, "CONFIRMED"),
        ("tom@example.org", "REQUEST", 1, "CONFIRMED"),
        ("priya@example.org", "REQUEST", 1, "CONFIRMED"),
        ("gareth@example.org", "REQUEST", 2, "CONFIRMED"),
        ("priya@example.org", "CANCEL", 3, "CANCELLED"),
        ("tom@example.org", "CANCEL", 4, "CANCELLED"),
        ("gareth@example.org", "CANCEL", 4, "CANCELLED"),
    ]
    messages = smtp.messages()
    for message in messages:
        assert calendar_part(message).get_param("method") == parse_with_ical(calendar_text(message)).method
    uids = {parse_with_icaljs(calendar_text(m))["events"][0]["uid"] for m in messages}
    assert len(uids) == 1  # one event, updated in place: never a second copy
    moved = parse_with_icaljs(calendar_text(messages[2]))["events"][0]
    assert (moved["dtstart"], moved["sequence"]) == ("2027-03-03T14:00:00.000Z", 1)
    assert "Updated:" in messages[2]["Subject"] and "2pm on Wednesday 3 March 2027" in body_text(messages[2])
    assert messages[5]["Subject"].strip().startswith("You are no longer invited:")
    assert messages[6]["Subject"].strip().startswith("Cancelled:")
    assert len(outbox()) == 8

    # Publishing or cancelling again (a retried job) queues nothing new.
    in_app(session_id, service.session_cancelled)
    in_app(session_id, service.session_published)
    assert len(outbox()) == 8

    _keep_sample("cancel-sample.eml", bytes(messages[6]))


def test_smtp_failure_midway_sends_each_message_exactly_once(
    app: Any,
    people: dict[str, Any],
    make_session: Callable[..., int],
    in_app: Callable[..., Any],
    smtp: Mailbox,
    deliver: Callable[[], dict[str, int]],
    outbox: Callable[..., list[Any]],
) -> None:
    from sqlalchemy import update

    from matchmaker.extensions import db
    from matchmaker.invites import service
    from matchmaker.models import OutboxMessage

    session_id = make_session(
        [(people["tom"], "creative"), (people["priya"], "commissioner"), (people["gareth"], "link_worker")]
    )
    # The server accepts the first message, refuses the second (a temporary failure), accepts the rest.
    original = smtp.handle_DATA
    calls = {"n": 0}

    async def refuse_second(server: Any, session: Any, envelope: Any) -> str:
        calls["n"] += 1
        if calls["n"] == 2:
            smtp.refused += 1
            return "451 4.3.0 Try again later"
        return await original(server, session, envelope)

    smtp.handle_DATA = refuse_second  # type: ignore[method-assign]
    in_app(session_id, service.session_published)
    assert smtp.refused == 1
    assert len(smtp.messages()) == 2
    statuses = sorted(row.status.value for row in outbox())
    assert statuses == ["queued", "sent", "sent"]

    with app.app_context():  # the back-off has passed
        db.session.execute(update(OutboxMessage).values(next_attempt_at=None))
        db.session.commit()
    assert deliver() == {"sent": 1}
    assert deliver() == {}
    recipients = sorted(m["To"].addresses[0].addr_spec for m in smtp.messages())
    assert recipients == ["gareth@example.org", "priya@example.org", "tom@example.org"]


def test_a_name_stored_with_a_line_break_adds_no_lines_and_its_own_mail_still_goes(
    app: Any, people: dict[str, Any], make_session: Callable[..., int], in_app: Callable[..., Any], smtp: Mailbox
) -> None:
    """Issue 13, finding 6: a name with CR/LF (stored before forms refused it) injected lines into
    the others' invitations, and every email to its owner failed on the To header."""
    from matchmaker.extensions import db
    from matchmaker.invites import service
    from matchmaker.models import User

    tom, priya = people["tom"], people["priya"]
    with app.app_context():
        db.session.get(User, priya.id).name = "Priya\r\nJoin here instead: http://evil.example\r\nShah"
        db.session.commit()
    session_id = make_session([(tom, "creative"), (priya, "commissioner")])
    in_app(session_id, service.session_published)
    messages = {m["To"].addresses[0].addr_spec: m for m in smtp.messages()}
    assert set(messages) == {"tom@example.org", "priya@example.org"}
    body = body_text(messages["tom@example.org"])
    assert "Priya Join here instead: http://evil.example Shah, Hywel Dda University Health Board" in body
    assert not any(line.startswith("Join here instead") for line in body.splitlines())
    assert messages["priya@example.org"]["To"].addresses[0].display_name == (
        "Priya Join here instead: http://evil.example Shah"
    )
