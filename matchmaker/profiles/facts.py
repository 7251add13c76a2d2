"""What a person's profile says that registering interest needs: conditions, languages, boards.

Each role keeps its profile in its own table; this reads them into one shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
from matchmaker.models.profiles import commissioner_health_boards, creative_health_boards

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


def listing_facts(people: list[tuple[int, Role]]) -> dict[int, Facts]:
    """Languages, health boards, organisation and its kind of many people, read as plain columns.

    For lists of a whole round (2,400 people at L scale): no profile objects and no conditions (the
    `condition_ids` and `suggested_strength` of these facts are empty); health boards are the
    reference rows, read once.
    """
    by_role: dict[Role, list[int]] = {}
    for user_id, role in people:
        by_role.setdefault(role, []).append(user_id)
    boards = {b.id: b for b in db.session.scalars(select(HealthBoard))}
    result: dict[int, Facts] = {}

    def boards_of(table: Any, key: str, ids: list[int]) -> dict[int, list[HealthBoard]]:
        """Health boards by profile id, in the boards' order."""
        found: dict[int, list[HealthBoard]] = {}
        column = table.c[key]
        for profile_id, board_id in db.session.execute(select(column, table.c.health_board_id).where(column.in_(ids))):
            found.setdefault(profile_id, []).append(boards[board_id])
        for listed in found.values():
            listed.sort(key=lambda b: (b.position, b.id))
        return found

    creatives = by_role.get(Role.CREATIVE)
    if creatives:
        rows = db.session.execute(
            select(
                CreativeProfile.id,
                CreativeProfile.user_id,
                CreativeProfile.languages,
                CreativeProfile.organisation_name,
                CreativeProfile.organisation_key,
                CreativeProfile.organisation_kind,
            ).where(CreativeProfile.user_id.in_(creatives))
        ).all()
        listed = boards_of(creative_health_boards, "profile_id", [r[0] for r in rows])
        for profile_id, user_id, languages, name, key, kind in rows:
            result[user_id] = Facts(
                has_profile=True,
                languages=list(languages or []),
                health_boards=listed.get(profile_id, []),
                organisation=name,
                organisation_key=key,
                kind=kind.value,
                kind_group="organisation_kind",
            )
    commissioners = by_role.get(Role.COMMISSIONER)
    if commissioners:
        rows = db.session.execute(
            select(
                CommissionerProfile.id,
                CommissionerProfile.user_id,
                CommissionerProfile.languages,
                CommissionerProfile.organisation,
                CommissionerProfile.organisation_kind,
            ).where(CommissionerProfile.user_id.in_(commissioners))
        ).all()
        listed = boards_of(commissioner_health_boards, "profile_id", [r[0] for r in rows])
        for profile_id, user_id, languages, name, kind in rows:
            result[user_id] = Facts(
                has_profile=True,
                languages=list(languages or []),
                health_boards=listed.get(profile_id, []),
                organisation=name,
                kind=kind.value,
                kind_group="commissioner_kind",
            )
    link_workers = by_role.get(Role.LINK_WORKER)
    if link_workers:
        for user_id, languages, employer, board_id, kind in db.session.execute(
            select(
                LinkWorkerProfile.user_id,
                LinkWorkerProfile.languages,
                LinkWorkerProfile.employer,
                LinkWorkerProfile.health_board_id,
                LinkWorkerProfile.employer_kind,
            ).where(LinkWorkerProfile.user_id.in_(link_workers))
        ):
            result[user_id] = Facts(
                has_profile=True,
                languages=list(languages or []),
                health_boards=[boards[board_id]] if board_id in boards else [],
                organisation=employer,
                kind=kind.value if kind else "",
                kind_group="employer_kind" if kind else "",
            )
    for user_id in by_role.get(Role.ORGANISER, []):
        result[user_id] = Facts(has_profile=True, languages=[])
    return result
