"""Journey in Chromium, in English and in Welsh: an organiser runs the matching of a closed round from
the home page, watches the progress page update itself until the run is done, removes someone from a
draft session and publishes; a creative professional sees the session in "My sessions" and declines;
the organiser sees the decline on the round's answers page, and the refill's confirmation names exactly
who will be added; the refill fills the free places and only the people added are invited. axe-core checks
every page on the way.

The run goes through the real job queue: a Huey consumer (worker threads of this process) takes it
from the app's queue (SQLite storage, or Redis when REDIS_URL is set), instead of immediate mode.
It starts only once the progress page shows the run queued, so the page's own polling is what
brings the finished run on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.browser.data import CREATIVES, round_to_match
from tests.browser.keyboard import press_and_wait, tab_to

LANGUAGES = ["en", "cy"]


@contextmanager
def queue_worker(app: Any) -> Iterator[Callable[[], None]]:
    """The app's queue made real for the block (not immediate); yields start(), which starts a consumer on it."""
    from matchmaker.jobs.queue import huey, use_app

    consumer = huey.create_consumer(workers=1, worker_type="thread", periodic=False, initial_delay=0.05, max_delay=0.2)
    consumer._set_signal_handlers = lambda: None  # leave pytest's Ctrl+C alone
    started: list[bool] = []
    huey.immediate = False
    previous = use_app(app)  # tasks taken by the consumer run in this app: same database and settings

    def start() -> None:
        consumer.start()
        started.append(True)

    try:
        yield start
    finally:
        if started:
            consumer.stop(graceful=True)
        huey.flush()
        huey.immediate = True  # back to immediate mode (in-memory storage), as tests/conftest.py set it
        use_app(previous)


def _draft_people(app: Any, version: int) -> list[int]:
    """User ids in the draft version's only session."""
    from matchmaker.extensions import db
    from matchmaker.models import MatchDraft

    with app.app_context():
        draft = db.session.query(MatchDraft).filter_by(version=version).one()
        (session,) = draft.plan["sessions"]
        return [int(pid[1:]) for pid in session["participants"]]


def _attending(app: Any) -> dict[int, str]:
    """The published session's attendees: user id -> answer, for everyone not removed."""
    from matchmaker.extensions import db
    from matchmaker.models import ConsultationSession

    with app.app_context():
        (session,) = db.session.query(ConsultationSession).all()
        return {a.user_id: a.partstat.value for a in session.attendees if a.removed_at is None}


def _requests(outbox: Callable[..., list[Any]]) -> dict[str, int]:
    """How many invites (REQUEST) each address has been sent."""
    counts: dict[str, int] = {}
    for message in outbox():
        if message.calendar_method == "REQUEST":
            counts[message.to_address] = counts.get(message.to_address, 0) + 1
    return counts


def _start_run(page: Any, seconds: str, refill: bool = False) -> None:
    """On the matching page: the time limit (and the refill choice), then Start matching, by keyboard."""
    if refill:
        page.locator("input[name=kind][value=refill]").check()
    page.locator("#time_limit").fill(seconds)
    tab_to(page, "main form[action$='/matching/runs'] button")
    press_and_wait(page, "Enter")


