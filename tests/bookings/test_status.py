"""Where a booking stands: scheduled with who attends, could not be scheduled with why; cancelling a scheduled one."""

from __future__ import annotations

from typing import Any

import pytest

from tests.bookings.support import bookings


@pytest.fixture
def scheduled(
    app: Any,
    commissioner: Any,
    open_round: int,
    make_booking: Any,
    make_session: Any,
    make_user: Any,
    make_profile: Any,
) -> dict[str, Any]:
    """A scheduled booking served by a published session with a creative and a link worker."""
    creative = make_user("creative", name="Dafydd Jenkins")
    make_profile(creative, organisation="Ensemble Glan-y-Môr")
    link_worker = make_user("link_worker", name="Mared Owen")
    make_profile(link_worker, organisation="Meddygfa'r Bont")
    booking_id = make_booking(commissioner, open_round, status="scheduled")
    session_id = make_session(
        open_round, booking_id, [(commissioner, "commissioner"), (creative, "creative"), (link_worker, "link_worker")]
    )
    return {"booking": booking_id, "session": session_id, "creative": creative}


def test_a_scheduled_booking_shows_when_and_who(client: Any, sign_in: Any, commissioner: Any, scheduled: Any) -> None:
    sign_in(commissioner)
    page = client.get(f"/bookings/{scheduled['booking']}").get_data(as_text=True)
    assert "Scheduled" in page
    assert "Your session is scheduled for 10am on Monday 1 March 2027 to 11:30am." in page
    assert "Dafydd Jenkins (Ensemble Glan-y-Môr)" in page
    assert "Mared Owen (Meddygfa&#39;r Bont)" in page
    assert "Change your request" not in page  # only requests waiting to be scheduled change


def test_a_declined_attendee_is_not_listed(
    app: Any, client: Any, sign_in: Any, commissioner: Any, scheduled: Any
) -> None:
    from matchmaker.extensions import db
    from matchmaker.models import PartStat, SessionAttendee

    with app.app_context():
        attendee = db.session.scalars(
            db.select(SessionAttendee).where(SessionAttendee.user_id == scheduled["creative"].id)
        ).one()
        attendee.partstat = PartStat.DECLINED
        db.session.commit()
    sign_in(commissioner)
    assert "Dafydd Jenkins" not in client.get(f"/bookings/{scheduled['booking']}").get_data(as_text=True)


def test_an_unscheduled_booking_says_why_and_what_would_help(
    app: Any, client: Any, sign_in: Any, commissioner: Any, open_round: int, make_booking: Any
) -> None:
    from matchmaker.bookings.service import mark_unscheduled
    from matchmaker.extensions import db
    from matchmaker.models import Booking

    booking_id = make_booking(commissioner, open_round)
    with app.app_context():
        mark_unscheduled(db.session.get(Booking, booking_id), "too_few_creatives", "Fewer than 3 creatives for Stroke")
        db.session.commit()
    sign_in(commissioner)
    page = client.get(f"/bookings/{booking_id}").get_data(as_text=True)
    assert "Could not be scheduled" in page
    assert "Too few creative professionals who work with this condition are free at the slots you chose." in page
    assert "Choosing more slots, or slots in another week, would help." in page
    assert "Fewer than 3 creatives" not in page  # the solver's own sentence is for organisers


def test_every_solver_booking_reason_has_words(app: Any) -> None:
    from pathlib import Path

    from matchmaker.bookings.reasons import REASONS, UNKNOWN, explain

    explain_source = (Path(__file__).parents[2] / "matchmaker" / "solver" / "explain.py").read_text()
    codes = {
        "commissioner_lacks_condition",
        "no_commissioner_language",
        "no_commissioner_slot",
        "no_link_worker",
        "too_few_creatives",
        "cap_reached",
        "commissioner_busy",
        "slots_full",
        "staff_busy",
        "outranked",
        "not_selected",
        "organisation_clash",
    }
    for code in codes:
        assert f'"{code}"' in explain_source, code  # still a code the solver uses
        assert code in REASONS, code
    with app.test_request_context():
        assert explain("no_such_code") == (str(UNKNOWN[0]), str(UNKNOWN[1]))
        assert explain("slots_full")[0].startswith("The slots you chose")


