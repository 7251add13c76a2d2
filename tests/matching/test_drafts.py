"""Reviewing and adjusting drafts through the organiser's pages: every change checked by the solver."""

from __future__ import annotations

import pytest


@pytest.fixture
def drafted(app, seeded, run_round, organiser, sign_in):
    """The stroke round matched once, the organiser signed in; returns the first draft's plan."""
    run_round(seeded.round_id)
    sign_in(organiser)
    return _plan(app, 1)


def _plan(app, version):
    from matchmaker.extensions import db
    from matchmaker.models import MatchDraft

    with app.app_context():
        return db.session.query(MatchDraft).filter_by(version=version).one().plan


def _post(submit, seeded, version, sid, action, **data):
    base = f"/organiser/rounds/{seeded.round_id}/matching/drafts/{version}/sessions/{sid}"
    return submit(f"{base}/{action}", data, page=base)


def _creative_session(plan, seeded, more_than=3):
    """A session with more creatives than the minimum."""
    creatives = {seeded.pid(f"c{i}") for i in range(1, 8)}
    return next(s for s in plan["sessions"] if len(set(s["participants"]) & creatives) > more_than)


def test_the_draft_page_shows_sessions_people_summary_and_reasons(client, seeded, drafted):
    page = client.get(f"/organiser/rounds/{seeded.round_id}/matching/drafts/1")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Creative 1" in html and "Arts 1" in html and "Captions" in html  # c3's access need
    assert "Serves the booking of Commissioner m1" in html
    assert "All creative professionals" in html and "7 of 7 reached" in html
    assert "With no link to social prescribing yet" in html and "6 of 6 reached" in html
    assert "Link workers&#39; load" in html or "Link workers' load" in html
    by_condition = client.get(f"/organiser/rounds/{seeded.round_id}/matching/drafts/1?by=condition")
    assert "Show by date" in by_condition.get_data(as_text=True)


def test_people_left_out_are_listed_with_the_reason_in_words(
    app, client, seeded, make_user, register, profile, run_round, organiser, sign_in
):
    lonely = make_user("creative", name="Dementia Only")
    profile(lonely, "Memory Arts")
    register(seeded.round_id, lonely, {"dementia": 3}, seeded.slots)
    run_round(seeded.round_id)
    sign_in(organiser)
    html = client.get(f"/organiser/rounds/{seeded.round_id}/matching/drafts/1").get_data(as_text=True)
    assert "Dementia Only" in html
    assert "Not enough people of every role chose their conditions" in html


def test_remove_a_person_makes_a_new_version_with_a_new_score(app, client, submit, seeded, drafted):
    session = _creative_session(drafted, seeded)
    creative = next(p for p in session["participants"] if p in {seeded.pid(f"c{i}") for i in range(4, 8)})
    response = _post(submit, seeded, 1, session["id"], "remove", participant=creative)
    assert response.status_code == 302
    v2 = _plan(app, 2)
    changed = next(s for s in v2["sessions"] if s["id"] == session["id"])
    assert creative not in changed["participants"]
    assert any(u["participant"] == creative for u in v2["unassigned"])
    assert v2["score"] < drafted["score"]
    from matchmaker.extensions import db
    from matchmaker.models import MatchDraft
    from matchmaker.solver import check_bookkeeping, parse_problem, plan_from_dict

    with app.app_context():
        draft = db.session.query(MatchDraft).filter_by(version=2).one()
        assert draft.change == {"action": "remove", "session": session["id"], "participant": creative}
        problem = parse_problem(draft.run.problem)
        assert check_bookkeeping(problem, plan_from_dict(draft.plan, problem)) == []
        assert db.session.query(MatchDraft).count() == 2  # version 1 is kept
        from matchmaker.models import AuditEvent

        (event,) = db.session.query(AuditEvent).filter_by(action="draft_adjusted").all()
        assert event.target_id == draft.id
        assert event.detail == {"round": seeded.round_id, "version": 2, "change": "remove"}


def test_a_change_that_breaks_a_rule_is_refused_with_the_rule(app, client, submit, seeded, drafted):
    workers = (seeded.pid("l1"), seeded.pid("l2"))
    session = next(s for s in drafted["sessions"] if sum(p in workers for p in s["participants"]) == 1)
    staff = next(p for p in session["participants"] if p in workers)
    response = _post(submit, seeded, 1, session["id"], "remove", participant=staff)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "That change was not made" in html
    assert "A session would have too few or too many people of one role." in html
    assert "link_workers, outside [1, 3]" in html  # the solver's own message
    from matchmaker.extensions import db
    from matchmaker.models import MatchDraft

    with app.app_context():
        assert db.session.query(MatchDraft).count() == 1


