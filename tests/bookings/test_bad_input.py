"""Every kind of bad booking request gets a clear message and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.bookings.support import booking_form, bookings
from tests.helpers import condition_ids, slot_ids


def _nothing_changed(app: Any, outbox: Any) -> None:
    """No booking was saved and no email queued."""
    assert bookings(app) == []
    assert outbox() == []


def _form_error(response: Any) -> str:
    """The page of a refused form: the error summary is there; returns the text."""
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html[:2000]
    assert "There is a problem" in html
    assert "<title>Error:" in html
    return html


def test_a_slot_from_another_round_is_refused(
    app: Any, submit: Any, sign_in: Any, commissioner: Any, open_round: int, make_round: Any, outbox: Any
) -> None:
    other = make_round(slots=2)
    sign_in(commissioner)
    foreign = str(slot_ids(app, other)[0])
    html = _form_error(submit(f"/bookings/rounds/{open_round}/new", booking_form(app, open_round, slots=[foreign])))
    assert "Select slots from this round&#39;s list" in html
    assert 'href="#slots"' in html and 'id="slots"' in html
    _nothing_changed(app, outbox)


def test_a_slot_from_another_round_is_refused_by_the_service_too(
    app: Any, commissioner: Any, open_round: int, make_round: Any
) -> None:
    from matchmaker.bookings.service import BookingError, BookingRequest, create_booking
    from matchmaker.extensions import db
    from matchmaker.models import Round, User

    other = make_round(slots=2)
    with app.test_request_context():
        user = db.session.get(User, commissioner.id)
        request = BookingRequest(condition_ids(app, "stroke")[0], [slot_ids(app, other)[0]], "en", None, "Dawns")
        with pytest.raises(BookingError) as raised:
            create_booking(db.session.get(Round, open_round), user, request, user)
        assert "slots" in raised.value.errors
        db.session.rollback()
    assert bookings(app) == []


@pytest.mark.parametrize("status", ["closed", "draft"])
def test_a_round_that_is_not_open_takes_no_requests(
    app: Any, client: Any, submit: Any, sign_in: Any, commissioner: Any, make_round: Any, status: str, outbox: Any
) -> None:
    round_id = make_round(status=status)
    sign_in(commissioner)
    page = client.get(f"/bookings/rounds/{round_id}/new")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "You cannot request a session here" in text
    assert ("has closed" in text) if status == "closed" else ("not open yet" in text)
    response = submit(f"/bookings/rounds/{round_id}/new", booking_form(app, round_id), page="/bookings/")
    assert "You cannot request a session here" in response.get_data(as_text=True)
    _nothing_changed(app, outbox)


def test_a_round_closing_between_the_form_and_the_check_page_saves_nothing(
    app: Any, client: Any, submit: Any, sign_in: Any, commissioner: Any, open_round: int, outbox: Any
) -> None:
    from matchmaker.extensions import db
    from matchmaker.models import Round, RoundStatus

    sign_in(commissioner)
    assert submit(f"/bookings/rounds/{open_round}/new", booking_form(app, open_round)).status_code == 302
    token_page = f"/bookings/rounds/{open_round}/check"
    client.get(token_page)
    with app.app_context():
        db.session.get(Round, open_round).status = RoundStatus.CLOSED
        db.session.commit()
    response = submit(token_page, {}, page="/bookings/")
    assert "has closed" in response.get_data(as_text=True)
    _nothing_changed(app, outbox)


def test_an_unapproved_commissioner_cannot_book(
    app: Any, client: Any, submit: Any, sign_in: Any, make_user: Any, make_profile: Any, open_round: int, outbox: Any
) -> None:
    pending = make_user("commissioner", approved=False)
    make_profile(pending)
    sign_in(pending)
    response = client.get(f"/bookings/rounds/{open_round}/new")
    assert response.status_code == 302 and "/account/awaiting-approval" in response.headers["Location"]
    response = submit(f"/bookings/rounds/{open_round}/new", booking_form(app, open_round), page="/account/")
    assert response.status_code == 302 and "/account/awaiting-approval" in response.headers["Location"]
    _nothing_changed(app, outbox)


def test_an_organiser_cannot_book_for_an_unapproved_commissioner(
    app: Any, client: Any, submit: Any, sign_in: Any, make_user: Any, open_round: int, outbox: Any
) -> None:
    pending = make_user("commissioner", approved=False, name="Pending Person")
    sign_in(make_user("organiser"))
    choose = client.get(f"/organiser/rounds/{open_round}/bookings/new").get_data(as_text=True)
    assert "Pending Person" not in choose
    response = submit(f"/organiser/rounds/{open_round}/bookings/new", {"commissioner": str(pending.id)})
    assert "Select a commissioner from the list" in _form_error(response)
    page = client.get(f"/organiser/rounds/{open_round}/bookings/new/{pending.id}").get_data(as_text=True)
    assert "has not been approved by an organiser yet" in page
    response = submit(
        f"/organiser/rounds/{open_round}/bookings/new/{pending.id}",
        booking_form(app, open_round),
        page=f"/organiser/rounds/{open_round}/bookings",
    )
    assert "has not been approved by an organiser yet" in response.get_data(as_text=True)
    _nothing_changed(app, outbox)


def test_a_duplicate_request_is_refused(
    app: Any, submit: Any, sign_in: Any, commissioner: Any, open_round: int, make_booking: Any, outbox: Any
) -> None:
    make_booking(commissioner, open_round, condition="stroke")
    sign_in(commissioner)
    html = _form_error(submit(f"/bookings/rounds/{open_round}/new", booking_form(app, open_round)))
    assert "You already have a request for this condition in this round" in html
    assert len(bookings(app)) == 1
    # Another condition is fine.
    response = submit(f"/bookings/rounds/{open_round}/new", booking_form(app, open_round, slug="dementia"))
    assert response.status_code == 302


def test_the_database_refuses_a_duplicate_that_races_past_the_check(
    app: Any, commissioner: Any, open_round: int, make_booking: Any
) -> None:
    from sqlalchemy.exc import IntegrityError

    make_booking(commissioner, open_round, condition="stroke")
    with pytest.raises(IntegrityError):
        make_booking(commissioner, open_round, condition="stroke", status="scheduled")
    # A cancelled or unscheduled one does not count.
    make_booking(commissioner, open_round, condition="stroke", status="cancelled")
    make_booking(commissioner, open_round, condition="stroke", status="unscheduled")
    assert len(bookings(app)) == 3


def test_a_condition_outside_the_round_is_refused(
    app: Any, submit: Any, sign_in: Any, commissioner: Any, open_round: int, outbox: Any
) -> None:
    sign_in(commissioner)
    html = _form_error(submit(f"/bookings/rounds/{open_round}/new", booking_form(app, open_round, slug="cancer")))
    assert "Select a condition from this round&#39;s list" in html
    _nothing_changed(app, outbox)


def test_welsh_is_refused_when_nobody_registered_speaks_it_and_either_is_suggested(
    app: Any,
    submit: Any,
    sign_in: Any,
    commissioner: Any,
    open_round: int,
    make_user: Any,
    make_profile: Any,
    register: Any,
    outbox: Any,
    welsh_speakers: Any,
) -> None:
    sign_in(commissioner)
    html = _form_error(submit(f"/bookings/rounds/{open_round}/new", booking_form(app, open_round, language="cy")))
    assert "Nobody registered in this round speaks Welsh yet" in html
    assert "either Welsh or English" in html
    assert 'value="cy" checked' in html  # what was chosen is kept
    _nothing_changed(app, outbox)
    assert (
        submit(f"/bookings/rounds/{open_round}/new", booking_form(app, open_round, language="either")).status_code
        == 302
    )
    # A Welsh-speaking link worker alone is not enough: the solver's rule needs Welsh-speaking creatives too.
    speaker = make_user("link_worker")
    make_profile(speaker, conditions=("stroke", "dementia"), languages=("cy",))
    register(speaker, open_round)
    html = _form_error(submit(f"/bookings/rounds/{open_round}/new", booking_form(app, open_round, language="cy")))
    assert "Too few creative professionals who work with this condition and speak Welsh" in html
    welsh_speakers(open_round, link_worker=False)
    assert submit(f"/bookings/rounds/{open_round}/new", booking_form(app, open_round, language="cy")).status_code == 302


def test_someone_elses_booking_is_not_found(
    app: Any,
    client: Any,
    submit: Any,
    sign_in: Any,
    commissioner: Any,
    open_round: int,
    make_user: Any,
    make_booking: Any,
) -> None:
    theirs = make_booking(commissioner, open_round)
    other = make_user("commissioner")
    sign_in(other)
    for path in (f"/bookings/{theirs}", f"/bookings/{theirs}/change", f"/bookings/{theirs}/cancel"):
        assert client.get(path).status_code == 404, path
    response = client.post(f"/bookings/{theirs}/cancel", data={})
    assert response.status_code in (400, 404)
    response = submit(f"/bookings/{theirs}/cancel", {}, page="/bookings/")
    assert response.status_code == 404
    assert bookings(app)[0].status.value == "requested"
    assert "Stroke" not in client.get("/bookings/").get_data(as_text=True)


def test_tampered_ids_are_refused(
    app: Any, client: Any, submit: Any, sign_in: Any, commissioner: Any, open_round: int, outbox: Any
) -> None:
    sign_in(commissioner)
    assert client.get("/bookings/not-a-number").status_code == 404
    assert client.get("/bookings/999999").status_code == 404
    assert client.get("/bookings/rounds/999999/new").status_code == 404
    url = f"/bookings/rounds/{open_round}/new"
    cases = {
        "slots": (booking_form(app, open_round, slots=["abc"]), "Select slots from this round&#39;s list"),
        "weeks": (booking_form(app, open_round, weeks=["1999-01-04"]), "Select weeks from this round&#39;s list"),
        "condition": (booking_form(app, open_round, condition="x"), "Select a condition from this round&#39;s list"),
        "language": (booking_form(app, open_round, language="fr"), "Select Welsh, English or either"),
        "health_board": (
            booking_form(app, open_round, health_board="999999"),
            "Select a health board from the list, or no particular health board",
        ),
        "organisations": (
            booking_form(app, open_round, organisations=["no-such-organisation"]),
            "Select organisations from the directory list",
        ),
    }
    for field, (data, message) in cases.items():
        html = _form_error(submit(url, data))
        assert message in html, field
        assert f'href="#{field}"' in html, field
    _nothing_changed(app, outbox)


def test_missing_answers_say_what_to_do(
    app: Any, submit: Any, sign_in: Any, commissioner: Any, open_round: int, outbox: Any
) -> None:
    sign_in(commissioner)
    html = _form_error(submit(f"/bookings/rounds/{open_round}/new", {"purpose": "Cadw hwn"}))
    for message in (
        "Select the condition the session is about",
        "Select at least one slot that suits you, or a whole week",
        "Select Welsh, English or either",
    ):
        assert message in html
    assert "Cadw hwn" in html  # what was typed is kept
    html = _form_error(submit(f"/bookings/rounds/{open_round}/new", booking_form(app, open_round, purpose="  ")))
    assert "Enter what you want to learn or discuss" in html
    _nothing_changed(app, outbox)


def test_the_check_page_without_answers_goes_back_to_the_form(
    client: Any, sign_in: Any, commissioner: Any, open_round: int
) -> None:
    sign_in(commissioner)
    response = client.get(f"/bookings/rounds/{open_round}/check")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/bookings/rounds/{open_round}/new")


def test_other_roles_cannot_book(client: Any, sign_in: Any, make_user: Any, open_round: int) -> None:
    sign_in(make_user("creative"))
    assert client.get(f"/bookings/rounds/{open_round}/new").status_code == 403
    assert client.get("/bookings/").status_code == 403
    assert client.get(f"/organiser/rounds/{open_round}/bookings").status_code == 403


def test_a_duplicate_that_slips_past_the_check_gets_the_same_message(
    app: Any, commissioner: Any, open_round: int, make_booking: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two requests at once both pass the check; the database's partial unique index stops the second."""
    from matchmaker.bookings import service
    from matchmaker.extensions import db
    from matchmaker.models import Round, User

    make_booking(commissioner, open_round, condition="stroke")
    monkeypatch.setattr(service, "duplicate_of", lambda *args: None)  # the check ran before the other commit
    with app.test_request_context():
        user = db.session.get(User, commissioner.id)
        request = service.BookingRequest(condition_ids(app, "stroke")[0], slot_ids(app, open_round), None, None, "x")
        with pytest.raises(service.BookingError) as raised:
            service.create_booking(db.session.get(Round, open_round), user, request, user)
        assert "You already have a request for this condition" in raised.value.errors["condition"]
        db.session.rollback()
    assert len(bookings(app)) == 1


