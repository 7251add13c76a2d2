"""Issue 13, finding 7: after "delete my account", stored problems keep the person only as an id."""

from __future__ import annotations

import json


def test_erasure_takes_organisation_region_wishes_and_spare_availability_out_of_runs(app, seeded, run_round):
    from matchmaker.accounts import service as accounts
    from matchmaker.extensions import db
    from matchmaker.matching import drafts
    from matchmaker.models import MatchDraft, MatchRun, User

    run_id = run_round(seeded.round_id)
    creative, commissioner = seeded.pid("c6"), seeded.pid("m1")
    with app.app_context():
        before = {p["id"]: p for p in db.session.get(MatchRun, run_id).problem["participants"]}
        assert before[creative]["organisation"] and before[creative]["region"]
        assert before[commissioner]["wants_to_meet"]
        for name in ("c6", "m1"):
            accounts.erase(db.session.get(User, seeded.users[name].id))
        db.session.commit()
    with app.app_context():
        run = db.session.get(MatchRun, run_id)
        after = {p["id"]: p for p in run.problem["participants"]}
        for pid in (creative, commissioner):
            assert after[pid]["organisation"] is None and after[pid]["region"] is None
            assert after[pid]["wants_to_meet"] == []
            placed = {s["slot"] for s in run.plan["sessions"] if pid in s["participants"]}
            assert set(after[pid]["available"]) == placed
        assert all(b["region"] is None for b in run.problem["bookings"] if b["commissioner"] == commissioner)
        # Other people are untouched (c7 shares c6's organisation), and the draft still loads.
        assert after[seeded.pid("c7")]["organisation"] == before[creative]["organisation"]
        assert json.dumps(after[seeded.pid("c7")]) == json.dumps(before[seeded.pid("c7")])
        draft = db.session.query(MatchDraft).filter_by(run_id=run_id, version=1).one()
        _problem, plan = drafts.loaded(draft)
        assert len(plan.sessions) == len(run.plan["sessions"])
