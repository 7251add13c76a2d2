"""Journeys end to end in Chromium, by keyboard, in English and in Welsh.

Sign up as a link worker, confirm the address from the emailed link, sign in and wait; an
organiser approves the account; the link worker then sees the home page without the notice.
Also: a wrong password, and signing out from the header.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.keyboard import (
    choose_radio,
    focused,
    press_and_wait,
    sign_in_by_keyboard,
    switch_language_by_keyboard,
    tab_to,
)
from tests.helpers import PASSWORD, links_in

LANGUAGES = ["en", "cy"]


def success_banner(page: Any) -> str:
    """The text of the success notification banner."""
    return page.locator(".govuk-notification-banner--success").inner_text()


@pytest.mark.parametrize("language", LANGUAGES)
def test_link_worker_signs_up_confirms_waits_and_is_approved(
    language, browsing, app, make_user, outbox, translate, assert_accessible
):
    worker = browsing.new_page()
    name, email = "Heledd Morgan", f"heledd.{language}@example.org"
    worker.goto("/")
    switch_language_by_keyboard(worker, language)

    # Sign up, by keyboard, from the start button on the home page.
    tab_to(worker, "a.govuk-button--start")
    press_and_wait(worker, "Enter")
    assert worker.evaluate("location.pathname") == "/account/sign-up"
    tab_to(worker, "#name")
    worker.keyboard.type(name)
    tab_to(worker, "#email")
    worker.keyboard.type(email)
    tab_to(worker, "#password")
    worker.keyboard.type("a long enough pass phrase 42")
    choose_radio(worker, "role", "link_worker")
    assert worker.locator(f"input[name=language][value={language}]").is_checked(), "language follows the switch"
    tab_to(worker, "#submit")
    press_and_wait(worker, "Enter")
    worker.wait_for_url("**/account/check-your-email")
    assert worker.locator("h1").inner_text() == translate(language, "Check your email")
    assert email in worker.locator("main").inner_text()

    # Follow the link from the verification email, as it sits in the outbox.
    [message] = outbox(email)
    assert message.subject == translate(language, "Confirm your email address for Cyswllt")
    worker.goto(links_in(message.text_body)[0])
    worker.wait_for_url("**/account/sign-in")
    assert success_banner(worker).strip().endswith(translate(language, "Your email address has been confirmed."))

    # Sign in, by keyboard: the account waits for an organiser.
    sign_in_by_keyboard(worker, email, "a long enough pass phrase 42")
    assert worker.evaluate("location.pathname") == "/"
    waiting = translate(language, "An organiser will check your account soon. We will email you when it is approved.")
    assert worker.locator(".govuk-inset-text").inner_text().strip() == waiting
    worker.goto("/account/awaiting-approval")
    assert worker.locator("h1").inner_text() == translate(language, "Your account is waiting for approval")
    assert worker.locator("html").get_attribute("lang") == language
    assert_accessible(worker, "awaiting")

    # An organiser signs in, opens the approval queue and approves the account.
    make_user("organiser", email=f"trefnydd.{language}@example.org", language=language)
    organiser = browsing.new_page()
    organiser.goto("/account/sign-in")
    switch_language_by_keyboard(organiser, language)
    sign_in_by_keyboard(organiser, f"trefnydd.{language}@example.org", PASSWORD)
    tab_to(organiser, "header a[href='/organiser/accounts']")
    press_and_wait(organiser, "Enter")
    assert organiser.evaluate("location.pathname") == "/organiser/accounts"
    row = organiser.locator("tbody tr", has_text=email)
    assert row.count() == 1, "the new account is in the queue"
    href = row.locator("a").get_attribute("href")
    tab_to(organiser, f"a[href='{href}']")
    press_and_wait(organiser, "Enter")
    assert organiser.evaluate("location.pathname") == href
    assert_accessible(organiser, "approve")
    tab_to(organiser, "form[action$='/approve'] button")
    press_and_wait(organiser, "Space")
    assert organiser.evaluate("location.pathname") == "/organiser/accounts"
    assert success_banner(organiser).strip().endswith(translate(language, "%(name)s has been approved.", name=name))
    assert organiser.locator("tbody tr", has_text=email).count() == 0, "no longer waiting"
    assert [m.subject for m in outbox(email)][-1] == translate(language, "Your Cyswllt account has been approved")

    # The link worker's next page has no waiting notice, and the waiting page sends them home.
    worker.goto("/")
    assert worker.locator("html").get_attribute("lang") == language
    assert worker.locator(".govuk-inset-text", has_text=waiting).count() == 0
    worker.goto("/account/awaiting-approval")
    worker.wait_for_url(lambda url: url.endswith("/"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_wrong_password_shows_a_focused_error_summary_and_keeps_the_email(
    language, page, make_user, translate, assert_accessible
):
    user = make_user("creative", email=f"rhys.{language}@example.org")
    page.goto("/account/sign-in")
    switch_language_by_keyboard(page, language)
    sign_in_by_keyboard(page, user.email, "not the right password at all")

    page.wait_for_function("document.activeElement.classList.contains('govuk-error-summary')")
    assert page.title().startswith(translate(language, "Error:"))
    summary = page.locator(".govuk-error-summary")
    assert translate(language, "Enter a correct email address and password") in summary.inner_text()
    assert page.locator("#email").input_value() == user.email
    assert page.locator("#password").input_value() == ""
    assert_accessible(page, "wrong-password")

    # From the summary, Tab reaches its link and Enter takes the focus to the field.
    page.keyboard.press("Tab")
    assert focused(page, ".govuk-error-summary__list a[href='#email']")
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'email'")

    # Still on the sign-in page, and not signed in.
    assert page.evaluate("location.pathname") == "/account/sign-in"
    assert page.locator("header a[href='/account/sign-in']").count() == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_sign_out_from_the_header_ends_the_session_everywhere(
    language, browsing, make_user, browser_sign_in, translate
):
    user = make_user("creative", language=language)
    page, elsewhere = browsing.new_page(), browsing.new_page()
    browser_sign_in(page, user)
    browser_sign_in(elsewhere, user)
    page.goto("/account/")
    assert page.locator("html").get_attribute("lang") == language, "the signed-in user's language is used"

    tab_to(page, "header form.app-sign-out button")
    press_and_wait(page, "Enter")
    assert page.evaluate("location.pathname") == "/"
    assert success_banner(page).strip().endswith(translate(language, "You have signed out."))
    assert page.locator("html").get_attribute("lang") == language, "signing out keeps the language"
    assert page.locator("header a[href='/account/sign-in']").count() == 1
    assert page.locator("header form.app-sign-out").count() == 0

    for browser_page in (page, elsewhere):
        browser_page.goto("/account/")
        assert browser_page.evaluate("location.pathname + location.search") == "/account/sign-in?next=/account/"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_first_tab_reaches_the_skip_link_which_moves_focus_to_the_content(language, page, translate):
    page.goto("/")
    switch_language_by_keyboard(page, language)
    page.keyboard.press("Tab")
    assert focused(page, "a.govuk-skip-link"), "the skip link comes first"
    assert page.locator("a.govuk-skip-link").inner_text() == translate(language, "Skip to main content")
    assert page.locator("a.govuk-skip-link").is_visible(), "it shows when focused"
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'main-content'")
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main-content').contains(document.activeElement)")
