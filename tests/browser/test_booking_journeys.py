"""Journeys in Chromium for requests: a commissioner requests a session, changes it and cancels it;
a request that cannot be met is refused at once with the reason, and accepted once the profile is fixed.

In English and in Welsh, with axe-core on each page on the way; "Any slot in this week" is the
one way to pick a whole week (static/js/booking-slots.js ticks that week's slots as well).
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.browser.data import profile, round_with_registrations, staff_round, with_profile
from tests.browser.visits import Setup

LANGUAGES = ["en", "cy"]
SUBMIT = "main form[method=post] button[type=submit]"


def _switch(page: Any, language: str) -> None:
    """Use the header's language link unless the page is already in that language."""
    if page.locator("html").get_attribute("lang") != language:
        with page.expect_navigation():
            page.locator(f"header a[hreflang={language}]").click()
    assert page.locator("html").get_attribute("lang") == language


def _click_and_wait(page: Any, selector: str) -> None:
    """Click a link or button that loads another page."""
    with page.expect_navigation():
        page.locator(selector).first.click()


def _booking(app: Any, user_id: int) -> Any:
    """The commissioner's one booking, with its slots loaded."""
    from sqlalchemy.orm import selectinload

    from matchmaker.extensions import db
    from matchmaker.models import Booking

    with app.app_context():
        booking = db.session.scalars(
            select(Booking)
            .where(Booking.commissioner_id == user_id)
            .options(selectinload(Booking.slots), selectinload(Booking.wants_to_meet))
        ).one()
        db.session.expunge(booking)
        return booking


@pytest.mark.parametrize("language", LANGUAGES)
def test_commissioner_requests_changes_and_cancels_a_session(
    language, page, app, make_user, browser_sign_in, live_server, assert_accessible, translate, outbox
):
    commissioner = make_user("commissioner", name="Alun Pritchard", language=language)
    setup = Setup(app=app, user=commissioner, make_user=make_user)
    round_id = round_with_registrations(setup)  # open; slots on 1, 2, 3, 8, 9 and 29 March; Welsh speakers registered
    staff_round(setup, round_id)
    with_profile(setup)
    browser_sign_in(page, commissioner)

    # From the header to the request form.
    page.goto(f"{live_server}/")
    _switch(page, language)
    _click_and_wait(page, "header a[href='/bookings/']")
    assert page.locator("h1").inner_text() == translate(language, "Request a session")
    assert_accessible(page, f"your-bookings-{language}")
    _click_and_wait(page, f"main a[href='/bookings/rounds/{round_id}/new']")
    assert page.locator("h1").inner_text() == translate(language, "Request a session")

    # One way to pick a whole week: "Any slot in this week" (JavaScript ticks its slots too).
    first_week = page.locator("[data-module='app-slot-week']").first
    assert first_week.locator("button").count() == 0
    page.locator("input[name=weeks]").first.check()
    assert first_week.locator("input.app-slot-week__slot:checked").count() == 6  # 1, 2 and 3 March, twice a day
    page.locator("#condition").check()  # stroke
    page.locator("input[name=language][value=cy]").check()
    page.locator("#health_board").select_option(index=5)
    page.locator("#purpose").fill("Sut mae canu yn helpu pobl ar ôl strôc")
    page.locator("details.govuk-details summary").click()
    page.locator("#organisations").check()
    assert_accessible(page, f"request-form-{language}")
    _click_and_wait(page, SUBMIT)

    # Check your answers, then send.
    assert page.locator("h1").inner_text() == translate(language, "Check your request")
    assert page.locator(".govuk-summary-list").inner_text().count("2027") == 6
    assert "Sut mae canu yn helpu pobl ar ôl strôc" in page.locator("main").inner_text()
    assert_accessible(page, f"request-check-{language}")
    _click_and_wait(page, SUBMIT)
    assert page.locator(".govuk-notification-banner--success").is_visible()
    assert page.locator(".govuk-tag").first.inner_text().strip() == translate(language, "Requested")
    assert_accessible(page, f"booking-page-{language}")
    booking = _booking(app, commissioner.id)
    assert (booking.status.value, booking.language, len(booking.slots)) == ("requested", "cy", 6)
    assert len(booking.wants_to_meet) == 1 and booking.health_board_id is not None
    [mail] = outbox(commissioner.email)
    assert "Alun Pritchard" in mail.text_body

    # Change: fewer slots and another purpose.
    _click_and_wait(page, f"main a[href='/bookings/{booking.id}/change']")
    assert page.locator("#purpose").input_value() == "Sut mae canu yn helpu pobl ar ôl strôc"
    for box in page.locator("input.app-slot-week__slot").all():
        box.uncheck()  # clear the first week
    assert page.locator("input.app-slot-week__slot:checked").count() == 0
    page.locator("input[name=slots]").nth(6).check()  # Monday 8 March, 10am
    page.locator("#purpose").fill("Dawns i bobl â dementia")
    _click_and_wait(page, SUBMIT)
    assert "Dawns i bobl â dementia" in page.locator("main").inner_text()
    assert_accessible(page, f"change-check-{language}")
    _click_and_wait(page, SUBMIT)
    assert page.locator(".govuk-notification-banner--success").is_visible()
    booking = _booking(app, commissioner.id)
    assert (len(booking.slots), booking.purpose) == (1, "Dawns i bobl â dementia")

    # Cancel.
    _click_and_wait(page, f"main a[href='/bookings/{booking.id}/cancel']")
    assert_accessible(page, f"cancel-{language}")
    _click_and_wait(page, SUBMIT)
    assert page.locator(".govuk-tag").first.inner_text().strip() == translate(language, "Cancelled")
    assert page.locator(f"main a[href='/bookings/{booking.id}/cancel']").count() == 0
    assert _booking(app, commissioner.id).status.value == "cancelled"
    assert len(outbox(commissioner.email)) == 3


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refused_request_keeps_what_was_typed_and_says_how_to_fix_it(
    language, page, app, make_user, browser_session, live_server, assert_accessible, translate
):
    commissioner = make_user("commissioner", name="Nia Jones", language=language)
    setup = Setup(app=app, user=commissioner, make_user=make_user)
    round_id = round_with_registrations(setup)
    with_profile(setup)
    browser_session(page, commissioner)
    page.goto(f"{live_server}/bookings/rounds/{round_id}/new")
    _switch(page, language)
    page.locator("#purpose").fill("Cerddoriaeth")
    _click_and_wait(page, SUBMIT)
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert translate(language, "Select at least one slot that suits you, or a whole week") in summary.inner_text()
    assert page.locator("#purpose").input_value() == "Cerddoriaeth"
    summary.locator("a[href='#slots']").click()
    assert page.evaluate("document.activeElement.id") == "slots"
    assert_accessible(page, f"refused-{language}")


