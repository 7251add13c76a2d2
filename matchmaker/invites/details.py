"""What invites and pages say about a session: who else is coming, access arrangements, its title."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

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
    arrangements: list[str] = []
    if any(p.access_captions for p in profiles):
        arrangements.append(_("Live captions"))
    if any(p.access_bsl for p in profiles):
        arrangements.append(_("British Sign Language (BSL) interpretation"))
    if any(p.access_breaks for p in profiles):
        arrangements.append(_("Regular breaks"))
    arrangements.extend(p.access_other.strip() for p in profiles if p.access_other.strip())
    return arrangements


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
