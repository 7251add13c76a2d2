"""Each role creates its profile in Chromium, in English and in Welsh, mostly by keyboard:
the home page's prompt, the form in short steps (errors shown and fixed, everything else kept),
check your answers with a Change link back to one step, and "Save profile".
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import CommissionerProfile, CreativeProfile, Horizon, LinkWorkerProfile
from tests.browser.keyboard import (
    choose_radio,
    follow_first_error,
    press_and_wait,
    submit_by_keyboard,
    tab_to,
    tick,
    type_into,
)
from tests.helpers import saved_profile

LANGUAGES = ["en", "cy"]


def start_from_home(page: Any, language: str) -> None:
    """The home page prompts for a profile; follow the prompt by keyboard."""
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == language
    tab_to(page, "main a[href^='/profile/edit']")
    press_and_wait(page, "Enter")
    assert page.evaluate("location.pathname") == "/profile/edit/about"


def next_step(page: Any, slug: str) -> None:
    """Continue by keyboard and land on the next step."""
    submit_by_keyboard(page)
    assert page.evaluate("location.pathname") == f"/profile/edit/{slug}", page.evaluate("location.pathname")


def save_profile(page: Any, translate: Any, language: str, then: str = "/profile") -> None:
    """On check your answers: press "Save profile", land on then and see the success banner."""
    assert page.evaluate("location.pathname") == "/profile/check"
    tab_to(page, "main form button")
    press_and_wait(page, "Enter")
    assert page.evaluate("location.pathname") == then
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert translate(language, "Your profile has been saved.") in banner


def saved(app: Any, model: Any, user: Any) -> Any:
    """The user's saved profile, loaded with what the assertions read."""
    profile = saved_profile(app, model, user)
    assert profile is not None
    return profile


def reference_id(app: Any, model: Any, slug: str) -> str:
    """A reference row's id as the form uses it."""
    with app.app_context():
        return str(db.session.scalar(select(model.id).where(model.slug == slug)))


