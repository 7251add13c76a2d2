"""The "Join a session" pages for the axe-core sweep (added to PAGES in pages.py), and the sessions they show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.browser.visits import Setup, Visit

COMMISSIONER = "commissioner"
LINK_WORKER = "link_worker"
MONDAY_10AM = datetime(2027, 3, 29, 9, tzinfo=UTC)  # 10am in Wales: summer time began the day before


def give_profile(setup: Setup, user: Any, languages: tuple[str, ...] = ("en", "cy")) -> None:
    """A commissioner or link worker profile for this person (Hywel Dda), so the rules can be checked."""
    from tests.factories import profile_for

    organisation = "Cyngor Sir Ceredigion" if user.role.value == "commissioner" else "Elmfield Health Centre"
    setup.run(
        lambda: profile_for(
            user,
            organisation=organisation,
            languages=languages,
            boards=["hywel-dda"],
            **({"organisation_kind": "local_authority"} if user.role.value == "commissioner" else {}),
        )
    )


def sessions_with_room(setup: Setup) -> dict[str, int]:
    """A closed round with three published sessions; their ids by name.

    stroke: one place left for a commissioner (the round allows two), Monday 29 March 2027 10am;
    dementia: room for everyone, the next day; welsh: dementia held in Welsh, the day after.
    """
    from matchmaker.reference.seed import seed_reference_data
    from tests.factories import (
        CommissionerProfileFactory,
        CreativeProfileFactory,
        LinkWorkerProfileFactory,
        RoundFactory,
        SessionFactory,
    )

    creative = setup.make_user("creative", name="Rhys Morgan")
    commissioner = setup.make_user("commissioner", name="Priya Shah")
    link_worker = setup.make_user("link_worker", name="Gareth Lloyd")

    def work() -> dict[str, int]:
        seed_reference_data()
        CreativeProfileFactory(
            user=creative, organisation_name="Côr Cymunedol Aberteifi", organisation_kind="community_group"
        )
        CommissionerProfileFactory(user=commissioner, organisation="Hywel Dda University Health Board")
        LinkWorkerProfileFactory(user=link_worker, employer="Ceredigion Social Prescribing")
        round_ = RoundFactory(status="closed", conditions=(), commissioners_max=2)
        found: dict[str, int] = {}
        for index, (name, condition, language, people) in enumerate(
            [
                ("stroke", "stroke", "en", [(creative, "creative"), (commissioner, "commissioner")]),
                ("dementia", "dementia", "en", [(link_worker, "link_worker")]),
                ("welsh", "dementia", "cy", []),
            ]
        ):
            found[name] = SessionFactory(
                round=round_,
                plan_key=f"S{index + 1}",
                condition=condition,
                language=language,
                starts_at=MONDAY_10AM + timedelta(days=index),
                attendees=people,
            ).id
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
