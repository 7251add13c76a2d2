"""axe-core on every page in English and Welsh, and on every form's error state.

The pages are listed in tests/browser/pages.py; a GET route missing from that list fails
test_every_get_route_is_in_the_page_list.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.harness import english_defaults
from tests.browser.pages import NOT_PAGES, PAGES
from tests.browser.visits import PENDING, UNVERIFIED, Setup, Visit

LANGUAGES = ["en", "cy"]


def _make_signed_in_user(role: str | None, make_user: Any) -> Any:
    """The user a visit is made as (None for nobody)."""
    if role is None:
        return None
    if role == PENDING:
        return make_user("link_worker", approved=False, name="Dafydd ap Gwilym")
    if role == UNVERIFIED:
        return make_user("creative", verified=False, name="Elin Rhys")
    return make_user(role, name=f"Gwen {role.title()}")


def show_in(page: Any, visit: Visit, url: str, language: str) -> int:
    """Open the visit's page in a language (switching with the header link); return the HTTP status."""
    statuses: list[int] = []

    def record(response: Any) -> None:
        if response.request.is_navigation_request() and response.frame == page.main_frame:
            statuses.append(response.status)

    page.on("response", record)
    page.goto(url)
    if page.locator("html").get_attribute("lang") != language:
        path = page.evaluate("location.pathname")
        with page.expect_navigation():
            page.locator(f"header a[hreflang={language}]").click()
        assert page.evaluate("location.pathname") == path, "the language switch should come back to the same page"
    if visit.reach is not None:
        visit.reach(page)
        page.wait_for_load_state()
    page.remove_listener("response", record)
    assert page.locator("html").get_attribute("lang") == language
    return statuses[-1]


@pytest.mark.parametrize("visit", PAGES, ids=[visit.id for visit in PAGES])
def test_page_passes_axe_in_english_and_welsh(
    visit, page, app, make_user, browser_session, assert_accessible, translate
):
    """The page, and for a form its state after an empty submission, pass axe-core in both languages."""
    user = _make_signed_in_user(visit.role, make_user)
    if user is not None:
        browser_session(page, user)
    url = visit.url(Setup(app=app, user=user, make_user=make_user))
    for language in LANGUAGES:
        assert show_in(page, visit, url, language) == visit.status, f"status in {language}"
        assert page.locator("h1").count() == 1, "every page has exactly one main heading"
        assert "govuk-frontend-supported" in page.evaluate("document.body.className"), "init.js did not run"
        assert_accessible(page, language)
        if language == "cy":
            assert not english_defaults(page), "English left on a Welsh page (pass the macro parameter through _())"
        if visit.submit:
            check_error_state(page, visit, language, assert_accessible, translate)


def check_error_state(page: Any, visit: Visit, language: str, assert_accessible: Any, translate: Any) -> None:
    """Submit the form empty: a focused error summary linking to each field, passing axe."""
    with page.expect_navigation():
        page.locator(visit.submit).click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible(), f"an empty form should show the error summary ({language})"
    page.wait_for_function("document.activeElement && document.activeElement.classList.contains('govuk-error-summary')")
    assert page.title().startswith(translate(language, "Error:")), page.title()
    assert page.locator("html").get_attribute("lang") == language
    links = summary.locator(".govuk-error-summary__list a")
    assert links.count() >= 1
    for href in links.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        assert href.startswith("#") and page.locator(href).count() == 1, f"summary link {href} has no field"
    assert page.locator(".govuk-error-message").count() >= 1, "errors are shown by the fields too"
    assert_accessible(page, f"{language}-errors")
    if language == "cy":
        assert not english_defaults(page), "English left on a Welsh page (pass the macro parameter through _())"


def test_every_get_route_is_in_the_page_list(app):
    listed = {visit.endpoint for visit in PAGES}
    missing = sorted(
        f"{rule.endpoint} ({rule.rule})"
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or ()) and rule.endpoint not in listed and rule.endpoint not in NOT_PAGES
    )
    assert not missing, "add these pages to PAGES in tests/browser/pages.py (or NOT_PAGES with a reason): " + ", ".join(
        missing
    )
    stale = sorted(endpoint for endpoint in listed | set(NOT_PAGES) if "." in endpoint and "errors." not in endpoint)
    known = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert not [endpoint for endpoint in stale if endpoint not in known], "PAGES names routes that no longer exist"