@pytest.mark.parametrize("language", LANGUAGES)
def test_creative_creates_a_profile_by_keyboard(
    language, page, app, make_user, reference_data, browser_sign_in, assert_accessible, translate
):
    from matchmaker.models import ArtForm, Condition, HealthBoard

    user = make_user("creative", language=language)
    browser_sign_in(page, user)
    start_from_home(page, language)
    assert_accessible(page, f"creative-form-{language}")

    step_one = translate(language, "Your profile: step %(number)d of %(total)d", number=1, total=7)
    assert step_one in page.locator("main").inner_text()
    type_into(page, "#organisation_name", "Gŵyl Fach y Glannau")
    choose_radio(page, "organisation_kind", "community_group")
    type_into(page, "#website", "glannau.example.org")  # no https:// yet: the step will say so
    submit_by_keyboard(page)

    # The website is refused; the rest of the step is still there; the summary link takes us to the field.
    assert page.title().startswith(translate(language, "Error:"))
    assert follow_first_error(page) == "website"
    assert page.locator("#organisation_name").input_value() == "Gŵyl Fach y Glannau"
    assert_accessible(page, f"creative-errors-{language}")
    page.keyboard.press("Control+A")
    page.keyboard.type("https://glannau.example.org")
    next_step(page, "conditions")

    loneliness = reference_id(app, Condition, "loneliness")
    choose_radio(page, f"condition_{loneliness}", "specialist")
    choose_radio(page, f"condition_{reference_id(app, Condition, 'dementia')}", "open")
    assert_accessible(page, f"creative-conditions-{language}")
    next_step(page, "art-forms")
    tick(page, "art_forms", reference_id(app, ArtForm, "music"))
    tick(page, "art_forms", reference_id(app, ArtForm, "storytelling"))
    tick(page, "delivery", "in_person")
    next_step(page, "where")
    tick(page, "health_boards", reference_id(app, HealthBoard, "swansea-bay"))
    tick(page, "languages", "en")
    tick(page, "languages", "cy")
    next_step(page, "work")
    choose_radio(page, "prescribing_link", "none")
    choose_radio(page, "horizon", "short_term")
    ends = date.today() + timedelta(days=120)
    type_into(page, "#project_ends_on-day", str(ends.day))
    type_into(page, "#project_ends_on-month", str(ends.month))
    type_into(page, "#project_ends_on-year", str(ends.year))
    tick(page, "access", "breaks")
    next_step(page, "description")

    # Welsh and English on an equal footing: the reader's own language comes first, either will do.
    ids = page.locator("main textarea").evaluate_all("areas => areas.map(a => a.id)")
    assert ids == (["description_cy", "description_en"] if language == "cy" else ["description_en", "description_cy"])
    submit_by_keyboard(page)  # neither given
    assert follow_first_error(page) == f"description_{language}"
    type_into(page, "#description_cy", "Cerddoriaeth a straeon ger y môr.")
    type_into(page, "#description_en", "Music and storytelling by the sea for people who feel alone.")
    assert_accessible(page, f"creative-description-{language}")
    next_step(page, "directory")
    tab_to(page, "#directory_consent")
    page.keyboard.press("Space")
    submit_by_keyboard(page)

    # Check your answers, then change the name through its Change link: that one step, then back here.
    assert page.evaluate("location.pathname") == "/profile/check"
    assert "Gŵyl Fach y Glannau" in page.locator(".govuk-summary-list").inner_text()
    assert_accessible(page, f"creative-check-{language}")
    tab_to(page, "a[href$='#organisation_name']")
    press_and_wait(page, "Enter")
    assert page.evaluate("location.pathname") == "/profile/edit/about"
    assert page.locator("#website").input_value() == "https://glannau.example.org"
    type_into(page, "#organisation_name", "Gŵyl y Glannau")
    submit_by_keyboard(page)
    assert page.evaluate("location.pathname") == "/profile/check"
    summary = page.locator(".govuk-summary-list").inner_text()
    assert "Gŵyl y Glannau" in summary and "Cerddoriaeth a straeon ger y môr." in summary
    save_profile(page, translate, language)
    assert "Gŵyl y Glannau" in page.locator(".govuk-summary-list").inner_text()

    profile = saved(app, CreativeProfile, user)
    assert profile.organisation_name == "Gŵyl y Glannau"
    assert profile.website == "https://glannau.example.org"
    assert profile.horizon == Horizon.SHORT_TERM and profile.project_ends_on == ends
    assert {c.condition.slug: c.experience.value for c in profile.conditions} == {
        "loneliness": "specialist",
        "dementia": "open",
    }
    assert profile.in_person and not profile.online and profile.directory_consent
    assert profile.languages == ["en", "cy"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_commissioner_creates_a_profile(
    language, page, app, make_user, reference_data, browser_sign_in, assert_accessible, translate
):
    from matchmaker.models import Condition, HealthBoard

    user = make_user("commissioner", language=language)
    browser_sign_in(page, user)
    start_from_home(page, language)
    type_into(page, "#organisation", "Cyngor Sir Glan Eithin")
    choose_radio(page, "organisation_kind", "local_authority")
    submit_by_keyboard(page)  # job title missing
    assert follow_first_error(page) == "job_title"
    assert page.locator("#organisation").input_value() == "Cyngor Sir Glan Eithin"
    type_into(page, "#job_title", "Wellbeing Commissioner")
    next_step(page, "conditions")
    tick(page, "conditions", reference_id(app, Condition, "stroke"))
    next_step(page, "where")
    tick(page, "health_boards", reference_id(app, HealthBoard, "hywel-dda"))
    tick(page, "languages", "cy")
    submit_by_keyboard(page)
    assert_accessible(page, f"commissioner-check-{language}")
    save_profile(page, translate, language, then="/bookings/")  # from the home page's "create, then request"
    profile = saved(app, CommissionerProfile, user)
    assert (profile.organisation, profile.job_title, profile.languages) == (
        "Cyngor Sir Glan Eithin",
        "Wellbeing Commissioner",
        ["cy"],
    )
    assert [c.slug for c in profile.conditions] == ["stroke"]
    # The prompt has gone from the home page.
    page.goto("/")
    assert page.locator("main a[href='/profile/edit']").count() == 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_link_worker_creates_a_profile(
    language, page, app, make_user, reference_data, browser_sign_in, assert_accessible, translate
):
    from matchmaker.models import Condition, HealthBoard

    user = make_user("link_worker", language=language)
    browser_sign_in(page, user)
    start_from_home(page, language)
    type_into(page, "#employer", "Meddygfa Glyn Coch")
    next_step(page, "where")
    choose_radio(page, "health_board", reference_id(app, HealthBoard, "cwm-taf-morgannwg"))
    tick(page, "languages", "en")
    next_step(page, "conditions")
    tick(page, "conditions", reference_id(app, Condition, "mental-health"))
    next_step(page, "sessions")
    type_into(page, "#capacity", "25")
    submit_by_keyboard(page)
    assert follow_first_error(page) == "capacity"
    page.keyboard.press("Control+A")
    page.keyboard.type("4")
    submit_by_keyboard(page)
    assert_accessible(page, f"link-worker-check-{language}")
    save_profile(page, translate, language)
    profile = saved(app, LinkWorkerProfile, user)
    assert (profile.employer, profile.capacity, profile.gp_cluster) == ("Meddygfa Glyn Coch", 4, "")


@pytest.mark.parametrize("role", ["creative", "commissioner", "link_worker"])
def test_every_profile_step_fits_a_phone(role, page, app, make_user, reference_data, browser_session):
    """Each step, and each with its errors shown: no horizontal scrolling at 375 px, in both languages."""
    from matchmaker.models import Role
    from matchmaker.profiles.steps import steps_for

    user = make_user(role, name="Gwen Prydderch")
    browser_session(page, user)
    page.set_viewport_size({"width": 375, "height": 800})

    def fits(where: str) -> None:
        widths = page.evaluate("() => [document.documentElement.scrollWidth, document.body.scrollWidth]")
        assert max(widths) <= 375, f"{where} is {max(widths)} px wide"

    for language in ("en", "cy"):
        for step in steps_for(Role(role)):
            page.goto(f"/profile/edit/{step.slug}")
            if page.locator("html").get_attribute("lang") != language:
                press_and_wait_click(page, f"header a[hreflang={language}]")
            fits(f"{step.slug} ({language})")
            press_and_wait_click(page, "main form button[type=submit]")  # empty: errors, or on to the next
            fits(f"{step.slug} after continuing ({language})")


def press_and_wait_click(page: Any, selector: str) -> None:
    """Click and wait for the next page."""
    with page.expect_navigation():
        page.locator(selector).click()
