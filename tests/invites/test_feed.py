"""The secret calendar feed: every session as it stands, webcal-friendly, and a new address on request."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from tests.helpers import csrf_token
from tests.invites.support import parse_with_ical, parse_with_icaljs


def _feed_token(app: Any, user_id: int) -> str:
    """The person's current feed secret."""
    from matchmaker.extensions import db
    from matchmaker.models import User

    with app.app_context():
        return db.session.get(User, user_id).feed_token


def test_feed_shows_current_sessions_and_marks_cancelled_ones(
    app: Any,
    client: Any,
    people: dict[str, Any],
    make_session: Callable[..., int],
    in_app: Callable[..., Any],
) -> None:
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.invites import service
    from matchmaker.models import SessionAttendee

    tom, priya = people["tom"], people["priya"]
    kept = make_session([(tom, "creative"), (priya, "commissioner")])
    cancelled = make_session([(tom, "creative")], starts_at=datetime(2027, 3, 28, 9, tzinfo=UTC), condition="dementia")
    removed = make_session([(tom, "creative")], starts_at=datetime(2027, 10, 31, 10, tzinfo=UTC), condition="cancer")
    not_his = make_session([(priya, "commissioner")], condition="long-covid")
    for session_id in (kept, cancelled, removed, not_his):
        in_app(session_id, service.session_published)
    in_app(cancelled, service.session_cancelled)
    in_app(
        removed,
        lambda s: service.attendee_removed(
            s, db.session.scalar(select(SessionAttendee).where(SessionAttendee.session_id == s.id))
        ),
    )

    response = client.get(f"/calendar/{_feed_token(app, tom.id)}.ics")  # no sign-in needed
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response.headers["Cache-Control"]
    text = response.get_data(as_text=True)
    assert "METHOD:PUBLISH\r\n" in text
    assert "ATTENDEE" not in text and "priya@example.org" not in text

    strict = parse_with_ical(text)
    assert strict.method == "PUBLISH"
    by_start = {e.dtstart: e.status.value for e in strict.events}
    assert by_start == {
        datetime(2027, 3, 2, 10, tzinfo=UTC): "CONFIRMED",
        datetime(2027, 3, 28, 9, tzinfo=UTC): "CANCELLED",
        datetime(2027, 10, 31, 10, tzinfo=UTC): "CANCELLED",
    }
    mozilla = parse_with_icaljs(text)
    assert sorted((e["dtstart"], e["status"], e["sequence"]) for e in mozilla["events"]) == [
        ("2027-03-02T10:00:00.000Z", "CONFIRMED", 0),
        ("2027-03-28T09:00:00.000Z", "CANCELLED", 1),
        ("2027-10-31T10:00:00.000Z", "CANCELLED", 1),
    ]
    assert "Long COVID" not in text


def test_new_address_makes_the_old_one_stop_working(
    app: Any, client: Any, people: dict[str, Any], sign_in: Callable[..., Any]
) -> None:
    tom = people["tom"]
    old = _feed_token(app, tom.id)
    assert client.get(f"/calendar/{old}.ics").status_code == 200
    sign_in(tom)
    page = client.get("/sessions").get_data(as_text=True)
    assert f"webcal://localhost/calendar/{old}.ics" in page
    assert f"http://localhost/calendar/{old}.ics" in page
    response = client.post("/sessions/calendar-address", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    new = _feed_token(app, tom.id)
    assert new != old
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200
    assert f"webcal://localhost/calendar/{new}.ics" in client.get("/sessions").get_data(as_text=True)


def test_unknown_feed_is_not_found(client: Any, app: Any) -> None:
    assert client.get("/calendar/nothing-here.ics").status_code == 404
    assert client.get("/calendar/.ics").status_code == 404


def test_a_rejected_or_deactivated_account_s_feed_stops_answering(
    app: Any, client: Any, people: dict[str, Any]
) -> None:
    """Issue 13, finding 4: a rejected user's feed still answered."""
    from matchmaker.extensions import db
    from matchmaker.models import Approval, User, utcnow

    tom, priya = people["tom"], people["priya"]
    for person in (tom, priya):
        assert client.get(f"/calendar/{_feed_token(app, person.id)}.ics").status_code == 200
    with app.app_context():
        db.session.get(User, tom.id).approval = Approval.REJECTED
        db.session.get(User, priya.id).deactivated_at = utcnow()
        db.session.commit()
    for person in (tom, priya):
        assert client.get(f"/calendar/{_feed_token(app, person.id)}.ics").status_code == 404
