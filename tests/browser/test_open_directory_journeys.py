"""Journeys of the open directory, in English and Welsh, by keyboard:

- a community group adds a monthly open session and its venue on 'Your organisation', opts in to the
  public feed, and the session appears in the Open Referral feed as a schedule (listings -> openreferral);
- an organiser imports organisations: a file with a problem in three rows shows the three problems and
  writes nothing; the corrected file is imported and each contact is invited (imports -> mail -> directory).
"""

from __future__ import annotations

from typing import Any

import pytest

from matchmaker.extensions import db
from matchmaker.models import CreativeProfile, OrganisationKind, OutboxMessage, User
from tests.browser.data import with_profile
from tests.browser.keyboard import (
    choose_radio,
    follow_first_error,
    press_and_wait,
    submit_by_keyboard,
    tab_to,
    type_into,
)
from tests.browser.visits import Setup
from tests.imports.support import csv_file, good_row

LANGUAGES = ["en", "cy"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_community_group_publishes_its_open_session_schedule(
    language, page, app, make_user, browser_sign_in, assert_accessible, translate, live_server
):
    user = make_user("creative", language=language, name="Elin Rhys")
    with_profile(
        Setup(app=app, user=user, make_user=make_user), user, organisation_kind=OrganisationKind.COMMUNITY_GROUP
    )
    browser_sign_in(page, user)
    page.goto("/profile")
    assert page.locator("html").get_attribute("lang") == language
    tab_to(page, "main a[href='/profile/organisation']")
    press_and_wait(page, "Enter")
    assert_accessible(page, f"organisation-{language}")

    tab_to(page, "main a[href='/profile/organisation/sessions/new']")
    press_and_wait(page, "Enter")
    type_into(page, "#name", "Canu agored")
    choose_radio(page, "frequency", "monthly")
    choose_radio(page, "weekday", "SA")
    type_into(page, "#opens_at", "10:30")
    type_into(page, "#closes_at", "12:00")
    submit_by_keyboard(page)
    # The week of the month was forgotten: the error summary says so and leads to it.
    assert follow_first_error(page).startswith("week_of_month")
    assert_accessible(page, f"open-session-errors-{language}")
    choose_radio(page, "week_of_month", "-1")
    submit_by_keyboard(page)
    assert page.evaluate("location.pathname") == "/profile/organisation"
    assert (
        translate(language, "The open session has been added.")
        in page.locator(".govuk-notification-banner").inner_text()
    )
    saturday = translate(language, "Saturday")
    when = translate(
        language, "Last %(day)s of the month, %(start)s to %(end)s", day=saturday, start="10:30", end="12:00"
    )
    assert when in page.locator("main").inner_text()

    type_into(page, "#venue_name", "Neuadd y Pentref")
    type_into(page, "#venue_address", "Stryd Fawr")
    type_into(page, "#venue_town", "Llanidloes")
    type_into(page, "#venue_postcode", "sy18 6aa")
    type_into(page, "#public_email", "croeso@canu.example.org")
    tab_to(page, "#feed_consent")
    page.keyboard.press("Space")
    submit_by_keyboard(page, "main form[action='/profile/organisation'] button[type=submit]")
    assert (
        translate(language, "Your organisation's details have been saved.")
        in page.locator(".govuk-notification-banner").inner_text()
    )

    # The public feed, read as another directory would (no sign-in): the session is a schedule.
    feed = page.context.request.get(f"{live_server}/openreferral/services").json()
    assert [s["name"] for s in feed["contents"]] == [f"Côr {user.name}"]
    service = page.context.request.get(f"{live_server}/openreferral/services/{feed['contents'][0]['id']}").json()
    assert [(s["freq"], s["byday"], s["opens_at"]) for s in service["schedules"]] == [("MONTHLY", "-1SA", "10:30")]
    assert service["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == "SY18 6AA"


def _choose_file(page: Any, data: bytes) -> None:
    """Reach the file input by keyboard and give it the file (a browser's file picker cannot be typed into)."""
    tab_to(page, "#file")
    page.locator("#file").set_input_files(files=[{"name": "organisations.csv", "mimeType": "text/csv", "buffer": data}])


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_organiser_imports_organisations(
    language, page, app, make_user, reference_data, browser_sign_in, assert_accessible, translate
):
    organiser = make_user("organiser", language=language)
    browser_sign_in(page, organiser)
    page.goto("/organiser/import")
    assert page.locator("html").get_attribute("lang") == language
    bad = csv_file(
        good_row(1),
        good_row(2, email="not-an-address"),
        good_row(3, kind="orchestra"),
        good_row(4, art_forms="juggling"),
    )
    _choose_file(page, bad)
    submit_by_keyboard(page)
    text = page.locator("main").inner_text()
    assert translate(language, "Check the import") in text
    assert page.locator("main table tbody tr").count() == 3
    assert translate(language, "Not in the list: %(values)s", values="juggling") in text
    assert translate(language, "Enter an email address in the correct format, like name@example.org") in text
    assert page.locator("main form").count() == 0  # no way to import a file with problems
    assert_accessible(page, f"import-problems-{language}")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(CreativeProfile)) == 0

    tab_to(page, "main a[href='/organiser/import']")
    press_and_wait(page, "Enter")
    _choose_file(page, csv_file(good_row(1), good_row(2), good_row(3)))
    submit_by_keyboard(page)
    assert page.locator("main table tbody tr").count() == 3
    assert_accessible(page, f"import-preview-{language}")
    submit_by_keyboard(page, "main form button")
    assert (
        translate(language, "Organisations imported: %(num)d. Each contact has been emailed an invitation.", num=3)
        in page.locator(".govuk-notification-banner").inner_text()
    )
    with app.app_context():
        invited = set(
            db.session.scalars(
                db.select(User.email)
                .join(OutboxMessage, OutboxMessage.user_id == User.id)
                .where(OutboxMessage.key.like("import-invitation:%"))
            )
        )
        assert invited == {good_row(n)["email"] for n in (1, 2, 3)}
        # Imported, unclaimed, not consented: nobody sees them in the directory.
        assert (
            db.session.scalar(
                db.select(db.func.count()).select_from(CreativeProfile).where(CreativeProfile.directory_consent)
            )
            == 0
        )
