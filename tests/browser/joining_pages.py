"""The "Join a session" pages for the axe-core sweep (added to PAGES in pages.py), and the sessions they show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.browser.pages import Setup, Visit

COMMISSIONER = "commissioner"
LINK_WORKER = "link_worker"
MONDAY_10AM = datetime(2027, 3, 29, 9, tzinfo=UTC)  # 10am in Wales: summer time began the day before


def give_profile(setup: Setup, user: Any, languages: tuple[str, ...] = ("en", "cy")) -> None:
    """A commissioner or link worker profile for this person (Hywel Dda), so the rules can be checked."""
    from matchmaker.extensions import db
    from matchmaker.models import CommissionerKind, CommissionerProfile, HealthBoard, LinkWorkerProfile

    def work() -> None:
        board = db.session.scalar(db.select(HealthBoard).where(HealthBoard.slug == "hywel-dda"))
        if user.role.value == "commissioner":
            db.session.add(
                CommissionerProfile(
                    user_id=user.id,
                    organisation="Cyngor Sir Ceredigion",
                    organisation_kind=CommissionerKind.LOCAL_AUTHORITY,
                    languages=list(languages),
                    health_boards=[board],
                )
            )
        else:
            db.session.add(
                LinkWorkerProfile(
                    user_id=user.id, employer="Elmfield Health Centre", languages=list(languages), health_board=board
                )
            )
        db.session.commit()

    setup.run(work)


def sessions_with_room(setup: Setup) -> dict[str, int]:
    """A closed round with three published sessions; their ids by name.

    stroke: one place left for a commissioner (the round allows two), Monday 29 March 2027 10am;
    dementia: room for everyone, the next day; welsh: dementia held in Welsh, the day after.
    """
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import (
        CommissionerKind,
        CommissionerProfile,
        Condition,
        ConsultationSession,
        CreativeProfile,
        LinkWorkerProfile,
        OrganisationKind,
        Round,
        RoundStatus,
        SessionAttendee,
        Slot,
    )
    from matchmaker.reference.seed import seed_reference_data

    creative = setup.make_user("creative", name="Rhys Morgan")
    commissioner = setup.make_user("commissioner", name="Priya Shah")
    link_worker = setup.make_user("link_worker", name="Gareth Lloyd")

    def work() -> dict[str, int]:
        seed_reference_data()
        db.session.add_all(
            [
                CreativeProfile(
                    user_id=creative.id,
                    organisation_name="Côr Cymunedol Aberteifi",
                    organisation_key="cor cymunedol aberteifi",
                    organisation_kind=OrganisationKind.COMMUNITY_GROUP,
                ),
                CommissionerProfile(
                    user_id=commissioner.id,
                    organisation="Hywel Dda University Health Board",
                    organisation_kind=CommissionerKind.HEALTH_BOARD,
                ),
                LinkWorkerProfile(user_id=link_worker.id, employer="Ceredigion Social Prescribing"),
            ]
        )
        round_ = Round(
            title_en="Spring round",
            title_cy="Rownd y gwanwyn",
            status=RoundStatus.CLOSED,
            registration_opens_at=datetime(2027, 1, 4, 9, tzinfo=UTC),
            registration_closes_at=datetime(2027, 2, 26, 17, tzinfo=UTC),
            organiser_mailbox="rounds@example.org",
            commissioners_max=2,
        )
        found: dict[str, int] = {}
        for index, (name, condition, language, people) in enumerate(
            [
                ("stroke", "stroke", "en", [(creative, "creative"), (commissioner, "commissioner")]),
                ("dementia", "dementia", "en", [(link_worker, "link_worker")]),
                ("welsh", "dementia", "cy", []),
            ]
        ):
            start = MONDAY_10AM + timedelta(days=index)
            slot = Slot(starts_at=start, ends_at=start + timedelta(minutes=90))
            round_.slots.append(slot)
            session = ConsultationSession(
                round=round_,
                plan_key=f"S{index + 1}",
                condition=db.session.scalar(select(Condition).where(Condition.slug == condition)),
                slot=slot,
                language=language,
            )
            for user, role in people:
                session.attendees.append(SessionAttendee(user_id=user.id, role=role))
            db.session.add(session)
            db.session.flush()
            found[name] = session.id
        db.session.commit()
        return found

    return setup.run(work)


def _index(setup: Setup) -> str:
    """The list with three sessions (one in Welsh) for a commissioner who can join any of them."""
    sessions_with_room(setup)
    give_profile(setup, setup.user)
    return "/join"


def _index_refusals_and_bad_filter(setup: Setup) -> str:
    """A link worker who speaks only English: the Welsh session says why instead of a button; a tampered filter."""
    sessions_with_room(setup)
    give_profile(setup, setup.user, languages=("en",))
    return "/join?condition=dementia&health_board=not-a-board"


def _joined(setup: Setup) -> str:
    """The confirmation after taking a place."""
    from matchmaker.extensions import db
    from matchmaker.joining import service
    from matchmaker.models import User

    session_id = sessions_with_room(setup)["dementia"]
    give_profile(setup, setup.user)
    outcome = setup.run(lambda: service.join(db.session.get(User, setup.user.id), session_id))
    assert outcome.refusal is None, outcome.refusal
    return f"/join/{session_id}/joined"


JOINING_PAGES: list[Visit] = [
    Visit("joining.index", COMMISSIONER, _index),
    Visit("joining.index", LINK_WORKER, _index_refusals_and_bad_filter),
    Visit("joining.joined", COMMISSIONER, _joined),
]
