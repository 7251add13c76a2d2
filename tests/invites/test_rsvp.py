"""Answering: signed links from the email (confirm on GET, record on POST), My sessions, the organiser's view."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.helpers import csrf_token


@pytest.fixture
def invited(
    app: Any, people: dict[str, Any], make_session: Callable[..., int], in_app: Callable[..., Any]
) -> dict[str, Any]:
    """A published session with Tom, Priya and Gareth; Tom's accept and decline links."""
    from matchmaker.invites import service

    session_id = make_session(
        [(people["tom"], "creative"), (people["priya"], "commissioner"), (people["gareth"], "link_worker")],
        round_fields={"creatives_min": 1, "creatives_max": 1},
    )
    in_app(session_id, service.session_published)
    return {"session_id": session_id, **_links(app, people["tom"].id)}


def _links(app: Any, user_id: int) -> dict[str, str]:
    """The accept and decline paths in the newest invite to this person."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import OutboxMessage

    with app.app_context():
        body = db.session.scalars(
            select(OutboxMessage.text_body).where(OutboxMessage.user_id == user_id).order_by(OutboxMessage.id.desc())
        ).first()
    # The email offers accept, then decline, in either language.
    accept, decline = re.findall(r"http://localhost(/sessions/respond/\S+)", body)
    return {"accept": accept, "decline": decline}


def _answer(app: Any, session_id: int, user_id: int) -> tuple[str, bool]:
    """(PARTSTAT, is_current) of one attendee as stored."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import SessionAttendee

    with app.app_context():
        attendee = db.session.scalar(
            select(SessionAttendee).where(SessionAttendee.session_id == session_id, SessionAttendee.user_id == user_id)
        )
        return attendee.partstat.value, attendee.is_current


def test_accept_link_asks_first_and_records_on_post_without_signing_in(
    app: Any, client: Any, people: dict[str, Any], invited: dict[str, Any]
) -> None:
    tom = people["tom"]
    page = client.get(invited["accept"])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Confirm you can come" in html and "Priya Shah" in html and "priya@example.org" not in html
    assert _answer(app, invited["session_id"], tom.id) == ("NEEDS-ACTION", True)  # a GET changes nothing
    client.get(invited["accept"])
    assert _answer(app, invited["session_id"], tom.id) == ("NEEDS-ACTION", True)

    done = client.post(invited["accept"], data={"csrf_token": csrf_token(html)}, follow_redirects=True)
    assert done.status_code == 200
    assert "We have told the organisers you are coming" in done.get_data(as_text=True)
    assert _answer(app, invited["session_id"], tom.id) == ("ACCEPTED", True)


def test_decline_link_frees_the_place_and_takes_it_out_of_the_calendar(
    app: Any, client: Any, people: dict[str, Any], invited: dict[str, Any], outbox: Callable[..., list[Any]]
) -> None:
    tom = people["tom"]
    html = client.get(invited["decline"]).get_data(as_text=True)
    assert "Confirm you cannot come" in html
    client.post(invited["decline"], data={"csrf_token": csrf_token(html)})
    assert _answer(app, invited["session_id"], tom.id) == ("DECLINED", False)
    cancel = outbox("tom@example.org")[-1]
    assert cancel.calendar_method == "CANCEL" and "STATUS:CANCELLED" in cancel.calendar
    assert cancel.subject.startswith("Taken out of your calendar:")
    assert len(outbox("tom@example.org")) == 2  # the invite, then this

    # The organiser sees the answer.
    from matchmaker.extensions import db
    from matchmaker.models import ConsultationSession

    with app.app_context():
        assert db.session.get(ConsultationSession, invited["session_id"]).sequence == 1


