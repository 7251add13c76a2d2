"""Requesting, changing and cancelling a booking through the pages, with the confirmation emails."""

from __future__ import annotations

from typing import Any

from tests.bookings.support import booking_form, bookings
from tests.helpers import condition_ids, slot_ids


def _request(app: Any, client: Any, submit: Any, round_id: int, **overrides: Any) -> Any:
    """Fill the form, then send from the check page; returns the final response."""
    response = submit(f"/bookings/rounds/{round_id}/new", booking_form(app, round_id, **overrides))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert response.headers["Location"].endswith(f"/bookings/rounds/{round_id}/check")
    return submit(f"/bookings/rounds/{round_id}/check", {})


def test_request_goes_through_check_your_answers_then_saves_and_emails(
    app: Any, client: Any, submit: Any, sign_in: Any, commissioner: Any, open_round: int, outbox: Any
) -> None:
    sign_in(commissioner)
    form = client.get(f"/bookings/rounds/{open_round}/new").get_data(as_text=True)
    assert "Any slot in this week" in form and "Week beginning Monday 1 March 2027" in form
    assert "Theatr Fach" in form  # organisations from the directory

    response = submit(f"/bookings/rounds/{open_round}/new", booking_form(app, open_round))
    assert response.status_code == 302
    assert bookings(app) == []  # nothing saved before the check page
    check = client.get(f"/bookings/rounds/{open_round}/check").get_data(as_text=True)
    assert "Check your request" in check
    assert "10am to 11:30am, Monday 1 March 2027" in check
    assert "Sut mae cerddoriaeth yn helpu ar ôl strôc" in check

    response = submit(f"/bookings/rounds/{open_round}/check", {})
    assert response.status_code == 302
    [booking] = bookings(app)
    assert response.headers["Location"].endswith(f"/bookings/{booking.id}")
    assert booking.status.value == "requested"
    assert booking.language == "en"
    assert [s.id for s in booking.slots] == slot_ids(app, open_round)[:2]
    assert booking.purpose.startswith("Sut mae cerddoriaeth")
    [mail] = outbox(commissioner.email)
    assert mail.subject == "We have your request for a session on Stroke"
    assert "10am to 11:30am, Monday 1 March 2027" in mail.text_body
    assert f"/bookings/{booking.id}" in mail.text_body

    page = client.get(f"/bookings/{booking.id}").get_data(as_text=True)
    assert "Requested" in page and "We have your request" in page
    assert "Stroke" in client.get("/bookings/").get_data(as_text=True)


def test_confirmation_email_is_in_the_commissioners_language(
    app: Any, client: Any, submit: Any, sign_in: Any, make_user: Any, make_profile: Any, open_round: int, outbox: Any
) -> None:
    welsh = make_user("commissioner", language="cy", name="Gwenllian Huws")
    make_profile(welsh, conditions=("stroke",), languages=("cy", "en"))
    sign_in(welsh)
    assert _request(app, client, submit, open_round).status_code == 302
    [mail] = outbox(welsh.email)
    assert mail.subject == "Mae eich cais am sesiwn wedi dod i law: Strôc"
    assert "Dydd Llun 1 Mawrth 2027" in mail.text_body


def test_any_slot_in_this_week_chooses_every_slot_of_that_week(
    app: Any,
    client: Any,
    submit: Any,
    sign_in: Any,
    commissioner: Any,
    make_round: Any,
    staff_round: Any,
) -> None:
    round_id = make_round(slots=10)  # Monday 1 March to Wednesday 10 March: two weeks
    staff_round(round_id)
    sign_in(commissioner)
    ids = slot_ids(app, round_id)
    response = _request(app, client, submit, round_id, slots=[str(ids[8])], weeks=["2027-03-01"])
    assert response.status_code == 302
    [booking] = bookings(app)
    assert [s.id for s in booking.slots] == ids[:7] + [ids[8]]  # the first week's 7 days, and 9 March


