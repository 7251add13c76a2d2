"""Journey in Chromium, in English and in Welsh: an organiser takes someone out of a draft session,
locks it, runs the matching again and finds the session exactly as it was; the publish page then
counts it as a new session with its people named, and publishing makes what the page said.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.matching_pages import _matched
from tests.browser.visits import Setup


def _tab_to(page: Any, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching selector has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def _draft(app: Any, version: int) -> dict[str, Any]:
    """A draft version: its plan sessions by id and its locked ids."""
    from matchmaker.extensions import db
    from matchmaker.models import MatchDraft

    with app.app_context():
        draft = db.session.query(MatchDraft).filter_by(version=version).one()
        return {"sessions": {s["id"]: s for s in draft.plan["sessions"]}, "locked": list(draft.locked)}


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_locked_session_stays_as_it_was_in_the_next_run(
    language, page, app, make_user, live_server, browser_session, assert_accessible, translate
):
    organiser = make_user("organiser", name="Siân Prydderch", language=language)
    round_id = _matched(Setup(app=app, user=organiser, make_user=make_user))
    matching = f"/organiser/rounds/{round_id}/matching"
    first = _draft(app, 1)
    (sid,) = first["sessions"]
    browser_session(page, organiser)

    # Take one creative out of the session (version 2), then lock it (version 3).
    page.goto(f"{live_server}{matching}/drafts/1/sessions/{sid}")
    assert page.locator("html").get_attribute("lang") == language
    creative = next(p for p in first["sessions"][sid]["participants"] if p != first["sessions"][sid]["participants"][0])
    with page.expect_navigation():
        page.locator(f"main form[action$='/remove']:has(input[value='{creative}']) button").click()
    with page.expect_navigation():
        page.locator("main form[action$='/lock'] button").click()
    assert translate(language, "Saved as version %(n)d of the draft.", n=3) in (
        page.locator(".govuk-notification-banner--success").inner_text()
    )
    locked = _draft(app, 3)
    assert locked["locked"] == [sid] and creative not in locked["sessions"][sid]["participants"]
    assert_accessible(page, f"locked-{language}")

    # A new run, by keyboard from the matching page (the job runs at once in the tests' queue).
    page.goto(f"{live_server}{matching}/")
    page.locator("#time_limit").fill("1")
    _tab_to(page, "main form[action$='/matching/runs'] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    review = page.locator(f"main a[href='{matching}/drafts/4']")
    review.wait_for(timeout=60_000)
    with page.expect_navigation():
        review.click()
    rerun = _draft(app, 4)
    assert rerun["sessions"][sid] == locked["sessions"][sid]  # nobody added, nothing moved
    assert rerun["locked"] == [sid]
    assert page.locator("main .govuk-summary-card .govuk-tag").filter(
        has_text=translate(language, "Locked")
    ).count() == 1
    assert_accessible(page, f"rerun-{language}")

    # The publish page counts it as new and names its people; publishing does exactly that.
    with page.expect_navigation():
        page.locator(f"main a[href='{matching}/drafts/4/publish']").click()
    names = page.locator(f"main [data-testid='new-{sid}'] li").all_inner_texts()
    assert len(names) == len(locked["sessions"][sid]["participants"])
    assert_accessible(page, f"publish-{language}")
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").click()
    assert (
        translate(
            language,
            "Published: %(created)d new sessions, %(added)d people added to published sessions. "
            "Invites are on their way.",
            created=len(rerun["sessions"]),
            added=0,
        )
        in page.locator(".govuk-notification-banner--success").inner_text()
    )