def test_accepting_again_after_declining_needs_a_free_place(
    app: Any,
    client: Any,
    people: dict[str, Any],
    invited: dict[str, Any],
    in_app: Callable[..., Any],
    make_user: Callable[..., Any],
    outbox: Callable[..., list[Any]],
) -> None:
    from matchmaker.extensions import db
    from matchmaker.invites import service
    from matchmaker.models import User

    tom = people["tom"]
    html = client.get(invited["decline"]).get_data(as_text=True)
    client.post(invited["decline"], data={"csrf_token": csrf_token(html)})
    # The refill gives the only creative place to someone else.
    other = make_user("creative", name="Rhys Morgan", email="rhys@example.org")
    in_app(invited["session_id"], lambda s: service.attendee_added(s, db.session.get(User, other.id), "creative"))
    page = client.get(invited["accept"])
    response = client.post(
        invited["accept"], data={"csrf_token": csrf_token(page.get_data(as_text=True))}, follow_redirects=True
    )
    assert "Your place has been given to someone else" in response.get_data(as_text=True)
    assert _answer(app, invited["session_id"], tom.id) == ("DECLINED", False)


def test_rejoining_while_the_place_is_free_sends_a_new_request(
    app: Any, client: Any, people: dict[str, Any], invited: dict[str, Any], outbox: Callable[..., list[Any]]
) -> None:
    tom = people["tom"]
    html = client.get(invited["decline"]).get_data(as_text=True)
    client.post(invited["decline"], data={"csrf_token": csrf_token(html)})
    html = client.get(invited["accept"]).get_data(as_text=True)
    client.post(invited["accept"], data={"csrf_token": csrf_token(html)})
    assert _answer(app, invited["session_id"], tom.id) == ("ACCEPTED", True)
    methods = [
        (m.calendar_method, "SEQUENCE:" + re.search(r"SEQUENCE:(\d+)", m.calendar).group(1))
        for m in outbox("tom@example.org")
    ]
    assert methods == [("REQUEST", "SEQUENCE:0"), ("CANCEL", "SEQUENCE:1"), ("REQUEST", "SEQUENCE:2")]
    assert "PARTSTAT=ACCEPTED" in outbox("tom@example.org")[-1].calendar


def test_expired_tampered_and_unknown_links_do_nothing(
    app: Any, client: Any, people: dict[str, Any], invited: dict[str, Any]
) -> None:
    tom = people["tom"]
    token = invited["accept"].rsplit("/", 1)[1]
    payload, stamp, signature = token.split(".")
    tampered = f"{payload[:-2]}{'A' if payload[-2] != 'A' else 'B'}{payload[-1]}.{stamp}.{signature}"
    for path in (f"/sessions/respond/{tampered}", "/sessions/respond/not-a-token", f"/sessions/respond/{token}x"):
        response = client.get(path)
        assert response.status_code == 404
        assert "This link no longer works" in response.get_data(as_text=True)
    # A token signed for another purpose (a password reset) is refused too.
    from matchmaker.accounts import tokens
    from matchmaker.extensions import db
    from matchmaker.models import User

    with app.test_request_context():
        reset = tokens.make_token(tokens.RESET, db.session.get(User, tom.id))
    assert client.get(f"/sessions/respond/{reset}").status_code == 404

    saved = app.config.get("RSVP_MAX_AGE_SECONDS")
    app.config["RSVP_MAX_AGE_SECONDS"] = -1  # every link is now too old
    try:
        assert client.get(invited["accept"]).status_code == 404
    finally:
        if saved is None:
            app.config.pop("RSVP_MAX_AGE_SECONDS")
        else:
            app.config["RSVP_MAX_AGE_SECONDS"] = saved
    assert _answer(app, invited["session_id"], tom.id) == ("NEEDS-ACTION", True)


def test_link_stops_working_once_the_session_is_over(
    app: Any, client: Any, people: dict[str, Any], make_session: Callable[..., int], in_app: Callable[..., Any]
) -> None:
    from matchmaker.invites import service
    from matchmaker.models import utcnow

    soon = (utcnow() + timedelta(hours=1)).replace(microsecond=0)
    session_id = make_session([(people["tom"], "creative")], starts_at=soon, minutes=30)
    in_app(session_id, service.session_published)
    links = _links(app, people["tom"].id)
    assert client.get(links["accept"]).status_code == 200

    def end_it(session: Any) -> None:
        session.slot.starts_at = utcnow() - timedelta(hours=2)
        session.slot.ends_at = utcnow() - timedelta(hours=1)

    in_app(session_id, end_it)
    assert client.get(links["accept"]).status_code == 404


