"""A request that could never be met is refused when it is made, with the reason and what would fix it."""

from __future__ import annotations

import html as html_lib
from typing import Any

from tests.bookings.support import booking_form, bookings
from tests.helpers import slot_ids


def _refusal(response: Any) -> str:
    """The refused form page's text (unescaped); it must carry the error summary and the fix panel."""
    assert response.status_code == 200
    page = html_lib.unescape(response.get_data(as_text=True))
    assert "govuk-error-summary" in page and 'id="request-refusal"' in page
    return page


def test_no_profile_is_told_at_once_to_create_one_and_comes_back_after(
    app: Any, client: Any, submit: Any, sign_in: Any, make_user: Any, open_round: int
) -> None:
    user = make_user("commissioner", name="Heulwen Ellis")
    sign_in(user)
    page = html_lib.unescape(client.get(f"/bookings/rounds/{open_round}/new").get_data(as_text=True))
    assert "You need a profile before you can request a session." in page
    assert f'href="/profile/edit?next=/bookings/rounds/{open_round}/new"' in page
    assert "Create your profile" in page
    response = submit(f"/bookings/rounds/{open_round}/new", booking_form(app, open_round), page="/account/")
    assert "You need a profile" in html_lib.unescape(response.get_data(as_text=True))
    assert bookings(app) == []
    # The profile link keeps where to come back to, for after saving.
    client.get(f"/profile/edit?next=/bookings/rounds/{open_round}/new")
    with client.session_transaction() as session:
        assert session["profile_next"] == f"/bookings/rounds/{open_round}/new"
    client.get("/profile/edit?next=//evil.example/")
    with client.session_transaction() as session:
        assert session["profile_next"] == f"/bookings/rounds/{open_round}/new"  # an outside address is ignored


