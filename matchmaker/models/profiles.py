"""Profiles: what each role tells us about themselves (one profile per user, by role)."""

from __future__ import annotations

import enum
import unicodedata
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Column, Date, Enum, ForeignKey, Integer, String, Table, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.models.base import Base, UTCDateTime, utcnow
from matchmaker.models.reference import ArtForm, Condition, HealthBoard


def _enum(kind: type[enum.Enum]) -> Enum:
    """A portable (VARCHAR) enum column storing the values."""
    return Enum(kind, native_enum=False, length=30, values_callable=lambda e: [m.value for m in e])


class OrganisationKind(enum.StrEnum):
    """What kind of creative organisation."""

    ARTS_ORGANISATION = "arts_organisation"
    CHARITY = "charity"
    SOCIAL_ENTERPRISE = "social_enterprise"
    COMMUNITY_GROUP = "community_group"
    FREELANCER = "freelancer"


class CommissionerKind(enum.StrEnum):
    """Who a commissioner works for."""

    HEALTH_BOARD = "health_board"  # health board planning
    PRIMARY_CARE_CLUSTER = "primary_care_cluster"
    SECONDARY_CARE_TEAM = "secondary_care_team"  # a hospital team: stroke rehabilitation, discharge... (care_service)
    LOCAL_AUTHORITY = "local_authority"
    REGIONAL_PARTNERSHIP_BOARD = "regional_partnership_board"
    PUBLIC_HEALTH_WALES = "public_health_wales"
    FUNDER = "funder"
    OTHER = "other"


class EmployerKind(enum.StrEnum):
    """Who employs a link worker."""

    GP_CLUSTER = "gp_cluster"
    LOCAL_AUTHORITY = "local_authority"
    THIRD_SECTOR = "third_sector"
    HEALTH_BOARD = "health_board"


class Experience(enum.StrEnum):
    """A creative's experience with a condition."""

    SPECIALIST = "specialist"
    EXPERIENCED = "experienced"
    OPEN = "open"


class PrescribingLink(enum.StrEnum):
    """How a creative organisation is linked with social prescribing today."""

    FORMAL = "formal"  # takes formal referrals
    INFORMAL = "informal"  # informal links
    NONE = "none"  # none yet: weighs more in matching


class ImpactMeasure(enum.StrEnum):
    """How a creative organisation evidences its impact (names only: the site never ships a licensed questionnaire)."""

    ONS4 = "ons4"  # ONS4 personal wellbeing questions
    WEMWBS = "wemwbs"  # WEMWBS or SWEMWBS, under the organisation's own licence
    MYCAW = "mycaw"
    CASE_STUDIES = "case_studies"
    LOCAL = "local"  # locally developed methods
    NONE_YET = "none_yet"


class Horizon(enum.StrEnum):
    """Is the work ongoing or a project that ends?"""

    ONGOING = "ongoing"
    SHORT_TERM = "short_term"


LANGUAGE_CODES = ("en", "cy", "bsl")

creative_art_forms = Table(
    "creative_art_forms",
    Base.metadata,
    Column("profile_id", ForeignKey("creative_profiles.id", ondelete="CASCADE"), primary_key=True),
    Column("art_form_id", ForeignKey("art_forms.id", ondelete="CASCADE"), primary_key=True),
)
creative_health_boards = Table(
    "creative_health_boards",
    Base.metadata,
    Column("profile_id", ForeignKey("creative_profiles.id", ondelete="CASCADE"), primary_key=True),
    Column("health_board_id", ForeignKey("health_boards.id", ondelete="CASCADE"), primary_key=True),
)
commissioner_conditions = Table(
    "commissioner_conditions",
    Base.metadata,
    Column("profile_id", ForeignKey("commissioner_profiles.id", ondelete="CASCADE"), primary_key=True),
    Column("condition_id", ForeignKey("conditions.id", ondelete="CASCADE"), primary_key=True),
)
commissioner_health_boards = Table(
    "commissioner_health_boards",
    Base.metadata,
    Column("profile_id", ForeignKey("commissioner_profiles.id", ondelete="CASCADE"), primary_key=True),
    Column("health_board_id", ForeignKey("health_boards.id", ondelete="CASCADE"), primary_key=True),
)
link_worker_conditions = Table(
    "link_worker_conditions",
    Base.metadata,
    Column("profile_id", ForeignKey("link_worker_profiles.id", ondelete="CASCADE"), primary_key=True),
    Column("condition_id", ForeignKey("conditions.id", ondelete="CASCADE"), primary_key=True),
)


