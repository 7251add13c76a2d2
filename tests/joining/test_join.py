"""Taking a place: the confirmation and the invite, each rule's refusal, rejoining after a decline, permissions."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from tests.factories import TUESDAY_10AM
from tests.helpers import csrf_token


def _join(client: Any, session_id: int) -> Any:
    """Press the join button: the list page's CSRF token, then the POST."""
    return client.post(f"/join/{session_id}", data={"csrf_token": _token(client)})


def _token(client: Any) -> str:
    """A CSRF token for this client's session (from a page that always has a form)."""
    return csrf_token(client.get("/account/").get_data(as_text=True))


def _text(response: Any) -> str:
    """The page as text, whitespace collapsed (for messages split over lines)."""
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_a_link_worker_takes_a_place_and_gets_the_invite(
    app, client, sign_in, make_session, make_person, attendees, places, invites_to
):
    worker = make_person("link_worker")
    session_id = make_session([(make_person("creative"), "creative")])
    sign_in(worker)
    response = _join(client, session_id)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/join/{session_id}/joined"
    assert (worker.id, "link_worker", "ACCEPTED", False) in attendees(session_id)  # they chose it: already coming
    assert places(session_id)["link_worker"] == 1
    assert invites_to(worker) == ["REQUEST"]
    with app.app_context():
        from matchmaker.extensions import db
        from matchmaker.models import OutboxMessage

        mine = db.select(OutboxMessage.calendar).where(OutboxMessage.to_address == worker.email)
        [calendar] = db.session.scalars(mine)
    assert "PARTSTAT=ACCEPTED" in calendar.replace("\r\n ", "")  # their calendar shows them as coming
    page = client.get(f"/join/{session_id}/joined")
    assert page.status_code == 200
    text = _text(page)
    assert "You have joined the session" in text
    assert "Stroke, 10am on Tuesday 2 March 2027" in text
    assert "We have emailed you an invitation" in text


def test_the_confirmation_page_is_only_for_someone_in_the_session(client, sign_in, make_session, make_person):
    session_id = make_session([(make_person("link_worker"), "link_worker")])
    sign_in(make_person("link_worker"))
    assert client.get(f"/join/{session_id}/joined").status_code == 404
    assert client.get("/join/999999/joined").status_code == 404


def test_a_commissioner_joins_too(client, sign_in, make_session, make_person, attendees, invites_to):
    commissioner = make_person("commissioner", languages=("en", "cy"))
    session_id = make_session(language="cy")
    sign_in(commissioner)
    assert _join(client, session_id).status_code == 302
    assert attendees(session_id) == [(commissioner.id, "commissioner", "ACCEPTED", False)]
    assert invites_to(commissioner) == ["REQUEST"]


def test_declined_then_rejoins_the_same_row_again(
    app, client, sign_in, make_session, make_person, attendees, places, invites_to
):
    from matchmaker.extensions import db
    from matchmaker.invites import service
    from matchmaker.models import SessionAttendee

    worker = make_person("link_worker")
    session_id = make_session([(worker, "link_worker")])
    with app.app_context():
        attendee = db.session.scalar(select(SessionAttendee).where(SessionAttendee.user_id == worker.id))
        assert service.respond(attendee, "decline") == "declined"
        db.session.commit()
    assert places(session_id)["link_worker"] == 0
    sign_in(worker)
    assert f"/join/{session_id}" in client.get("/join").get_data(as_text=True)  # listed again: they may come back
    assert _join(client, session_id).status_code == 302
    assert attendees(session_id) == [(worker.id, "link_worker", "ACCEPTED", False)]  # one row, current again
    assert places(session_id)["link_worker"] == 1
    assert invites_to(worker) == ["CANCEL", "REQUEST"]


def _refused(client: Any, session_id: int, message: str) -> str:
    """Join, expect the refusal page with this message; return the page text."""
    response = _join(client, session_id)
    assert response.status_code == 409, response.status_code
    text = _text(response)
    assert message in text, text[:3000]
    return text


