"""The answers page and the registration confirmations for the axe-core sweep (added to PAGES in pages.py)."""

from __future__ import annotations

from tests.browser.data import round_with_registrations
from tests.browser.visits import ORGANISER, Setup, Visit


def _answers(setup: Setup) -> str:
    """The answers page of a round with a published session where one person has declined."""
    from matchmaker.extensions import db
    from matchmaker.models import ConsultationSession
    from tests.browser.invite_pages import _organiser_session

    _organiser_session(setup)
    round_id = setup.run(lambda: db.session.query(ConsultationSession).one().round_id)
    return f"/organiser/rounds/{round_id}/answers/"


def _round_in(setup: Setup, status: str) -> int:
    """A round with slots and a condition, in this status."""
    return round_with_registrations(setup, status)


ORGANISER_PAGES: list[Visit] = [
    Visit("answers.index", ORGANISER, _answers),
    Visit("rounds.close", ORGANISER, lambda s: f"/organiser/rounds/{_round_in(s, 'open')}/close"),
    Visit("rounds.reopen", ORGANISER, lambda s: f"/organiser/rounds/{_round_in(s, 'closed')}/reopen"),
]


def _confirm_decline(setup: Setup) -> str:
    """The page that asks before someone declines a session on the site."""
    from tests.browser.invite_pages import published_session

    return f"/sessions/{published_session(setup, setup.user)}/decline"


ORGANISER_PAGES.append(Visit("invites.respond_on_site", "creative", _confirm_decline))

ORGANISER_NOT_PAGES: dict[str, str] = {"answers.export": "a CSV download"}


def _meeting_links(setup: Setup) -> str:
    """The meeting links page of a round with a published session."""
    return _answers(setup).replace("/answers/", "/meeting-links")


ORGANISER_PAGES.append(Visit("groups.meeting_links", ORGANISER, _meeting_links))


def _message(setup: Setup) -> str:
    """The group message form for the round's people who have not answered."""
    return _answers(setup).replace("/answers/", "/message?source=waiting")


ORGANISER_PAGES.append(Visit("groups.message", ORGANISER, _message, submit="main form[method=post] button"))
