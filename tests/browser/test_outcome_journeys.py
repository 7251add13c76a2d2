"""Journeys in Chromium, in English and in Welsh, with axe-core on each page: an organiser marks who came;
a creative answers a follow-up from the link in the email; a commissioner reads their health board's report."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.keyboard import choose_radio, submit_by_keyboard, tab_to, tick, type_into
from tests.browser.outcome_pages import past_round
from tests.browser.visits import Setup
from tests.helpers import links_in

LANGUAGES = ["en", "cy"]


def _marks(app: Any, session_id: int) -> dict[int, bool]:
    from matchmaker.extensions import db
    from matchmaker.models import AttendanceMark

    with app.app_context():
        return {m.user_id: m.attended for m in db.session.query(AttendanceMark).filter_by(session_id=session_id)}


def _user(app: Any, user_id: int) -> Any:
    from matchmaker.extensions import db
    from matchmaker.models import User

    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


@pytest.mark.parametrize("language", LANGUAGES)
def test_organiser_marks_who_came(
    language, page, app, make_user, live_server, browser_session, assert_accessible, translate
):
    organiser = make_user("organiser", name="Siân Prydderch", language=language)
    setup = Setup(app=app, user=organiser, make_user=make_user)
    built = past_round(setup)
    s1 = built.sessions["S1"]
    browser_session(page, organiser)
    page.goto(f"{live_server}/organiser/rounds/{built.round_id}")
    with page.expect_navigation():
        page.locator(f"main a[href='/organiser/rounds/{built.round_id}/attendance']").click()
    assert page.locator("h1").inner_text() == translate(language, "Who came to the sessions")
    assert_accessible(page, f"attendance-round-{language}")
    with page.expect_navigation():
        page.locator(f"main a[href='/organiser/sessions/{s1}/attendance']").click()
    assert_accessible(page, f"checklist-{language}")
    # l1 was marked absent; they did come after all. Keyboard only.
    l1 = built.people["l1"]
    assert page.locator(f"input[name='attended-{l1}'][value='no']").is_checked()
    choose_radio(page, f"attended-{l1}", "yes")
    submit_by_keyboard(page)
    banner = page.locator(".govuk-notification-banner--success")
    assert translate(language, "Attendance saved.") in banner.inner_text()
    assert _marks(app, s1)[l1] is True
    assert_accessible(page, f"attendance-saved-{language}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_creative_answers_a_follow_up_from_the_email(
    language, page, app, make_user, live_server, assert_accessible, translate, outbox
):
    from matchmaker.followups.service import send_due

    setup = Setup(app=app, user=None, make_user=make_user)
    built = past_round(setup, answers=False, language=language)
    with app.app_context():
        assert send_due() == 4
    message = next(m for m in outbox(to="autumn-c2@example.org") if m.key.startswith("follow-up:"))
    path = next(p for p in links_in(message.text_body) if p.startswith("/follow-up/"))
    page.goto(live_server + path)
    assert page.locator("html").get_attribute("lang") == language  # the email's language, not signed in
    assert page.locator("h1").inner_text() == translate(language, "What has happened since?")
    assert_accessible(page, f"follow-up-{language}")
    choose_radio(page, "attended", "yes")
    tick(page, "outcomes", "contact_exchanged")
    tick(page, "outcomes", "taster_planned")
    type_into(page, "#note", "Cawsom sgwrs dda." if language == "cy" else "A very useful conversation.")
    tab_to(page, "input[name='quote_consent']")
    page.keyboard.press("Space")
    submit_by_keyboard(page)
    banner = page.locator(".govuk-notification-banner--success")
    assert banner.is_visible()
    assert_accessible(page, f"follow-up-saved-{language}")
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import FollowUp

    with app.app_context():
        saved = db.session.scalar(select(FollowUp).where(FollowUp.user_id == built.people["c2"]))
        assert saved.outcomes == ["contact_exchanged", "taster_planned"] and saved.quote_consent
    # The same link again: the answers are there, to change.
    page.goto(live_server + path)
    assert page.locator("input[name='outcomes'][value='taster_planned']").is_checked()


@pytest.mark.parametrize("language", LANGUAGES)
def test_commissioner_reads_their_health_boards_report(
    language, page, app, make_user, live_server, browser_session, assert_accessible, translate
):
    setup = Setup(app=app, user=None, make_user=make_user)
    built = past_round(setup, language=language)
    commissioner = _user(app, built.people["m1"])  # Cardiff and Vale
    browser_session(page, commissioner)
    page.goto(f"{live_server}/")
    with page.expect_navigation():
        page.locator("header a[href='/organiser/reach']").click()
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").inner_text() == translate(language, "Reach and outcomes")
    main = page.locator("main").inner_text()
    assert translate(language, "fewer than 5") in main
    assert "Hywel Dda" not in main
    assert page.locator("main svg[role=img]").count() == 13
    assert page.locator("main table").count() >= 10
    assert_accessible(page, f"commissioner-report-{language}")
    # Every chart is labelled by its title and described by its summary sentence.
    first = page.locator("main svg[role=img]").first
    labelled = first.get_attribute("aria-labelledby").split()
    assert page.locator(f"#{labelled[1]}").text_content() == page.locator(".app-reach__summary").first.inner_text()
    with page.expect_download() as download:
        tab_to(page, "main a[href^='/organiser/reach/funnel.csv']")
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.startswith("cyswllt-reach-funnel-")
