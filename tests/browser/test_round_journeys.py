"""Journeys in Chromium for rounds: an organiser builds and opens a round; a creative registers by keyboard.

Both in English and in Welsh. The creative uses the availability grid with the keyboard only,
including a shortcut button ("all of this week"), and axe-core checks each page on the way.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from tests.browser.data import round_with_registrations, with_profile
from tests.browser.keyboard import focused, press_and_wait, tab_to, type_into
from tests.browser.visits import Setup

LANGUAGES = ["en", "cy"]


def _switch(page: Any, language: str) -> None:
    """Use the header's language link unless the page is already in that language."""
    if page.locator("html").get_attribute("lang") != language:
        with page.expect_navigation():
            page.locator(f"header a[hreflang={language}]").click()
    assert page.locator("html").get_attribute("lang") == language


def _date(page: Any, name: str, day: str, month: str, year: str) -> None:
    """Fill a GOV.UK date input (three boxes sharing one name)."""
    page.locator(f"#{name}").fill(day)
    page.locator(f"#{name}-month").fill(month)
    page.locator(f"#{name}-year").fill(year)


@pytest.mark.parametrize("language", LANGUAGES)
def test_organiser_creates_a_round_adds_slots_from_a_pattern_and_opens_it(
    language, page, app, make_user, browser_session, live_server, reference_data, assert_accessible
):
    organiser = make_user("organiser", name="Siân Prydderch", language=language)
    browser_session(page, organiser)
    page.goto(f"{live_server}/organiser/rounds/new")
    _switch(page, language)
    page.locator("#title_en").fill("Autumn round")
    page.locator("#title_cy").fill("Rownd yr hydref")
    _date(page, "opens_on", "1", "9", "2027")
    _date(page, "closes_on", "30", "9", "2027")
    page.locator("input[name=conditions]").nth(1).check()  # stroke
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").click()
    assert page.locator(".govuk-notification-banner--success").is_visible()
    round_path = page.evaluate("location.pathname")
    assert_accessible(page, f"round-created-{language}")

    page.locator(f"a[href='{round_path}/slots/pattern']").first.click()
    page.wait_for_load_state()
    _date(page, "first_day", "25", "10", "2027")
    _date(page, "last_day", "5", "11", "2027")
    page.locator("input[name=weekdays][value=fri]").uncheck()
    page.locator("#start_times").fill("10:00, 11:00, 14:00")
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").first.click()
    assert page.locator("#slots-preview").is_visible()
    assert page.locator("#start_times").input_value() == "10:00, 11:00, 14:00"  # kept for changes
    assert_accessible(page, f"pattern-preview-{language}")
    with page.expect_navigation():
        page.locator("main form[method=post]").last.locator("button").click()

    from matchmaker.extensions import db
    from matchmaker.models import Round

    with app.app_context():
        round_ = db.session.scalars(select(Round).where(Round.title_en == "Autumn round")).one()
        starts = [s.starts_at for s in round_.slots]
        assert len(starts) == 24  # 8 weekdays (Mon-Thu over two weeks) x 3 times
        # Monday 25 October is in summer time, Monday 1 November is not: both 10:00 in Wales.
        assert datetime(2027, 10, 25, 9, tzinfo=UTC) in starts
        assert datetime(2027, 11, 1, 10, tzinfo=UTC) in starts

    with page.expect_navigation():
        page.locator(f"form[action='{round_path}/open'] button").click()
    assert page.locator(".govuk-notification-banner--success").is_visible()
    assert page.locator("h1 .govuk-tag--green").is_visible()
    with app.app_context():
        assert db.session.scalars(select(Round).where(Round.title_en == "Autumn round")).one().status.value == "open"


@pytest.mark.parametrize("language", LANGUAGES)
def test_creative_registers_interest_with_the_keyboard(
    language, page, app, make_user, browser_session, live_server, outbox, assert_accessible
):
    setup = Setup(app=app, user=None, make_user=make_user)
    round_id = round_with_registrations(setup)
    creative = make_user("creative", name="Gwenllian Puw", language=language)
    with_profile(setup, creative)
    browser_session(page, creative)
    page.goto(f"{live_server}/rounds/")
    _switch(page, language)
    with page.expect_navigation():
        page.locator(f"a[href='/rounds/{round_id}/interest']").click()
    assert_accessible(page, f"register-{language}")

    # Conditions: tab to the first one, tick it with Space, choose "main interest" with the arrows.
    tab_to(page, "input[name=conditions]")
    page.keyboard.press("Space")
    stroke_name = page.locator("input[name=conditions]").first.get_attribute("value")
    tab_to(page, f"input[name=strength-{stroke_name}]")  # lands on the suggested strength (2)
    for _ in range(3):
        if focused(page, f"input[name=strength-{stroke_name}][value='3']"):
            break
        page.keyboard.press("ArrowUp")
    page.keyboard.press("Space")
    assert page.locator(f"input[name=strength-{stroke_name}][value='3']").is_checked()

    # The grid: the shortcut for the first week is a real button, reached by Tab and pressed with Enter.
    tab_to(page, "button[data-select=week]", limit=120)
    page.keyboard.press("Enter")
    first_week = page.locator(".app-availability__week").first.locator("input[name=slots]")
    assert first_week.count() == 6
    assert all(first_week.nth(i).is_checked() for i in range(first_week.count()))
    assert page.locator(".app-availability__status").inner_text().strip().endswith("6")
    # Untick one with Space: keyboard users can adjust what the shortcut chose.
    tab_to(page, "input[name=slots]")
    assert focused(page, "#slots")
    page.keyboard.press("Space")
    assert not page.locator("#slots").is_checked()

    type_into(page, "#max_sessions", "2")
    press_and_wait(page, "Enter")
    assert page.evaluate("location.pathname") == f"/rounds/{round_id}/interest/check"
    assert_accessible(page, f"check-{language}")
    tab_to(page, "main form[method=post] button[type=submit]", limit=60)
    press_and_wait(page, "Enter")
    assert page.locator(".govuk-notification-banner--success").is_visible()

    from matchmaker.extensions import db
    from matchmaker.models import Registration

    with app.app_context():
        registration = db.session.scalars(select(Registration).where(Registration.user_id == creative.id)).one()
        assert len(registration.slots) == 5
        assert {rc.strength for rc in registration.conditions} == {3}
        assert registration.max_sessions == 2
    (email,) = outbox(to=creative.email)
    expected = "10yb ddydd Mawrth 2 Mawrth 2027" if language == "cy" else "10am on Tuesday 2 March 2027"
    assert expected in email.text_body


def test_registration_form_works_without_javascript(browser, live_server, app, make_user, browser_session):
    """With JavaScript off the shortcut buttons stay hidden and the plain checkboxes still work."""
    setup = Setup(app=app, user=None, make_user=make_user)
    round_id = round_with_registrations(setup)
    creative = make_user("creative")
    with_profile(setup, creative)
    context = browser.new_context(java_script_enabled=False, base_url=live_server)
    try:
        page = context.new_page()
        browser_session(page, creative)
        page.goto(f"/rounds/{round_id}/interest")
        assert not page.locator("button[data-select=week]").first.is_visible()
        page.locator("input[name=conditions]").first.check()
        page.locator("input[name^=strength-][value='2']").first.check()
        page.locator("#slots").check()
        with page.expect_navigation():
            page.locator("main form[method=post] button[type=submit]").click()
        assert page.evaluate("location.pathname").endswith("/interest/check")
    finally:
        context.close()