def test_refused_when_another_session_of_theirs_overlaps_in_time(
    client, sign_in, make_session, make_person, attendees, invites_to
):
    worker = make_person("link_worker")
    # Different slots (different ids), overlapping times: 10:00-11:30 and 11:00-12:30.
    make_session([(worker, "link_worker")], condition="dementia")
    later = make_session(starts_at=TUESDAY_10AM + timedelta(hours=1))
    sign_in(worker)
    _refused(
        client,
        later,
        "You already have a session at the same time: Dementia at 10am on Tuesday 2 March 2027.",
    )
    assert attendees(later) == []
    assert invites_to(worker) == []
    # Back to back is not a clash: 11:30-13:00 starts as the first ends.
    after = make_session(starts_at=TUESDAY_10AM + timedelta(minutes=90))
    assert _join(client, after).status_code == 302


def test_refused_at_their_registration_cap_for_the_round(
    app, client, sign_in, make_session, make_person, round_id, attendees
):
    from matchmaker.extensions import db
    from matchmaker.models import Round
    from tests.factories import RegistrationFactory

    commissioner = make_person("commissioner")
    with app.app_context():
        RegistrationFactory(round=db.session.get(Round, round_id), user=commissioner, max_sessions=1, slots=[])
    make_session([(commissioner, "commissioner")])
    other_day = make_session(starts_at=TUESDAY_10AM + timedelta(days=1))
    sign_in(commissioner)
    _refused(client, other_day, "You can take part in 1 session in this round, and you already have a place in it.")
    assert attendees(other_day) == []


def test_refused_at_a_link_workers_profile_capacity(client, sign_in, make_session, make_person, make_round, attendees):
    worker = make_person("link_worker", capacity=2)
    make_session([(worker, "link_worker")])
    make_session([(worker, "link_worker")], starts_at=TUESDAY_10AM + timedelta(days=1))
    third = make_session(starts_at=TUESDAY_10AM + timedelta(days=2))
    another_round = make_session(starts_at=TUESDAY_10AM + timedelta(days=3), round_id=make_round())
    sign_in(worker)
    _refused(client, third, "You can take part in 2 sessions in this round, and you already have places in that many.")
    assert attendees(third) == []
    assert _join(client, another_round).status_code == 302  # capacity is per round


def test_refused_when_the_session_language_is_not_in_their_profile(
    client, sign_in, make_session, make_person, attendees
):
    session_id = make_session(language="cy")
    sign_in(make_person("link_worker", languages=("en",)))
    _refused(client, session_id, "This session is held in Welsh, which is not one of the languages in your profile.")
    assert attendees(session_id) == []


def test_refused_without_a_profile(client, sign_in, make_session, make_user, attendees):
    session_id = make_session()
    sign_in(make_user("link_worker"))
    text = _refused(client, session_id, "Create your profile before you join a session")
    assert 'href="/profile"' in text
    assert attendees(session_id) == []


def test_refused_when_their_role_is_full_with_other_sessions_offered(
    client, sign_in, make_round, make_session, make_person, attendees, invites_to
):
    round_id = make_round(link_workers_max=1)
    full = make_session([(make_person("link_worker"), "link_worker")], round_id=round_id)
    elsewhere = make_session(starts_at=TUESDAY_10AM + timedelta(days=1), round_id=round_id)
    worker = make_person("link_worker")
    sign_in(worker)
    text = _refused(
        client, full, "Sorry, someone else has just taken the last place for a link worker in this session."
    )
    assert "Other sessions you can join" in text
    assert f'action="/join/{elsewhere}"' in text
    assert 'href="/join"' in text
    assert len(attendees(full)) == 1
    assert invites_to(worker) == []


def test_a_commissioner_is_told_about_the_commissioner_place(client, sign_in, make_round, make_session, make_person):
    round_id = make_round(commissioners_max=1)
    full = make_session([(make_person("commissioner"), "commissioner")], round_id=round_id)
    sign_in(make_person("commissioner"))
    _refused(client, full, "Sorry, someone else has just taken the last place for a commissioner in this session.")


def test_refused_when_already_in_it(client, sign_in, make_session, make_person, attendees, invites_to):
    worker = make_person("link_worker")
    session_id = make_session([(worker, "link_worker")])
    sign_in(worker)
    text = _refused(client, session_id, "You already have a place in this session.")
    assert 'href="/sessions"' in text
    assert len(attendees(session_id)) == 1


