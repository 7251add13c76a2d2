"""Consultation rounds, their candidate slots, and each person's registration of interest."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Enum,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.models.accounts import User
from matchmaker.models.base import Base, UTCDateTime, utcnow
from matchmaker.models.reference import Condition


class RoundStatus(enum.StrEnum):
    """A round moves draft -> open -> closed."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


round_conditions = Table(
    "round_conditions",
    Base.metadata,
    Column("round_id", ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True),
    Column("condition_id", ForeignKey("conditions.id", ondelete="CASCADE"), primary_key=True),
)

registration_slots = Table(
    "registration_slots",
    Base.metadata,
    Column("registration_id", ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True),
    Column("slot_id", ForeignKey("slots.id", ondelete="CASCADE"), primary_key=True),
)

registration_wants = Table(
    "registration_wants",
    Base.metadata,
    Column("registration_id", ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Round(Base):
    """A consultation round: when people can register, what about, and the session rules."""

    __tablename__ = "rounds"
    __table_args__ = (
        CheckConstraint("creatives_min <= creatives_max", name="creatives_range"),
        CheckConstraint("commissioners_min <= commissioners_max", name="commissioners_range"),
        CheckConstraint("link_workers_min <= link_workers_max", name="link_workers_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title_en: Mapped[str] = mapped_column(String(200))
    title_cy: Mapped[str] = mapped_column(String(200))
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_cy: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[RoundStatus] = mapped_column(
        Enum(RoundStatus, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=RoundStatus.DRAFT,
    )
    registration_opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    registration_closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    session_minutes: Mapped[int] = mapped_column(Integer, default=90)
    creatives_min: Mapped[int] = mapped_column(Integer, default=3)
    creatives_max: Mapped[int] = mapped_column(Integer, default=6)
    commissioners_min: Mapped[int] = mapped_column(Integer, default=1)
    commissioners_max: Mapped[int] = mapped_column(Integer, default=2)
    link_workers_min: Mapped[int] = mapped_column(Integer, default=1)
    link_workers_max: Mapped[int] = mapped_column(Integer, default=3)
    max_parallel_sessions: Mapped[int] = mapped_column(Integer, default=4)
    one_per_organisation: Mapped[bool] = mapped_column(Boolean, default=True)
    organiser_mailbox: Mapped[str] = mapped_column(String(254))
    # Declines reach the organiser mailbox one email each, or in one email a day when this is set.
    decline_digest: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Where sessions meet unless an organiser pastes a link: "{room}" becomes the session's room name.
    meeting_url_template: Mapped[str] = mapped_column(
        String(300), default="https://meet.jit.si/{room}", server_default="https://meet.jit.si/{room}"
    )
    # Matching priority of a creative, by their link with social prescribing (organiser-set).
    priority_no_link: Mapped[float] = mapped_column(default=3.0)
    priority_informal: Mapped[float] = mapped_column(default=2.0)
    priority_formal: Mapped[float] = mapped_column(default=1.0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    conditions: Mapped[list[Condition]] = relationship(secondary=round_conditions, order_by="Condition.position")
    slots: Mapped[list[Slot]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="Slot.starts_at"
    )

    def title(self, language: str = "en") -> str:
        """The title in this language."""
        return self.title_cy if language == "cy" and self.title_cy else self.title_en


class Slot(Base):
    """A candidate time for sessions. Slots may overlap."""

    __tablename__ = "slots"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    bank_holiday: Mapped[str] = mapped_column(String(200), default="")  # its name, when the day is one

    round: Mapped[Round] = relationship(back_populates="slots")


class RegistrationCondition(Base):
    """A condition someone wants to discuss in a round, with a strength 1-3."""

    __tablename__ = "registration_conditions"
    __table_args__ = (CheckConstraint("strength BETWEEN 1 AND 3", name="strength_range"),)

    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True)
    condition_id: Mapped[int] = mapped_column(ForeignKey("conditions.id", ondelete="CASCADE"), primary_key=True)
    strength: Mapped[int] = mapped_column(Integer)
    condition: Mapped[Condition] = relationship()


class Registration(Base):
    """One person's interest in one round: conditions, slots, how many sessions, whom to meet."""

    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("round_id", "user_id", name="uq_registrations_round_user"),
        CheckConstraint("max_sessions >= 1", name="max_sessions_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    max_sessions: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    round: Mapped[Round] = relationship()
    conditions: Mapped[list[RegistrationCondition]] = relationship(cascade="all, delete-orphan")
    slots: Mapped[list[Slot]] = relationship(secondary=registration_slots, order_by="Slot.starts_at")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    wants_to_meet: Mapped[list[User]] = relationship(secondary=registration_wants)
