"""Factories (factory_boy) for the tests: one place that knows how to make valid rows.

Each factory commits in the app's `db.session`, so call them inside an app context; say only what
matters to the test and let the defaults make the rest:

    RoundFactory(status="open", slots=3)
    SessionFactory(round=r, condition="dementia", attendees=[(u, "creative")])
    CreativeProfileFactory(user=u, conditions=["stroke"])
    BookingFactory(round=r, commissioner=u, status="scheduled")

Fixtures that hand out ids (make_round, make_session, ...) are thin wrappers over these.
"""

from tests.factories.accounts import UserFactory, password_hash
from tests.factories.base import BaseFactory, attached, condition, health_board, persist, reference
from tests.factories.bookings import BookingFactory
from tests.factories.listings import ListingFactory
from tests.factories.profiles import (
    CommissionerProfileFactory,
    CreativeProfileFactory,
    LinkWorkerProfileFactory,
    profile_for,
)
from tests.factories.rounds import (
    MONDAY_1_MARCH_2027_10AM,
    RegistrationFactory,
    RoundFactory,
    SlotFactory,
    round_slots,
)
from tests.factories.sessions import TUESDAY_10AM, SessionFactory, attendee_rows

__all__ = [
    "MONDAY_1_MARCH_2027_10AM",
    "TUESDAY_10AM",
    "BaseFactory",
    "BookingFactory",
    "CommissionerProfileFactory",
    "CreativeProfileFactory",
    "LinkWorkerProfileFactory",
    "ListingFactory",
    "RegistrationFactory",
    "RoundFactory",
    "SessionFactory",
    "SlotFactory",
    "UserFactory",
    "attached",
    "attendee_rows",
    "condition",
    "health_board",
    "password_hash",
    "persist",
    "profile_for",
    "reference",
    "round_slots",
]