class CreativeCondition(Base):
    """A condition a creative works with, and how experienced they are."""

    __tablename__ = "creative_conditions"

    profile_id: Mapped[int] = mapped_column(ForeignKey("creative_profiles.id", ondelete="CASCADE"), primary_key=True)
    condition_id: Mapped[int] = mapped_column(ForeignKey("conditions.id", ondelete="CASCADE"), primary_key=True)
    experience: Mapped[Experience] = mapped_column(_enum(Experience))
    condition: Mapped[Condition] = relationship()


class CreativeProfile(Base):
    """A creative professional or arts organisation.

    Members of one organisation each have a profile with the same organisation name;
    `organisation_key` (the normalised name) is what the solver's one-per-organisation rule uses.
    """

    __tablename__ = "creative_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    organisation_name: Mapped[str] = mapped_column(String(200))
    organisation_key: Mapped[str] = mapped_column(String(200), index=True)
    organisation_kind: Mapped[OrganisationKind] = mapped_column(_enum(OrganisationKind))
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_cy: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    online: Mapped[bool] = mapped_column(Boolean, default=True)
    in_person: Mapped[bool] = mapped_column(Boolean, default=False)
    prescribing_link: Mapped[PrescribingLink] = mapped_column(_enum(PrescribingLink), default=PrescribingLink.NONE)
    horizon: Mapped[Horizon] = mapped_column(_enum(Horizon), default=Horizon.ONGOING)
    project_ends_on: Mapped[date | None] = mapped_column(Date)
    access_captions: Mapped[bool] = mapped_column(Boolean, default=False)
    access_bsl: Mapped[bool] = mapped_column(Boolean, default=False)
    access_breaks: Mapped[bool] = mapped_column(Boolean, default=False)
    access_other: Mapped[str] = mapped_column(Text, default="")
    directory_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    # How it evidences its impact (optional, shown in the directory): ImpactMeasure values and a link.
    impact_measures: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    evaluation_url: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # Name and descriptions folded to lower-case ASCII ('Côr' -> 'cor'): the directory's text
    # search matches the same way on SQLite and PostgreSQL, with or without Welsh accents.
    search_text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    art_forms: Mapped[list[ArtForm]] = relationship(secondary=creative_art_forms, order_by="ArtForm.position")
    health_boards: Mapped[list[HealthBoard]] = relationship(
        secondary=creative_health_boards, order_by="HealthBoard.position"
    )
    conditions: Mapped[list[CreativeCondition]] = relationship(cascade="all, delete-orphan")


class CommissionerProfile(Base):
    """An NHS, local-authority or funding commissioner."""

    __tablename__ = "commissioner_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    organisation: Mapped[str] = mapped_column(String(200))
    organisation_kind: Mapped[CommissionerKind] = mapped_column(_enum(CommissionerKind))
    job_title: Mapped[str] = mapped_column(String(200), default="")
    # For a secondary care team: the service, e.g. "Stroke rehabilitation ward" (set on 'Your organisation').
    care_service: Mapped[str] = mapped_column(String(200), default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    conditions: Mapped[list[Condition]] = relationship(secondary=commissioner_conditions, order_by="Condition.position")
    health_boards: Mapped[list[HealthBoard]] = relationship(
        secondary=commissioner_health_boards, order_by="HealthBoard.position"
    )


class LinkWorkerProfile(Base):
    """A social prescribing link worker."""

    __tablename__ = "link_worker_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    employer: Mapped[str] = mapped_column(String(200))
    health_board_id: Mapped[int | None] = mapped_column(ForeignKey("health_boards.id"))
    gp_cluster: Mapped[str] = mapped_column(String(200), default="")
    employer_kind: Mapped[EmployerKind | None] = mapped_column(_enum(EmployerKind))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    capacity: Mapped[int] = mapped_column(Integer, default=2)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    health_board: Mapped[HealthBoard | None] = relationship()
    conditions: Mapped[list[Condition]] = relationship(secondary=link_worker_conditions, order_by="Condition.position")


def fold(text: str) -> str:
    """Lower-case ASCII for matching: accents dropped ('Gŵyl' -> 'gwyl'), whitespace collapsed."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").casefold()
    return " ".join(folded.split())


@event.listens_for(CreativeProfile, "before_insert")
@event.listens_for(CreativeProfile, "before_update")
def _refresh_search_text(_mapper: object, _connection: object, profile: CreativeProfile) -> None:
    """Keep the search column in step with the name and descriptions, whoever saves the profile."""
    profile.search_text = fold(
        " ".join((profile.organisation_name or "", profile.description_en or "", profile.description_cy or ""))
    )