def test_someone_else_signed_in_cannot_use_the_link(
    app: Any, client: Any, people: dict[str, Any], invited: dict[str, Any], sign_in: Callable[..., Any]
) -> None:
    sign_in(people["priya"])
    response = client.get(invited["accept"])
    assert response.status_code == 403
    assert "This link is for someone else" in response.get_data(as_text=True)
    assert _answer(app, invited["session_id"], people["tom"].id) == ("NEEDS-ACTION", True)


def test_cancelled_session_link_cannot_be_answered(
    app: Any, client: Any, people: dict[str, Any], invited: dict[str, Any], in_app: Callable[..., Any]
) -> None:
    from matchmaker.invites import service

    token = csrf_token(client.get(invited["accept"]).get_data(as_text=True))  # the page as opened before
    in_app(invited["session_id"], service.session_cancelled)
    html = client.get(invited["accept"]).get_data(as_text=True)
    assert "can no longer be answered" in html
    assert "<form" not in html.split('id="main-content"')[1]
    response = client.post(invited["accept"], data={"csrf_token": token}, follow_redirects=True)
    assert "can no longer be answered" in response.get_data(as_text=True)
    assert _answer(app, invited["session_id"], people["tom"].id) == ("NEEDS-ACTION", True)


def test_welsh_reader_gets_the_page_in_welsh_without_signing_in(
    app: Any, client: Any, people: dict[str, Any], make_session: Callable[..., int], in_app: Callable[..., Any]
) -> None:
    from matchmaker.invites import service

    session_id = make_session([(people["siân"], "creative")])
    in_app(session_id, service.session_published)
    links = _links(app, people["siân"].id)
    html = client.get(links["accept"]).get_data(as_text=True)
    assert '<html lang="cy"' in html
    assert "10yb ddydd Mawrth 2 Mawrth 2027" in html


# --- My sessions ----------------------------------------------------------------------------


def test_my_sessions_lists_mine_and_answers_from_the_site(
    app: Any,
    client: Any,
    people: dict[str, Any],
    invited: dict[str, Any],
    sign_in: Callable[..., Any],
    make_session: Callable[..., int],
) -> None:
    tom = people["tom"]
    not_mine = make_session([(people["siân"], "creative")], condition="dementia")
    sign_in(tom)
    html = client.get("/sessions").get_data(as_text=True)
    assert "Consultation session: Stroke" in html and "Dementia" not in html
    assert "10am on Tuesday 2 March 2027 to 11:30am" in html
    assert "Priya Shah" in html and "Hywel Dda University Health Board" in html
    assert "priya@example.org" not in html
    assert "Not answered yet" in html
    assert f"/sessions/{invited['session_id']}/invite.ics" in html
    assert "webcal://localhost/calendar/" in html
    assert re.search(r'href="/sessions">\s*My sessions', client.get("/").get_data(as_text=True))  # in the header

    session_id = invited["session_id"]
    token = csrf_token(html)
    client.post(f"/sessions/{session_id}/accept", data={"csrf_token": token})
    assert _answer(app, session_id, tom.id) == ("ACCEPTED", True)
    confirm = client.get(f"/sessions/{session_id}/decline")  # declining on the site asks first
    assert confirm.status_code == 200 and "Tell us you cannot come?" in confirm.get_data(as_text=True)
    assert _answer(app, session_id, tom.id) == ("ACCEPTED", True)
    assert client.get(f"/sessions/{not_mine}/decline").status_code == 404
    response = client.post(f"/sessions/{session_id}/decline", data={"csrf_token": token}, follow_redirects=True)
    assert "Thank you for letting us know" in response.get_data(as_text=True)
    assert _answer(app, session_id, tom.id) == ("DECLINED", False)

    # Not someone else's session, by changing the id.
    assert client.post(f"/sessions/{not_mine}/accept", data={"csrf_token": token}).status_code == 404
    assert client.get(f"/sessions/{not_mine}/invite.ics").status_code == 404
    assert client.get(f"/organiser/sessions/{not_mine}").status_code == 403
    assert client.post(f"/sessions/{session_id}/accept").status_code == 400  # no CSRF token


