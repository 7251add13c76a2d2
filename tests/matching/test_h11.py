"""H11 through the site (issue 16): a 'not again' row reaches the solver as an exclusion, and neither a
re-run, a refill nor publishing puts the person back (check_plan refuses a draft that would)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.matching.support import publish_latest


@pytest.fixture
def declined(app, seeded, run_round):
    """The stroke round published, then a creative of the first session declines: (user id, plan key)."""
    from matchmaker.extensions import db
    from matchmaker.invites.service import respond
    from matchmaker.models import ConsultationSession

    run_round(seeded.round_id)
    publish_latest(app, seeded.round_id)
    with app.test_request_context():
        session = db.session.scalars(select(ConsultationSession).order_by(ConsultationSession.id)).first()
        creative = next(a for a in session.attendees if a.role == "creative")
        assert respond(creative, "decline") == "declined"
        db.session.commit()
        return creative.user_id, session.plan_key


def _latest(app):
    from matchmaker.extensions import db
    from matchmaker.models import MatchDraft

    with app.app_context():
        draft = db.session.scalars(select(MatchDraft).order_by(MatchDraft.version.desc())).first()
        return draft.id, draft.run.problem, draft.plan


def test_the_problem_carries_the_exclusion_and_a_rerun_keeps_it(app, seeded, declined, run_round):
    user_id, key = declined
    run_round(seeded.round_id, kind="full")
    _id, problem, plan = _latest(app)
    assert problem["version"] == 1.1
    assert {"participant": f"u{user_id}", "session": key} in problem["exclusions"]
    session = next(s for s in plan["sessions"] if s["id"] == key)
    assert f"u{user_id}" not in session["participants"]


def test_a_refill_relies_on_h11_alone(app, seeded, declined, run_round):
    """refill_only with no 'forbidden' pairs of its own: the problem's exclusion keeps the decliner out."""
    from matchmaker.matching.refill import refill_only
    from matchmaker.solver import check_plan, parse_problem, plan_from_dict

    user_id, key = declined
    run_round(seeded.round_id, kind="refill")
    _id, data, plan_data = _latest(app)
    problem = parse_problem(data)
    plan = plan_from_dict(plan_data, problem)
    for s in plan.sessions:
        s.participants = [p for p in s.participants if p != f"u{user_id}"]
    refilled = refill_only(problem, plan, set())
    assert check_plan(problem, refilled) == []
    assert f"u{user_id}" not in next(s for s in refilled.sessions if s.id == key).participants
    # The same plan with the decliner put back breaks H11.
    back = next(s for s in refilled.sessions if s.id == key)
    back.participants.append(f"u{user_id}")
    assert [v.rule for v in check_plan(problem, refilled)].count("H11") == 1


def test_publishing_a_draft_that_puts_the_decliner_back_is_refused(app, seeded, declined, run_round):
    from matchmaker.extensions import db
    from matchmaker.matching.publish import PublishError, publish
    from matchmaker.models import MatchDraft

    user_id, key = declined
    run_round(seeded.round_id, kind="full")
    draft_id, _problem, plan = _latest(app)
    pid = f"u{user_id}"
    edited = dict(plan)
    edited["sessions"] = [
        dict(s, participants=[p for p in s["participants"] if p != pid] + ([pid] if s["id"] == key else []))
        for s in plan["sessions"]
    ]
    edited["unassigned"] = [u for u in plan["unassigned"] if u["participant"] != pid]
    with app.test_request_context():
        draft = db.session.get(MatchDraft, draft_id)
        draft.plan = edited
        db.session.commit()
        with pytest.raises(PublishError) as refused:
            publish(db.session.get(MatchDraft, draft_id))
        db.session.rollback()
    assert any("put back into a session they declined" in line for line in refused.value.messages)
    assert any("which they are excluded from" in line for line in refused.value.messages)
