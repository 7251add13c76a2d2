"""Each role fills in its profile, checks the answers and saves; owner-only access."""

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import (
    CommissionerProfile,
    Condition,
    CreativeProfile,
    Experience,
    Horizon,
    LinkWorkerProfile,
    PrescribingLink,
)
from tests.helpers import csrf_token, saved_profile
from tests.profiles.support import (
    all_at_once,
    client_for,
    commissioner_answers,
    creative_answers,
    future,
    ids,
    link_worker_answers,
    step_by_step,
)


def test_a_creative_checks_their_answers_then_saves(app, client, submit, make_user, sign_in, reference_data):
    user = make_user("creative")
    sign_in(user)
    start = client.get("/profile").get_data(as_text=True)
    assert "Create your profile" in start
    answers = creative_answers(app)
    # One short step after another, each leading to the next, the last to check your answers.
    responses = step_by_step(submit, "creative", answers)
    locations = [response.headers["Location"] for response in responses]
    assert [location.rsplit("/", 1)[-1] for location in locations] == [
        "conditions",
        "art-forms",
        "where",
        "work",
        "description",
        "directory",
        "check",
    ]
    assert saved_profile(app, CreativeProfile, user) is None  # nothing saved before "Save profile"

    check = client.get("/profile/check").get_data(as_text=True)
    assert "Check your answers" in check
    assert "Côr y Cwm" in check
    assert "Dementia: Specialist" in check and "Stroke: Open to it" in check
    assert "Hywel Dda University Health Board" in check
    assert "/profile/edit/about#organisation_name" in check
    assert "/profile/edit/description#description_en" in check
    assert "Save profile" in check

    saved = submit("/profile/check", {})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/profile")
    profile = saved_profile(app, CreativeProfile, user)
    assert profile.organisation_name == "Côr y Cwm"
    assert profile.organisation_key == "cor y cwm"
    assert profile.search_text.startswith("cor y cwm a community choir")
    assert {a.slug for a in profile.art_forms} == {"singing", "music"}
    assert {c.condition.slug: c.experience for c in profile.conditions} == {
        "dementia": Experience.SPECIALIST,
        "stroke": Experience.OPEN,
    }
    assert profile.languages == ["en", "cy"]
    assert profile.online and profile.in_person
    assert profile.prescribing_link == PrescribingLink.NONE
    assert profile.access_captions and not profile.access_bsl
    assert profile.directory_consent
    page = client.get("/profile").get_data(as_text=True)
    assert "Your profile has been saved." in page and "Côr y Cwm" in page


def test_change_links_bring_back_the_draft_and_edits_update_in_place(
    app, client, submit, make_user, sign_in, reference_data
):
    user = make_user("creative")
    sign_in(user)
    answers = creative_answers(app)
    all_at_once(submit, answers)
    assert 'value="Côr y Cwm"' in client.get("/profile/edit/about").get_data(as_text=True)
    back = client.get("/profile/edit/description").get_data(as_text=True)
    assert "A community choir for people living with dementia" in back
    submit("/profile/check", {})

    # Change a few answers: the short-term project, a condition's experience, a condition dropped.
    parts, day = future()
    dementia = next(k for k, v in answers.items() if v == "specialist")
    stroke = next(k for k, v in answers.items() if v == "open")
    changed = creative_answers(
        app,
        horizon="short_term",
        project_ends_on=parts,
        prescribing_link="formal",
        **{dementia: "experienced", stroke: "none"},
        directory_consent="",
    )
    changed.pop("directory_consent")
    assert all_at_once(submit, changed).status_code == 302
    assert day.strftime("%Y") in client.get("/profile/check").get_data(as_text=True)
    submit("/profile/check", {})
    profile = saved_profile(app, CreativeProfile, user)
    assert profile.horizon == Horizon.SHORT_TERM and profile.project_ends_on == day
    assert profile.prescribing_link == PrescribingLink.FORMAL
    assert {c.condition.slug: c.experience for c in profile.conditions} == {"dementia": Experience.EXPERIENCED}
    assert not profile.directory_consent


