"""Every organiser page at 375 px wide, in English and Welsh, needs no horizontal scrolling (WCAG 1.4.10)."""

from __future__ import annotations

import pytest

from tests.browser.pages import PAGES
from tests.browser.visits import ORGANISER, Setup

NARROW = {"width": 375, "height": 800}
ORGANISER_PAGES = [visit for visit in PAGES if visit.role == ORGANISER]

# What sticks out past the right edge of the viewport, for the failure message.
_OVERFLOW = """(width) => Array.from(document.querySelectorAll('body *'))
  .filter(el => el.getBoundingClientRect().right > width + 1 && el.getClientRects().length)
  .slice(0, 5)
  .map(el => el.tagName.toLowerCase() + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))"""


def _open_in(page, visit, url: str, language: str) -> None:
    """Open the page, switch language with the header link when needed, then do what reaches it."""
    response = page.goto(url)
    assert response is not None and response.status == visit.status, f"{url}: {response and response.status}"
    if page.locator("html").get_attribute("lang") != language:
        with page.expect_navigation():
            page.locator(f"header a[hreflang={language}]").click()
    if visit.reach is not None:
        visit.reach(page)
        page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language


@pytest.mark.parametrize("visit", ORGANISER_PAGES, ids=[visit.id for visit in ORGANISER_PAGES])
def test_organiser_page_fits_a_phone_without_horizontal_scrolling(visit, page, app, make_user, browser_session):
    """scrollWidth of the document is no wider than the 375 px viewport, in both languages."""
    user = make_user(visit.role, name="Gwen Organiser")
    browser_session(page, user)
    page.set_viewport_size(NARROW)
    url = visit.url(Setup(app=app, user=user, make_user=make_user))
    for language in ("en", "cy"):
        _open_in(page, visit, url, language)
        assert page.locator("h1").count() == 1
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.body.scrollWidth,"
            " document.documentElement.clientWidth]"
        )
        assert widths[2] == NARROW["width"]
        assert max(widths[:2]) <= NARROW["width"], (
            f"{page.url} ({language}) is {max(widths[:2])} px wide: {page.evaluate(_OVERFLOW, NARROW['width'])}"
        )


def test_the_sweep_covers_the_organiser_pages_the_issue_names():
    endpoints = {visit.endpoint for visit in ORGANISER_PAGES}
    named = {
        "organiser.accounts",
        "mail.outbox",
        "rounds.overview_page",
        "matching.index",
        "matching.draft",
        "matching.draft_session",
        "invites.organiser_session",
        "bookings.organiser_list",
        "answers.index",
        "rounds.show",
    }
    assert named <= endpoints, named - endpoints
