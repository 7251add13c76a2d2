"""Every profile form refuses bad input with a message that says how to fix it, and keeps the rest."""

import pytest

from matchmaker.models import Condition
from tests.profiles.support import (
    all_at_once,
    commissioner_answers,
    creative_answers,
    future,
    ids,
    link_worker_answers,
    step_by_step,
)


@pytest.fixture
def as_role(make_user, sign_in, reference_data):
    def sign(role):
        sign_in(make_user(role))

    return sign


def _errors(response):
    page = response.get_data(as_text=True)
    assert response.status_code == 200, "the form should be shown again, not redirect"
    assert "There is a problem" in page
    assert "<title>Error:" in page
    return page


def _step_errors(responses):
    """The pages of the steps that were refused, together (each with its error summary)."""
    refused = [response for response in responses if response.status_code == 200]
    assert refused, "some step should have been refused"
    return "".join(_errors(response) for response in refused)


def test_creative_missing_required_answers(app, submit, as_role):
    as_role("creative")
    answers = creative_answers(app, organisation_name="", description_en="", art_forms=[], health_boards=[])
    answers.pop("organisation_kind")
    answers.pop("prescribing_link")
    answers.pop("horizon")
    answers.pop("languages")
    page = _step_errors(step_by_step(submit, "creative", answers))
    for message in (
        "Enter the name of your organisation",
        "Select what kind of organisation it is",
        "Describe your work in Welsh, in English or in both",
        "Select at least one art form",
        "Select at least one health board area",
        "Select at least one language",
        "Select your link with social prescribing",
        "Select whether your work is ongoing or a short-term project",
    ):
        assert message in page, message
    assert 'value="https://cor-y-cwm.example.org"' in page  # kept
    assert 'value="captions" checked' in page


@pytest.mark.parametrize("website", ["cor-y-cwm.example.org", "javascript:alert(1)", "ftp://example.org", "https://"])
def test_creative_website_must_be_an_http_address(app, submit, as_role, website):
    as_role("creative")
    page = _errors(all_at_once(submit, creative_answers(app, website=website)))
    assert "Enter a website address that starts with https://" in page
    assert "Côr y Cwm" in page  # everything else kept


def test_creative_http_website_is_accepted(app, submit, as_role):
    as_role("creative")
    assert all_at_once(submit, creative_answers(app, website="http://cor.example.org/about")).status_code == 302


def test_creative_must_choose_online_in_person_or_both(app, submit, as_role):
    as_role("creative")
    page = _errors(all_at_once(submit, creative_answers(app, delivery=[])))
    assert "Select online, in person or both" in page


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (["", "", ""], "Enter the date the project ends"),
        (["1", "1", "2020"], "The date the project ends must be in the future"),
        (["31", "2", "2030"], "The date must be a real date"),
        (["", "5", "2030"], "The date must include a day"),
        (["12", "", "2030"], "The date must include a month"),
        (["12", "5", ""], "The date must include a year"),
        (["12", "", ""], "Enter the full date"),
        (["x", "5", "2030"], "Enter the date as numbers"),
    ],
)
def test_creative_short_term_project_needs_a_real_future_end_date(app, submit, as_role, parts, message):
    as_role("creative")
    page = _errors(all_at_once(submit, creative_answers(app, horizon="short_term", project_ends_on=parts)))
    assert message in page
    for part in parts:
        if part:
            assert f'value="{part}"' in page  # what was typed is kept


def test_creative_ongoing_work_ignores_the_date(app, submit, as_role):
    as_role("creative")
    response = all_at_once(submit, creative_answers(app, horizon="ongoing", project_ends_on=["1", "1", "2020"]))
    assert response.status_code == 302


def test_creative_future_date_is_accepted(app, submit, as_role):
    as_role("creative")
    parts, _day = future(30)
    assert all_at_once(submit, creative_answers(app, horizon="short_term", project_ends_on=parts)).status_code == 302


def test_creative_welsh_description_is_optional_and_length_checked(app, submit, as_role):
    as_role("creative")
    assert all_at_once(submit, creative_answers(app, description_cy="")).status_code == 302
    page = _errors(all_at_once(submit, creative_answers(app, description_cy="a" * 1001)))
    assert "Description in Welsh must be 1,000 characters or fewer" in page


def test_creative_needs_experience_in_at_least_one_condition(app, submit, as_role):
    as_role("creative")
    answers = {k: ("none" if k.startswith("condition_") else v) for k, v in creative_answers(app).items()}
    page = _errors(all_at_once(submit, answers))
    assert "Choose your experience for at least one condition" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("art_forms", ["999999"], "Choose art forms from the list"),
        ("health_boards", ["abc"], "Choose health boards from the list"),
        ("languages", ["fr"], "Choose languages from the list"),
        ("condition_999999", "specialist", "Choose conditions from the list"),
        ("organisation_kind", "multinational", "Select what kind of organisation it is"),
        ("delivery", ["carrier-pigeon"], "Select online, in person or both"),
    ],
)
def test_creative_tampered_ids_are_refused(app, submit, as_role, field, value, message):
    as_role("creative")
    page = _errors(all_at_once(submit, creative_answers(app, **{field: value})))
    assert message in page