def test_a_request_cannot_change_after_the_round_closes_but_can_still_be_cancelled(
    app: Any, client: Any, submit: Any, sign_in: Any, commissioner: Any, open_round: int, make_booking: Any
) -> None:
    from matchmaker.extensions import db
    from matchmaker.models import Round, RoundStatus

    booking_id = make_booking(commissioner, open_round, purpose="Before closing")
    sign_in(commissioner)
    assert submit(f"/bookings/{booking_id}/change", booking_form(app, open_round, purpose="After")).status_code == 302
    with app.app_context():
        db.session.get(Round, open_round).status = RoundStatus.CLOSED
        db.session.commit()
    assert "has closed" in client.get(f"/bookings/{booking_id}/change").get_data(as_text=True)
    response = submit(f"/bookings/{booking_id}/change/check", {}, page=f"/bookings/{booking_id}/cancel")
    assert "has closed" in response.get_data(as_text=True)
    assert bookings(app)[0].purpose == "Before closing"
    page = client.get(f"/bookings/{booking_id}").get_data(as_text=True)
    assert "Change your request" not in page and "has closed" in page
    assert submit(f"/bookings/{booking_id}/cancel", {}).status_code == 302
    assert bookings(app)[0].status.value == "cancelled"


def test_a_scheduled_booking_cannot_be_changed(
    app: Any, client: Any, sign_in: Any, commissioner: Any, open_round: int, make_booking: Any
) -> None:
    booking_id = make_booking(commissioner, open_round, status="scheduled")
    sign_in(commissioner)
    page = client.get(f"/bookings/{booking_id}/change").get_data(as_text=True)
    assert "Only requests waiting to be scheduled can be changed" in page


