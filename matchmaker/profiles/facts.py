"""What a person's profile says that registering interest needs: conditions, languages, boards.

Each role keeps its profile in its own table; this reads them into one shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaker.extensions import db
from matchmaker.models import (
    CommissionerProfile,
    CreativeCondition,
    CreativeProfile,
    Experience,
    HealthBoard,
    LinkWorkerProfile,
    Role,
    User,
)

# A creative's experience suggests how strongly they want to discuss a condition.
EXPERIENCE_STRENGTH = {Experience.SPECIALIST: 3, Experience.EXPERIENCED: 2, Experience.OPEN: 1}


@dataclass
class Facts:
    """A person's profile, reduced to what rounds and registrations use."""

    has_profile: bool
    condition_ids: list[int] = field(default_factory=list)
    suggested_strength: dict[int, int] = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)
    health_boards: list[HealthBoard] = field(default_factory=list)
    organisation: str = ""
    organisation_key: str = ""
    capacity: int | None = None
    # The kind of organisation, as a code and the PROFILE_LABELS group that names it
    # ("organisation_kind", "commissioner_kind" or "employer_kind"); "" when not known.
    kind: str = ""
    kind_group: str = ""


def facts_for(user: User) -> Facts:
    """The facts for one person (organisers have no profile: every condition in scope is theirs)."""
    return facts_for_users([user]).get(user.id, Facts(has_profile=False))


def facts_for_users(users: list[User]) -> dict[int, Facts]:
    """Facts for many people at once, keyed by user id (one query per role)."""
    by_role: dict[Role, list[int]] = {}
    for user in users:
        by_role.setdefault(user.role, []).append(user.id)
    result: dict[int, Facts] = {}
    if by_role.get(Role.CREATIVE):
        query = (
            select(CreativeProfile)
            .where(CreativeProfile.user_id.in_(by_role[Role.CREATIVE]))
            .options(
                selectinload(CreativeProfile.conditions).selectinload(CreativeCondition.condition),
                selectinload(CreativeProfile.health_boards),
            )
        )
        for p in db.session.scalars(query):
            result[p.user_id] = Facts(
                has_profile=True,
                condition_ids=[c.condition_id for c in p.conditions],
                suggested_strength={c.condition_id: EXPERIENCE_STRENGTH.get(c.experience, 2) for c in p.conditions},
                languages=list(p.languages or []),
                health_boards=list(p.health_boards),
                organisation=p.organisation_name,
                organisation_key=p.organisation_key,
                kind=p.organisation_kind.value,
                kind_group="organisation_kind",
            )
    if by_role.get(Role.COMMISSIONER):
        query = (
            select(CommissionerProfile)
            .where(CommissionerProfile.user_id.in_(by_role[Role.COMMISSIONER]))
            .options(selectinload(CommissionerProfile.conditions), selectinload(CommissionerProfile.health_boards))
        )
        for p in db.session.scalars(query):
            result[p.user_id] = Facts(
                has_profile=True,
                condition_ids=[c.id for c in p.conditions],
                languages=list(p.languages or []),
                health_boards=list(p.health_boards),
                organisation=p.organisation,
                kind=p.organisation_kind.value,
                kind_group="commissioner_kind",
            )
    if by_role.get(Role.LINK_WORKER):
        query = (
            select(LinkWorkerProfile)
            .where(LinkWorkerProfile.user_id.in_(by_role[Role.LINK_WORKER]))
            .options(selectinload(LinkWorkerProfile.conditions), selectinload(LinkWorkerProfile.health_board))
        )
        for p in db.session.scalars(query):
            result[p.user_id] = Facts(
                has_profile=True,
                condition_ids=[c.id for c in p.conditions],
                languages=list(p.languages or []),
                health_boards=[p.health_board] if p.health_board else [],
                organisation=p.employer,
                capacity=p.capacity,
                kind=p.employer_kind.value if p.employer_kind else "",
                kind_group="employer_kind" if p.employer_kind else "",
            )
    for user_id in by_role.get(Role.ORGANISER, []):
        result[user_id] = Facts(has_profile=True, languages=[])
    return result
