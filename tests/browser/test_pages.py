"""axe-core on every page in English and Welsh, and on every form's error state.

The pages are listed in tests/browser/pages.py; a GET route missing from that list fails
test_every_get_route_is_in_the_page_list.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.pages import NOT_PAGES, PAGES, PENDING, UNVERIFIED, Setup, Visit

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


def open_page(page: Any, visit: Visit, language: str, app: Any, make_user: Any, browser_session: Any) -> Any:
    """Sign in as the visit's role, open its URL, switch language with the header link; return the status."""
    statuses: list[int] = []
    page.on(
        "response",
        lambda response: (
            statuses.append(response.status)
            if response.request.is_navigation_request() and response.frame == page.main_frame
            else None
        ),
    )
    user = _make_signed_in_user(visit.role, make_user)
    if user is not None:
        browser_session(page, user)
    page.goto(visit.url(Setup(app=app, user=user, make_user=make_user)))
    if language == "cy":
        path = page.evaluate("location.pathname")
        page.locator("header a[hreflang=cy]").click()
        page.wait_for_load_state()
        assert page.evaluate("location.pathname") == path, "the language switch should come back to the same page"
    assert page.locator("html").get_attribute("lang") == language
    if visit.reach is not None:
        visit.reach(page)
        page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language
    return statuses[-1]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("visit", PAGES, ids=[visit.id for visit in PAGES])
def test_page_passes_axe(visit, language, page, app, make_user, browser_session, assert_accessible, translate):
    """The page, and for a form its state after an empty submission, pass axe-core."""
    status = open_page(page, visit, language, app, make_user, browser_session)
    assert status == visit.status
    assert page.locator("h1").count() == 1, "every page has exactly one main heading"
    assert "govuk-frontend-supported" in page.evaluate("document.body.className"), "init.js did not run"
    assert_accessible(page, f"{visit.id}-{language}")
    if visit.submit:
        check_error_state(page, visit, language, assert_accessible, translate)


def check_error_state(page: Any, visit: Visit, language: str, assert_accessible: Any, translate: Any) -> None:
    """Submit the form empty: a focused error summary linking to each field, passing axe."""
    page.locator(visit.submit).click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible(), "an empty form should show the error summary"
    page.wait_for_function("document.activeElement && document.activeElement.classList.contains('govuk-error-summary')")
    assert page.title().startswith(translate(language, "Error:")), page.title()
    assert page.locator("html").get_attribute("lang") == language
    links = summary.locator(".govuk-error-summary__list a")
    assert links.count() >= 1
    for href in links.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        assert href.startswith("#") and page.locator(href).count() == 1, f"summary link {href} has no field"
    assert page.locator(".govuk-error-message").count() >= 1, "errors are shown by the fields too"
    assert_accessible(page, f"{visit.id}-{language}-errors")


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
