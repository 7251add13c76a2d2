"""Meeting links for many sessions at once."""

from __future__ import annotations

from matchmaker.answers.service import published_sessions
from matchmaker.invites.service import set_join_link
from matchmaker.models import ConsultationSession, Round, SessionStatus


def live_sessions(round_: Round) -> list[ConsultationSession]:
    """The round's sessions that go ahead, in time order."""
    return [s for s in published_sessions(round_) if s.status == SessionStatus.SCHEDULED]


def set_links(sessions: list[ConsultationSession], links: dict[int, str]) -> int:
    """Set each session's pasted link (blank: the generated one) and tell attendees; how many changed."""
    return sum(1 for s in sessions if s.id in links and set_join_link(s, links[s.id]))
