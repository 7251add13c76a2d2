"""'Not again': people who declined, were removed, cancelled the booking behind a session or whose
account closed are never put back by publishing again, a refill or a re-run; a superseded draft
cannot be published; an organiser may lift an exclusion."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.helpers import csrf_token
from tests.matching.support import publish_latest


@pytest.fixture
def published(app, seeded, run_round):
    """The stroke round matched and published."""
    run_round(seeded.round_id)
    publish_latest(app, seeded.round_id)


def _attendee_rows(app, user_id):
    """(session id, PARTSTAT, removed) of every place this person has or had."""
    from matchmaker.extensions import db
    from matchmaker.models import SessionAttendee

    with app.app_context():
        return sorted(
            (a.session_id, a.partstat.value, a.removed_at is not None)
            for a in db.session.scalars(select(SessionAttendee).where(SessionAttendee.user_id == user_id))
        )


def _decline_one_creative(app):
    """A creative of the first session declines on the site; returns (user id, session id)."""
    from matchmaker.extensions import db
    from matchmaker.invites.service import respond
    from matchmaker.models import ConsultationSession

    with app.test_request_context():
        session = db.session.scalars(select(ConsultationSession).order_by(ConsultationSession.id)).first()
        creative = next(a for a in session.attendees if a.role == "creative")
        assert respond(creative, "decline") == "declined"
        db.session.commit()
        return creative.user_id, session.id


def _cancel_booking(app, booking_id):
    """The commissioner cancels their scheduled booking."""
    from matchmaker.bookings.service import cancel_booking
    from matchmaker.extensions import db
    from matchmaker.models import Booking

    with app.test_request_context():
        session = cancel_booking(db.session.get(Booking, booking_id))
        db.session.commit()
        return session.id if session is not None else None


def test_publishing_again_from_the_command_line_after_a_decline_and_a_cancelled_booking_invites_nobody_back(
    app,
    seeded,
    published,
    runner,
    outbox,
):
    decliner, session_id = _decline_one_creative(app)
    commissioner = seeded.users["m1"].id
    booking_session = _cancel_booking(app, seeded.booking_id)
    assert booking_session is not None
    before = {m.key for m in outbox()}
    declined_rows, removed_rows = _attendee_rows(app, decliner), _attendee_rows(app, commissioner)

    result = runner.invoke(args=["match", "publish", str(seeded.round_id)])
    assert result.exit_code == 0, result.output
    assert "kept out" in result.output

    new = [m for m in outbox() if m.key not in before]
    assert not [m for m in new if m.user_id in (decliner, commissioner)]  # no REQUEST to either
    assert _attendee_rows(app, decliner) == declined_rows  # still DECLINED, not reset to NEEDS-ACTION
    assert _attendee_rows(app, commissioner) == removed_rows

    from matchmaker.extensions import db
    from matchmaker.models import SessionExclusion

    with app.app_context():
        stored = {
            (e.user_id, e.session_id, e.reason.value)
            for e in db.session.scalars(select(SessionExclusion).where(SessionExclusion.lifted_at.is_(None)))
        }
    assert (decliner, session_id, "declined") in stored
    assert (commissioner, booking_session, "booking_cancelled") in stored
    assert (commissioner, None, "booking_cancelled") in stored  # kept out of the whole round


def test_a_refill_and_a_rerun_leave_out_the_decliner_and_the_cancelled_bookings_commissioner(
    app,
    seeded,
    published,
    run_round,
):
    from matchmaker.extensions import db
    from matchmaker.models import MatchDraft, MatchRun

    decliner, _session_id = _decline_one_creative(app)
    commissioner = seeded.users["m1"].id
    booking_session = _cancel_booking(app, seeded.booking_id)
    still_in = {_session_key(app, s) for s, stat, removed in _attendee_rows(app, commissioner) if not removed}
    assert _session_key(app, booking_session) not in still_in
    for kind in ("refill", "full"):
        run_round(seeded.round_id, kind=kind)
        with app.app_context():
            draft = db.session.scalars(select(MatchDraft).order_by(MatchDraft.version.desc())).first()
            problem = db.session.get(MatchRun, draft.run_id).problem
            placed = {s["id"] for s in draft.plan["sessions"] if f"u{commissioner}" in s["participants"]}
        # Filtered before solving: in the problem only to keep the places they still hold, and no more.
        entry = next((p for p in problem["participants"] if p["id"] == f"u{commissioner}"), None)
        assert entry is None or entry["max_sessions"] == len(still_in)
        assert placed == still_in, kind
        refilled = [s for s in draft.plan["sessions"] if f"u{decliner}" in s["participants"]]
        assert all(s["id"] != _session_key(app, _session_id) for s in refilled), kind


def _session_key(app, session_id):
    """A published session's plan key."""
    from matchmaker.extensions import db
    from matchmaker.models import ConsultationSession

    with app.app_context():
        return db.session.get(ConsultationSession, session_id).plan_key


