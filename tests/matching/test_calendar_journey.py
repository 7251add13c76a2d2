"""End to end, as a new organiser would, with real SMTP and IMAP servers on loopback: publish; move a
slot (one update each with the new time); a creative declines by a REPLY email fetched over IMAP;
refill and publish (only the new people invited); the old draft cannot be published."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from tests.helpers import csrf_token
from tests.invites import replies
from tests.invites.imap_server import open_mailbox
from tests.matching.support import publish_latest


def _recipients(server, start):
    """(address, METHOD, DTSTART line) of each message the SMTP server accepted from index start."""
    found = []
    for item in server.received[start:]:
        message = item.parsed()
        calendar = next((p for p in message.walk() if p.get_content_type() == "text/calendar"), None)
        text = calendar.get_payload(decode=True).decode() if calendar is not None else ""
        method = next((line[7:] for line in text.splitlines() if line.startswith("METHOD:")), None)
        start_line = next((line for line in text.splitlines() if line.startswith("DTSTART")), None)
        found.append((message["To"].addresses[0].addr_spec, method, start_line))
    return found


def test_publish_move_decline_by_calendar_refill_and_the_old_draft_refused(
    app,
    client,
    seeded,
    run_round,
    organiser,
    sign_in,
    submit,
    make_user,
    profile,
    register,
    smtp_server,
    use_mail_server,
    imap_server,
):
    from matchmaker.extensions import db
    from matchmaker.invites.tasks import read_calendar_replies
    from matchmaker.models import ConsultationSession, MatchDraft, SessionPlace, User

    use_mail_server(smtp_server)
    # 1. Publish: one invitation per place.
    run_round(seeded.round_id)
    publish_latest(app, seeded.round_id)
    with app.app_context():
        sessions = list(db.session.scalars(select(ConsultationSession).order_by(ConsultationSession.id)))
        moved = sessions[0]
        moved_id, slot_id, old_sequence = moved.id, moved.slot_id, moved.sequence
        on_slot = [s.id for s in sessions if s.slot_id == slot_id]
        people_on_slot = Counter(
            a.user.email for s in sessions if s.slot_id == slot_id for a in s.attendees if a.is_current
        )
    published = len(smtp_server.received)
    assert published >= sum(people_on_slot.values()) > 0

    # 2. Move the slot: 1 March 10:00 (GMT) -> 29 March 10:00 (BST); one update each, with the new time.
    sign_in(organiser)
    url = f"/organiser/rounds/{seeded.round_id}/slots/{slot_id}"
    assert f"{sum(people_on_slot.values())} people will be sent an updated invitation" in client.get(url).get_data(
        as_text=True
    )
    submit(url, {"day": ["29", "3", "2027"], "starts": "10:00", "minutes": "90"})
    updates = _recipients(smtp_server, published)
    assert Counter(address for address, _m, _s in updates) == people_on_slot  # exactly one each
    assert {(method, start) for _a, method, start in updates} == {("REQUEST", "DTSTART:20270329T090000Z")}
    with app.app_context():
        assert {db.session.get(ConsultationSession, s).sequence for s in on_slot} >= {old_sequence + 1}

    # 3. A creative declines in her calendar app: the REPLY reaches the round mailbox, read over IMAP.
    with app.app_context():
        session = db.session.get(ConsultationSession, moved_id)
        attendee = next(a for a in session.attendees if a.role == "creative" and a.is_current)
        decliner, email, uid, sequence = attendee.user_id, attendee.user.email, session.uid, session.sequence

    def creatives_taken():
        with app.app_context():
            return db.session.scalar(
                select(SessionPlace.taken).where(SessionPlace.session_id == moved_id, SessionPlace.role == "creative")
            )

    taken_before = creatives_taken()
    with open_mailbox(imap_server) as mailbox:
        mailbox.append("INBOX", replies.gmail(uid, email, "DECLINED", sequence=sequence))
    before_reply = len(smtp_server.received)
    with app.app_context():
        assert read_calendar_replies.call_local() == {"applied": 1}
    page = client.get(f"/organiser/sessions/{moved_id}").get_data(as_text=True)
    with app.app_context():
        name = db.session.get(User, decliner).name
    assert creatives_taken() == taken_before - 1  # the place is free
    assert f"{name} cannot come" in page  # the site shows the decline
    assert "Said they cannot come" in page  # and that they will not be invited again
    after_reply = _recipients(smtp_server, before_reply)
    assert (email, "CANCEL", "DTSTART:20270329T090000Z") in after_reply  # out of her calendar
    assert any(address == "rounds@example.org" for address, _m, _s in after_reply)  # the organisers are told

    # 4. A late creative registers; refill and publish: only the new people are invited, not the decliner.
    late = make_user("creative", name="Late Creative", email="late@example.org")
    profile(late, "Late Arts")
    register(seeded.round_id, late, {"stroke": 2}, seeded.slots)
    run_round(seeded.round_id, kind="refill")
    before_refill = len(smtp_server.received)
    result = publish_latest(app, seeded.round_id)
    invited_now = _recipients(smtp_server, before_refill)
    assert result.added >= 1 and len(invited_now) == result.added
    assert "late@example.org" in {address for address, _m, _s in invited_now}
    assert email not in {address for address, _m, _s in invited_now}
    assert all(method == "REQUEST" for _a, method, _s in invited_now)

    # 5. The first draft is superseded: no publish button, and a POST is refused.
    with app.app_context():
        first = min(db.session.scalars(select(MatchDraft.version).where(MatchDraft.round_id == seeded.round_id)))
    publish_url = f"/organiser/rounds/{seeded.round_id}/matching/drafts/{first}/publish"
    page = client.get(publish_url).get_data(as_text=True)
    assert "Publish and send invites" not in page
    before_old = len(smtp_server.received)
    refused = client.post(publish_url, data={"csrf_token": csrf_token(page)})
    assert "Only the latest version can be changed or published" in refused.get_data(as_text=True)
    assert len(smtp_server.received) == before_old
