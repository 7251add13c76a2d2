"""The publish confirmation names exactly who is added and told, and agrees with what publishing does."""

from __future__ import annotations

import re


def _latest(app):
    from matchmaker.extensions import db
    from matchmaker.models import MatchDraft

    with app.app_context():
        draft = db.session.query(MatchDraft).order_by(MatchDraft.version.desc()).first()
        return draft.version, draft.plan


def _value(html, key):
    match = re.search(re.escape(key) + r"\s*</dt>\s*<dd[^>]*>\s*(\d+)", html)
    assert match, key
    return int(match.group(1))


def test_a_locked_draft_session_is_counted_as_new_and_the_result_agrees(
    app, client, submit, seeded, run_round, organiser, sign_in
):
    run_round(seeded.round_id)
    sign_in(organiser)
    version, plan = _latest(app)
    locked = plan["sessions"][0]["id"]
    base = f"/organiser/rounds/{seeded.round_id}/matching/drafts/{version}/sessions/{locked}"
    assert submit(f"{base}/lock", {}, page=base).status_code == 302
    run_round(seeded.round_id)
    version, plan = _latest(app)
    page = f"/organiser/rounds/{seeded.round_id}/matching/drafts/{version}/publish"
    html = client.get(page).get_data(as_text=True)
    assert _value(html, "New sessions") == len(plan["sessions"])
    assert _value(html, "Published sessions that stay as they are") == 0
    told = sum(len(s["participants"]) for s in plan["sessions"])
    assert _value(html, "Invites sent") == told
    done = submit(page, {}, follow_redirects=True).get_data(as_text=True)
    assert f"Published: {len(plan['sessions'])} new sessions, 0 people added" in done


def test_after_a_decline_the_refill_confirmation_names_who_will_be_added(
    app, client, submit, seeded, run_round, organiser, sign_in, make_user, profile, register, outbox
):
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.invites.service import respond
    from matchmaker.matching.drafts import latest_draft
    from matchmaker.matching.publish import publish
    from matchmaker.models import ConsultationSession, Round

    run_round(seeded.round_id)
    with app.test_request_context():
        publish(latest_draft(db.session.get(Round, seeded.round_id)))
        db.session.commit()
        session = db.session.scalars(select(ConsultationSession).order_by(ConsultationSession.id)).first()
        creative = next(a for a in session.attendees if a.role == "creative")
        assert respond(creative, "decline") == "declined"
        db.session.commit()
    late = make_user("creative", name="Late Creative", email="late@example.org")
    profile(late, "Late Arts")
    register(seeded.round_id, late, {"stroke": 2}, seeded.slots)
    run_round(seeded.round_id, kind="refill")
    sign_in(organiser)
    version, _plan = _latest(app)
    page = f"/organiser/rounds/{seeded.round_id}/matching/drafts/{version}/publish"
    html = client.get(page).get_data(as_text=True)
    added = _value(html, "People added to published sessions")
    assert added >= 1 and _value(html, "New sessions") == 0
    listed = re.search(r'data-testid="added">(.*?)</ul>', html, re.S).group(1)
    assert "Late Creative" in listed and listed.count("<li>") == added
    before = len(outbox())
    done = submit(page, {}, follow_redirects=True).get_data(as_text=True)
    assert f"Published: 0 new sessions, {added} people added" in done
    assert len(outbox()) - before == added


def test_welsh_speakers_without_a_welsh_session_are_shown_and_a_session_can_be_made_welsh(
    app, client, submit, seeded, run_round, organiser, sign_in
):
    from sqlalchemy import update

    from matchmaker.extensions import db
    from matchmaker.models import CommissionerProfile, CreativeProfile, LinkWorkerProfile, MatchDraft

    with app.app_context():
        for model in (CreativeProfile, CommissionerProfile, LinkWorkerProfile):
            db.session.execute(update(model).values(languages=["en", "cy"]))
        db.session.commit()
    run_round(seeded.round_id)
    sign_in(organiser)
    with app.app_context():  # the contract has no preference for Welsh: the draft may well hold it in English
        draft = db.session.query(MatchDraft).one()
        draft.plan = {**draft.plan, "sessions": [{**s, "language": "en"} for s in draft.plan["sessions"]]}
        db.session.commit()
    version, plan = _latest(app)
    draft = client.get(f"/organiser/rounds/{seeded.round_id}/matching/drafts/{version}").get_data(as_text=True)
    assert "Reach by language" in draft
    assert "a Welsh-language session was possible, but the matching chose English" in draft
    publish_page = client.get(f"/organiser/rounds/{seeded.round_id}/matching/drafts/{version}/publish")
    assert "speak Welsh have no Welsh-language session" in publish_page.get_data(as_text=True)
    session = plan["sessions"][0]
    base = f"/organiser/rounds/{seeded.round_id}/matching/drafts/{version}/sessions/{session['id']}"
    assert submit(f"{base}/welsh", {}, page=base).status_code == 302

    with app.app_context():
        new = db.session.query(MatchDraft).filter_by(version=version + 1).one()
        welsh = next(s for s in new.plan["sessions"] if s["id"] == session["id"])
        assert welsh["language"] == "cy" and new.locked == [session["id"]]
    run_round(seeded.round_id)
    _version, rerun = _latest(app)
    assert next(s for s in rerun["sessions"] if s["id"] == session["id"])["language"] == "cy"


def test_a_session_cannot_be_made_welsh_when_someone_in_it_speaks_no_welsh(
    app, client, submit, seeded, run_round, organiser, sign_in
):
    run_round(seeded.round_id)
    sign_in(organiser)
    version, plan = _latest(app)
    base = f"/organiser/rounds/{seeded.round_id}/matching/drafts/{version}/sessions/{plan['sessions'][0]['id']}"
    refused = submit(f"{base}/welsh", {}, page=base)
    assert refused.status_code == 200
    assert "held in a language they do not speak" in refused.get_data(as_text=True)
