"""What publishing a draft will do, worked out the way `publish` does it, so the confirmation and the result agree."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaker.extensions import db
from matchmaker.matching.publish import plan_key
from matchmaker.matching.review import Person, SessionView
from matchmaker.models import ConsultationSession, MatchDraft, SessionStatus


@dataclass
class Addition:
    """One person added to a session that is already published."""

    session: SessionView
    person: Person


@dataclass
class Overridden:
    """One person the organiser added against a rule, and which rules."""

    session: SessionView
    person: Person
    rules: list[str]


@dataclass
class Preview:
    """New sessions with everyone in them, people added to published sessions, and what stays as it is."""

    new: list[SessionView] = field(default_factory=list)
    added: list[Addition] = field(default_factory=list)
    unchanged: list[SessionView] = field(default_factory=list)
    stay_cancelled: list[SessionView] = field(default_factory=list)
    overrides: list[Overridden] = field(default_factory=list)  # everyone added against a rule, in any session

    @property
    def told(self) -> int:
        """How many invites go out: one per person in a new session, one per person added."""
        return sum(len(v.people) for v in self.new) + len(self.added)


def preview(draft: MatchDraft, views: list[SessionView]) -> Preview:
    """What `publish(draft)` would do now, session by session and person by person."""
    existing = {
        s.plan_key: s
        for s in db.session.scalars(
            select(ConsultationSession)
            .where(ConsultationSession.round_id == draft.round_id)
            .options(selectinload(ConsultationSession.attendees))
        )
    }
    keys = set(existing)
    result = Preview()
    for view in views:
        session = existing.get(plan_key(draft, view.id, keys))
        if session is None:
            result.new.append(view)
        elif session.status == SessionStatus.CANCELLED:
            result.stay_cancelled.append(view)
        else:
            current = {a.user_id for a in session.attendees if a.is_current}
            missing = [p for p in view.people if int(p.pid[1:]) not in current]
            result.added.extend(Addition(view, p) for p in missing)
            if not missing:
                result.unchanged.append(view)
    for view in views:
        marked = [person for person in view.people if person.pid in view.overrides]
        result.overrides.extend(Overridden(view, person, view.overrides[person.pid]) for person in marked)
    return result