def test_booking_again_lets_the_commissioner_be_placed_in_the_round(app, seeded, published):
    from sqlalchemy import select

    from matchmaker.bookings.service import BookingRequest, create_booking
    from matchmaker.extensions import db
    from matchmaker.invites.service import excluded_pairs
    from matchmaker.models import Booking, CommissionerProfile, Round, User

    commissioner = seeded.users["m1"].id
    _cancel_booking(app, seeded.booking_id)
    with app.app_context():
        assert commissioner in excluded_pairs(seeded.round_id)[1]
    with app.test_request_context():
        round_ = db.session.get(Round, seeded.round_id)
        user = db.session.get(User, commissioner)
        old = db.session.get(Booking, seeded.booking_id)
        request = BookingRequest.from_booking(old)
        round_.status = round_.status.__class__("open")
        # Requests are checked against the profile when made: it must list the condition and language.
        held = db.session.scalar(select(CommissionerProfile).where(CommissionerProfile.user_id == commissioner))
        held.conditions = [old.condition]
        held.languages = ["en", "cy"]
        create_booking(round_, user, request, user)
        db.session.commit()
    with app.app_context():
        assert commissioner not in excluded_pairs(seeded.round_id)[1]


def test_an_earlier_draft_cannot_be_published_no_button_and_a_post_is_refused(
    app,
    client,
    seeded,
    published,
    run_round,
    organiser,
    sign_in,
    outbox,
):
    from matchmaker.extensions import db
    from matchmaker.models import MatchDraft

    decliner, _session_id = _decline_one_creative(app)
    run_round(seeded.round_id, kind="refill")
    with app.app_context():
        versions = sorted(db.session.scalars(select(MatchDraft.version)))
    old = versions[0]
    sign_in(organiser)
    url = f"/organiser/rounds/{seeded.round_id}/matching/drafts/{old}/publish"
    page = client.get(url).get_data(as_text=True)
    assert "Publish and send invites" not in page
    assert "Only the latest version can be changed or published" in page
    draft_page = client.get(f"/organiser/rounds/{seeded.round_id}/matching/drafts/{old}").get_data(as_text=True)
    assert url not in draft_page
    mails = len(outbox())
    response = client.post(url, data={"csrf_token": csrf_token(draft_page)})
    assert response.status_code == 200
    assert "Only the latest version can be changed or published" in response.get_data(as_text=True)
    assert len(outbox()) == mails
    assert all(stat == "DECLINED" for _s, stat, _r in _attendee_rows(app, decliner) if _s == _session_id)


def test_a_closed_account_is_never_put_back(app, seeded, published, runner, outbox):
    from matchmaker.accounts.service import deactivate
    from matchmaker.extensions import db
    from matchmaker.invites.service import attendee_removed, excluded_pairs
    from matchmaker.models import ConsultationSession, User

    with app.test_request_context():
        session = db.session.scalars(select(ConsultationSession).order_by(ConsultationSession.id)).first()
        attendee = next(a for a in session.attendees if a.role == "creative")
        user_id, session_id = attendee.user_id, session.id
        attendee_removed(session, attendee)
        deactivate(db.session.get(User, user_id))
        db.session.commit()
        pairs, _whole = excluded_pairs(seeded.round_id)
    assert (user_id, session_id) in pairs
    before = {m.key for m in outbox()}
    assert runner.invoke(args=["match", "publish", str(seeded.round_id)]).exit_code == 0
    assert not [m for m in outbox() if m.key not in before and m.user_id == user_id]
