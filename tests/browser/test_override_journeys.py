"""Journey in Chromium, in English and in Welsh, mostly by keyboard: an organiser adds someone to a
draft session against a rule. The confirmation page names the rule in the page's language; the
person is then marked in the session and the draft, the change is in the audit log, a new run keeps
the session as it is (with the mark), and the publish page lists the person as added against the rule.
"""

from __future__ import annotations

import pytest

from tests.browser.keyboard import press_and_wait, tab_to
from tests.browser.matching_pages import _matched, outsider_in
from tests.browser.visits import Setup


@pytest.mark.parametrize("language", ["en", "cy"])
def test_an_organiser_adds_someone_against_a_rule_after_confirming_it(
    language, page, app, make_user, live_server, browser_session, assert_accessible, translate
):
    from matchmaker.extensions import db
    from matchmaker.models import AuditEvent, MatchDraft

    organiser = make_user("organiser", name="Siân Prydderch", language=language)
    setup = Setup(app=app, user=organiser, make_user=make_user)
    round_id = _matched(setup, outsider=True)
    sid, pid = outsider_in(setup, round_id)
    matching = f"/organiser/rounds/{round_id}/matching"
    browser_session(page, organiser)

    # The session page: the ordinary add cannot offer Gwilym (Welsh only; the session is in English).
    page.goto(f"{live_server}{matching}/drafts/1/sessions/{sid}")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator(f"#participant option[value='{pid}']").count() == 0
    page.locator("#person").select_option(pid)
    tab_to(page, "main form[method=get] button")
    press_and_wait(page, "Enter")

    # The confirmation names the rule, in the page's language; nothing has changed yet.
    rule = translate(language, "does not speak the session's language")
    assert page.locator("h1").inner_text() == translate(language, "Add %(name)s against a rule?", name="Gwilym Owen")
    assert rule in page.locator("#rules").inner_text()
    assert_accessible(page, f"override-confirm-{language}")
    with app.app_context():
        assert db.session.query(MatchDraft).count() == 1
    tab_to(page, "main form[method=post] button")
    press_and_wait(page, "Enter")

    # Version 2: Gwilym in the session, marked; the session locked; the audit log has it.
    tag = translate(language, "Added against the rule: %(rules)s", rules=rule)
    assert translate(language, "Saved as version %(n)d of the draft.", n=2) in (
        page.locator(".govuk-notification-banner--success").inner_text()
    )
    row = page.locator("main table tr").filter(has_text="Gwilym Owen")
    assert tag in row.inner_text()
    assert_accessible(page, f"override-marked-{language}")
    with app.app_context():
        draft = db.session.query(MatchDraft).filter_by(version=2).one()
        assert pid in draft.plan["sessions"][0]["participants"] and draft.locked == [sid]
        (event,) = db.session.query(AuditEvent).filter_by(action="draft_override").all()
        assert event.detail["rules"] == ["H3"] and event.actor_id == organiser.id
    page.goto(f"{live_server}/organiser/audit")
    assert translate(language, "Added someone to a draft session against a rule") in page.locator("main").inner_text()

    # A new run keeps the locked session as it is, Gwilym and the mark too.
    page.goto(f"{live_server}{matching}/")
    page.locator("#time_limit").fill("1")
    tab_to(page, "main form[action$='/matching/runs'] button")
    press_and_wait(page, "Enter")
    review = page.locator(f"main a[href='{matching}/drafts/3']")
    review.wait_for(timeout=60_000)
    with page.expect_navigation():
        review.click()
    card = page.locator("main .govuk-summary-card").filter(has_text="Gwilym Owen")
    assert tag in card.inner_text()
    assert translate(language, "Locked") in card.inner_text()

    # The publish page lists him as added against the rule; publishing invites him like anyone else.
    with page.expect_navigation():
        page.locator(f"main a[href='{matching}/drafts/3/publish']").click()
    listed = page.locator("main [data-testid='overrides']").inner_text()
    assert "Gwilym Owen" in listed and tag in listed
    assert "Gwilym Owen" in page.locator(f"main [data-testid='new-{sid}']").inner_text()
    assert_accessible(page, f"override-publish-{language}")
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").click()
    assert page.locator(".govuk-notification-banner--success").count() == 1
    with app.app_context():
        assert db.session.query(MatchDraft).filter_by(version=3).one().published_at is not None