def test_my_sessions_needs_signing_in(client: Any) -> None:
    response = client.get("/sessions")
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
    assert client.get("/sessions/1/invite.ics").status_code == 302


def test_ics_download_is_the_attendees_calendar(
    app: Any, client: Any, people: dict[str, Any], invited: dict[str, Any], sign_in: Callable[..., Any]
) -> None:
    from tests.invites.support import parse_with_ical, parse_with_icaljs

    sign_in(people["tom"])
    response = client.get(f"/sessions/{invited['session_id']}/invite.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"] == 'attachment; filename="cyswllt-session-2027-03-02-1000.ics"'
    text = response.get_data(as_text=True)
    assert parse_with_ical(text).events[0].dtstart == datetime(2027, 3, 2, 10, tzinfo=UTC)
    parsed = parse_with_icaljs(text)
    # A PUBLISH carries no ATTENDEE (RFC 5546 3.2.1): no RSVP request a calendar could act on.
    assert "METHOD:PUBLISH" in text and "ATTENDEE" not in text and "RSVP" not in text
    assert parsed["events"][0]["attendees"] == []
    assert "STATUS:CONFIRMED" in text


def test_the_download_of_a_cancelled_session_cancels_it_and_a_declined_one_is_not_offered(
    app: Any,
    client: Any,
    people: dict[str, Any],
    invited: dict[str, Any],
    sign_in: Callable[..., Any],
    in_app: Callable[..., Any],
) -> None:
    from matchmaker.invites import service
    from tests.invites.support import parse_with_ical

    session_id = invited["session_id"]
    sign_in(people["tom"])
    link = f"/sessions/{session_id}/invite.ics"
    assert link in client.get("/sessions").get_data(as_text=True)
    confirm = client.get(invited["decline"]).get_data(as_text=True)
    client.post(invited["decline"], data={"csrf_token": csrf_token(confirm)})
    assert _answer(app, session_id, people["tom"].id)[0] == "DECLINED"
    assert link not in client.get("/sessions").get_data(as_text=True)  # nothing to add for a declined session
    declined = client.get(link).get_data(as_text=True)
    assert "METHOD:CANCEL" in declined and "STATUS:CANCELLED" in declined and "STATUS:CONFIRMED" not in declined

    client._cookies.clear()  # sign out: sign in as someone else
    sign_in(people["gareth"])
    in_app(session_id, service.session_cancelled)
    page = client.get("/sessions").get_data(as_text=True)
    assert f"/sessions/{session_id}/invite.ics" not in page
    text = client.get(link).get_data(as_text=True)
    assert "METHOD:CANCEL" in text and "STATUS:CONFIRMED" not in text
    assert str(parse_with_ical(text).events[0].status).upper().endswith("CANCELLED")


# --- organiser ------------------------------------------------------------------------------


def test_organiser_sees_each_answer_and_can_paste_a_meeting_link(
    app: Any,
    client: Any,
    people: dict[str, Any],
    invited: dict[str, Any],
    make_user: Callable[..., Any],
    sign_in: Callable[..., Any],
    submit: Callable[..., Any],
    outbox: Callable[..., list[Any]],
) -> None:
    html = client.get(invited["decline"]).get_data(as_text=True)
    client.post(invited["decline"], data={"csrf_token": csrf_token(html)})
    client.get("/")  # forget nothing: the same client signs in next

    organiser = make_user("organiser", name="Olwen Organiser")
    sign_in(organiser)
    url = f"/organiser/sessions/{invited['session_id']}"
    page = client.get(url).get_data(as_text=True)
    assert "Tom Price" in page and "Cannot come" in page and "Not answered yet" in page
    assert "Tom Price cannot come" in page
    assert "Sound Minds Collective" in page

    bad = submit(url, {"url": "teams link please"})
    assert bad.status_code == 200
    assert "Enter a full meeting link starting with https://" in bad.get_data(as_text=True)
    assert 'value="teams link please"' in bad.get_data(as_text=True)

    before = len(outbox())
    teams = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc"
    assert submit(url, {"url": teams}).status_code == 302
    updates = outbox()[before:]
    assert sorted(m.to_address for m in updates) == ["gareth@example.org", "priya@example.org"]  # not Tom: declined
    assert all(m.calendar_method == "REQUEST" and "SEQUENCE:2" in m.calendar for m in updates)
    assert all(f"LOCATION:{teams}" in m.calendar.replace("\r\n ", "") and teams in m.text_body for m in updates)
    # Saving the same link again changes nothing and sends nothing.
    submit(url, {"url": teams})
    assert len(outbox()) == before + 2
    assert client.get("/organiser/sessions/999999").status_code == 404


