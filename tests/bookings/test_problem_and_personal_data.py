"""What bookings give the matching problem, and bookings in data export and account erasure."""

from __future__ import annotations

from typing import Any

from tests.bookings.support import bookings
from tests.helpers import slot_ids


def _in_app(app: Any, work: Any) -> Any:
    """Run work(db, models) in an app context."""
    from matchmaker import models
    from matchmaker.extensions import db

    with app.test_request_context():
        return work(db, models)


def test_bookings_for_problem_follow_the_contract(
    app: Any, commissioner: Any, open_round: int, make_booking: Any, make_user: Any, make_profile: Any
) -> None:
    from matchmaker.matching.bookings import bookings_for_problem

    ids = slot_ids(app, open_round)
    board = _in_app(
        app, lambda db, m: db.session.scalars(db.select(m.HealthBoard).where(m.HealthBoard.slug == "powys")).one().id
    )
    first = make_booking(commissioner, open_round, "stroke", slots=ids[1:3], language="cy", health_board_id=board)
    second = make_booking(commissioner, open_round, "dementia", slots=[ids[0]])
    make_booking(commissioner, open_round, "stroke", status="cancelled")
    entries = _in_app(app, lambda db, m: bookings_for_problem(db.session.get(m.Round, open_round)))
    assert entries == [
        {
            "id": f"b{first}",
            "commissioner": f"u{commissioner.id}",
            "condition": "stroke",
            "slots": [f"t{ids[1]}", f"t{ids[2]}"],
            "language": "cy",
            "region": "powys",
        },
        {
            "id": f"b{second}",
            "commissioner": f"u{commissioner.id}",
            "condition": "dementia",
            "slots": [f"t{ids[0]}"],
            "language": None,
            "region": None,
        },
    ]


def test_wants_to_meet_for_joins_the_commissioners_live_bookings(
    app: Any, commissioner: Any, open_round: int, make_booking: Any, make_user: Any
) -> None:
    from matchmaker.matching.bookings import booking_needs, wants_to_meet_for

    a, b, c = (make_user("creative") for _ in range(3))

    def wants(*users: Any) -> Any:
        return lambda db, m: [db.session.get(m.User, u.id) for u in users]

    make_booking(commissioner, open_round, "stroke", wants_to_meet=_in_app(app, wants(a, b)))
    make_booking(commissioner, open_round, "dementia", wants_to_meet=_in_app(app, wants(b)))
    make_booking(commissioner, open_round, "stroke", status="cancelled", wants_to_meet=_in_app(app, wants(c)))

    def read(db: Any, m: Any) -> Any:
        round_ = db.session.get(m.Round, open_round)
        return wants_to_meet_for(db.session.get(m.User, commissioner.id), round_), booking_needs(round_)

    wanted, needs = _in_app(app, read)
    assert wanted == [f"u{a.id}", f"u{b.id}"]
    need = needs[f"u{commissioner.id}"]
    assert need["conditions"] == {"stroke": 3, "dementia": 3}
    assert need["max_sessions"] == 2
    assert need["available"] == [f"t{s}" for s in slot_ids(app, open_round)]


def test_status_changes_from_the_matching_job(app: Any, commissioner: Any, open_round: int, make_booking: Any) -> None:
    from matchmaker.bookings.service import mark_scheduled, mark_unscheduled

    booking_id = make_booking(commissioner, open_round)

    def unschedule_then_schedule(db: Any, m: Any) -> None:
        booking = db.session.get(m.Booking, booking_id)
        mark_unscheduled(booking, "no_link_worker", "No link worker")
        assert (booking.status.value, booking.reason_code) == ("unscheduled", "no_link_worker")
        mark_scheduled(booking)
        db.session.commit()

    _in_app(app, unschedule_then_schedule)
    [booking] = bookings(app)
    assert booking.status.value == "scheduled" and booking.reason_code is None


def test_data_export_lists_bookings(
    app: Any, client: Any, sign_in: Any, commissioner: Any, open_round: int, make_booking: Any
) -> None:
    make_booking(commissioner, open_round, purpose="Gweithdai i bobl â dementia")
    sign_in(commissioner)
    data = client.get("/account/my-data").get_json()
    [entry] = data["bookings"]
    assert entry["purpose"] == "Gweithdai i bobl â dementia"
    assert entry["condition"] == "stroke" and entry["status"] == "requested"
    assert len(entry["slots"]) == 4


def test_erasure_cancels_and_blanks_bookings_but_keeps_sessions_whole(
    app: Any, commissioner: Any, open_round: int, make_booking: Any, make_session: Any, make_user: Any
) -> None:
    from matchmaker.accounts.service import erase

    creative = make_user("creative")
    wanted_by_other = make_user("commissioner")
    booking_id = make_booking(commissioner, open_round, status="scheduled", purpose="Private notes")
    session_id = make_session(open_round, booking_id, [(commissioner, "commissioner"), (creative, "creative")])
    other_booking = make_booking(
        wanted_by_other, open_round, wants_to_meet=_in_app(app, lambda db, m: [db.session.get(m.User, commissioner.id)])
    )

    def do(db: Any, m: Any) -> None:
        erase(db.session.get(m.User, commissioner.id))
        db.session.commit()

    _in_app(app, do)
    rows = {b.id: b for b in bookings(app)}
    assert rows[booking_id].status.value == "cancelled"
    assert rows[booking_id].purpose == ""
    assert rows[other_booking].wants_to_meet == []

    def session_state(db: Any, m: Any) -> Any:
        session = db.session.get(m.ConsultationSession, session_id)
        return session.status.value, [a.user_id for a in session.attendees if a.removed_at is None]

    status, current = _in_app(app, session_state)
    assert status == "scheduled" and current == [creative.id]