HUGE = "9" * 30


def test_hostile_numbers_and_nul_bytes_are_404s_or_form_errors(
    app: Any, client: Any, submit: Any, sign_in: Any, commissioner: Any, open_round: int, make_booking: Any, outbox: Any
) -> None:
    """Issue 13, finding 2: 30-digit ids, '²' (isdigit() but not int()) and NUL bytes were 500s."""
    booking = make_booking(commissioner, open_round)
    sign_in(commissioner)
    for path in (f"/bookings/{HUGE}", f"/bookings/{HUGE}/change", f"/bookings/rounds/{HUGE}/new", "/bookings/²"):
        assert client.get(path).status_code == 404, path
    assert client.get(f"/bookings/{booking}?page=²").status_code == 200
    assert client.get("/directory?q=%00").status_code == 404
    assert client.get(f"/directory/{HUGE}").status_code == 404
    html = _form_error(
        submit(f"/bookings/rounds/{open_round}/new", booking_form(app, open_round, purpose="Hi\x00there"))
    )
    assert "Remove the hidden control characters from this answer" in html
    html = _form_error(submit(f"/bookings/rounds/{open_round}/new", booking_form(app, open_round, condition="²")))
    assert "Select a condition from this round&#39;s list" in html


def test_the_organiser_lists_ignore_hostile_filters(
    app: Any, client: Any, sign_in: Any, make_user: Any, open_round: int
) -> None:
    sign_in(make_user("organiser"))
    for query in ("condition=²", f"condition={HUGE}", "health_board=²", "status=%00", "page=²", f"page={HUGE}"):
        response = client.get(f"/organiser/rounds/{open_round}/bookings?{query}")
        assert response.status_code in (200, 404), query
    assert client.get(f"/organiser/rounds/{open_round}/bookings?condition=²").status_code == 200
    assert client.get(f"/organiser/outbox?page={HUGE}").status_code == 200
    assert client.get("/organiser/outbox?page=²").status_code == 200
    assert client.get(f"/sessions/{HUGE}/invite.ics").status_code == 404
