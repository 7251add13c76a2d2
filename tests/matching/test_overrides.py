"""Organisers may add someone to a draft session against a rule, after a page that names the rule:
audited, marked in the draft, kept by a re-run (the session is locked) and by publishing."""

from __future__ import annotations

import pytest

from tests.profiles.support import client_for


def _draft(app, version):
    from matchmaker.extensions import db
    from matchmaker.models import MatchDraft

    with app.app_context():
        draft = db.session.query(MatchDraft).filter_by(version=version).one()
        return {"plan": draft.plan, "locked": list(draft.locked), "overrides": list(draft.overrides)}


def _base(seeded, version, sid):
    return f"/organiser/rounds/{seeded.round_id}/matching/drafts/{version}/sessions/{sid}"


@pytest.fixture
def blocked(app, seeded, run_round):
    """The first draft, a creative at their one session, and another session they are not in."""
    run_round(seeded.round_id)
    plan = _draft(app, 1)["plan"]
    creatives = [seeded.pid(f"c{i}") for i in range(1, 6)]
    there = next(s for s in plan["sessions"] if any(p in creatives for p in s["participants"]))
    person = next(p for p in there["participants"] if p in creatives)
    other = next(s for s in plan["sessions"] if person not in s["participants"])
    return person, other["id"]


def test_the_confirmation_names_the_rule_then_the_override_is_audited_marked_and_kept(
    app, client, submit, seeded, blocked, organiser, sign_in, run_round
):
    from matchmaker.extensions import db
    from matchmaker.models import AuditEvent, ConsultationSession, MatchDraft

    person, sid = blocked
    sign_in(organiser)
    session_page = client.get(_base(seeded, 1, sid)).get_data(as_text=True)
    parts = session_page.split('id="participant"')
    regular = parts[1].split("</select>")[0] if len(parts) > 1 else ""
    assert f'value="{person}"' in session_page.split('id="person"')[1].split("</select>")[0]
    assert f'value="{person}"' not in regular  # the ordinary add does not offer them
    assert "Add someone against a rule" in session_page

    confirm = client.get(f"{_base(seeded, 1, sid)}/override?person={person}")
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200
    assert "over the number of sessions they can attend" in html  # the rule, named
    assert "Add against the rule" in html
    assert len(_all_drafts(app)) == 1  # nothing changed by looking

    done = submit(
        f"{_base(seeded, 1, sid)}/override",
        {"person": person},
        page=f"{_base(seeded, 1, sid)}/override?person={person}",
    )
    assert done.status_code == 302
    v2 = _draft(app, 2)
    assert person in next(s for s in v2["plan"]["sessions"] if s["id"] == sid)["participants"]
    assert sid in v2["locked"]  # a new run keeps it as it is
    (override,) = v2["overrides"]
    assert (override["session"], override["participant"]) == (sid, person)
    assert "H5" in override["rules"]
    with app.app_context():
        (event,) = db.session.query(AuditEvent).filter_by(action="draft_override").all()
        assert event.detail["participant"] == person and "H5" in event.detail["rules"]
        assert event.target_id == db.session.query(MatchDraft).filter_by(version=2).one().id
    audit_page = client.get("/organiser/audit").get_data(as_text=True)
    assert "Added someone to a draft session against a rule" in audit_page

    # Marked on the session page and the draft page; listed on the publish page.
    tag = "Added against the rule: over the number of sessions they can attend"
    assert tag in client.get(_base(seeded, 2, sid)).get_data(as_text=True)
    assert tag in client.get(f"/organiser/rounds/{seeded.round_id}/matching/drafts/2").get_data(as_text=True)
    publish_page = client.get(f"/organiser/rounds/{seeded.round_id}/matching/drafts/2/publish").get_data(as_text=True)
    assert 'data-testid="overrides"' in publish_page and tag in publish_page

    # Other changes still work (the override's breach is excused, nothing else).
    other = next(s["id"] for s in v2["plan"]["sessions"] if s["id"] != sid)
    assert submit(f"{_base(seeded, 2, other)}/lock", {}, page=_base(seeded, 2, other)).status_code == 302
    v3 = _draft(app, 3)
    assert v3["overrides"] == v2["overrides"]

    # A re-run keeps the locked session with the person, and the mark.
    run_round(seeded.round_id)
    v4 = _draft(app, 4)
    assert person in next(s for s in v4["plan"]["sessions"] if s["id"] == sid)["participants"]
    assert [o["participant"] for o in v4["overrides"]] == [person]
    assert tag in client.get(f"/organiser/rounds/{seeded.round_id}/matching/drafts/4").get_data(as_text=True)

    # Publishing accepts it and invites the person like anyone else.
    published = submit(
        f"/organiser/rounds/{seeded.round_id}/matching/drafts/4/publish",
        {},
        page=f"/organiser/rounds/{seeded.round_id}/matching/drafts/4/publish",
    )
    assert published.status_code == 302
    with app.app_context():
        user_id = int(person[1:])
        sessions = db.session.query(ConsultationSession).all()
        assert any(user_id in {a.user_id for a in s.attendees} and s.plan_key.endswith(sid) for s in sessions)
        assert db.session.query(MatchDraft).filter_by(version=4).one().published_at is not None