def test_a_condition_missing_from_the_profile_is_refused_then_accepted_once_added(
    app: Any, client: Any, submit: Any, sign_in: Any, make_user: Any, make_profile: Any, open_round: int
) -> None:
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import CommissionerProfile, Condition

    user = make_user("commissioner", name="Ifan Bowen")
    make_profile(user, conditions=("stroke",), languages=("en",))
    sign_in(user)
    form = client.get(f"/bookings/rounds/{open_round}/new").get_data(as_text=True)
    assert "Conditions in your profile: Stroke." in html_lib.unescape(form)
    page = _refusal(submit(f"/bookings/rounds/{open_round}/new", booking_form(app, open_round, slug="dementia")))
    assert '<a href="#condition">Your profile does not list this condition: Dementia.</a>' in page
    assert "Add it to the conditions you commission for in your profile" in page
    assert f'href="/profile/edit?next=/bookings/rounds/{open_round}/new&step=conditions"' in page
    assert bookings(app) == []
    # Coming back, the refused answers are still there.
    again = client.get(f"/bookings/rounds/{open_round}/new").get_data(as_text=True)
    assert "Sut mae cerddoriaeth" in again
    # ...but the check page does not take a refused request.
    assert client.get(f"/bookings/rounds/{open_round}/check").status_code == 302

    with app.app_context():
        profile = db.session.scalar(select(CommissionerProfile).where(CommissionerProfile.user_id == user.id))
        profile.conditions.append(db.session.scalar(select(Condition).where(Condition.slug == "dementia")))
        db.session.commit()
    response = submit(f"/bookings/rounds/{open_round}/new", booking_form(app, open_round, slug="dementia"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/check")


def test_a_language_missing_from_the_profile_is_refused_with_either_suggested(
    app: Any, submit: Any, sign_in: Any, make_user: Any, make_profile: Any, open_round: int, welsh_speakers: Any
) -> None:
    welsh_speakers(open_round)
    user = make_user("commissioner")
    make_profile(user, conditions=("stroke",), languages=("en",))
    sign_in(user)
    page = _refusal(submit(f"/bookings/rounds/{open_round}/new", booking_form(app, open_round, language="cy")))
    assert '<a href="#language">Your profile does not list this language: Welsh.</a>' in page
    assert "choose \u201cEither Welsh or English\u201d" in page
    either = submit(f"/bookings/rounds/{open_round}/new", booking_form(app, open_round, language="either"))
    assert either.status_code == 302


def test_no_welsh_speaking_link_worker_at_those_slots_is_refused(
    app: Any,
    submit: Any,
    sign_in: Any,
    commissioner: Any,
    open_round: int,
    make_user: Any,
    make_profile: Any,
    register: Any,
    welsh_speakers: Any,
) -> None:
    welsh_speakers(open_round, link_worker=False)
    ids = slot_ids(app, open_round)
    speaker = make_user("link_worker")
    make_profile(speaker, conditions=("stroke",), languages=("cy",))
    register(speaker, open_round, slots=ids[2:])  # only free later in the week
    sign_in(commissioner)
    form = booking_form(app, open_round, language="cy", slots=[str(i) for i in ids[:2]])
    page = _refusal(submit(f"/bookings/rounds/{open_round}/new", form))
    assert "No link worker who works with this condition and speaks Welsh is free at the slots you chose." in page
    assert "Registration for this round closes on Friday 26 February 2027." in page
    assert submit(f"/bookings/rounds/{open_round}/new", {**form, "slots": [str(ids[2])]}).status_code == 302


def test_a_registered_commissioner_must_be_free_at_a_chosen_slot(
    app: Any, client: Any, submit: Any, sign_in: Any, commissioner: Any, open_round: int, register: Any
) -> None:
    ids = slot_ids(app, open_round)
    register(commissioner, open_round, slots=ids[3:])
    sign_in(commissioner)
    page = _refusal(submit(f"/bookings/rounds/{open_round}/new", booking_form(app, open_round)))
    assert "In your registration of interest you are not free at any of the slots you chose." in page
    assert "Change your registration of interest" in page and "/rounds/registrations/" in page
    later = booking_form(app, open_round, slots=[str(ids[3])])
    assert submit(f"/bookings/rounds/{open_round}/new", later).status_code == 302


def test_the_check_uses_the_solvers_rule_the_plan_gives_the_same_reason(app: Any, open_round: int) -> None:
    """Refused at request time for a reason means the solver, run on that request, leaves it out for that reason."""
    from matchmaker.solver import booking_blocker, complete_plan, parse_problem

    problem = {
        "version": 1,
        "timezone": "Europe/London",
        "slots": [{"id": "t1", "start": "2027-03-01T10:00:00+00:00", "end": "2027-03-01T11:30:00+00:00"}],
        "conditions": [{"id": "stroke", "name": "Stroke"}],
        "participants": [
            {
                "id": "m",
                "role": "commissioner",
                "conditions": {"stroke": 3},
                "available": ["t1"],
                "max_sessions": 1,
                "languages": ["en"],
            },
            {
                "id": "l",
                "role": "link_worker",
                "conditions": {"stroke": 3},
                "available": ["t1"],
                "max_sessions": 1,
                "languages": ["en"],
            },
            *[
                {
                    "id": f"c{i}",
                    "role": "creative",
                    "conditions": {"stroke": 3},
                    "available": ["t1"],
                    "max_sessions": 1,
                    "languages": ["cy", "en"],
                    "organisation": f"o{i}",
                }
                for i in range(3)
            ],
        ],
        "bookings": [{"id": "b1", "commissioner": "m", "condition": "stroke", "slots": ["t1"], "language": "cy"}],
        "rules": {
            "creatives": [3, 6],
            "commissioners": [1, 2],
            "link_workers": [1, 3],
            "max_parallel_sessions": 2,
            "one_per_organisation": True,
        },
    }
    parsed = parse_problem(problem)
    blocker = booking_blocker(parsed, "b1")
    assert blocker is not None and blocker.reason == "no_commissioner_language"
    [unserved] = complete_plan(parsed, [], status="feasible").unserved_bookings
    assert unserved.reason == blocker.reason
    problem["bookings"][0]["language"] = "en"
    assert booking_blocker(parse_problem(problem), "b1") is None
