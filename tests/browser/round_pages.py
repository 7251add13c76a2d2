"""The rounds and registration pages for the axe-core sweep (added to PAGES in pages.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.browser.pages import CREATIVE, ORGANISER, SUBMIT, Setup, Visit


def _round(setup: Setup, status: str = "open") -> int:
    """An open round on stroke and dementia with six slots (one on a bank holiday) and three registrations."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import Condition, Registration, RegistrationCondition, Round, RoundStatus, Slot
    from matchmaker.reference.seed import seed_reference_data

    people = [setup.make_user(role, name=f"Rhian {role}") for role in ("creative", "commissioner", "link_worker")]

    def work() -> int:
        seed_reference_data()
        conditions = list(db.session.scalars(select(Condition).where(Condition.slug.in_(["stroke", "dementia"]))))
        round_ = Round(
            title_en="Spring round",
            title_cy="Rownd y gwanwyn",
            description_en="Sessions in March.",
            description_cy="Sesiynau ym mis Mawrth.",
            status=RoundStatus(status),
            registration_opens_at=datetime(2027, 1, 4, 9, tzinfo=UTC),
            registration_closes_at=datetime(2027, 2, 26, 17, tzinfo=UTC),
            organiser_mailbox="rounds@example.org",
        )
        round_.conditions = conditions
        for day in (1, 2, 3, 8, 9, 29):
            for hour in (10, 14):
                start = datetime(2027, 3, day, hour - (1 if day == 29 else 0), tzinfo=UTC)
                holiday = "Easter Monday" if day == 29 else ""
                round_.slots.append(Slot(starts_at=start, ends_at=start + timedelta(minutes=90), bank_holiday=holiday))
        db.session.add(round_)
        db.session.flush()
        db.session.commit()
        for person in people:
            _profile(person)
            registration = Registration(round_id=round_.id, user_id=person.id, max_sessions=2)
            registration.conditions = [RegistrationCondition(condition_id=conditions[0].id, strength=3)]
            registration.slots = round_.slots[:2]
            db.session.add(registration)
        db.session.commit()
        return round_.id

    return setup.run(work)


def _profile(user: Any) -> None:
    """A profile on stroke and dementia, in Cardiff and Vale, English and Welsh (inside an app context)."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import (
        CommissionerKind,
        CommissionerProfile,
        Condition,
        CreativeCondition,
        CreativeProfile,
        Experience,
        HealthBoard,
        LinkWorkerProfile,
        OrganisationKind,
        Role,
    )
    from matchmaker.reference.seed import seed_reference_data

    seed_reference_data()
    conditions = list(db.session.scalars(select(Condition).where(Condition.slug.in_(["stroke", "dementia"]))))
    board = db.session.scalars(select(HealthBoard).where(HealthBoard.slug == "cardiff-vale")).one()
    if user.role == Role.CREATIVE:
        profile = CreativeProfile(
            user_id=user.id,
            organisation_name=f"Côr {user.name}",
            organisation_key=f"côr {user.name}".lower(),
            organisation_kind=OrganisationKind.ARTS_ORGANISATION,
            languages=["en", "cy"],
            directory_consent=True,
        )
        profile.conditions = [
            CreativeCondition(condition_id=c.id, experience=Experience.EXPERIENCED) for c in conditions
        ]
        profile.health_boards = [board]
    elif user.role == Role.COMMISSIONER:
        profile = CommissionerProfile(
            user_id=user.id,
            organisation="Cyngor Caerdydd",
            organisation_kind=CommissionerKind.LOCAL_AUTHORITY,
            languages=["en", "cy"],
        )
        profile.conditions = conditions
        profile.health_boards = [board]
    else:
        profile = LinkWorkerProfile(user_id=user.id, employer="Meddygfa", languages=["en"], health_board_id=board.id)
        profile.conditions = conditions
    db.session.add(profile)
    db.session.commit()


def _with_profile(setup: Setup) -> None:
    """Give the signed-in person a profile."""
    from matchmaker.extensions import db
    from matchmaker.models import User

    setup.run(lambda: _profile(db.session.get(User, setup.user.id)))


def _slot_id(setup: Setup, round_id: int) -> int:
    """The round's first slot."""
    from matchmaker.extensions import db
    from matchmaker.models import Round

    return setup.run(lambda: db.session.get(Round, round_id).slots[0].id)