def test_a_fresh_edit_starts_from_the_savedsaved_profile(app, client, submit, make_user, sign_in, reference_data):
    user = make_user("creative")
    sign_in(user)
    all_at_once(submit, creative_answers(app))
    submit("/profile/check", {})
    all_at_once(submit, creative_answers(app, organisation_name="Draft Name"))  # not saved
    page = client.get("/profile/edit", follow_redirects=True).get_data(as_text=True)
    assert "Check your answers" in page  # a saved profile: its answers, each with a Change link
    assert "Côr y Cwm" in page and "Draft Name" not in page


def test_check_without_a_draft_goes_back_to_the_form(client, make_user, sign_in, reference_data):
    sign_in(make_user("creative"))
    response = client.get("/profile/check")
    assert response.status_code == 302 and "/profile/edit" in response.headers["Location"]


def test_a_commissioner_saves_asaved_profile(app, client, submit, make_user, sign_in, reference_data):
    user = make_user("commissioner")
    sign_in(user)
    assert all_at_once(submit, commissioner_answers(app)).status_code == 302
    check = client.get("/profile/check").get_data(as_text=True)
    assert "Anxiety, loneliness and isolation" in check and "Local authority" in check
    submit("/profile/check", {})
    profile = saved_profile(app, CommissionerProfile, user)
    assert profile.job_title == "Wellbeing Commissioner"
    assert {c.slug for c in profile.conditions} == {"loneliness", "dementia"}
    assert [b.slug for b in profile.health_boards] == ["powys"]


def test_a_link_worker_saves_a_profile_in_welsh(app, client, submit, make_user, sign_in, reference_data):
    user = make_user("link_worker", language="cy")
    sign_in(user)
    assert client.get("/profile/edit").headers["Location"].endswith("/profile/edit/about")
    form = client.get("/profile/edit/where").get_data(as_text=True)
    assert "Bwrdd Iechyd Prifysgol Caerdydd a&#39;r Fro" in form
    assert "Eich proffil: cam 2 o 4" in form
    assert all_at_once(submit, link_worker_answers(app)).status_code == 302
    check = client.get("/profile/check").get_data(as_text=True)
    assert "Iechyd meddwl" in check
    submit("/profile/check", {})
    profile = saved_profile(app, LinkWorkerProfile, user)
    assert (profile.employer, profile.gp_cluster, profile.capacity, profile.languages) == (
        "Elmfield Health Centre",
        "City East",
        3,
        ["en", "bsl"],
    )


def test_pending_accounts_can_fill_in_their_profile(client, make_user, sign_in, reference_data):
    sign_in(make_user("link_worker", approved=False))
    assert client.get("/profile/edit", follow_redirects=True).status_code == 200


def test_organisers_have_no_profile_form(client, make_user, sign_in, reference_data):
    sign_in(make_user("organiser"))
    assert client.get("/profile/edit").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/profile/edit")
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]


@pytest.fixture
def saved_creative(app, client, submit, make_user, sign_in, reference_data):
    owner = make_user("creative")
    sign_in(owner)
    all_at_once(submit, creative_answers(app))
    submit("/profile/check", {})
    return saved_profile(app, CreativeProfile, owner)


def test_only_the_owner_and_organisers_can_see_asaved_profile(app, client, make_user, saved_creative):
    url = f"/profile/creative/{saved_creative.id}"
    own = client.get(url)
    assert own.status_code == 200 and "Côr y Cwm" in own.get_data(as_text=True)
    for role in ("creative", "commissioner", "link_worker"):
        assert client_for(app, make_user(role)).get(url).status_code == 404, role
    organiser = client_for(app, make_user("organiser"))
    page = organiser.get(url)
    assert page.status_code == 200 and "Côr y Cwm" in page.get_data(as_text=True)
    assert "/profile/edit" not in page.get_data(as_text=True)  # no Change links for someone else's
    assert organiser.get(f"/profile/commissioner/{saved_creative.id}").status_code == 404
    assert organiser.get("/profile/painter/1").status_code == 404


