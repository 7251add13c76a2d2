"""Journey in Chromium, in English and in Welsh: a creative accepts from the email link, then
declines from "My sessions"; axe-core checks each page on the way.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.invite_pages import published_session, rsvp_path
from tests.browser.keyboard import press_and_wait, tab_to
from tests.browser.visits import Setup

LANGUAGES = ["en", "cy"]


def _answer(app: Any, user_id: int) -> str:
    """The person's stored answer (PARTSTAT)."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import SessionAttendee

    with app.app_context():
        return db.session.scalar(select(SessionAttendee.partstat).where(SessionAttendee.user_id == user_id)).value


@pytest.mark.parametrize("language", LANGUAGES)
def test_creative_accepts_from_the_email_then_declines_on_the_site(
    language, page, app, make_user, live_server, browser_session, assert_accessible, translate
):
    creative = make_user("creative", name="Siân Ŵyn Jones", language=language)
    setup = Setup(app=app, user=creative, make_user=make_user)
    published_session(setup, creative, language)

    # The link from the email, opened without signing in: it asks first, in the email's language.
    page.goto(live_server + rsvp_path(setup, creative.id, "accept"))
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").inner_text() == translate(language, "Confirm you can come")
    assert _answer(app, creative.id) == "NEEDS-ACTION"  # opening the link changed nothing
    assert_accessible(page, f"accept-link-{language}")
    tab_to(page, "main form[method=post] button[type=submit]")
    press_and_wait(page, "Enter")
    banner = page.locator(".govuk-notification-banner--success")
    assert banner.is_visible()
    assert translate(language, "Thank you. We have told the organisers you are coming.") in banner.inner_text()
    assert _answer(app, creative.id) == "ACCEPTED"
    assert_accessible(page, f"accepted-{language}")

    # Later, signed in: "My sessions" from the header, then "No, I cannot come".
    browser_session(page, creative)
    page.goto(f"{live_server}/")
    with page.expect_navigation():
        page.locator("header a[href='/sessions']").click()
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("main").get_by_text("Priya Shah").count() == 1
    assert_accessible(page, f"my-sessions-{language}")
    with page.expect_navigation():
        page.locator("main a[href$='/decline']").click()
    assert_accessible(page, f"confirm-decline-{language}")
    decline = page.locator("main form[action$='/decline'] button[type=submit]")
    with page.expect_navigation():
        decline.click()
    banner = page.locator(".govuk-notification-banner--success")
    assert translate(language, "Thank you for letting us know. We have taken the session out of your calendar.") in (
        banner.inner_text()
    )
    assert _answer(app, creative.id) == "DECLINED"
    assert page.locator("main a[href$='/decline']").count() == 0
    assert_accessible(page, f"declined-{language}")
