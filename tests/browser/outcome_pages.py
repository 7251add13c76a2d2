"""Attendance, follow-up, impact and reach pages for the axe-core sweep (added to PAGES in pages.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.browser.data import with_profile
from tests.browser.visits import ANONYMOUS, CREATIVE, ORGANISER, SUBMIT, Setup, Visit
from tests.reach.support import Built, build_round


def past_round(setup: Setup, **options: Any) -> Built:
    """The hand-built past round of tests/reach/support.py (reference data seeded first)."""
    from matchmaker.reference.seed import seed_reference_data

    setup.run(seed_reference_data)
    return build_round(setup.app, **options)


def follow_up_for(setup: Setup, user_id: int, built: Built) -> int:
    """An open, unanswered first follow-up on the round's first session for this person (added to it)."""
    from matchmaker.extensions import db
    from matchmaker.models import FollowUp, SessionAttendee, utcnow

    def make() -> int:
        session_id = built.sessions["S1"]
        if db.session.query(SessionAttendee).filter_by(session_id=session_id, user_id=user_id).first() is None:
            db.session.add(
                SessionAttendee(session_id=session_id, user_id=user_id, role="creative", partstat="ACCEPTED")
            )
        follow_up = FollowUp(
            session_id=session_id,
            user_id=user_id,
            role="creative",
            stage="first",
            sent_at=utcnow(),
            closes_at=utcnow() + timedelta(days=170),
        )
        db.session.add(follow_up)
        db.session.commit()
        return follow_up.id

    return setup.run(make)


def follow_up_link(setup: Setup, follow_up_id: int) -> str:
    """The path of a follow-up's emailed link."""
    from matchmaker.extensions import db
    from matchmaker.followups.links import token_for
    from matchmaker.models import FollowUp

    return "/follow-up/" + setup.run(lambda: token_for(db.session.get(FollowUp, follow_up_id)))


def _round_attendance(setup: Setup) -> str:
    return f"/organiser/rounds/{past_round(setup).round_id}/attendance"


def _checklist(setup: Setup) -> str:
    return f"/organiser/sessions/{past_round(setup).sessions['S1']}/attendance"


def _by_link(setup: Setup) -> str:
    built = past_round(setup, answers=False)
    return follow_up_link(setup, follow_up_for(setup, built.people["c2"], built))


def _on_site(setup: Setup) -> str:
    built = past_round(setup, answers=False)
    follow_up_for(setup, setup.user.id, built)
    return f"/sessions/{built.sessions['S1']}/follow-up"


def _my_sessions_with_follow_up(setup: Setup) -> str:
    _on_site(setup)
    return "/sessions"


def _report(setup: Setup) -> str:
    past_round(setup, title="Spring", days_ago=200)
    past_round(setup)
    return "/organiser/reach"


def _commissioner_report(setup: Setup) -> str:
    with_profile(setup)  # Cardiff and Vale
    past_round(setup)
    return "/organiser/reach"


def _impact(setup: Setup) -> str:
    with_profile(setup)
    return "/profile/impact"


def _closed_link(setup: Setup) -> str:
    return "/follow-up/not-a-real-link"


OUTCOME_PAGES: list[Visit] = [
    Visit("attendance.round_sessions", ORGANISER, _round_attendance),
    Visit("attendance.checklist", ORGANISER, _checklist),
    Visit("followups.answer_by_link", ANONYMOUS, _by_link, submit=SUBMIT),
    Visit("followups.answer_by_link", "link_worker", _closed_link, status=404),
    Visit("followups.answer_on_site", CREATIVE, _on_site, submit=SUBMIT),
    Visit("invites.my_sessions", CREATIVE, _my_sessions_with_follow_up),
    Visit("reach.report", ORGANISER, _report),
    Visit("reach.report", "commissioner", _commissioner_report),
    Visit("profiles.impact", CREATIVE, _impact),
]
OUTCOME_NOT_PAGES: dict[str, str] = {
    "reach.table_csv": "a CSV download",
    "reach.report_json": "a JSON download",
}