def test_the_home_page_asks_for_a_profile_until_there_is_one(app, client, submit, make_user, sign_in, reference_data):
    sign_in(make_user("commissioner"))
    assert "Create your profile" in client.get("/").get_data(as_text=True)
    all_at_once(submit, commissioner_answers(app))
    submit("/profile/check", {})
    assert "Create your profile" not in client.get("/").get_data(as_text=True)


def test_a_draft_that_no_longer_fits_the_choices_is_shown_with_the_reason(
    app, client, submit, make_user, sign_in, reference_data
):
    from matchmaker.models import ArtForm

    sign_in(make_user("creative"))
    all_at_once(submit, creative_answers(app))
    with app.app_context():
        db.session.scalar(select(ArtForm).where(ArtForm.slug == "music")).active = False
        db.session.commit()
    response = client.get("/profile/check")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Choose art forms from the list" in page
    assert "CSRF" not in page
    (singing,) = ids(app, ArtForm, "singing")
    assert f'value="{singing}" checked' in page  # the rest of the step's answers kept
    assert 'action="/profile/edit/art-forms"' in page


def test_editing_a_saved_profile_changes_one_step_and_comes_back_to_check(
    app, client, submit, make_user, sign_in, reference_data
):
    user = make_user("commissioner")
    sign_in(user)
    step_by_step(submit, "commissioner", commissioner_answers(app))
    submit("/profile/check", {})
    # Change your profile: the check page with the current answers, a Change link per step.
    response = client.get("/profile/edit")
    assert response.headers["Location"].endswith("/profile/check")
    check = client.get("/profile/check").get_data(as_text=True)
    assert "Wellbeing Commissioner" in check
    for slug in ("about", "conditions", "where"):
        assert f"/profile/edit/{slug}#" in check, slug
    # Change one step: back to the check page (not on to the next step), the rest as it was.
    (stroke,) = ids(app, Condition, "stroke")
    changed = submit("/profile/edit/conditions", {"conditions": [stroke]})
    assert changed.headers["Location"].endswith("/profile/check")
    check = client.get("/profile/check").get_data(as_text=True)
    assert "Stroke" in check and "Wellbeing Commissioner" in check and "Dementia" not in check
    submit("/profile/check", {})
    profile = saved_profile(app, CommissionerProfile, user)
    assert [c.slug for c in profile.conditions] == ["stroke"]
    assert [b.slug for b in profile.health_boards] == ["powys"]
    # The Change links on "Your profile" go to the step too.
    assert "/profile/edit?step=conditions#conditions" in client.get("/profile").get_data(as_text=True)


def test_a_step_refused_keeps_its_answers_on_the_server(app, client, submit, make_user, sign_in, reference_data):
    sign_in(make_user("creative"))
    refused = submit("/profile/edit/about", {"organisation_name": "Côr y Cwm", "website": "not an address"})
    assert refused.status_code == 200 and "There is a problem" in refused.get_data(as_text=True)
    # Leave and come back later: what was typed is still there.
    again = client.get("/profile/edit", follow_redirects=True).get_data(as_text=True)
    assert 'value="Côr y Cwm"' in again and 'value="not an address"' in again
    assert client.get("/profile/edit/nowhere").status_code == 404


def test_hidden_reference_rows_leave_the_form_but_stay_on_saved_profiles(
    app, client, submit, make_user, sign_in, reference_data
):
    from matchmaker.models import Condition

    user = make_user("creative")
    sign_in(user)
    all_at_once(submit, creative_answers(app))
    submit("/profile/check", {})
    with app.app_context():
        stroke = db.session.scalar(select(Condition).where(Condition.slug == "stroke"))
        stroke.active = False
        db.session.commit()
        stroke_id = stroke.id
    page = client.get("/profile/edit/conditions").get_data(as_text=True)
    assert "condition_" in page and f"condition_{stroke_id}" not in page
    profile = saved_profile(app, CreativeProfile, user)
    assert {c.condition.slug for c in profile.conditions} == {"dementia", "stroke"}


