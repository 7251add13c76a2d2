"""Publishing drafts (idempotent, invites exactly once), refills and short sessions."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.matching.support import publish_latest


def _sessions(app):
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import ConsultationSession

    with app.app_context():
        rows = db.session.scalars(select(ConsultationSession).order_by(ConsultationSession.id)).all()
        return [
            (
                s.plan_key,
                s.status.value,
                sorted((a.user_id, a.partstat.value, a.removed_at is None) for a in s.attendees),
                s.booking_id,
            )
            for s in rows
        ]


def test_publishing_twice_never_duplicates_a_session_or_an_invite(app, seeded, run_round, outbox):
    from matchmaker.extensions import db
    from matchmaker.models import Booking, BookingStatus

    run_round(seeded.round_id)
    first = publish_latest(app, seeded.round_id)
    assert first.created == 2 and first.scheduled_bookings == 1
    sessions = _sessions(app)
    invites = [m for m in outbox() if m.calendar_method == "REQUEST"]
    attendees = sum(len(s[2]) for s in sessions)
    assert len(invites) == attendees >= 11
    per_person = Counter(user_id for s in sessions for user_id, _stat, _live in s[2])
    assert sorted(Counter(m.user_id for m in invites).items()) == sorted(per_person.items())  # one per session each
    assert any(s[3] == seeded.booking_id for s in sessions)
    again = publish_latest(app, seeded.round_id)
    assert (again.created, again.added) == (0, 0)
    assert _sessions(app) == sessions
    assert len([m for m in outbox() if m.calendar_method == "REQUEST"]) == attendees
    with app.app_context():
        assert db.session.get(Booking, seeded.booking_id).status == BookingStatus.SCHEDULED


def test_a_crash_between_commit_and_queueing_loses_and_duplicates_no_invite(
    app, seeded, run_round, outbox, smtp_server, use_mail_server, monkeypatch
):
    import matchmaker.mail.tasks as mail_tasks
    from matchmaker.mail.delivery import deliver_due

    run_round(seeded.round_id)
    use_mail_server(smtp_server)

    def queue_down(message_id):
        raise ConnectionError("the queue went away after the commit")

    with monkeypatch.context() as patch:
        patch.setattr(mail_tasks, "deliver_message", queue_down)
        publish_latest(app, seeded.round_id)
    assert smtp_server.received == []  # committed, but nothing was handed to delivery
    rows = outbox()
    assert rows and all(m.status.value == "queued" for m in rows)
    publish_latest(app, seeded.round_id)  # the organiser presses publish again
    assert len(outbox()) == len(rows)
    with app.app_context():
        deliver_due()  # the periodic sweep
    received = Counter(tuple(r.rcpt_tos) for r in smtp_server.received)
    sessions = _sessions(app)
    expected = Counter()
    for _key, _status, attendees, _booking in sessions:
        for user_id, _stat, _live in attendees:
            expected[user_id] += 1
    assert sum(received.values()) == sum(expected.values()) >= 11
    assert all(m.status.value == "sent" for m in outbox())
    assert max(Counter(m.key for m in outbox()).values()) == 1


def test_unserved_bookings_become_unscheduled_with_the_reason(app, seeded, make_user, profile, run_round):
    from matchmaker.extensions import db
    from matchmaker.models import Booking, BookingStatus, Round
    from tests.factories import BookingFactory

    other = make_user("commissioner", name="Dementia commissioner")
    profile(other, "Council")
    with app.app_context():
        round_ = db.session.get(Round, seeded.round_id)
        booking_id = BookingFactory(
            round=round_, commissioner=other, purpose="x", condition="dementia", slots=round_.slots[:1]
        ).id
    run_round(seeded.round_id)
    result = publish_latest(app, seeded.round_id)
    assert result.unscheduled_bookings == 1
    with app.app_context():
        booking = db.session.get(Booking, booking_id)
        assert booking.status == BookingStatus.UNSCHEDULED and booking.reason_code == "no_link_worker"
        assert booking.reason_detail


@pytest.fixture
def published(app, seeded, run_round):
    """The stroke round matched and published; returns the published sessions' ids by plan key."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import ConsultationSession

    run_round(seeded.round_id)
    publish_latest(app, seeded.round_id)
    with app.app_context():
        return {s.plan_key: s.id for s in db.session.scalars(select(ConsultationSession))}


