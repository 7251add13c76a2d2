"""Every organiser page at 375 px wide, in English and Welsh, needs no horizontal scrolling (WCAG 1.4.10)."""

from __future__ import annotations

import pytest

from tests.browser.pages import ORGANISER, PAGES, Setup
from tests.browser.test_pages import _make_signed_in_user, show_in

NARROW = {"width": 375, "height": 800}
ORGANISER_PAGES = [visit for visit in PAGES if visit.role == ORGANISER]

# What sticks out past the right edge of the viewport, for the failure message.
_OVERFLOW = """(width) => Array.from(document.querySelectorAll('body *'))
  .filter(el => el.getBoundingClientRect().right > width + 1 && el.getClientRects().length)
  .slice(0, 5)
  .map(el => el.tagName.toLowerCase() + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))"""


@pytest.mark.parametrize("visit", ORGANISER_PAGES, ids=[visit.id for visit in ORGANISER_PAGES])
def test_organiser_page_fits_a_phone_without_horizontal_scrolling(visit, page, app, make_user, browser_session):
    """scrollWidth of the document is no wider than the 375 px viewport, in both languages."""
    user = _make_signed_in_user(visit.role, make_user)
    browser_session(page, user)
    page.set_viewport_size(NARROW)
    url = visit.url(Setup(app=app, user=user, make_user=make_user))
    for language in ("en", "cy"):
        assert show_in(page, visit, url, language) == visit.status
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
