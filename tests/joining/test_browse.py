"""The list of sessions with room: what it shows, what it leaves out, its filters and pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.factories import TUESDAY_10AM


def _page(client: Any, url: str = "/join") -> str:
    """The list page's text, whitespace collapsed."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _listed(html: str) -> set[int]:
    """Ids of the sessions with a join button on the page."""
    return {int(found) for found in re.findall(r'action="/join/(\d+)"', html)}


def test_shows_what_who_when_language_and_places_left(client, sign_in, make_round, make_session, make_person):
    round_id = make_round(link_workers_max=3)
    people = [
        (make_person("creative", organisation="Côr Cymunedol Aberteifi"), "creative"),
        (make_person("creative", organisation="Sound Minds Collective"), "creative"),
        (make_person("commissioner", organisation="Hywel Dda University Health Board"), "commissioner"),
        (make_person("link_worker", organisation="Ceredigion Social Prescribing"), "link_worker"),
    ]
    # 9am UTC on 29 March 2027 is 10am in Wales (summer time began the day before).
    session_id = make_session(people, starts_at=datetime(2027, 3, 29, 9, tzinfo=UTC), round_id=round_id)
    sign_in(make_person("link_worker"))
    html = _page(client)
    assert _listed(html) == {session_id}
    assert "Consultation session: Stroke" in html
    assert "10am on Monday 29 March 2027 to 11:30am" in html
    assert "English" in html
    assert "Creative professionals:</span> Côr Cymunedol Aberteifi, Sound Minds Collective" in html
    assert "Commissioners:</span> Hywel Dda University Health Board" in html
    assert "Link workers:</span> Ceredigion Social Prescribing" in html
    assert "2 places left for link workers" in html
    assert "1 session with room" in html


def test_in_welsh(client, sign_in, make_session, make_person):
    make_session(language="cy")
    sign_in(make_person("commissioner", languages=("cy",), language="cy"))
    html = _page(client)
    assert '<html lang="cy"' in html
    assert "10yb ddydd Mawrth 2 Mawrth 2027" in html
    assert "Strôc" in html


def test_leaves_out_full_cancelled_past_sessions_and_their_own(
    app, client, sign_in, make_round, make_session, make_person
):
    from matchmaker.extensions import db
    from matchmaker.invites import service
    from matchmaker.models import ConsultationSession

    round_id = make_round(link_workers_max=1, commissioners_max=2)
    worker = make_person("link_worker")
    open_ = make_session(round_id=round_id)
    full_for_link_workers = make_session(
        [(make_person("link_worker"), "link_worker")], round_id=round_id, starts_at=TUESDAY_10AM + timedelta(days=1)
    )
    cancelled = make_session(round_id=round_id, starts_at=TUESDAY_10AM + timedelta(days=2))
    with app.app_context():
        service.session_cancelled(db.session.get(ConsultationSession, cancelled))
        db.session.commit()
    make_session(round_id=round_id, starts_at=datetime.now(UTC) - timedelta(hours=1))
    theirs = make_session([(worker, "link_worker")], round_id=round_id, starts_at=TUESDAY_10AM + timedelta(days=3))
    sign_in(worker)
    assert _listed(_page(client)) == {open_}
    # A commissioner still sees the one full only for link workers.
    other = app.test_client()
    from tests.helpers import PASSWORD, csrf_token

    token = csrf_token(other.get("/account/sign-in").get_data(as_text=True))
    commissioner = make_person("commissioner")
    other.post("/account/sign-in", data={"csrf_token": token, "email": commissioner.email, "password": PASSWORD})
    assert _listed(_page(other)) == {open_, full_for_link_workers, theirs}


def test_a_session_they_cannot_join_says_why_instead_of_a_button(client, sign_in, make_session, make_person):
    welsh = make_session(language="cy")
    sign_in(make_person("link_worker", languages=("en",)))
    html = _page(client)
    assert _listed(html) == set()
    assert f'id="join-{welsh}-title"' in html
    assert "This session is held in Welsh, which is not one of the languages in your profile." in html


