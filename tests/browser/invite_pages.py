"""The invite pages for the axe-core sweep (added to PAGES in pages.py)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.browser.pages import ANONYMOUS, CREATIVE, ORGANISER, Setup, Visit


def published_session(setup: Setup, attendee: Any, language: str = "en") -> int:
    """A published session with this person, another creative, a commissioner and a link worker; its id."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.invites import service
    from matchmaker.models import (
        CommissionerKind,
        CommissionerProfile,
        Condition,
        ConsultationSession,
        CreativeProfile,
        OrganisationKind,
        Round,
        RoundStatus,
        SessionAttendee,
        Slot,
    )
    from matchmaker.reference.seed import seed_reference_data

    others = [
        setup.make_user("creative", name="Rhys Morgan"),
        setup.make_user("commissioner", name="Priya Shah"),
        setup.make_user("link_worker", name="Gareth Lloyd"),
    ]

    def work() -> int:
        seed_reference_data()
        db.session.add(
            CreativeProfile(
                user_id=others[0].id,
                organisation_name="Côr Cymunedol Aberteifi",
                organisation_key="cor cymunedol aberteifi",
                organisation_kind=OrganisationKind.COMMUNITY_GROUP,
                access_captions=True,
                access_bsl=True,
            )
        )
        db.session.add(
            CommissionerProfile(
                user_id=others[1].id,
                organisation="Hywel Dda University Health Board",
                organisation_kind=CommissionerKind.HEALTH_BOARD,
            )
        )
        round_ = Round(
            title_en="Spring round",
            title_cy="Rownd y gwanwyn",
            status=RoundStatus.CLOSED,
            registration_opens_at=datetime(2027, 1, 4, 9, tzinfo=UTC),
            registration_closes_at=datetime(2027, 2, 26, 17, tzinfo=UTC),
            organiser_mailbox="rounds@example.org",
        )
        start = datetime(2027, 3, 29, 9, tzinfo=UTC)  # 10am BST, the Monday after the clocks change
        slot = Slot(starts_at=start, ends_at=start + timedelta(minutes=90))
        round_.slots.append(slot)
        session = ConsultationSession(
            round=round_,
            plan_key="S1",
            condition=db.session.scalar(select(Condition).where(Condition.slug == "stroke")),
            slot=slot,
            language=language,
            purpose="Singing groups for people after a stroke",
        )
        roles = ["creative", "creative", "commissioner", "link_worker"]
        for user, role in zip([attendee, *others], roles, strict=True):
            session.attendees.append(SessionAttendee(user_id=user.id, role=role))
        db.session.add(session)
        db.session.flush()
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