def test_change_a_request_until_the_round_closes(
    app: Any, client: Any, submit: Any, sign_in: Any, commissioner: Any, open_round: int, outbox: Any
) -> None:
    sign_in(commissioner)
    _request(app, client, submit, open_round)
    [booking] = bookings(app)
    form = client.get(f"/bookings/{booking.id}/change").get_data(as_text=True)
    assert "How music helps" not in form and "Sut mae cerddoriaeth" in form  # what was stored, shown again

    ids = slot_ids(app, open_round)
    changed = booking_form(app, open_round, slug="dementia", slots=[str(ids[3])], language="", purpose="Dawns")
    changed["language"] = "either"
    response = submit(f"/bookings/{booking.id}/change", changed)
    assert response.headers["Location"].endswith(f"/bookings/{booking.id}/change/check")
    assert bookings(app)[0].condition_id == condition_ids(app, "stroke")[0]  # not saved yet
    response = submit(f"/bookings/{booking.id}/change/check", {})
    assert response.status_code == 302
    [saved] = bookings(app)
    assert saved.condition_id == condition_ids(app, "dementia")[0]
    assert [s.id for s in saved.slots] == [ids[3]]
    assert saved.language is None
    assert saved.purpose == "Dawns"
    assert [m.subject for m in outbox(commissioner.email)] == [
        "We have your request for a session on Stroke",
        "Your request for a session on Dementia has changed",
    ]


def test_cancel_a_request(
    app: Any, client: Any, submit: Any, sign_in: Any, commissioner: Any, open_round: int, outbox: Any
) -> None:
    sign_in(commissioner)
    _request(app, client, submit, open_round)
    [booking] = bookings(app)
    assert "Cancel this request?" in client.get(f"/bookings/{booking.id}/cancel").get_data(as_text=True)
    response = submit(f"/bookings/{booking.id}/cancel", {})
    assert response.status_code == 302
    [cancelled] = bookings(app)
    assert cancelled.status.value == "cancelled" and cancelled.cancelled_at is not None
    page = client.get(f"/bookings/{booking.id}").get_data(as_text=True)
    assert "Cancelled" in page and "Cancel request" not in page and "Change your request" not in page
    assert outbox(commissioner.email)[-1].subject == "Your request for a session on Stroke is cancelled"
    assert outbox("rounds@example.org") == []  # the organiser hears only of scheduled bookings
    # After cancelling, the same condition can be requested again.
    assert _request(app, client, submit, open_round).status_code == 302
    assert [b.status.value for b in bookings(app)] == ["cancelled", "requested"]


def test_organisations_chosen_are_kept_as_their_members(
    outbox: Any,
    app: Any,
    client: Any,
    submit: Any,
    sign_in: Any,
    commissioner: Any,
    open_round: int,
    make_user: Any,
    make_profile: Any,
) -> None:
    first = make_user("creative")
    second = make_user("creative")
    make_profile(first, organisation="Côr Cymunedol")
    make_profile(second, organisation="Côr Cymunedol")
    hidden = make_user("creative")
    make_profile(hidden, organisation="Not Listed", directory_consent=False)
    sign_in(commissioner)
    form = client.get(f"/bookings/rounds/{open_round}/new").get_data(as_text=True)
    assert form.count("Côr Cymunedol") == 1 and "Not Listed" not in form
    _request(app, client, submit, open_round, organisations=["côr cymunedol"])
    assert "Organisations you would like to meet: Côr Cymunedol" in outbox(commissioner.email)[0].text_body
    [booking] = bookings(app)
    assert sorted(u.id for u in booking.wants_to_meet) == sorted([first.id, second.id])
    assert "Côr Cymunedol" in client.get(f"/bookings/{booking.id}").get_data(as_text=True)


def test_your_bookings_is_in_the_header_for_approved_commissioners_only(
    client: Any, sign_in: Any, make_user: Any, commissioner: Any
) -> None:
    sign_in(commissioner)
    assert 'href="/bookings/"' in client.get("/").get_data(as_text=True)
    client.delete_cookie("session")
    sign_in(make_user("creative"))
    assert 'href="/bookings/"' not in client.get("/").get_data(as_text=True)