def test_filters_by_condition_language_and_health_board(app, client, sign_in, make_session, make_person):
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.invites import service
    from matchmaker.models import SessionAttendee

    stroke = make_session(condition="stroke")
    dementia = make_session(condition="dementia", starts_at=TUESDAY_10AM + timedelta(days=1))
    welsh = make_session(condition="dementia", language="cy", starts_at=TUESDAY_10AM + timedelta(days=2))
    booked = make_session(
        starts_at=TUESDAY_10AM + timedelta(days=3),
        booking_board="powys",
        booking_by=make_person("commissioner"),
    )
    attended = make_session(
        [(make_person("creative", health_board="powys"), "creative")], starts_at=TUESDAY_10AM + timedelta(days=4)
    )
    powys_creative = make_person("creative", health_board="powys")
    declined = make_session([(powys_creative, "creative")], starts_at=TUESDAY_10AM + timedelta(days=5))
    with app.app_context():  # someone from Powys who declined does not make the session a Powys one
        attendee = db.session.scalar(select(SessionAttendee).where(SessionAttendee.session_id == declined))
        assert service.respond(attendee, "decline") == "declined"
        db.session.commit()
    sign_in(make_person("commissioner", languages=("en", "cy")))
    assert _listed(_page(client, "/join?condition=dementia")) == {dementia, welsh}
    assert _listed(_page(client, "/join?language=cy")) == {welsh}
    assert _listed(_page(client, "/join?condition=dementia&language=en")) == {dementia}
    assert _listed(_page(client, "/join?health_board=powys")) == {booked, attended}
    assert len(_listed(_page(client, "/join"))) == 6
    html = _page(client, "/join?health_board=powys")
    assert "Clear filters" in html
    assert stroke not in _listed(html)


def test_filters_by_the_day_in_wales(client, sign_in, make_session, make_person):
    # 23:30 UTC on Sunday 28 March 2027 is 00:30 on Monday 29 March in Wales (BST).
    late = make_session(starts_at=datetime(2027, 3, 28, 23, 30, tzinfo=UTC))
    sunday = make_session(starts_at=datetime(2027, 3, 28, 12, 0, tzinfo=UTC))
    sign_in(make_person("link_worker"))
    html = _page(client)
    assert '<option value="2027-03-28">Sunday 28 March 2027</option>' in html
    assert '<option value="2027-03-29">Monday 29 March 2027</option>' in html
    assert _listed(_page(client, "/join?day=2027-03-29")) == {late}
    assert _listed(_page(client, "/join?day=2027-03-28")) == {sunday}
    assert _listed(_page(client, "/join?day=2027-04-01")) == set()  # a day with nothing (now) is no error
    assert "govuk-error-summary" not in _page(client, "/join?day=2027-04-01")


def test_a_tampered_filter_is_shown_as_an_error_and_ignored(client, sign_in, make_session, make_person):
    session_id = make_session()
    sign_in(make_person("link_worker"))
    html = _page(client, "/join?condition=not-a-condition&day=yesterday")
    assert "govuk-error-summary" in html
    assert "Choose a condition from the list" in html
    assert "Choose a date from the list" in html
    assert _listed(html) == {session_id}


def test_pages_of_ten(client, sign_in, make_session, make_person):
    ids = [make_session(starts_at=TUESDAY_10AM + timedelta(days=day)) for day in range(12)]
    sign_in(make_person("link_worker", capacity=20))
    first, second = _page(client), _page(client, "/join?page=2")
    assert _listed(first) == set(ids[:10])
    assert _listed(second) == set(ids[10:])
    assert "12 sessions with room" in first
    assert 'href="/join?page=2"' in first
    assert _listed(_page(client, "/join?page=99")) == set(ids[10:])  # past the end: the last page
    assert _listed(_page(client, "/join?page=x")) == set(ids[:10])


def test_hostile_page_numbers_show_the_first_page(client, sign_in, make_person):
    """Issue 13: '/join?page=²' and 30-digit pages were 500s."""
    sign_in(make_person("link_worker"))
    for query in ("page=²", "page=" + "9" * 30, "page=-1", "condition=²", "day=%F0%9F%8E%A8"):
        assert client.get(f"/join?{query}").status_code == 200, query
    assert client.get("/join?q=%00").status_code == 404
    assert client.get("/join/" + "9" * 30 + "/joined").status_code == 404
