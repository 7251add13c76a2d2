"""The booking pages for the axe-core sweep (added to PAGES in pages.py)."""

from __future__ import annotations

from typing import Any

from tests.browser.data import booking, profile, round_with_registrations, staff_round, with_profile
from tests.browser.visits import ORGANISER, SUBMIT, Setup, Visit

COMMISSIONER = "commissioner"


def _index(setup: Setup) -> str:
    """Your bookings, with an open round to request in and one booking listed."""
    with_profile(setup)
    booking(setup, round_with_registrations(setup), setup.user.id)
    return "/bookings/"


def _new(setup: Setup) -> str:
    """The request form."""
    with_profile(setup)
    round_id = round_with_registrations(setup)
    staff_round(setup, round_id)
    return f"/bookings/rounds/{round_id}/new"


def _closed(setup: Setup) -> str:
    """The request form of a closed round: a message instead."""
    with_profile(setup)
    return f"/bookings/rounds/{round_with_registrations(setup, status='closed')}/new"


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
        with_profile(setup)
        return f"/bookings/{booking(setup, round_with_registrations(setup), setup.user.id, status, reason)}"

    return build


def _scheduled(setup: Setup) -> str:
    """A scheduled booking with its published session and the people in it."""
    from matchmaker.extensions import db
    from matchmaker.models import Booking
    from tests.factories import SessionFactory

    with_profile(setup)
    round_id = round_with_registrations(setup)
    booking_id = booking(setup, round_id, setup.user.id, "scheduled")
    creative = setup.make_user("creative", name="Lowri Bowen")
    with_profile(setup, creative)

    def work() -> None:
        found = db.session.get(Booking, booking_id)
        SessionFactory(
            round=found.round,
            booking=found,
            plan_key="S1",
            purpose="",
            attendees=[(setup.user, "commissioner"), (creative, "creative")],
        )

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
    round_id = round_with_registrations(setup)
    for status in ("requested", "unscheduled"):
        person = setup.make_user("commissioner", name=f"Bethan {status}")
        booking(setup, round_id, person.id, status, "slots_full" if status == "unscheduled" else None)
    return f"/organiser/rounds/{round_id}/bookings"


def _organiser_reads(setup: Setup) -> str:
    """An organiser reading a commissioner's booking."""
    person = setup.make_user("commissioner", name="Gethin Lloyd")
    return f"/bookings/{booking(setup, round_with_registrations(setup), person.id)}"


def _choose(setup: Setup) -> str:
    """Choose whom to book for."""
    return f"/organiser/rounds/{round_with_registrations(setup)}/bookings/new"


def _new_for(setup: Setup) -> str:
    """The request form, on a commissioner's behalf."""
    from matchmaker.extensions import db
    from matchmaker.models import User

    person = setup.make_user("commissioner", name="Iolo Price")
    setup.run(lambda: profile(db.session.get(User, person.id)))
    round_id = round_with_registrations(setup)
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
