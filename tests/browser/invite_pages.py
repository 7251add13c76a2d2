"""The invite pages for the axe-core sweep (added to PAGES in pages.py)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from tests.browser.visits import ANONYMOUS, CREATIVE, ORGANISER, Setup, Visit


def published_session(setup: Setup, attendee: Any, language: str = "en") -> int:
    """A published session with this person, another creative, a commissioner and a link worker; its id."""
    from matchmaker.extensions import db
    from matchmaker.invites import service
    from matchmaker.reference.seed import seed_reference_data
    from tests.factories import CommissionerProfileFactory, CreativeProfileFactory, RoundFactory, SessionFactory

    others = [
        setup.make_user("creative", name="Rhys Morgan"),
        setup.make_user("commissioner", name="Priya Shah"),
        setup.make_user("link_worker", name="Gareth Lloyd"),
    ]

    def work() -> int:
        seed_reference_data()
        CreativeProfileFactory(
            user=others[0],
            organisation_name="Côr Cymunedol Aberteifi",
            organisation_kind="community_group",
            access_captions=True,
            access_bsl=True,
        )
        CommissionerProfileFactory(user=others[1], organisation="Hywel Dda University Health Board")
        session = SessionFactory(
            round=RoundFactory(status="closed", conditions=()),
            plan_key="S1",
            starts_at=datetime(2027, 3, 29, 9, tzinfo=UTC),  # 10am BST, the Monday after the clocks change
            language=language,
            purpose="Singing groups for people after a stroke",
            attendees=list(
                zip([attendee, *others], ["creative", "creative", "commissioner", "link_worker"], strict=True)
            ),
        )
        service.session_published(session)
        db.session.commit()
        return session.id

    return setup.run(work)


def rsvp_path(setup: Setup, user_id: int, answer: str) -> str:
    """The accept or decline path from the newest invite this person was sent."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import OutboxMessage

    position = 0 if answer == "accept" else 1  # the email offers accept, then decline, in either language

    def read() -> str:
        body = db.session.scalars(
            select(OutboxMessage.text_body)
            .where(OutboxMessage.user_id == user_id, OutboxMessage.calendar_method == "REQUEST")
            .order_by(OutboxMessage.id.desc())
        ).first()
        return re.findall(r"http://localhost(/sessions/respond/\S+)", body)[position]

    return setup.run(read)


def _my_sessions(setup: Setup) -> str:
    """My sessions with one session (others coming, access arrangements, answer buttons)."""
    published_session(setup, setup.user)
    return "/sessions"


def _accept_link(setup: Setup) -> str:
    """The confirmation page an accept link opens, for someone not signed in."""
    invited = setup.make_user("creative", name="Siân Ŵyn Jones")
    published_session(setup, invited)
    return rsvp_path(setup, invited.id, "accept")


def _decline_link(setup: Setup) -> str:
    """The confirmation page a decline link opens."""
    invited = setup.make_user("creative", name="Tom Price")
    published_session(setup, invited)
    return rsvp_path(setup, invited.id, "decline")


def _organiser_session(setup: Setup) -> str:
    """The organiser's page for a session where one person has declined."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.invites import service
    from matchmaker.models import SessionAttendee

    invited = setup.make_user("creative", name="Tom Price")
    session_id = published_session(setup, invited)

    def decline() -> None:
        attendee = db.session.scalar(select(SessionAttendee).where(SessionAttendee.user_id == invited.id))
        service.respond(attendee, "decline")
        db.session.commit()

    setup.run(decline)
    return f"/organiser/sessions/{session_id}"


def _replies(setup: Setup) -> str:
    """The organisers' Replies page with a forged answer and a proposal of another time."""
    from matchmaker.invites import service
    from tests.invites import replies

    invited = setup.make_user("creative", name="Tom Price", email="tom-replies@example.org")
    session_id = published_session(setup, invited)

    def receive() -> None:
        from matchmaker.extensions import db
        from matchmaker.models import ConsultationSession

        uid = db.session.get(ConsultationSession, session_id).uid
        service.receive_message(replies.gmail(uid, invited.email, "DECLINED", sender="mallory@example.net"), "pipe")
        service.receive_message(replies.counter(uid, invited.email), "pipe")

    setup.run(receive)
    return "/organiser/replies"


INVITE_PAGES: list[Visit] = [
    Visit("invites.my_sessions", CREATIVE, _my_sessions),
    Visit("invites.respond_by_link", ANONYMOUS, _accept_link),
    Visit("invites.respond_by_link", ANONYMOUS, _decline_link),
    Visit("invites.respond_by_link", ANONYMOUS, lambda setup: "/sessions/respond/not-a-real-token", status=404),
    Visit("invites.organiser_session", ORGANISER, _organiser_session),
    Visit("invites.replies", ORGANISER, _replies),
]

INVITE_NOT_PAGES: dict[str, str] = {
    "invites.download": "a calendar file (.ics) for one session",
    "invites.feed": "a calendar feed (text/calendar) for calendar apps",
}
