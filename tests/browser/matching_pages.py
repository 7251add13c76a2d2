"""The matching pages for the axe-core sweep (added to PAGES in pages.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.browser.data import closed_round
from tests.browser.visits import ORGANISER, Setup, Visit


def _matched(setup: Setup, versions: int = 1, outsider: bool = False) -> int:
    """A closed round on stroke with six people, matched once (a 1 s run); versions > 1 locks a session.

    outsider: also a creative, Gwilym Owen, who speaks Welsh only: left out (the session is in English),
    so they can join only against a rule.
    """
    from matchmaker.extensions import db
    from matchmaker.matching.drafts import adjust, latest_draft
    from matchmaker.matching.runs import execute_run, start_run

    names = ["Anwen", "Bryn", "Carys", "Dafydd"]
    people = [setup.make_user("creative", name=f"{n} Morgan") for n in names]
    people += [setup.make_user("commissioner", name="Eira Hughes"), setup.make_user("link_worker", name="Ffion Rees")]
    if outsider:
        people.append(setup.make_user("creative", name="Gwilym Owen"))

    def work() -> int:
        round_ = closed_round(people, [datetime(2027, 3, 2, hour, tzinfo=UTC) for hour in (10, 14)])
        if outsider:
            from matchmaker.models import CreativeProfile

            db.session.query(CreativeProfile).filter_by(user_id=people[-1].id).one().languages = ["cy"]
            db.session.flush()
        run = start_run(round_, None, 1)
        db.session.commit()
        execute_run(run.id, workers=1)
        for _ in range(versions - 1):
            draft = latest_draft(round_)
            adjust(draft, None, {"action": "lock", "session": draft.plan["sessions"][0]["id"]})
            db.session.commit()
        return round_.id

    return setup.run(work)


def _session_page(setup: Setup) -> str:
    """A draft session's page with its add, move, delete and lock forms."""
    round_id = _matched(setup)
    from matchmaker.extensions import db
    from matchmaker.models import MatchDraft

    sid = setup.run(lambda: db.session.query(MatchDraft).one().plan["sessions"][0]["id"])
    return f"/organiser/rounds/{round_id}/matching/drafts/1/sessions/{sid}"


def outsider_in(setup: Setup, round_id: int) -> tuple[str, str]:
    """The first draft's session and the Welsh-only outsider's participant id."""
    from matchmaker.extensions import db
    from matchmaker.models import MatchDraft, User

    def find() -> tuple[str, str]:
        draft = db.session.query(MatchDraft).filter_by(round_id=round_id, version=1).one()
        user = db.session.query(User).filter_by(name="Gwilym Owen").one()
        return draft.plan["sessions"][0]["id"], f"u{user.id}"

    return setup.run(find)


def _override_page(setup: Setup) -> str:
    """The confirmation that names the rule before adding someone against it."""
    round_id = _matched(setup, outsider=True)
    sid, pid = outsider_in(setup, round_id)
    return f"/organiser/rounds/{round_id}/matching/drafts/1/sessions/{sid}/override?person={pid}"


def _overridden(setup: Setup) -> str:
    """A draft whose session has someone added against a rule (the tag on the draft page)."""
    from matchmaker.extensions import db
    from matchmaker.matching.drafts import adjust, latest_draft
    from matchmaker.models import Round

    round_id = _matched(setup, outsider=True)
    sid, pid = outsider_in(setup, round_id)

    def add() -> None:
        draft = latest_draft(db.session.get(Round, round_id))
        adjust(draft, None, {"action": "override", "session": sid, "participant": pid})
        db.session.commit()

    setup.run(add)
    return f"/organiser/rounds/{round_id}/matching/drafts/2"


def _progress_page(setup: Setup) -> str:
    """A finished run's progress page (chart, table, link to the draft)."""
    round_id = _matched(setup)
    from matchmaker.extensions import db
    from matchmaker.models import MatchRun

    run_id = setup.run(lambda: db.session.query(MatchRun).filter_by(round_id=round_id).one().id)
    return f"/organiser/rounds/{round_id}/matching/runs/{run_id}"


MATCHING_PAGES: list[Visit] = [
    Visit("matching.index", ORGANISER, lambda s: f"/organiser/rounds/{_matched(s)}/matching/"),
    Visit("matching.progress", ORGANISER, _progress_page),
    Visit("matching.draft", ORGANISER, lambda s: f"/organiser/rounds/{_matched(s)}/matching/drafts/1"),
    Visit("matching.draft", ORGANISER, lambda s: f"/organiser/rounds/{_matched(s)}/matching/drafts/1?by=condition"),
    Visit("matching.draft_session", ORGANISER, _session_page),
    Visit("matching.override", ORGANISER, _override_page),
    Visit("matching.draft", ORGANISER, _overridden),
    Visit("matching.compare", ORGANISER, lambda s: f"/organiser/rounds/{_matched(s, 2)}/matching/compare?a=1&b=2"),
    Visit("matching.publish_draft", ORGANISER, lambda s: f"/organiser/rounds/{_matched(s)}/matching/drafts/1/publish"),
]

MATCHING_NOT_PAGES: dict[str, str] = {
    "matching.progress_json": "JSON polled by the progress page's script, not a page",
}
