"""Journey in Chromium, in English and in Welsh: a commissioner finds a session with room from the
header, filters the list, loses the last place to someone quicker, and joins another session from
the page that says so; axe-core checks each page on the way.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.joining_pages import give_profile, sessions_with_room
from tests.browser.keyboard import press_and_wait, tab_to
from tests.browser.visits import Setup

LANGUAGES = ["en", "cy"]


def _take_place(app: Any, user: Any, session_id: int) -> None:
    """Someone else takes a place, as the site would (their own request)."""
    from matchmaker.extensions import db
    from matchmaker.joining import service
    from matchmaker.models import User

    with app.test_request_context():
        assert service.join(db.session.get(User, user.id), session_id).refusal is None


def _attending(app: Any, session_id: int) -> set[int]:
    """Ids of the people currently in the session."""
    from matchmaker.extensions import db
    from matchmaker.models import ConsultationSession

    with app.app_context():
        return {a.user_id for a in db.session.get(ConsultationSession, session_id).attendees if a.is_current}


@pytest.mark.parametrize("language", LANGUAGES)
def test_commissioner_joins_a_session_with_room(
    language, page, app, make_user, live_server, browser_session, assert_accessible, translate, outbox
):
    commissioner = make_user("commissioner", name="Eleri Davies", language=language)
    setup = Setup(app=app, user=commissioner, make_user=make_user)
    sessions = sessions_with_room(setup)
    give_profile(setup, commissioner)
    quicker = make_user("commissioner", name="Huw Jenkins")
    give_profile(setup, quicker)

    # From the home page: "Join a session that has room".
    browser_session(page, commissioner)
    page.goto(f"{live_server}/")
    with page.expect_navigation():
        page.locator("main a[href='/join']").click()
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").inner_text() == translate(language, "Join a session")
    assert page.locator("main form[action^='/join/']").count() == 3
    assert_accessible(page, f"join-list-{language}")

    # Filter to stroke by keyboard: one session, with one place left for a commissioner.
    page.locator("#condition").select_option("stroke")
    tab_to(page, "main form[method=get] button")
    press_and_wait(page, "Enter")
    assert page.locator("main form[action^='/join/']").count() == 1
    assert translate(language, "%(num)d place left for a commissioner", num=1) in page.locator("main").inner_text()
    assert_accessible(page, f"join-filtered-{language}")

    # Someone else is quicker: the kind message, and other sessions to join in one click.
    _take_place(app, quicker, sessions["stroke"])
    with page.expect_navigation():
        page.locator(f"main form[action='/join/{sessions['stroke']}'] button").click()
    assert page.locator("h1").inner_text() == translate(language, "Someone else has just taken the last place")
    assert (
        translate(language, "Sorry, someone else has just taken the last place for a commissioner in this session.")
        in page.locator("#refusal-reason").inner_text()
    )
    assert commissioner.id not in _attending(app, sessions["stroke"])
    assert_accessible(page, f"join-taken-{language}")

    # Join the dementia session from there: the confirmation, and the invitation queued.
    tab_to(page, f"main form[action='/join/{sessions['dementia']}'] button")
    press_and_wait(page, "Enter")
    assert page.url.endswith(f"/join/{sessions['dementia']}/joined")
    assert page.locator("h1").inner_text() == translate(language, "You have joined the session")
    assert commissioner.id in _attending(app, sessions["dementia"])
    assert [m.calendar_method for m in outbox(commissioner.email)] == ["REQUEST"]
    assert_accessible(page, f"joined-{language}")
