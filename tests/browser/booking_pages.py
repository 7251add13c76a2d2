"""The booking pages for the axe-core sweep (added to PAGES in pages.py)."""

from __future__ import annotations

from typing import Any

from tests.browser.pages import ORGANISER, SUBMIT, Setup, Visit
from tests.browser.round_pages import _profile, _round

COMMISSIONER = "commissioner"


def _with_profile(setup: Setup) -> None:
    """Give the signed-in commissioner a profile (stroke and dementia, English and Welsh)."""
    from matchmaker.extensions import db
    from matchmaker.models import User

    setup.run(lambda: _profile(db.session.get(User, setup.user.id)))


def _booking(setup: Setup, round_id: int, user_id: int, status: str = "requested", reason: str | None = None) -> int:
    """A booking on stroke in the round, for this commissioner."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import Booking, BookingStatus, Condition, HealthBoard, Round, User

    def work() -> int:
        round_ = db.session.get(Round, round_id)
        booking = Booking(
            round=round_,
            commissioner=db.session.get(User, user_id),
            condition=db.session.scalars(select(Condition).where(Condition.slug == "stroke")).one(),
            health_board=db.session.scalars(select(HealthBoard).where(HealthBoard.slug == "hywel-dda")).one(),
            language="cy",
            status=BookingStatus(status),
            reason_code=reason,
            purpose="Sut mae canu yn helpu pobl ar ôl strôc",
        )
        booking.slots = round_.slots[:3]
        db.session.add(booking)
        db.session.commit()
        return booking.id

    return setup.run(work)


def staff_round(setup: Setup, round_id: int) -> None:
    """Register three more creatives and a link worker, free at every slot, so Welsh and English sessions can run."""
    from matchmaker.extensions import db
    from matchmaker.models import Registration, RegistrationCondition, Round, User

    people = [setup.make_user("creative", name=f"Gwyn creative {i}") for i in range(3)]
    people.append(setup.make_user("link_worker", name="Gwyn link worker"))

    def work() -> None:
        round_ = db.session.get(Round, round_id)
        for person in people:
            user = db.session.get(User, person.id)
            _profile(user)
            registration = Registration(round_id=round_.id, user_id=user.id, max_sessions=2)
            registration.conditions = [RegistrationCondition(condition_id=c.id, strength=3) for c in round_.conditions]
            registration.slots = list(round_.slots)
            db.session.add(registration)
        db.session.commit()
        _welsh_link_workers(round_id)

    setup.run(work)


def _welsh_link_workers(round_id: int) -> None:
    """Link workers' profiles speak English in round_pages._profile: make those in this round speak Welsh too."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import LinkWorkerProfile, Registration

    registered = select(Registration.user_id).where(Registration.round_id == round_id)
    for profile in db.session.scalars(select(LinkWorkerProfile).where(LinkWorkerProfile.user_id.in_(registered))):
        profile.languages = ["en", "cy"]
    db.session.commit()


def _index(setup: Setup) -> str:
    """Your bookings, with an open round to request in and one booking listed."""
    _with_profile(setup)
    _booking(setup, _round(setup), setup.user.id)
    return "/bookings/"


def _new(setup: Setup) -> str:
    """The request form."""
    _with_profile(setup)
    round_id = _round(setup)
    staff_round(setup, round_id)
    return f"/bookings/rounds/{round_id}/new"


def _closed(setup: Setup) -> str:
    """The request form of a closed round: a message instead."""
    _with_profile(setup)
    return f"/bookings/rounds/{_round(setup, status='closed')}/new"


def fill_request(page: Any) -> None:
    """Answer the request form (stroke, the first week, either language, a purpose) and continue."""
    page.locator("#condition").check()
    page.locator("input[name=weeks]").first.check()
    page.locator("input[name=language][value=either]").check()
    page.locator("#purpose").fill("Sut mae canu yn helpu pobl ar ôl strôc")
    with page.expect_navigation():
        page.locator(SUBMIT).last.click()