def test_add_offers_only_people_who_fit_and_refuses_anyone_else(app, client, submit, seeded, drafted):
    creatives = {seeded.pid(f"c{i}") for i in range(1, 8)}
    big = _creative_session(drafted, seeded)
    small = next(s for s in drafted["sessions"] if s["id"] != big["id"])
    moving = next(p for p in big["participants"] if p in creatives and p not in (seeded.pid("c6"), seeded.pid("c7")))
    assert _post(submit, seeded, 1, big["id"], "remove", participant=moving).status_code == 302
    page = client.get(f"/organiser/rounds/{seeded.round_id}/matching/drafts/2/sessions/{small['id']}")
    choices = page.get_data(as_text=True).split('id="participant"')[1].split("</select>")[0]
    assert f'value="{moving}"' in choices  # free again, fits
    for pid in small["participants"] + [p for p in big["participants"] if p != moving and p in creatives]:
        assert f'value="{pid}"' not in choices  # already there, or at their one session
    blocked = next(p for p in big["participants"] if p in creatives and p != moving)
    refused = _post(submit, seeded, 2, small["id"], "add", participant=blocked)
    assert "That person cannot join this session" in refused.get_data(as_text=True)
    assert _post(submit, seeded, 2, small["id"], "add", participant=moving).status_code == 302
    v3 = _plan(app, 3)
    assert moving in next(s for s in v3["sessions"] if s["id"] == small["id"])["participants"]
    assert v3["score"] > _plan(app, 2)["score"]


def test_move_delete_lock_and_compare(app, client, submit, seeded, drafted):
    creatives_first = sorted(drafted["sessions"], key=lambda s: s["slot"])
    target = creatives_first[0]
    # Delete one session: its people become unassigned and the booking may go unserved.
    response = _post(submit, seeded, 1, target["id"], "delete")
    assert response.status_code == 302
    v2 = _plan(app, 2)
    assert target["id"] not in {s["id"] for s in v2["sessions"]}
    # Move the other one to the freed slot (everyone is free at both slots; the booking needs slot 1).
    other = next(s for s in v2["sessions"])
    free = f"t{seeded.slots[0]}" if other["slot"] != f"t{seeded.slots[0]}" else f"t{seeded.slots[1]}"
    response = _post(submit, seeded, 2, other["id"], "move", slot=free)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert next(s for s in _plan(app, 3)["sessions"] if s["id"] == other["id"])["slot"] == free
    # Lock it, then a re-run keeps it as a fixed session.
    assert _post(submit, seeded, 3, other["id"], "lock").status_code == 302
    from matchmaker.extensions import db
    from matchmaker.models import MatchDraft

    with app.app_context():
        assert db.session.query(MatchDraft).filter_by(version=4).one().locked == [other["id"]]
    refused = _post(submit, seeded, 4, other["id"], "delete")
    assert "This session is locked" in refused.get_data(as_text=True)
    # Compare version 1 and 3: people of the deleted session lose, nobody gains a new condition.
    page = client.get(f"/organiser/rounds/{seeded.round_id}/matching/compare?a=1&b=3")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Who loses a place" in html
    losses = html.split("Who loses a place")[1]
    assert all(name in losses for name in ("Creative",)) and "Nobody." not in losses.split("</ul>")[0]
    # Only the latest version can change.
    old = _post(submit, seeded, 1, other["id"], "delete")
    assert "Only the latest version can be changed" in old.get_data(as_text=True)


def test_a_rerun_keeps_locked_sessions_as_fixed(app, client, submit, seeded, drafted, run_round):
    session = drafted["sessions"][0]
    assert _post(submit, seeded, 1, session["id"], "lock").status_code == 302
    run_round(seeded.round_id)
    from matchmaker.extensions import db
    from matchmaker.models import MatchDraft

    with app.app_context():
        latest = db.session.query(MatchDraft).order_by(MatchDraft.version.desc()).first()
        fixed = latest.run.problem["fixed_sessions"]
        assert [f["id"] for f in fixed] == [session["id"]]
        kept = next(s for s in latest.plan["sessions"] if s["id"] == session["id"])
        assert set(session["participants"]) <= set(kept["participants"]) and kept["slot"] == session["slot"]


def test_a_locked_session_gains_nobody_in_the_next_run(app, client, submit, seeded, drafted, run_round):
    session = _creative_session(drafted, seeded)
    out = next(p for p in session["participants"] if p in {seeded.pid(f"c{i}") for i in range(1, 8)})
    assert _post(submit, seeded, 1, session["id"], "remove", participant=out).status_code == 302
    assert _post(submit, seeded, 2, session["id"], "lock").status_code == 302
    locked = next(s for s in _plan(app, 3)["sessions"] if s["id"] == session["id"])
    run_round(seeded.round_id)
    from matchmaker.extensions import db
    from matchmaker.models import MatchDraft

    with app.app_context():
        latest = db.session.query(MatchDraft).order_by(MatchDraft.version.desc()).first()
        kept = next(s for s in latest.plan["sessions"] if s["id"] == session["id"])
        assert sorted(kept["participants"]) == sorted(locked["participants"])
        assert latest.locked == [session["id"]]