def test_a_refill_fills_only_free_places_and_invites_only_the_new_people(
    app, seeded, published, make_user, profile, register, run_round, outbox
):
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.invites.service import respond
    from matchmaker.models import ConsultationSession, MatchDraft, SessionAttendee

    # A creative declines; a new creative registers late.
    with app.test_request_context():
        session = db.session.scalars(select(ConsultationSession)).first()
        creative = next(a for a in session.attendees if a.role == "creative")
        decliner, session_id, key = creative.user_id, session.id, session.plan_key
        assert respond(creative, "decline") == "declined"
        db.session.commit()
    late = make_user("creative", name="Late Creative", email="late@example.org")
    profile(late, "Late Arts")
    register(seeded.round_id, late, {"stroke": 2}, seeded.slots)
    before = {(m.to_address, m.key) for m in outbox()}
    before_sessions = _sessions(app)
    run_round(seeded.round_id, kind="refill")
    with app.app_context():
        draft = db.session.scalars(select(MatchDraft).order_by(MatchDraft.version.desc())).first()
        assert {s["id"] for s in draft.plan["sessions"]} == set(published)  # nothing new opened
        refilled = next(s for s in draft.plan["sessions"] if s["id"] == key)
        assert f"u{late.id}" in refilled["participants"] and f"u{decliner}" not in refilled["participants"]
    result = publish_latest(app, seeded.round_id)
    assert result.created == 0 and result.added >= 1
    after = _sessions(app)
    added = []
    for old, now in zip(before_sessions, after, strict=True):  # everyone invited before stays where they were
        assert set(old[2]) <= set(now[2])
        added += [user_id for user_id, _stat, _live in set(now[2]) - set(old[2])]
    assert late.id in added and len(added) == result.added
    new = [m for m in outbox() if (m.to_address, m.key) not in before]
    assert sorted(m.user_id for m in new) == sorted(added)  # only the people added hear anything
    assert all(m.calendar_method == "REQUEST" for m in new)
    with app.app_context():
        assert (
            db.session.scalar(
                select(SessionAttendee).where(
                    SessionAttendee.session_id == session_id, SessionAttendee.user_id == late.id
                )
            ).role
            == "creative"
        )


def test_short_sessions_are_flagged_and_the_organiser_can_cancel_one(
    app, seeded, published, run_round, outbox, client, submit, organiser, sign_in
):
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.invites.service import respond
    from matchmaker.models import ConsultationSession, MatchDraft

    with app.test_request_context():
        session = db.session.scalars(select(ConsultationSession).order_by(ConsultationSession.id)).first()
        for attendee in [a for a in session.attendees if a.role == "link_worker"]:
            respond(attendee, "decline")
        db.session.commit()
        key, session_id = session.plan_key, session.id
        everyone = {a.user.email for a in session.attendees}
    run_round(seeded.round_id, kind="refill")
    with app.app_context():
        draft = db.session.scalars(select(MatchDraft).order_by(MatchDraft.version.desc())).first()
        version = draft.version
    if key not in draft.plan["short_sessions"]:
        pytest.fail(f"expected {key} short in {draft.plan}")
    sign_in(organiser)
    page = f"/organiser/rounds/{seeded.round_id}/matching/drafts/{version}"
    assert "Too few people" in client.get(page).get_data(as_text=True)
    before = len(outbox())
    response = submit(
        f"/organiser/rounds/{seeded.round_id}/matching/sessions/{session_id}/cancel",
        {"version": str(version)},
        page=page,
    )
    assert response.status_code == 302
    cancels = outbox()[before:]
    assert {m.to_address for m in cancels} == everyone  # CANCEL to everyone on its list
    assert all(m.calendar_method == "CANCEL" for m in cancels)
    with app.app_context():
        assert db.session.get(ConsultationSession, session_id).status.value == "cancelled"
        from matchmaker.models import AuditEvent

        cancelled = db.session.query(AuditEvent).filter_by(action="session_cancelled").all()
        assert [(e.actor_id, e.target_id) for e in cancelled] == [(organiser.id, session_id)]


def test_publishing_a_refill_after_someone_took_the_place_meanwhile_is_refused_kindly(
    app, client, seeded, published, make_user, profile, register, run_round, organiser, sign_in, outbox
):
    """The refill draft was made while a place was free; someone joined before the organiser published."""
    from sqlalchemy import select, update

    from matchmaker.extensions import db
    from matchmaker.invites.service import respond
    from matchmaker.models import ConsultationSession, MatchDraft
    from matchmaker.models.places import SessionPlace
    from tests.helpers import csrf_token

    with app.test_request_context():
        session = db.session.scalars(select(ConsultationSession)).first()
        creative = next(a for a in session.attendees if a.role == "creative")
        assert respond(creative, "decline") == "declined"
        db.session.commit()
        session_id = session.id
    late = make_user("creative", name="Late Creative", email="late@example.org")
    profile(late, "Late Arts")
    register(seeded.round_id, late, {"stroke": 2}, seeded.slots)
    run_round(seeded.round_id, kind="refill")
    with app.app_context():
        version = db.session.scalars(select(MatchDraft.version).order_by(MatchDraft.version.desc())).first()
        db.session.execute(  # someone takes the freed place through "Join a session"
            update(SessionPlace)
            .where(SessionPlace.session_id == session_id, SessionPlace.role == "creative")
            .values(taken=SessionPlace.capacity)
        )
        db.session.commit()
    before = _sessions(app)
    mails = len(outbox())
    sign_in(organiser)
    url = f"/organiser/rounds/{seeded.round_id}/matching/drafts/{version}/publish"
    page = client.get(url).get_data(as_text=True)
    response = client.post(url, data={"csrf_token": csrf_token(page)})
    assert response.status_code == 200
    assert "Someone took a place in a published session" in response.get_data(as_text=True)
    assert _sessions(app) == before  # nothing published, nobody added
    assert len(outbox()) == mails
    from matchmaker.models import AuditEvent

    with app.app_context():  # a refused publish is not recorded as a publish
        assert db.session.query(AuditEvent).filter_by(action="draft_published").count() == 0
