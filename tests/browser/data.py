"""What the browser tests' pages show (rounds, profiles, registrations, bookings, sessions), made with the
factories in tests/factories. Each takes a Setup (or runs inside its app context, where it says so)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.browser.visits import Setup

CONDITIONS = ("stroke", "dementia")


def profile(user: Any, **fields: Any) -> Any:
    """A profile on stroke and dementia in Cardiff and Vale, in English and Welsh (link workers: English),
    for a user of any role but organiser (inside an app context; seeds the reference data if missing)."""
    from matchmaker.models import Experience, Role
    from matchmaker.reference.seed import seed_reference_data
    from tests.factories import profile_for

    seed_reference_data()
    defaults: dict[str, Any] = {
        Role.CREATIVE: {
            "organisation": f"Côr {user.name}",
            "languages": ["en", "cy"],
            "directory_consent": True,
            "experience": Experience.EXPERIENCED,
        },
        Role.COMMISSIONER: {
            "organisation": "Cyngor Caerdydd",
            "organisation_kind": "local_authority",
            "languages": ["en", "cy"],
        },
        Role.LINK_WORKER: {"organisation": "Meddygfa", "languages": ["en"]},
    }[Role(user.role)]
    return profile_for(user, conditions=CONDITIONS, boards=["cardiff-vale"], **{**defaults, **fields})


def with_profile(setup: Setup, user: Any = None, **fields: Any) -> None:
    """Give this person (default: the signed-in one) the profile above."""
    setup.run(lambda: profile(user or setup.user, **fields))


def round_with_registrations(setup: Setup, status: str = "open") -> int:
    """A round on stroke and dementia with twelve slots (10am and 2pm on 1, 2, 3, 8, 9 and 29 March 2027; the
    29th is Easter Monday) and three people registered for its first two slots; its id."""
    from matchmaker.models import Slot
    from matchmaker.reference.seed import seed_reference_data
    from tests.factories import RegistrationFactory, RoundFactory

    people = [setup.make_user(role, name=f"Rhian {role}") for role in ("creative", "commissioner", "link_worker")]

    def work() -> int:
        seed_reference_data()
        slots = []
        for day in (1, 2, 3, 8, 9, 29):
            for hour in (10, 14):
                start = datetime(2027, 3, day, hour - (1 if day == 29 else 0), tzinfo=UTC)  # BST from the 28th
                holiday = "Easter Monday" if day == 29 else ""
                slots.append(Slot(starts_at=start, ends_at=start + timedelta(minutes=90), bank_holiday=holiday))
        round_ = RoundFactory(
            status=status,
            conditions=CONDITIONS,
            description_en="Sessions in March.",
            description_cy="Sesiynau ym mis Mawrth.",
            slots=slots,
        )
        for person in people:
            profile(person)
            RegistrationFactory(
                round=round_,
                user=person,
                max_sessions=2,
                conditions={round_.conditions[0].slug: 3},
                slots=round_.slots[:2],
            )
        return round_.id

    return setup.run(work)


def closed_round(people: list[Any], slots: list[datetime], conditions: tuple[str, ...] = ("stroke",)) -> Any:
    """A closed round on these conditions with a 90-minute slot at each time, everyone given the profile above
    and registered for every slot (strength 3, one session); inside an app context."""
    from tests.factories import RegistrationFactory, RoundFactory

    for person in people:
        profile(person)
    round_ = RoundFactory(status="closed", conditions=conditions, slots=slots)
    for person in people:
        RegistrationFactory(round=round_, user=person, conditions=dict.fromkeys(conditions, 3))
    return round_


def booking(setup: Setup, round_id: int, user_id: int, status: str = "requested", reason: str | None = None) -> int:
    """A booking on stroke in Hywel Dda, in Welsh, for the round's first three slots, for this commissioner."""
    from matchmaker.extensions import db
    from matchmaker.models import Round, User
    from tests.factories import BookingFactory

    def work() -> int:
        round_ = db.session.get(Round, round_id)
        return BookingFactory(
            round=round_,
            commissioner=db.session.get(User, user_id),
            health_board="hywel-dda",
            language="cy",
            status=status,
            reason_code=reason,
            purpose="Sut mae canu yn helpu pobl ar ôl strôc",
            slots=round_.slots[:3],
        ).id

    return setup.run(work)


# Creative professionals of the matching journeys (Welsh letters on purpose).
CREATIVES = [
    "Anwen Morgan",
    "Bryn Tudur",
    "Carys Ŵyn",
    "Dafydd Pryce",
    "Elin Rhys",
    "Ffraid Owen",
    "Gethin Lloyd",
    "Heledd Jones",
]
SLOT = datetime(2027, 3, 2, 10, tzinfo=UTC)


def round_to_match(app: Any, people: list[Any]) -> int:
    """A closed round on stroke with one slot: room for one session of at most six creatives."""
    with app.test_request_context():
        return closed_round(people, [SLOT]).id


def staff_round(setup: Setup, round_id: int) -> None:
    """Register three more creatives and a Welsh-speaking link worker, free at every slot for every condition,
    so that sessions in Welsh and in English can run (requests are checked against who could attend)."""
    from matchmaker.extensions import db
    from matchmaker.models import Round, User
    from tests.factories import RegistrationFactory

    people = [setup.make_user("creative", name=f"Gwyn creative {i}") for i in range(3)]
    people.append(setup.make_user("link_worker", name="Gwyn link worker"))

    def work() -> None:
        round_ = db.session.get(Round, round_id)
        for person in people:
            user = db.session.get(User, person.id)
            profile(user, languages=["en", "cy"])
            conditions = {condition.slug: 3 for condition in round_.conditions}
            RegistrationFactory(round=round_, user=user, max_sessions=2, conditions=conditions)

    setup.run(work)
