"""Journey in Chromium, in English and in Welsh: an organiser publishes, moves the slot (the edit page
says who will be told first; everyone gets one update with the new time), a creative declines in her
calendar app (a REPLY email read from a real IMAP server on loopback), the session page shows it and
that she will not be invited again, the refill invites only someone new, and the superseded draft
offers no publish button. axe-core checks every page on the way."""

from __future__ import annotations

from typing import Any

import pytest

import tests.browser.pages  # noqa: F401  (first: pages.py imports round_pages at its end)
from tests.browser.data import CREATIVES, round_to_match
from tests.browser.keyboard import press_and_wait, tab_to
from tests.invites import replies
from tests.invites.imap_server import imap_server, open_mailbox  # noqa: F401  (the fixture, by name)


def _run(app: Any, round_id: int, kind: str) -> None:
    """A matching run through the job (immediate mode)."""
    from matchmaker.extensions import db
    from matchmaker.matching.runs import start_run
    from matchmaker.matching.tasks import queue_run
    from matchmaker.models import Round, RunKind

    with app.app_context():
        run = start_run(db.session.get(Round, round_id), None, 2, RunKind(kind))
        db.session.commit()
        assert queue_run(run.id)


def _session(app: Any) -> dict[str, Any]:
    """The published session: id, uid, sequence, slot id and its attendees by user id."""
    from matchmaker.extensions import db
    from matchmaker.models import ConsultationSession

    with app.app_context():
        (session,) = db.session.query(ConsultationSession).all()
        return {
            "id": session.id,
            "uid": session.uid,
            "sequence": session.sequence,
            "slot": session.slot_id,
            "answers": {a.user_id: a.partstat.value for a in session.attendees if a.removed_at is None},
        }


def _publish_latest(page: Any, live_server: str, matching: str, version: int) -> None:
    """Open the publish page of a draft and press its button by keyboard."""
    page.goto(f"{live_server}{matching}/drafts/{version}/publish")
    tab_to(page, "main form[method=post] button[type=submit]")
    press_and_wait(page, "Enter")


@pytest.mark.usefixtures("imap_server")
@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_moved_slot_and_a_decline_from_a_calendar_app_reach_everyone(
    language,
    browsing,
    app,
    make_user,
    live_server,
    browser_session,
    assert_accessible,
    translate,
    outbox,
):
    organiser = make_user("organiser", name="Siân Prydderch", language=language)
    creatives = [make_user("creative", name=name, language=language) for name in CREATIVES[:7]]
    commissioner = make_user("commissioner", name="Eira Hughes", language=language)
    link_worker = make_user("link_worker", name="Ffion Rees", language=language)
    round_id = round_to_match(app, [*creatives, commissioner, link_worker])
    by_id = {u.id: u for u in [*creatives, commissioner, link_worker]}
    matching = f"/organiser/rounds/{round_id}/matching"
    _run(app, round_id, "full")

    page = browsing.new_page()
    browser_session(page, organiser)
    _publish_latest(page, live_server, matching, 1)
    assert_accessible(page, f"published-{language}")
    published = _session(app)
    invited = set(published["answers"])
    assert len(invited) == 8  # six creatives, the commissioner, the link worker

    # Move the slot by an hour: the edit page says first who will be told.
    page.goto(f"{live_server}/organiser/rounds/{round_id}/slots/{published['slot']}")
    warning = page.locator(".govuk-warning-text").inner_text()
    assert str(len(invited)) in warning
    assert_accessible(page, f"slot-edit-{language}")
    page.locator("#starts").fill("11:00")
    tab_to(page, "main form[method=post] button[type=submit]:not(.govuk-button--warning)")
    before = len(outbox())
    press_and_wait(page, "Enter")
    banner = page.locator(".govuk-notification-banner--success").inner_text()
    assert translate(language, "Slot changed.") in banner
    assert_accessible(page, f"slot-moved-{language}")
    updates = outbox()[before:]
    assert sorted(m.user_id for m in updates) == sorted(invited)  # one update each
    assert all("DTSTART:20270302T110000Z" in m.calendar and m.calendar_method == "REQUEST" for m in updates)

    # A creative declines in her calendar app: a Gmail-shaped REPLY in the round mailbox, read over IMAP.
    decliner = next(by_id[i] for i in invited if by_id[i].role.value == "creative")
    moved = _session(app)
    with open_mailbox(app.config["IMAP_URL"]) as mailbox:
        mailbox.append("INBOX", replies.gmail(moved["uid"], decliner.email, "DECLINED", sequence=moved["sequence"]))
    from matchmaker.invites.tasks import read_calendar_replies

    with app.app_context():
        assert read_calendar_replies.call_local() == {"applied": 1}
    page.goto(f"{live_server}/organiser/sessions/{moved['id']}")
    main = page.locator("main").inner_text()
    assert decliner.name in page.locator("#not-again ~ ul").inner_text()
    assert translate(language, "Said they cannot come") in main
    assert_accessible(page, f"session-declined-{language}")
    assert any(m.to_address == "rounds@example.org" for m in outbox())  # the organisers are told

    # Refill and publish: only the creative left out before is invited; the decliner is not.
    _run(app, round_id, "refill")
    before = len(outbox())
    _publish_latest(page, live_server, matching, 2)
    assert_accessible(page, f"published-refill-{language}")
    new = [m for m in outbox()[before:] if m.calendar_method == "REQUEST"]
    assert len(new) == 1 and new[0].user_id not in invited and new[0].user_id != decliner.id

    # The first draft is superseded: its publish page explains and has no button.
    page.goto(f"{live_server}{matching}/drafts/1/publish")
    assert page.locator("main form[method=post]").count() == 0
    assert (
        translate(language, "This is an earlier version. Only the latest version can be changed or published.")
        in page.locator("main").inner_text()
    )
    assert_accessible(page, f"superseded-{language}")
