"""The rounds and registration pages for the axe-core sweep (added to PAGES in pages.py)."""

from __future__ import annotations

from typing import Any

from tests.browser.data import round_with_registrations, with_profile
from tests.browser.visits import CREATIVE, ORGANISER, SUBMIT, Setup, Visit


def _slot_id(setup: Setup, round_id: int) -> int:
    """The round's first slot."""
    from matchmaker.extensions import db
    from matchmaker.models import Round

    return setup.run(lambda: db.session.get(Round, round_id).slots[0].id)


def _register_page(setup: Setup) -> str:
    with_profile(setup)
    return f"/rounds/{round_with_registrations(setup)}/interest"


def _fill_and_continue(page: Any) -> None:
    """Choose a condition and its strength and a time, then continue to check your answers."""
    page.locator("input[name=conditions]").first.check()
    page.locator("input[name^=strength-][value='3']").first.check()
    page.locator("#slots").check()
    page.locator("main form[method=post] button:not([type=button])").last.click()


def _my_registration(setup: Setup) -> str:
    from matchmaker.extensions import db
    from matchmaker.models import Round
    from tests.factories import RegistrationFactory

    with_profile(setup)
    round_id = round_with_registrations(setup)

    def work() -> int:
        round_ = db.session.get(Round, round_id)
        return RegistrationFactory(
            round=round_, user=setup.user, conditions={round_.conditions[0].slug: 2}, slots=round_.slots[:3]
        ).id

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
    Visit("rounds.index", ORGANISER, lambda s: (round_with_registrations(s), "/organiser/rounds/")[1]),
    Visit("rounds.new", ORGANISER, lambda s: "/organiser/rounds/new", submit=SUBMIT),
    Visit("rounds.show", ORGANISER, lambda s: f"/organiser/rounds/{round_with_registrations(s, 'draft')}"),
    Visit("rounds.edit", ORGANISER, lambda s: f"/organiser/rounds/{round_with_registrations(s)}/edit"),
    Visit(
        "rounds.pattern",
        ORGANISER,
        lambda s: f"/organiser/rounds/{round_with_registrations(s, 'draft')}/slots/pattern",
        submit=SUBMIT,
    ),
    Visit(
        "rounds.pattern",
        ORGANISER,
        lambda s: f"/organiser/rounds/{round_with_registrations(s, 'draft')}/slots/pattern",
        reach=_preview_pattern,
    ),
    Visit(
        "rounds.new_slot",
        ORGANISER,
        lambda s: f"/organiser/rounds/{round_with_registrations(s, 'draft')}/slots/new",
        submit=SUBMIT,
    ),
    Visit(
        "rounds.edit_slot",
        ORGANISER,
        lambda s: (lambda r: f"/organiser/rounds/{r}/slots/{_slot_id(s, r)}")(round_with_registrations(s, "draft")),
    ),
    Visit("rounds.overview_page", ORGANISER, lambda s: f"/organiser/rounds/{round_with_registrations(s)}/overview"),
    Visit("interest.index", CREATIVE, lambda s: (round_with_registrations(s), "/rounds/")[1]),
    Visit("interest.register", CREATIVE, _register_page, submit=SUBMIT),
    Visit("interest.register", ORGANISER, lambda s: f"/rounds/{round_with_registrations(s)}/interest"),
    Visit("interest.check", CREATIVE, _register_page, reach=_fill_and_continue),
    Visit("interest.registration", CREATIVE, _my_registration),
    Visit("interest.register", CREATIVE, lambda s: f"/rounds/{round_with_registrations(s, 'closed')}/interest"),
]