@pytest.mark.parametrize("language", LANGUAGES)
def test_organiser_matches_publishes_and_refills_after_a_decline(
    language, browsing, app, make_user, live_server, browser_session, assert_accessible, translate, outbox
):
    organiser = make_user("organiser", name="Siân Prydderch", language=language)
    creatives = [make_user("creative", name=name, language=language) for name in CREATIVES]
    commissioner = make_user("commissioner", name="Eira Hughes", language=language)
    link_worker = make_user("link_worker", name="Ffion Rees", language=language)
    round_id = round_to_match(app, [*creatives, commissioner, link_worker])
    by_id = {u.id: u for u in [*creatives, commissioner, link_worker]}
    matching = f"/organiser/rounds/{round_id}/matching"

    page = browsing.new_page()
    browser_session(page, organiser)
    with queue_worker(app) as start_consumer:
        # From the home page's organiser tasks to the round's matching page.
        page.goto(f"{live_server}/")
        with page.expect_navigation():
            page.locator(f"main a[href='{matching}/']").click()
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("h1").inner_text() == translate(language, "Matching")
        assert_accessible(page, f"matching-index-{language}")

        # Start a run: the page comes back at once, with the run queued and the page polling.
        _start_run(page, "2")
        assert page.locator("h1").inner_text() == translate(language, "Matching progress")
        assert page.locator("#match-progress").get_attribute("data-active") == "true"
        assert page.locator("#run-status").inner_text() == translate(language, "Queued")
        assert_accessible(page, f"progress-queued-{language}")

        # A worker takes the run; the page notices by itself and shows the finished run.
        start_consumer()
        # The live region says when the run ends, then the page loads the results in people's terms.
        page.locator("#run-live").filter(
            has_text=translate(language, "The run has ended. The results are loading.")
        ).wait_for(timeout=60_000)
        review = page.locator(f"main a[href='{matching}/drafts/1']")
        review.wait_for(timeout=60_000)
        assert page.locator("#run-status").inner_text() == translate(language, "Finished")
        assert page.locator("#run-points tr").count() >= 1
        built = page.locator("main .govuk-summary-list__row").filter(has_text=translate(language, "Sessions built"))
        assert built.locator("dd").inner_text().strip() == "1"
        assert_accessible(page, f"progress-finished-{language}")

        # The draft: one session of six creatives; the two creatives left out are listed, with the reason.
        with page.expect_navigation():
            review.click()
        assert page.locator("h1").inner_text() == translate(language, "Draft version %(n)d", n=1)
        first = _draft_people(app, 1)
        chosen = [i for i in first if by_id[i].role.value == "creative"]
        assert len(chosen) == 6 and commissioner.id in first and link_worker.id in first
        name, why = translate(language, "Name"), translate(language, "Why")
        left_out = page.locator(f'main table:has(th:text-is("{name}")):has(th:text-is("{why}")) tbody td:first-child')
        assert sorted(left_out.all_inner_texts()) == sorted(c.name for c in creatives if c.id not in first)
        assert_accessible(page, f"draft-{language}")

        # Take one creative out of the session: saved as version 2, checked by the solver.
        with page.expect_navigation():
            page.locator(f"main a[href*='{matching}/drafts/1/sessions/']").click()
        removed = by_id[chosen[-1]]
        names = page.locator("main table tbody td:first-child")
        assert names.filter(has_text=removed.name).count() == 1
        assert_accessible(page, f"draft-session-{language}")
        remove = page.locator(f"main form[action$='/remove']:has(input[value='u{removed.id}']) button")
        with page.expect_navigation():
            remove.click()
        assert translate(language, "Saved as version %(n)d of the draft.", n=2) in (
            page.locator(".govuk-notification-banner--success").inner_text()
        )
        assert names.filter(has_text=removed.name).count() == 0
        assert removed.id not in _draft_people(app, 2)
        assert_accessible(page, f"draft-session-changed-{language}")

        # Publish version 2: the session and seven invites, nobody else.
        with page.expect_navigation():
            page.locator("a.govuk-back-link").click()
        with page.expect_navigation():
            page.locator(f"main a[href='{matching}/drafts/2/publish']").click()
        assert page.locator("h1").inner_text() == translate(language, "Publish version %(n)d", n=2)
        assert_accessible(page, f"publish-{language}")
        with page.expect_navigation():
            page.locator("main form[method=post] button[type=submit]").click()
        assert (
            translate(
                language,
                "Published: %(created)d new sessions, %(added)d people added to published sessions. "
                "Invites are on their way.",
                created=1,
                added=0,
            )
            in page.locator(".govuk-notification-banner--success").inner_text()
        )
        assert_accessible(page, f"published-{language}")
        published = _attending(app)
        assert set(published) == set(_draft_people(app, 2)) and len(published) == 7
        assert _requests(outbox) == {by_id[i].email: 1 for i in published}

        # A creative in the session sees it in "My sessions" and declines.
        decliner = by_id[chosen[0]]
        theirs = browsing.new_page()
        browser_session(theirs, decliner)
        theirs.goto(f"{live_server}/")
        with theirs.expect_navigation():
            theirs.locator("header a[href='/sessions']").click()
        assert theirs.locator("html").get_attribute("lang") == language
        assert theirs.locator("main").get_by_text(commissioner.name).count() == 1
        assert_accessible(theirs, f"my-sessions-{language}")
        with theirs.expect_navigation():
            theirs.locator("main a[href$='/decline']").click()
        assert theirs.locator("h1").inner_text() == translate(language, "Tell us you cannot come?")
        assert _attending(app)[decliner.id] == "NEEDS-ACTION"  # nothing happens until they confirm
        assert_accessible(theirs, f"confirm-decline-{language}")
        with theirs.expect_navigation():
            theirs.locator("main form[action$='/decline'] button[type=submit]").click()
        assert (
            translate(language, "Thank you for letting us know. We have taken the session out of your calendar.")
            in theirs.locator(".govuk-notification-banner--success").inner_text()
        )
        assert_accessible(theirs, f"declined-{language}")
        assert _attending(app)[decliner.id] == "DECLINED"

        # The organiser mailbox hears at once; the round's answers page shows the decline.
        told = outbox(to="rounds@example.org")  # in English: the round has no creator whose language to use
        assert [m.subject for m in told] == [f"Cannot come: {decliner.name}"]
        page.goto(f"{live_server}/organiser/rounds/{round_id}")
        with page.expect_navigation():
            page.locator(f"main a[href='/organiser/rounds/{round_id}/answers/']").first.click()
        assert page.locator("h1").inner_text() == translate(language, "Answers")
        page.locator("#answer").select_option("declined")
        with page.expect_navigation():
            page.locator("main form[method=get] button").click()
        rows = page.locator("main table tbody tr")
        assert rows.count() == 1 and decliner.name in rows.inner_text()
        assert translate(language, "Cannot come") in rows.inner_text()
        assert_accessible(page, f"answers-declined-{language}")

        # The refill: published sessions stay, only the free places are filled.
        page.goto(f"{live_server}/")
        with page.expect_navigation():
            page.locator(f"main a[href='{matching}/']").click()
        assert_accessible(page, f"matching-index-published-{language}")
        _start_run(page, "2", refill=True)
        review = page.locator(f"main a[href='{matching}/drafts/3']")
        review.wait_for(timeout=60_000)
        assert_accessible(page, f"progress-refill-{language}")
        with page.expect_navigation():
            review.click()
        assert_accessible(page, f"draft-refill-{language}")
        refilled = _draft_people(app, 3)
        added = [i for i in refilled if i not in published]
        assert decliner.id not in refilled
        assert len(added) == 2 and all(by_id[i].role.value == "creative" for i in added)
        with page.expect_navigation():
            page.locator(f"main a[href='{matching}/drafts/3/publish']").click()
        # The confirmation names exactly who will be added, and says nobody is taken out.
        listed = page.locator("main [data-testid=added] li").all_inner_texts()
        assert sorted(text.split(" (")[0] for text in listed) == sorted(by_id[i].name for i in added)
        assert page.locator("main [data-testid^=new-]").count() == 0
        assert_accessible(page, f"publish-refill-{language}")
        with page.expect_navigation():
            page.locator("main form[method=post] button[type=submit]").click()
        assert (
            translate(
                language,
                "Published: %(created)d new sessions, %(added)d people added to published sessions. "
                "Invites are on their way.",
                created=0,
                added=2,
            )
            in page.locator(".govuk-notification-banner--success").inner_text()
        )
        assert_accessible(page, f"published-refill-{language}")

    # The place is filled: six creatives coming again, and only the people added were invited.
    now = _attending(app)
    current = [i for i, answer in now.items() if answer != "DECLINED"]
    assert sorted(current) == sorted([i for i in published if i != decliner.id] + added)
    assert sum(by_id[i].role.value == "creative" for i in current) == 6
    assert _requests(outbox) == {by_id[i].email: 1 for i in [*published, *added]}