def _all_drafts(app):
    from matchmaker.extensions import db
    from matchmaker.models import MatchDraft

    with app.app_context():
        return db.session.query(MatchDraft).all()


def test_the_confirmation_is_in_welsh_for_a_welsh_organiser(app, client, seeded, blocked, make_user, sign_in):
    person, sid = blocked
    sign_in(make_user("organiser", language="cy", email="trefnydd@example.org"))
    html = client.get(f"{_base(seeded, 1, sid)}/override?person={person}").get_data(as_text=True)
    assert 'lang="cy"' in html
    assert "dros nifer y sesiynau y gallan nhw eu mynychu" in html


def test_someone_unknown_or_already_there_is_refused_and_the_page_is_for_organisers(
    app, client, submit, seeded, blocked, organiser, sign_in, make_user
):
    person, sid = blocked
    url = f"{_base(seeded, 1, sid)}/override"
    nosy = client_for(app, make_user("creative", email="nosy@example.org"))
    assert nosy.get(f"{url}?person={person}").status_code == 403
    sign_in(organiser)
    html = client.get(f"{url}?person=u999999").get_data(as_text=True)
    assert "Select the person to add" in html
    there = _draft(app, 1)["plan"]
    member = next(s for s in there["sessions"] if s["id"] == sid)["participants"][0]
    assert "Select the person to add" in client.get(f"{url}?person={member}").get_data(as_text=True)
    assert client.post(url, data={"person": person}).status_code == 400  # no CSRF token
    assert len(_all_drafts(app)) == 1


def test_an_override_in_a_published_session_is_published_and_kept_by_the_next_run(
    app, client, submit, seeded, published_round, run_round, organiser, sign_in
):
    from matchmaker.extensions import db
    from matchmaker.models import ConsultationSession

    run_round(seeded.round_id)  # version 2: the published sessions are fixed in it
    plan = _draft(app, 2)["plan"]
    creatives = [seeded.pid(f"c{i}") for i in range(1, 8)]
    there = next(s for s in plan["sessions"] if any(p in creatives for p in s["participants"]))
    person = next(p for p in there["participants"] if p in creatives)
    sid = next(s["id"] for s in plan["sessions"] if person not in s["participants"])
    sign_in(organiser)
    url = f"{_base(seeded, 2, sid)}/override"
    page = client.get(f"{url}?person={person}").get_data(as_text=True)
    assert "The session is published, so a new run keeps it and the person in it." in page
    assert submit(url, {"person": person}, page=f"{url}?person={person}").status_code == 302
    v3 = _draft(app, 3)
    assert sid not in v3["locked"]  # published: kept by any run without a lock
    assert [(o["session"], o["participant"]) for o in v3["overrides"]] == [(sid, person)]

    publish = f"/organiser/rounds/{seeded.round_id}/matching/drafts/3/publish"
    assert "Added against the rule" in client.get(publish).get_data(as_text=True)
    assert submit(publish, {}, page=publish).status_code == 302
    with app.app_context():
        session = db.session.query(ConsultationSession).filter_by(plan_key=sid).one()
        assert int(person[1:]) in {a.user_id for a in session.attendees if a.is_current}

    run_round(seeded.round_id)
    v4 = _draft(app, 4)
    assert person in next(s for s in v4["plan"]["sessions"] if s["id"] == sid)["participants"]
    assert [(o["session"], o["participant"]) for o in v4["overrides"]] == [(sid, person)]