def _register_page(setup: Setup) -> str:
    _with_profile(setup)
    return f"/rounds/{_round(setup)}/interest"


def _fill_and_continue(page: Any) -> None:
    """Choose a condition and its strength and a time, then continue to check your answers."""
    page.locator("input[name=conditions]").first.check()
    page.locator("input[name^=strength-][value='3']").first.check()
    page.locator("#slots").check()
    page.locator("main form[method=post] button:not([type=button])").last.click()


def _my_registration(setup: Setup) -> str:
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import Registration, RegistrationCondition, Round

    _with_profile(setup)
    round_id = _round(setup)

    def work() -> int:
        round_ = db.session.get(Round, round_id)
        registration = Registration(round_id=round_id, user_id=setup.user.id, max_sessions=1)
        registration.conditions = [RegistrationCondition(condition_id=round_.conditions[0].id, strength=2)]
        registration.slots = round_.slots[:3]
        db.session.add(registration)
        db.session.commit()
        return db.session.scalar(select(Registration.id).where(Registration.user_id == setup.user.id))

    return f"/rounds/registrations/{setup.run(work)}"


def _preview_pattern(page: Any) -> None:
    """Fill the pattern form and preview the slots (the preview table and save button)."""
    for name, values in (("first_day", ("29", "3", "2027")), ("last_day", ("9", "4", "2027"))):
        page.locator(f"#{name}").fill(values[0])
        page.locator(f"#{name}-month").fill(values[1])
        page.locator(f"#{name}-year").fill(values[2])
    page.locator("#start_times").fill("10:00, 11:00, 14:00")
    page.locator("#preview").click()


ROUND_PAGES: list[Visit] = [
    Visit("rounds.index", ORGANISER, lambda s: (_round(s), "/organiser/rounds/")[1]),
    Visit("rounds.new", ORGANISER, lambda s: "/organiser/rounds/new", submit=SUBMIT),
    Visit("rounds.show", ORGANISER, lambda s: f"/organiser/rounds/{_round(s, 'draft')}"),
    Visit("rounds.edit", ORGANISER, lambda s: f"/organiser/rounds/{_round(s)}/edit"),
    Visit(
        "rounds.pattern", ORGANISER, lambda s: f"/organiser/rounds/{_round(s, 'draft')}/slots/pattern", submit=SUBMIT
    ),
    Visit(
        "rounds.pattern",
        ORGANISER,
        lambda s: f"/organiser/rounds/{_round(s, 'draft')}/slots/pattern",
        reach=_preview_pattern,
    ),
    Visit("rounds.new_slot", ORGANISER, lambda s: f"/organiser/rounds/{_round(s, 'draft')}/slots/new", submit=SUBMIT),
    Visit(
        "rounds.edit_slot",
        ORGANISER,
        lambda s: (lambda r: f"/organiser/rounds/{r}/slots/{_slot_id(s, r)}")(_round(s, "draft")),
    ),
    Visit("rounds.overview_page", ORGANISER, lambda s: f"/organiser/rounds/{_round(s)}/overview"),
    Visit("interest.index", CREATIVE, lambda s: (_round(s), "/rounds/")[1]),
    Visit("interest.register", CREATIVE, _register_page, submit=SUBMIT),
    Visit("interest.register", ORGANISER, lambda s: f"/rounds/{_round(s)}/interest"),
    Visit("interest.check", CREATIVE, _register_page, reach=_fill_and_continue),
    Visit("interest.registration", CREATIVE, _my_registration),
    Visit("interest.register", CREATIVE, lambda s: f"/rounds/{_round(s, 'closed')}/interest"),
]
