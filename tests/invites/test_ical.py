"""The calendar for one attendee: RFC 5545 shape, UTC times, folding, read back by two parsers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.invites.support import parse_with_ical, parse_with_icaljs


def _calendar(app: Any, session_id: int, user_id: int, method: str) -> str:
    """The calendar one attendee would get."""
    from matchmaker.extensions import db
    from matchmaker.invites.ical import invite_calendar
    from matchmaker.models import ConsultationSession

    with app.app_context():
        session = db.session.get(ConsultationSession, session_id)
        attendee = next(a for a in session.attendees if a.user_id == user_id)
        return invite_calendar(attendee, method)


def test_request_has_every_property_and_both_parsers_read_it_back(
    app: Any, people: dict[str, Any], make_session: Callable[..., int]
) -> None:
    tom, priya = people["tom"], people["priya"]
    session_id = make_session([(tom, "creative"), (priya, "commissioner")], purpose="Music on the ward")
    text = _calendar(app, session_id, tom.id, "REQUEST")

    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    for line in (
        "METHOD:REQUEST",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "PRODID:-//Cyswllt//Arts and health consultations//EN",
        "DTSTART:20270302T100000Z",
        "DTEND:20270302T113000Z",
        "STATUS:CONFIRMED",
    ):
        assert line + "\r\n" in text
    assert "VTIMEZONE" not in text
    assert "priya@example.org" not in text  # only the recipient is an ATTENDEE

    with app.app_context():
        from matchmaker.extensions import db
        from matchmaker.models import ConsultationSession

        session = db.session.get(ConsultationSession, session_id)
        uid, room = session.uid, session.room

    strict = parse_with_ical(text)
    assert strict.method == "REQUEST"
    (event,) = strict.events
    assert event.uid == uid
    assert event.sequence == 0
    assert event.dtstart == datetime(2027, 3, 2, 10, 0, tzinfo=UTC)
    assert event.dtend == datetime(2027, 3, 2, 11, 30, tzinfo=UTC)
    assert event.organizer.uri == "mailto:rounds@example.org"
    assert [(a.uri, a.common_name, a.status, a.role, a.rsvp) for a in event.attendees] == [
        ("mailto:tom@example.org", "Tom Price", "NEEDS-ACTION", "REQ-PARTICIPANT", True)
    ]
    assert event.location == event.url == f"https://meet.jit.si/{room}"
    assert "Music on the ward" in event.description

    mozilla = parse_with_icaljs(text)
    assert mozilla["method"] == "REQUEST"
    (js,) = mozilla["events"]
    assert (js["uid"], js["sequence"], js["status"]) == (uid, 0, "CONFIRMED")
    assert (js["dtstart"], js["dtend"], js["dtstart_is_utc"]) == (
        "2027-03-02T10:00:00.000Z",
        "2027-03-02T11:30:00.000Z",
        True,
    )
    assert js["organizer"]["value"] == "mailto:rounds@example.org"
    assert [(a["value"], a["cn"], a["partstat"], a["role"], a["rsvp"]) for a in js["attendees"]] == [
        ("mailto:tom@example.org", "Tom Price", "NEEDS-ACTION", "REQ-PARTICIPANT", "TRUE")
    ]
    assert js["summary"] == "Consultation session: Stroke"


def test_cancel_says_cancelled_and_keeps_the_uid(
    app: Any, people: dict[str, Any], make_session: Callable[..., int]
) -> None:
    tom = people["tom"]
    session_id = make_session([(tom, "creative")], sequence=4)
    text = _calendar(app, session_id, tom.id, "CANCEL")
    assert "METHOD:CANCEL\r\n" in text and "STATUS:CANCELLED\r\n" in text
    strict = parse_with_ical(text)
    assert strict.method == "CANCEL"
    assert strict.events[0].status.value == "CANCELLED"
    assert strict.events[0].sequence == 4
    js = parse_with_icaljs(text)
    assert (js["method"], js["events"][0]["status"], js["events"][0]["sequence"]) == ("CANCEL", "CANCELLED", 4)


@pytest.mark.parametrize(
    ("local_start", "utc_start"),
    [
        # Sunday 28 March 2027: clocks go forward at 1am; 10am BST is 09:00Z.
        (datetime(2027, 3, 28, 9, 0, tzinfo=UTC), "20270328T090000Z"),
        (datetime(2027, 3, 29, 9, 0, tzinfo=UTC), "20270329T090000Z"),
        # Sunday 31 October 2027: clocks go back at 2am; 10am GMT is 10:00Z.
        (datetime(2027, 10, 31, 10, 0, tzinfo=UTC), "20271031T100000Z"),
        (datetime(2027, 11, 1, 10, 0, tzinfo=UTC), "20271101T100000Z"),
    ],
)
def test_times_around_the_clock_changes_are_utc(
    app: Any, people: dict[str, Any], make_session: Callable[..., int], local_start: datetime, utc_start: str
) -> None:
    tom = people["tom"]
    session_id = make_session([(tom, "creative")], starts_at=local_start)
    text = _calendar(app, session_id, tom.id, "REQUEST")
    assert f"DTSTART:{utc_start}\r\n" in text
    assert parse_with_ical(text).events[0].dtstart == local_start
    assert parse_with_icaljs(text)["events"][0]["dtstart"] == local_start.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def test_welsh_title_with_accents_survives_folding(
    app: Any, people: dict[str, Any], make_session: Callable[..., int]
) -> None:
    from sqlalchemy import update

    from matchmaker.extensions import db
    from matchmaker.models import Condition

    long_name = "Gŵyl ŷd a chân: â llais, ŵyr ac wyresau ŷn canu â'u hŵyr yng Nghymru fach ŵŷâ"
    with app.app_context():
        db.session.execute(update(Condition).where(Condition.slug == "stroke").values(name_cy=long_name))
        db.session.commit()
    sian = people["siân"]  # reads Welsh
    session_id = make_session([(sian, "creative")])
    text = _calendar(app, session_id, sian.id, "REQUEST")

    raw = text.encode("utf-8")
    lines = raw.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines), max(lines, key=len)
    for line in lines:
        line.decode("utf-8")  # every physical line is whole UTF-8: no character split by a fold
    summary_lines = [line for line in text.split("\r\n") if line.startswith("SUMMARY:")]
    assert summary_lines and len(summary_lines[0].encode()) > 60  # long enough to be folded

    assert long_name in parse_with_ical(text).events[0].summary
    assert long_name in parse_with_icaljs(text)["events"][0]["summary"]
    assert parse_with_icaljs(text)["events"][0]["attendees"][0]["cn"] == "Siân Ŵyn Jones"


def test_names_with_quotes_cannot_break_the_attendee_line(
    app: Any, make_user: Callable[..., Any], make_session: Callable[..., int]
) -> None:
    odd = make_user("creative", name='Mari "Mo" Evans;ROLE=CHAIR:x', email="mari@example.org")
    session_id = make_session([(odd, "creative")])
    text = _calendar(app, session_id, odd.id, "REQUEST")
    (attendee,) = parse_with_ical(text).events[0].attendees
    assert attendee.uri == "mailto:mari@example.org"
    assert attendee.role == "REQ-PARTICIPANT"
    assert parse_with_icaljs(text)["events"][0]["attendees"][0]["role"] == "REQ-PARTICIPANT"
