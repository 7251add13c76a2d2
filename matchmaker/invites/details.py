"""What invites and pages say about a session: who else is coming, access arrangements, its title."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaker.extensions import db
from matchmaker.models import (
    CommissionerProfile,
    ConsultationSession,
    CreativeProfile,
    LinkWorkerProfile,
    SessionAttendee,
    SessionExclusion,
    User,
)
from matchmaker.web.text import one_line


@dataclass(frozen=True)
class Person:
    """Someone else at a session, as others may see them: a name and an organisation, never an address."""

    name: str
    organisation: str
    role: str


def current_attendees(session: ConsultationSession) -> list[SessionAttendee]:
    """Attendees still invited who have not declined (and whose account still exists)."""
    return [a for a in session.attendees if a.is_current and a.user.deleted_at is None]


def organisations_of(user_ids: list[int]) -> dict[int, str]:
    """The organisation each person's profile names (creative, commissioner or link worker), in three queries."""
    found: dict[int, str] = {}
    if not user_ids:
        return found
    for model, column in (
        (LinkWorkerProfile, LinkWorkerProfile.employer),
        (CommissionerProfile, CommissionerProfile.organisation),
        (CreativeProfile, CreativeProfile.organisation_name),
    ):
        for user_id, value in db.session.execute(select(model.user_id, column).where(model.user_id.in_(user_ids))):
            if value:
                found[user_id] = value  # later models win: the creative profile, as before, when there are two
    return found


def organisation_of(user: User) -> str:
    """The organisation a person's profile names (creative, commissioner or link worker), or ''."""
    return organisations_of([user.id]).get(user.id, "")


def others_attending(session: ConsultationSession, user_id: int | None = None) -> list[Person]:
    """The other current attendees (everyone when user_id is None), by name and organisation."""
    others = [a for a in current_attendees(session) if a.user_id != user_id]
    organisations = organisations_of([a.user_id for a in others])
    # one_line: a name stored before control characters were refused must not add lines to others' invitations.
    return [Person(one_line(a.user.name), one_line(organisations.get(a.user_id, "")), a.role) for a in others]


def access_arrangements(session: ConsultationSession) -> list[str]:
    """What the session provides for the access needs of the creatives coming (in the current language)."""
    ids = [a.user_id for a in current_attendees(session)]
    if not ids:
        return []
    profiles = db.session.scalars(
        select(CreativeProfile).where(CreativeProfile.user_id.in_(ids)).order_by(CreativeProfile.id)
    ).all()
    return _arrangements(profiles)


def _arrangements(profiles: list[CreativeProfile]) -> list[str]:
    """The access arrangements these creatives' profiles ask for (current language)."""
    arrangements: list[str] = []
    if any(p.access_captions for p in profiles):
        arrangements.append(_("Live captions"))
    if any(p.access_bsl for p in profiles):
        arrangements.append(_("British Sign Language (BSL) interpretation"))
    if any(p.access_breaks for p in profiles):
        arrangements.append(_("Regular breaks"))
    arrangements.extend(p.access_other.strip() for p in profiles if p.access_other.strip())
    return arrangements


def with_people(sessions: list[ConsultationSession]) -> None:
    """Load the sessions' attendees and their accounts in two queries (not one per session and person)."""
    if sessions:
        db.session.scalars(
            select(ConsultationSession)
            .where(ConsultationSession.id.in_([s.id for s in sessions]))
            .options(selectinload(ConsultationSession.attendees).selectinload(SessionAttendee.user))
        ).all()


def details_for(
    sessions: list[ConsultationSession], user_id: int | None = None
) -> dict[int, tuple[list[Person], list[str]]]:
    """For each session: (others_attending, access_arrangements), in a fixed number of queries for them all."""
    with_people(sessions)
    current = {s.id: current_attendees(s) for s in sessions}
    everyone = sorted({a.user_id for people in current.values() for a in people})
    organisations = organisations_of(everyone)
    profiles = (
        {
            p.user_id: p
            for p in db.session.scalars(
                select(CreativeProfile).where(CreativeProfile.user_id.in_(everyone)).order_by(CreativeProfile.id)
            )
        }
        if everyone
        else {}
    )
    found = {}
    for session in sessions:
        people = current[session.id]
        others = [
            Person(one_line(a.user.name), one_line(organisations.get(a.user_id, "")), a.role)
            for a in people
            if a.user_id != user_id
        ]
        mine = sorted((profiles[a.user_id] for a in people if a.user_id in profiles), key=lambda p: p.id)
        found[session.id] = (others, _arrangements(mine))
    return found


def summary(session: ConsultationSession, language: str) -> str:
    """The calendar title in this language, e.g. 'Consultation session: Stroke'."""
    with force_locale(language):
        return _("Consultation session: %(condition)s", condition=session.condition.name(language))


def exclusion_reason(exclusion: SessionExclusion) -> str:
    """Why someone is kept out, as people read it (current language)."""
    whole_round = exclusion.session_id is None
    names = {
        "declined": _("Said they cannot come"),
        "removed": _("Taken off the session by an organiser"),
        "booking_cancelled": _("Cancelled their booking; not placed anywhere in this round until they book again")
        if whole_round
        else _("Cancelled the booking this session served"),
        "account_closed": _("Account deactivated or rejected"),
    }
    return names.get(exclusion.reason.value, exclusion.reason.value)