def _show(status: str, reason: str | None = None) -> Any:
    """A booking page in this status."""

    def build(setup: Setup) -> str:
        _with_profile(setup)
        return f"/bookings/{_booking(setup, _round(setup), setup.user.id, status, reason)}"

    return build


def _scheduled(setup: Setup) -> str:
    """A scheduled booking with its published session and the people in it."""
    from matchmaker.extensions import db
    from matchmaker.models import Booking, ConsultationSession, SessionAttendee, User

    _with_profile(setup)
    round_id = _round(setup)
    booking_id = _booking(setup, round_id, setup.user.id, "scheduled")
    creative = setup.make_user("creative", name="Lowri Bowen")

    def work() -> None:
        _profile(db.session.get(User, creative.id))
        booking = db.session.get(Booking, booking_id)
        session = ConsultationSession(
            round_id=round_id,
            plan_key="S1",
            condition_id=booking.condition_id,
            slot_id=booking.slots[0].id,
            language="cy",
            booking_id=booking.id,
        )
        session.attendees = [
            SessionAttendee(user_id=setup.user.id, role="commissioner"),
            SessionAttendee(user_id=creative.id, role="creative"),
        ]
        db.session.add(session)
        db.session.commit()

    setup.run(work)
    return f"/bookings/{booking_id}"


def _change(setup: Setup) -> str:
    """The change form of a request."""
    return _show("requested")(setup) + "/change"


def _cancel(setup: Setup) -> str:
    """Are you sure you want to cancel?"""
    return _show("requested")(setup) + "/cancel"


def _organiser_list(setup: Setup) -> str:
    """A round's bookings, with two in it."""
    round_id = _round(setup)
    for status in ("requested", "unscheduled"):
        person = setup.make_user("commissioner", name=f"Bethan {status}")
        _booking(setup, round_id, person.id, status, "slots_full" if status == "unscheduled" else None)
    return f"/organiser/rounds/{round_id}/bookings"


def _organiser_reads(setup: Setup) -> str:
    """An organiser reading a commissioner's booking."""
    person = setup.make_user("commissioner", name="Gethin Lloyd")
    return f"/bookings/{_booking(setup, _round(setup), person.id)}"


def _choose(setup: Setup) -> str:
    """Choose whom to book for."""
    return f"/organiser/rounds/{_round(setup)}/bookings/new"


def _new_for(setup: Setup) -> str:
    """The request form, on a commissioner's behalf."""
    from matchmaker.extensions import db
    from matchmaker.models import User

    person = setup.make_user("commissioner", name="Iolo Price")
    setup.run(lambda: _profile(db.session.get(User, person.id)))
    round_id = _round(setup)
    staff_round(setup, round_id)
    return f"/organiser/rounds/{round_id}/bookings/new/{person.id}"


BOOKING_PAGES: list[Visit] = [
    Visit("bookings.index", COMMISSIONER, _index),
    Visit("bookings.new", COMMISSIONER, _new, submit=SUBMIT),
    Visit("bookings.new", COMMISSIONER, _closed),
    Visit("bookings.check_new", COMMISSIONER, _new, reach=fill_request),
    Visit("bookings.show", COMMISSIONER, _show("requested")),
    Visit("bookings.show", COMMISSIONER, _show("unscheduled", "too_few_creatives")),
    Visit("bookings.show", COMMISSIONER, _scheduled),
    Visit("bookings.show", ORGANISER, _organiser_reads),
    Visit("bookings.change", COMMISSIONER, _change),  # filled in already: an empty submission is valid
    Visit("bookings.check_change", COMMISSIONER, _change, reach=fill_request),
    Visit("bookings.cancel", COMMISSIONER, _cancel),
    Visit("bookings.organiser_list", ORGANISER, _organiser_list),
    Visit("bookings.choose_commissioner", ORGANISER, _choose, submit=SUBMIT),
    Visit("bookings.new_for", ORGANISER, _new_for, submit=SUBMIT),
    Visit("bookings.check_for", ORGANISER, _new_for, reach=fill_request),
]

BOOKING_NOT_PAGES: dict[str, str] = {
    "bookings.organiser_export": "a CSV download",
}
