"""Every change that alters an invitation reaches the calendars: moving a slot, SEQUENCE taken
atomically, Reply-To the round's mailbox, and the feed's refresh hints."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from tests.factories import TUESDAY_10AM
from tests.invites.support import body_text, calendar_text, parse_with_ical


def _slot_of(app: Any, session_id: int) -> tuple[int, int]:
    """(round id, slot id) of a session."""
    from matchmaker.extensions import db
    from matchmaker.models import ConsultationSession

    with app.app_context():
        session = db.session.get(ConsultationSession, session_id)
        return session.round_id, session.slot_id


def test_moving_a_published_slot_sends_everyone_one_update_with_the_new_time_and_asks_again(
    app: Any,
    client: Any,
    people: dict[str, Any],
    make_session: Callable[..., int],
    in_app: Callable[..., Any],
    make_user: Callable[..., Any],
    sign_in: Callable[..., Any],
    submit: Callable[..., Any],
    smtp: Any,
    deliver: Callable[[], dict[str, int]],
) -> None:
    from matchmaker.extensions import db
    from matchmaker.invites import service
    from matchmaker.models import ConsultationSession, PartStat

    session_id = make_session(
        [(people["tom"], "creative"), (people["siân"], "creative"), (people["priya"], "commissioner")],
        starts_at=datetime(2027, 3, 1, 14, tzinfo=UTC),  # 2pm on Monday 1 March (GMT)
        minutes=90,
    )
    in_app(session_id, service.session_published)

    def accept(session: Any) -> None:
        tom = next(a for a in session.attendees if a.user_id == people["tom"].id)
        assert service.respond(tom, "accept") == "accepted"

    in_app(session_id, accept)
    deliver()
    first = len(smtp.messages())
    with app.app_context():
        old_sequence = db.session.get(ConsultationSession, session_id).sequence

    round_id, slot_id = _slot_of(app, session_id)
    sign_in(make_user("organiser", email="olwen@example.org"))
    url = f"/organiser/rounds/{round_id}/slots/{slot_id}"
    page = client.get(url).get_data(as_text=True)
    assert "3 people will be sent an updated invitation" in page  # said before saving
    response = submit(url, {"day": ["29", "3", "2027"], "starts": "10:00", "minutes": "90"}, follow_redirects=True)
    assert "3 people have been sent the new time" in response.get_data(as_text=True)
    deliver()

    updates = smtp.messages()[first:]
    assert sorted(m["To"].addresses[0].addr_spec for m in updates) == [
        "priya@example.org",
        "sian@example.org",
        "tom@example.org",
    ]  # exactly one each
    with app.app_context():
        session = db.session.get(ConsultationSession, session_id)
        assert session.sequence == old_sequence + 1
        assert session.starts_at == datetime(2027, 3, 29, 9, tzinfo=UTC)  # 10am BST
        assert {a.partstat for a in session.attendees} == {PartStat.NEEDS_ACTION}  # asked again
        uid = session.uid
    for message in updates:
        text = calendar_text(message)
        event = parse_with_ical(text).events[0]
        assert "METHOD:REQUEST" in text and event.uid == uid and event.sequence == old_sequence + 1
        assert event.dtstart == datetime(2027, 3, 29, 9, tzinfo=UTC)
        assert "PARTSTAT=NEEDS-ACTION" in text and "RSVP=TRUE" in text
    tom = next(m for m in updates if m["To"].addresses[0].addr_spec == "tom@example.org")
    assert "moved from 2pm on Monday 1 March 2027 to 10am on Monday 29 March 2027" in body_text(tom)
    assert tom["Subject"].startswith("New time:")
    sian = next(m for m in updates if m["To"].addresses[0].addr_spec == "sian@example.org")
    assert "2yh ddydd Llun 1 Mawrth 2027" in body_text(sian) and "10yb ddydd Llun 29 Mawrth 2027" in body_text(
        sian
    )


def test_a_new_meeting_link_keeps_the_answers(
    app: Any, people: dict[str, Any], make_session: Callable[..., int], in_app: Callable[..., Any], outbox: Any
) -> None:
    from matchmaker.invites import service

    session_id = make_session([(people["tom"], "creative")])
    in_app(session_id, service.session_published)
    in_app(session_id, lambda s: service.respond(s.attendees[0], "accept"))
    in_app(session_id, lambda s: service.set_join_link(s, "https://teams.example/meet/1"))
    assert in_app(session_id, lambda s: s.attendees[0].partstat.value) == "ACCEPTED"
    last = outbox("tom@example.org")[-1]
    assert last.subject.startswith("Updated:") and "PARTSTAT=ACCEPTED" in last.calendar


def test_sequence_is_taken_atomically_two_changes_from_stale_copies_get_different_values(
    app: Any, people: dict[str, Any], make_session: Callable[..., int]
) -> None:
    """Two transactions that loaded the session at the same SEQUENCE (two people joining at once)."""
    from sqlalchemy.orm import Session

    from matchmaker.models import ConsultationSession

    session_id = make_session([(people["tom"], "creative")])
    with app.app_context():
        from matchmaker.extensions import db

        first = Session(db.engine, expire_on_commit=False)
        second = Session(db.engine, expire_on_commit=False)
        try:
            a = first.get(ConsultationSession, session_id)
            b = second.get(ConsultationSession, session_id)
            first.commit()
            second.commit()
            assert a.sequence == b.sequence == 0  # both copies loaded before either change
            a.bump()
            first.commit()
            b.bump()  # this copy still says 0: a Python `+= 1` would write 1 again
            second.commit()
            assert (a.sequence, b.sequence) == (1, 2)
        finally:
            first.close()
            second.close()
        stored = db.session.scalar(select(ConsultationSession.sequence).where(ConsultationSession.id == session_id))
        assert stored == 2


def test_every_email_about_a_round_has_reply_to_the_rounds_mailbox(
    app: Any,
    people: dict[str, Any],
    make_session: Callable[..., int],
    in_app: Callable[..., Any],
    smtp: Any,
    deliver: Callable[[], dict[str, int]],
) -> None:
    from matchmaker.invites import service

    session_id = make_session([(people["tom"], "creative"), (people["priya"], "commissioner")])
    in_app(session_id, service.session_published)
    in_app(session_id, lambda s: service.respond(s.attendees[0], "decline"))
    deliver()
    assert len(smtp.messages()) == 4  # two invitations, Tom's CANCEL, the organisers' notice
    for message in smtp.messages():
        assert message["Reply-To"] == "rounds@example.org", message["Subject"]
        assert "no-reply" in message["From"]
    notice = next(m for m in smtp.messages() if m["To"].addresses[0].addr_spec == "rounds@example.org")
    assert "Tom Price" in body_text(notice) and "cannot come" in body_text(notice)


def test_the_feed_asks_to_be_fetched_hourly_and_the_page_explains_feed_and_invitations(
    app: Any,
    client: Any,
    people: dict[str, Any],
    make_session: Callable[..., int],
    in_app: Callable[..., Any],
    sign_in: Callable[..., Any],
) -> None:
    from matchmaker.extensions import db
    from matchmaker.invites import service
    from matchmaker.models import User

    session_id = make_session([(people["tom"], "creative")], starts_at=TUESDAY_10AM)
    in_app(session_id, service.session_published)
    with app.app_context():
        token = db.session.get(User, people["tom"].id).feed_token
    text = client.get(f"/calendar/{token}.ics").get_data(as_text=True)
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in text and "X-PUBLISHED-TTL:PT1H" in text
    assert "ATTENDEE" not in text
    sign_in(people["tom"])
    page = client.get("/sessions").get_data(as_text=True)
    assert "hold the same sessions" in page


def test_the_session_page_lists_who_is_kept_out_and_an_organiser_may_lift_it(
    app: Any,
    client: Any,
    people: dict[str, Any],
    make_session: Callable[..., int],
    in_app: Callable[..., Any],
    make_user: Callable[..., Any],
    sign_in: Callable[..., Any],
    submit: Callable[..., Any],
) -> None:
    from matchmaker.extensions import db
    from matchmaker.invites import service
    from matchmaker.models import SessionExclusion, User

    session_id = make_session([(people["tom"], "creative"), (people["priya"], "commissioner")])
    other_id = make_session([(people["gareth"], "link_worker")])
    in_app(session_id, service.session_published)
    in_app(session_id, lambda s: service.respond(s.attendees[0], "decline"))
    with app.app_context():
        exclusion = db.session.scalar(select(SessionExclusion))
        assert (exclusion.user_id, exclusion.session_id, exclusion.reason.value) == (
            people["tom"].id,
            session_id,
            "declined",
        )
        exclusion_id = exclusion.id
    # Nobody can add him back while it stands.
    try:
        in_app(session_id, lambda s: service.attendee_added(s, db.session.get(User, people["tom"].id), "creative"))
    except service.Excluded:
        pass
    else:
        raise AssertionError("an excluded person was added back")

    sign_in(make_user("organiser", email="olwen@example.org"))
    page = client.get(f"/organiser/sessions/{session_id}").get_data(as_text=True)
    assert "People who will not be invited again" in page and "Said they cannot come" in page
    lift = f"/organiser/sessions/{session_id}/exclusions/{exclusion_id}/lift"
    assert lift in page
    # The exclusion belongs to another session: not liftable from there.
    assert (
        submit(
            f"/organiser/sessions/{other_id}/exclusions/{exclusion_id}/lift", {}, page=lift.rsplit("/exclusions", 1)[0]
        ).status_code
        == 404
    )
    response = submit(lift, {}, page=f"/organiser/sessions/{session_id}", follow_redirects=True)
    assert "They may be placed again" in response.get_data(as_text=True)
    with app.app_context():
        lifted = db.session.get(SessionExclusion, exclusion_id)
        assert lifted.lifted_at is not None and lifted.lifted_by_id is not None
        assert not service.is_excluded(lifted.session, people["tom"].id)