def _narrow_profile(user_id: int) -> None:
    """Turn the commissioner's profile into stroke only, English only (inside an app context)."""
    from matchmaker.extensions import db
    from matchmaker.models import CommissionerProfile, Condition

    profile = db.session.scalars(select(CommissionerProfile).where(CommissionerProfile.user_id == user_id)).one()
    profile.conditions = [db.session.scalars(select(Condition).where(Condition.slug == "stroke")).one()]
    profile.languages = ["en"]
    profile.job_title = "Rheolwr comisiynu"
    db.session.commit()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_request_that_cannot_be_met_is_refused_at_once_then_accepted_after_fixing_the_profile(
    language, page, app, make_user, browser_session, live_server, assert_accessible, translate, outbox
):
    from matchmaker.extensions import db
    from matchmaker.models import Condition, User

    commissioner = make_user("commissioner", name="Llinos Parry", language=language)
    setup = Setup(app=app, user=commissioner, make_user=make_user)
    round_id = round_with_registrations(setup)
    staff_round(setup, round_id)
    setup.run(lambda: profile(db.session.get(User, commissioner.id)))
    setup.run(lambda: _narrow_profile(commissioner.id))
    dementia = setup.run(lambda: db.session.scalars(select(Condition).where(Condition.slug == "dementia")).one())
    browser_session(page, commissioner)

    # The home page leads with "Request a session".
    page.goto(f"{live_server}/")
    _switch(page, language)
    _click_and_wait(page, "main a.govuk-button--start")
    _click_and_wait(page, f"main a[href='/bookings/rounds/{round_id}/new']")
    hint = page.locator("#condition-hint").inner_text()
    assert (
        translate(
            language,
            "Conditions in your profile: %(conditions)s. To ask about another one, add it to your profile first.",
            conditions=setup.run(
                lambda: db.session.scalars(select(Condition).where(Condition.slug == "stroke")).one().name(language)
            ),
        )
        == hint
    )

    # Dementia, in Welsh: the profile lists neither. Refused at once, with the reason and the way to fix it.
    page.locator(f"input[name=condition][value='{dementia.id}']").check()
    page.locator("input[name=weeks]").first.check()
    page.locator("input[name=language][value=cy]").check()
    page.locator("#purpose").fill("Celf i bobl sy'n byw gyda dementia")
    _click_and_wait(page, SUBMIT)
    reason = translate(
        language, "Your profile does not list this condition: %(condition)s.", condition=dementia.name(language)
    )
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible() and reason in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    assert (
        translate(
            language, "Add it to the conditions you commission for in your profile, then send your request again."
        )
        in page.locator("#request-refusal").inner_text()
    )
    assert page.locator("#purpose").input_value() == "Celf i bobl sy'n byw gyda dementia"
    assert_accessible(page, f"request-refused-{language}")
    assert outbox(commissioner.email) == []

    # Fix the profile: the link opens the conditions step; add dementia, then Welsh through the
    # check page's Change link; saving it comes back to the request, answers kept.
    _click_and_wait(page, "#request-refusal a")
    assert page.evaluate("location.pathname") == "/profile/edit/conditions"
    page.locator(f"input[name=conditions][value='{dementia.id}']").check()
    _click_and_wait(page, SUBMIT)
    assert page.evaluate("location.pathname") == "/profile/check"
    _click_and_wait(page, "main a[href$='#languages']")
    assert page.evaluate("location.pathname") == "/profile/edit/where"
    page.locator("input[name=languages][value=cy]").check()
    _click_and_wait(page, SUBMIT)
    assert page.evaluate("location.pathname") == "/profile/check"
    _click_and_wait(page, SUBMIT)  # check your answers: save profile
    assert page.url.endswith(f"/bookings/rounds/{round_id}/new")
    assert page.locator("#purpose").input_value() == "Celf i bobl sy'n byw gyda dementia"
    assert page.locator(f"input[name=condition][value='{dementia.id}']").is_checked()
    assert page.locator("input[name=language][value=cy]").is_checked()

    # Now the same request is accepted.
    _click_and_wait(page, SUBMIT)
    assert page.locator("h1").inner_text() == translate(language, "Check your request")
    _click_and_wait(page, SUBMIT)
    assert page.locator(".govuk-tag").first.inner_text().strip() == translate(language, "Requested")
    booking = _booking(app, commissioner.id)
    assert (booking.condition_id, booking.language, len(booking.slots)) == (dementia.id, "cy", 6)
    assert len(outbox(commissioner.email)) == 1