def test_refused_when_cancelled_or_started(app, client, sign_in, make_session, make_person, attendees):
    from matchmaker.extensions import db
    from matchmaker.invites import service
    from matchmaker.models import ConsultationSession

    cancelled = make_session()
    with app.app_context():
        service.session_cancelled(db.session.get(ConsultationSession, cancelled))
        db.session.commit()
    started = make_session(starts_at=datetime.now(UTC) - timedelta(minutes=10))
    sign_in(make_person("link_worker"))
    _refused(client, cancelled, "This session has been cancelled, so nobody can join it.")
    _refused(client, started, "This session has already started")
    assert attendees(cancelled) == [] and attendees(started) == []


def test_refused_after_the_organisers_took_them_off(app, client, sign_in, make_session, make_person, attendees):
    from matchmaker.extensions import db
    from matchmaker.invites import service
    from matchmaker.models import ConsultationSession

    worker = make_person("link_worker")
    session_id = make_session([(worker, "link_worker")])
    with app.app_context():
        session = db.session.get(ConsultationSession, session_id)
        service.attendee_removed(session, session.attendees[0])
        db.session.commit()
    sign_in(worker)
    assert f"/join/{session_id}" not in client.get("/join").get_data(as_text=True)
    _refused(client, session_id, "The organisers have taken you off this session")
    assert attendees(session_id) == [(worker.id, "link_worker", "NEEDS-ACTION", True)]


def test_an_unknown_session_is_not_found_and_csrf_is_required(client, sign_in, make_person, make_session):
    session_id = make_session()
    sign_in(make_person("link_worker"))
    assert _join(client, 999_999).status_code == 404
    assert client.post(f"/join/{session_id}", data={}).status_code == 400


@pytest.mark.parametrize("role", ["creative", "organiser"])
def test_creatives_and_organisers_are_forbidden(role, client, sign_in, make_user, make_session):
    session_id = make_session()
    sign_in(make_user(role))
    assert client.get("/join").status_code == 403
    assert client.post(f"/join/{session_id}", data={"csrf_token": _token(client)}).status_code == 403
    assert client.get(f"/join/{session_id}/joined").status_code == 403


def test_pending_accounts_are_sent_to_the_approval_page(client, sign_in, make_user, make_session):
    session_id = make_session()
    sign_in(make_user("link_worker", approved=False))
    response = client.get("/join")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/awaiting-approval")
    response = client.post(f"/join/{session_id}", data={"csrf_token": _token(client)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/awaiting-approval")


def test_anonymous_visitors_are_sent_to_sign_in(client, make_session, attendees):
    session_id = make_session()
    response = client.get("/join?condition=stroke")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/sign-in?next=/join?condition%3Dstroke"
    token = csrf_token(client.get("/account/sign-in").get_data(as_text=True))
    response = client.post(f"/join/{session_id}", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].startswith("/account/sign-in")
    assert attendees(session_id) == []


@pytest.mark.parametrize(
    ("role", "approved", "shown"),
    [
        ("commissioner", True, False),  # commissioners find it on the home page (their header leads with requests)
        ("link_worker", True, True),
        ("link_worker", False, False),
        ("creative", True, False),
    ],
)
def test_the_header_link_is_for_approved_link_workers_and_commissioners_have_it_at_home(
    role, approved, shown, client, sign_in, make_user
):
    sign_in(make_user(role, approved=approved))
    html = client.get("/account/", follow_redirects=True).get_data(as_text=True)
    assert ('href="/join"' in html) is shown
    if role == "commissioner":
        assert 'href="/join"' in client.get("/").get_data(as_text=True)


def test_refused_while_kept_out_of_the_round_after_cancelling_a_booking(
    app, client, sign_in, make_session, make_person, attendees, invites_to
):
    from matchmaker.extensions import db
    from matchmaker.invites import service
    from matchmaker.models import ConsultationSession, ExclusionReason

    commissioner = make_person("commissioner")
    session_id = make_session()
    with app.app_context():
        round_id = db.session.get(ConsultationSession, session_id).round_id
        service.exclude(None, commissioner.id, ExclusionReason.BOOKING_CANCELLED, round_id=round_id)
        db.session.commit()
    sign_in(commissioner)
    _refused(client, session_id, "You cannot be placed in this session at the moment")
    assert attendees(session_id) == [] and invites_to(commissioner) == []
