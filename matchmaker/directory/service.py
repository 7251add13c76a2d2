"""Directory queries other features reuse: who is listed, and searching and filtering them."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sqlalchemy import Select, String, cast, exists, func, select
from sqlalchemy.orm import aliased, selectinload

from matchmaker.extensions import db
from matchmaker.models import (
    ArtForm,
    Condition,
    CreativeCondition,
    CreativeProfile,
    HealthBoard,
    Listing,
    OrganisationKind,
    PrescribingLink,
    Role,
    User,
)
from matchmaker.models.profiles import LANGUAGE_CODES, creative_art_forms, creative_health_boards, fold

PER_PAGE = 20


@dataclass
class Results:
    """One page of directory entries."""

    entries: list[CreativeProfile]
    total: int
    page: int
    per_page: int = PER_PAGE
    filters: dict[str, str] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        """How many pages there are (at least one)."""
        return max(1, math.ceil(self.total / self.per_page))


def directory_entries() -> Select:
    """Creative profiles that may be shown: consent given, account live (not deleted or deactivated), and
    not hidden for failing to confirm their details in time (see listings)."""
    hidden = aliased(Listing)  # aliased: a caller may join Listing itself (the feed does)
    return (
        select(CreativeProfile)
        .join(User, User.id == CreativeProfile.user_id)
        .where(
            CreativeProfile.directory_consent.is_(True),
            User.role == Role.CREATIVE,
            User.deleted_at.is_(None),
            User.deactivated_at.is_(None),
            ~exists().where(hidden.profile_id == CreativeProfile.id, hidden.hidden_at.is_not(None)),
        )
    )


def _escape_like(text: str) -> str:
    """Make % and _ in someone's search mean themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(
    text: str = "",
    *,
    condition: str | None = None,
    art_form: str | None = None,
    health_board: str | None = None,
    language: str | None = None,
    link: str | None = None,
    kind: str | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Results:
    """Listed organisations matching every given filter (slugs and codes), a page at a time, by name.

    Members of one organisation (same organisation_key) make one entry, the first who matches.

    Text matches the organisation name and descriptions, ignoring case and Welsh accents, the
    same way on SQLite and PostgreSQL (it is matched against a folded copy, `search_text`).
    """
    query = directory_entries()
    for word in fold(text).split():
        query = query.where(CreativeProfile.search_text.like(f"%{_escape_like(word)}%", escape="\\"))
    if condition:
        query = query.where(
            CreativeProfile.id.in_(
                select(CreativeCondition.profile_id)
                .join(Condition, Condition.id == CreativeCondition.condition_id)
                .where(Condition.slug == condition)
            )
        )
    if art_form:
        query = query.where(
            CreativeProfile.id.in_(
                select(creative_art_forms.c.profile_id)
                .join(ArtForm, ArtForm.id == creative_art_forms.c.art_form_id)
                .where(ArtForm.slug == art_form)
            )
        )
    if health_board:
        query = query.where(
            CreativeProfile.id.in_(
                select(creative_health_boards.c.profile_id)
                .join(HealthBoard, HealthBoard.id == creative_health_boards.c.health_board_id)
                .where(HealthBoard.slug == health_board)
            )
        )
    if language:
        if language not in LANGUAGE_CODES:
            raise ValueError(f"unknown language {language!r}")
        # languages is a small JSON list of known codes; its text holds '"cy"' exactly when it includes cy.
        query = query.where(cast(CreativeProfile.languages, String).like(f'%"{language}"%'))
    if link:
        query = query.where(CreativeProfile.prescribing_link == PrescribingLink(link))
    if kind:
        query = query.where(CreativeProfile.organisation_kind == OrganisationKind(kind))
    # One entry per organisation: its first listed member who matches (the page lists them all).
    matching = query.with_only_columns(CreativeProfile.id, CreativeProfile.organisation_key).subquery()
    firsts = select(func.min(matching.c.id)).group_by(matching.c.organisation_key)
    total = db.session.scalar(select(func.count()).select_from(firsts.subquery())) or 0
    page = max(1, page)
    entries = list(
        db.session.scalars(
            select(CreativeProfile)
            .where(CreativeProfile.id.in_(firsts))
            .options(
                selectinload(CreativeProfile.art_forms),
                selectinload(CreativeProfile.health_boards),
                selectinload(CreativeProfile.conditions).selectinload(CreativeCondition.condition),
            )
            .order_by(CreativeProfile.organisation_key, CreativeProfile.id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    return Results(entries, total, page, per_page)


def entry(profile_id: int) -> CreativeProfile | None:
    """One listed organisation member's profile, or None if it is not in the directory."""
    return db.session.scalar(directory_entries().where(CreativeProfile.id == profile_id))


def colleagues(profile: CreativeProfile) -> list[CreativeProfile]:
    """Other listed members of the same organisation."""
    return list(
        db.session.scalars(
            directory_entries()
            .where(CreativeProfile.organisation_key == profile.organisation_key, CreativeProfile.id != profile.id)
            .order_by(CreativeProfile.id)
        )
    )


def contacts(profiles: list[CreativeProfile]) -> list[User]:
    """The people behind these listed profiles, in the same order."""
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_([p.user_id for p in profiles])))}
    return [users[p.user_id] for p in profiles if p.user_id in users]