def test_creative_tampered_experience_is_refused(app, submit, as_role):
    as_role("creative")
    (dementia,) = ids(app, Condition, "dementia")
    page = _errors(all_at_once(submit, creative_answers(app, **{f"condition_{dementia}": "guru"})))
    assert "Choose specialist, experienced, open to it or not for us" in page


def test_commissioner_bad_input(app, submit, as_role):
    as_role("commissioner")
    page = _step_errors(
        step_by_step(
            submit,
            "commissioner",
            commissioner_answers(app, organisation="", job_title="", conditions=[], languages=[]),
        )
    )
    for message in (
        "Enter the name of the organisation you work for",
        "Enter your job title",
        "Select at least one condition or group",
        "Select at least one language",
    ):
        assert message in page, message
    assert 'value="local_authority" checked' in page
    page = _errors(all_at_once(submit, commissioner_answers(app, health_boards=["424242"])))
    assert "Choose health boards from the list" in page
    page = _errors(all_at_once(submit, commissioner_answers(app, conditions=["424242"])))
    assert "Choose conditions from the list" in page


@pytest.mark.parametrize(
    ("capacity", "message"),
    [
        ("", "Enter how many sessions you could join"),
        ("0", "Number of sessions must be between 1 and 20"),
        ("21", "Number of sessions must be between 1 and 20"),
        ("three", "Enter how many sessions as a whole number"),
        ("-2", "Enter how many sessions as a whole number"),
    ],
)
def test_link_worker_capacity_between_1_and_20(app, client, submit, as_role, capacity, message):
    as_role("link_worker")
    *before, last = step_by_step(submit, "link_worker", link_worker_answers(app, capacity=capacity))
    assert [response.status_code for response in before] == [302, 302, 302]
    assert message in _errors(last)
    # The earlier steps' answers wait on the server.
    about = client.get("/profile/edit/about").get_data(as_text=True)
    assert 'value="Elmfield Health Centre"' in about and 'value="City East"' in about


def test_link_worker_capacity_limits_are_accepted(app, submit, as_role):
    as_role("link_worker")
    assert all_at_once(submit, link_worker_answers(app, capacity="1")).status_code == 302
    assert all_at_once(submit, link_worker_answers(app, capacity="20")).status_code == 302


def test_link_worker_missing_and_tampered_board(app, submit, as_role):
    as_role("link_worker")
    answers = link_worker_answers(app, employer="", gp_cluster="")
    answers.pop("health_board")
    page = _step_errors(step_by_step(submit, "link_worker", answers))
    assert "Enter the name of your employer" in page
    assert "Select the health board area you work in" in page
    assert "GP cluster" in page and "Enter your GP cluster" not in page  # optional
    page = _errors(all_at_once(submit, link_worker_answers(app, health_board="77777")))
    assert "Choose health boards from the list" in page


def test_the_form_needs_its_csrf_token(app, client, as_role):
    as_role("creative")
    assert client.post("/profile/edit", data=creative_answers(app)).status_code == 400


def test_a_description_in_welsh_alone_is_enough_and_english_readers_see_it_marked_welsh(app, submit, client, as_role):
    as_role("creative")
    answers = creative_answers(app, description_en="", description_cy="Côr cymunedol i bobl sy'n byw gyda dementia.")
    assert all_at_once(submit, answers).status_code == 302
    assert submit("/profile/check", {}).status_code == 302
    with app.app_context():
        from matchmaker.extensions import db
        from matchmaker.models import CreativeProfile

        profile = db.session.scalars(db.select(CreativeProfile)).one()
        assert (profile.description_en, profile.description_cy) == ("", "Côr cymunedol i bobl sy'n byw gyda dementia.")
        from flask import render_template_string

        with app.test_request_context():
            html = render_template_string(
                '{% from "directory/_description.html" import description %}{{ description(p, "en") }}', p=profile
            )
    assert 'lang="cy"' in html and "Côr cymunedol" in html


@pytest.mark.parametrize("capacity", ["²", "9" * 30, "٣"])
def test_link_worker_capacity_in_odd_digits_is_a_form_error(app, submit, as_role, capacity):
    """Issue 13: '²' passes str.isdigit() but breaks int(); it was a 500."""
    as_role("link_worker")
    page = _errors(all_at_once(submit, link_worker_answers(app, capacity=capacity)))
    assert "Enter how many sessions as a whole number" in page