def test_accepting_again_when_the_database_says_the_place_went_meanwhile_is_full_not_an_error(
    app: Any, client: Any, people: dict[str, Any], invited: dict[str, Any]
) -> None:
    """The Python check sees a free place, but someone took it in between: the database's counter refuses."""
    from sqlalchemy import update

    from matchmaker.extensions import db
    from matchmaker.models.places import SessionPlace

    tom = people["tom"]
    html = client.get(invited["decline"]).get_data(as_text=True)
    client.post(invited["decline"], data={"csrf_token": csrf_token(html)})
    with app.app_context():  # another request's commit, made behind this one's back
        db.session.execute(
            update(SessionPlace)
            .where(SessionPlace.session_id == invited["session_id"], SessionPlace.role == "creative")
            .values(taken=SessionPlace.capacity)
        )
        db.session.commit()
    page = client.get(invited["accept"])
    response = client.post(
        invited["accept"], data={"csrf_token": csrf_token(page.get_data(as_text=True))}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "Your place has been given to someone else" in response.get_data(as_text=True)
    assert _answer(app, invited["session_id"], tom.id) == ("DECLINED", False)


def test_my_sessions_shows_each_sessions_language_and_tells_two_of_one_condition_apart(
    app: Any,
    client: Any,
    people: dict[str, Any],
    invited: dict[str, Any],
    sign_in: Callable[..., Any],
    make_session: Callable[..., int],
) -> None:
    tom = people["tom"]
    welsh = make_session(
        [(tom, "creative")], starts_at=datetime(2027, 3, 9, 10, tzinfo=UTC), language="cy"
    )  # stroke again, a week later, in Welsh
    sign_in(tom)
    html = client.get("/sessions").get_data(as_text=True)
    titles = re.findall(r'<h2 class="govuk-heading-m" id="session-(\d+)-title">(.*?)</h2>', html, re.DOTALL)
    names = [" ".join(re.sub(r"<[^>]+>", " ", title).split()) for _id, title in titles]
    assert len(names) == 2 and len(set(names)) == 2  # each section region has its own name
    assert "Consultation session: Stroke 10am on Tuesday 2 March 2027" in names
    assert "Consultation session: Stroke 10am on Tuesday 9 March 2027" in names
    section = html[html.index(f'id="session-{welsh}"') :]
    assert re.search(r"Language\s*</dt>\s*<dd[^>]*>\s*Welsh", section)


@pytest.mark.parametrize("change", ["deactivated", "rejected"])
def test_a_deactivated_or_rejected_person_s_link_shows_nothing_and_records_nothing(
    app: Any, client: Any, people: dict[str, Any], invited: dict[str, Any], change: str
) -> None:
    """Issue 13, finding 4: a deactivated user's RSVP link still showed the meeting and took an answer."""
    from matchmaker.extensions import db
    from matchmaker.models import Approval, User, utcnow

    tom = people["tom"]
    token = csrf_token(client.get(invited["accept"]).get_data(as_text=True))
    with app.app_context():
        user = db.session.get(User, tom.id)
        if change == "deactivated":
            user.deactivated_at = utcnow()
        else:
            user.approval = Approval.REJECTED
        db.session.commit()
    page = client.get(invited["accept"])
    assert page.status_code == 404
    assert "Priya Shah" not in page.get_data(as_text=True) and "meet" not in page.get_data(as_text=True).lower()
    client.post(invited["accept"], data={"csrf_token": token})
    assert _answer(app, invited["session_id"], tom.id) == ("NEEDS-ACTION", True)