@pytest.mark.parametrize("role", ["creative", "commissioner", "link_worker"])
def test_every_question_group_has_a_visible_legend(app, client, make_user, sign_in, reference_data, role):
    import re

    from matchmaker.models import Role
    from matchmaker.profiles.steps import steps_for

    sign_in(make_user(role))
    page = "".join(client.get(f"/profile/edit/{step.slug}").get_data(as_text=True) for step in steps_for(Role(role)))
    fieldsets = page.count('<fieldset class="govuk-fieldset"')
    legends = re.findall(r'<legend class="govuk-fieldset__legend[^"]*">\s*(.*?)\s*</legend>', page, re.S)
    assert fieldsets >= 3
    assert len(legends) == fieldsets
    assert all(re.sub(r"<[^>]+>", "", legend).strip() for legend in legends), legends


def test_the_condition_kind_question_on_the_reference_form_has_its_legend(client, make_user, sign_in, reference_data):
    sign_in(make_user("organiser"))
    page = client.get("/organiser/reference/conditions/new").get_data(as_text=True)
    assert "Is this a health condition or a group of people?" in page


def test_long_answers_wait_on_the_server_not_in_the_cookie(app, client, submit, make_user, sign_in, reference_data):
    """Issue 13: a long profile draft made a 6-8 KB cookie, which browsers drop above 4 KB."""
    from matchmaker.models import SavedAnswers

    user = make_user("creative")
    sign_in(user)
    import random

    words = random.Random(13).choices(["côr", "strôc", "canu", "dawns", "lliw", "llun", "gofal", "cymuned"], k=400)
    long_text = " ".join(f"{w}{i}" for i, w in enumerate(words))  # varied, so the cookie cannot compress it away
    answers = creative_answers(app, description_en=long_text[:990], description_cy=long_text[:990])
    response = all_at_once(submit, answers)
    assert response.headers["Location"].endswith("/profile/check")
    serializer = app.session_interface.get_signing_serializer(app)
    for cookie in [v for n, v in response.headers.items() if n == "Set-Cookie" and v.startswith("session=")]:
        stored = serializer.loads(cookie.split(";")[0].removeprefix("session="))
        assert set(stored) <= {"_user_id", "_fresh", "_id", "csrf_token", "lang", "_flashes"}, set(stored)
        assert len(cookie) < 1000
    check = client.get("/profile/check").get_data(as_text=True)
    assert long_text[:100] in check
    with app.app_context():
        (row,) = db.session.scalars(select(SavedAnswers)).all()
        assert row.user_id == user.id
    assert client.post("/profile/check", data={"csrf_token": csrf_token(check)}).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(SavedAnswers)).all() == []  # saved: the draft is gone


@pytest.mark.parametrize(
    ("role", "answers"),
    [("creative", creative_answers), ("commissioner", commissioner_answers), ("link_worker", link_worker_answers)],
)
def test_every_step_has_a_change_link_on_the_check_page(
    app, client, submit, make_user, sign_in, reference_data, role, answers
):
    from matchmaker.models import Role
    from matchmaker.profiles.steps import steps_for

    sign_in(make_user(role))
    responses = step_by_step(submit, role, answers(app))
    assert all(response.status_code == 302 for response in responses)
    check = client.get("/profile/check").get_data(as_text=True)
    for step in steps_for(Role(role)):
        assert f"/profile/edit/{step.slug}#" in check, step.slug


def test_a_question_added_to_a_step_shows_on_the_check_page_with_no_more_code(app, reference_data):
    """What the engineers adding profile questions rely on: a field in a step's form class is enough."""
    from werkzeug.datastructures import MultiDict

    from matchmaker.profiles.forms import CommissionerAboutForm, CommissionerProfileForm
    from matchmaker.profiles.service import fill_choices, summary
    from matchmaker.web.fields import Radios

    class AboutWithKind(CommissionerAboutForm):
        funder_kind = Radios("Who funds the work?", choices=[("nhs", "The NHS"), ("trust", "A trust")], invalid="x")

    class WholeForm(AboutWithKind, CommissionerProfileForm):
        pass

    with app.test_request_context():
        form = WholeForm(formdata=MultiDict({"funder_kind": "trust"}), meta={"csrf": False})
        fill_choices(form, "en")
        rows = {row.label: row for row in summary(form)}
    assert rows["Who funds the work?"].lines == ["A trust"]
    assert rows["Who funds the work?"].anchor == "funder_kind"