def test_cancelling_a_scheduled_booking_frees_its_place_and_tells_the_organiser(
    app: Any, client: Any, submit: Any, sign_in: Any, commissioner: Any, scheduled: Any, outbox: Any
) -> None:
    from matchmaker.extensions import db
    from matchmaker.models import ConsultationSession, SessionStatus

    sign_in(commissioner)
    page = client.get(f"/bookings/{scheduled['booking']}/cancel").get_data(as_text=True)
    assert "the organisers will decide whether it goes ahead" in page
    assert submit(f"/bookings/{scheduled['booking']}/cancel", {}).status_code == 302

    [booking] = bookings(app)
    assert booking.status.value == "cancelled"
    with app.app_context():
        session = db.session.get(ConsultationSession, scheduled["session"])
        assert session.booking_id is None
        assert session.status == SessionStatus.SCHEDULED  # the organiser decides
        removed = {a.user_id: a.removed_at for a in session.attendees}
        assert removed[commissioner.id] is not None
        assert removed[scheduled["creative"].id] is None
    [to_organiser] = outbox("rounds@example.org")
    assert to_organiser.subject == "A scheduled booking was cancelled: Stroke"
    assert "Ceri Morgan has cancelled their booking" in to_organiser.text_body
    assert "Decide whether the session goes ahead" in to_organiser.text_body
    session_link = f"http://localhost/organiser/sessions/{scheduled['session']}"
    assert session_link in to_organiser.text_body
    assert f'href="{session_link}"' in to_organiser.html_body
    mine = outbox(commissioner.email)
    assert any(m.calendar_method == "CANCEL" for m in mine)  # the calendar event goes from their calendar
    assert any(m.subject == "Your request for a session on Stroke is cancelled" for m in mine)
    # Cancelling twice changes nothing more.
    assert submit(f"/bookings/{scheduled['booking']}/cancel", {}, page="/bookings/").status_code == 302
    assert len(outbox("rounds@example.org")) == 1


def test_the_organiser_can_read_any_booking_but_not_change_it(
    client: Any, sign_in: Any, make_user: Any, commissioner: Any, scheduled: Any
) -> None:
    sign_in(make_user("organiser"))
    page = client.get(f"/bookings/{scheduled['booking']}")
    assert page.status_code == 200 and "Dafydd Jenkins" in page.get_data(as_text=True)
    assert "Cancel request" not in page.get_data(as_text=True)
    assert client.get(f"/bookings/{scheduled['booking']}/cancel").status_code == 403


def test_organisers_also_see_the_solvers_note(
    app: Any, client: Any, sign_in: Any, make_user: Any, commissioner: Any, open_round: int, make_booking: Any
) -> None:
    booking_id = make_booking(
        commissioner,
        open_round,
        status="unscheduled",
        reason_code="no_link_worker",
        reason_detail="No link worker for Stroke",
    )
    sign_in(make_user("organiser"))
    page = client.get(f"/bookings/{booking_id}").get_data(as_text=True)
    assert "No link worker who works with this condition is free" in page
    assert "No link worker for Stroke" in page


def test_an_unscheduled_request_explains_an_invitation_on_the_same_condition_from_the_registration(
    app: Any, client: Any, sign_in: Any, commissioner: Any, open_round: int, make_booking: Any, make_session: Any
) -> None:
    from matchmaker.bookings.service import mark_unscheduled
    from matchmaker.extensions import db
    from matchmaker.models import Booking, ConsultationSession

    booking_id = make_booking(commissioner, open_round)
    session_id = make_session(open_round, booking_id, [(commissioner, "commissioner")])
    with app.app_context():
        db.session.get(ConsultationSession, session_id).booking_id = None  # placed from the registration instead
        mark_unscheduled(db.session.get(Booking, booking_id), "outranked", "")
        db.session.commit()
    sign_in(commissioner)
    page = client.get(f"/bookings/{booking_id}").get_data(as_text=True)
    assert "Could not be scheduled" in page
    assert (
        "You are still invited to a session on this condition: 10am on Monday 1 March 2027. It came from your "
        "registration of interest, not from this request" in page
    )
    assert 'href="/sessions"' in page
    # Not while the request waits to be scheduled, nor for a session on another condition.
    with app.app_context():
        db.session.get(Booking, booking_id).status = "requested"
        db.session.commit()
    assert "You are still invited" not in client.get(f"/bookings/{booking_id}").get_data(as_text=True)
