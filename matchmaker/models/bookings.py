"""Commissioners' requests for a consultation session on one condition in a round."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Column, Enum, ForeignKey, Index, String, Table, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.models.accounts import User
from matchmaker.models.base import Base, UTCDateTime, utcnow
from matchmaker.models.reference import Condition, HealthBoard
from matchmaker.models.rounds import Round, Slot


class BookingStatus(enum.StrEnum):
    """Where a booking stands."""

    REQUESTED = "requested"  # waiting for the matching run
    SCHEDULED = "scheduled"  # a published session serves it
    UNSCHEDULED = "unscheduled"  # the matching run could not serve it (reason_code says why)
    CANCELLED = "cancelled"


ACTIVE_STATUSES = (BookingStatus.REQUESTED.value, BookingStatus.SCHEDULED.value)
BOOKING_LANGUAGES = ("cy", "en")  # None: either
_ACTIVE_SQL = "status IN ('requested', 'scheduled')"

booking_slots = Table(
    "booking_slots",
    Base.metadata,
    Column("booking_id", ForeignKey("bookings.id", ondelete="CASCADE"), primary_key=True),
    Column("slot_id", ForeignKey("slots.id", ondelete="CASCADE"), primary_key=True),
)

booking_wants = Table(
    "booking_wants",
    Base.metadata,
    Column("booking_id", ForeignKey("bookings.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Booking(Base):
    """A commissioner's request for a session: condition, suitable slots, language, region, purpose."""

    __tablename__ = "bookings"
    __table_args__ = (
        # One active (requested or scheduled) booking per commissioner, round and condition,
        # enforced by the database too, so two requests racing cannot both get in.
        Index(
            "uq_bookings_active_round_commissioner_condition",
            "round_id",
            "commissioner_id",
            "condition_id",
            unique=True,
            sqlite_where=text(_ACTIVE_SQL),
            postgresql_where=text(_ACTIVE_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    commissioner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    condition_id: Mapped[int] = mapped_column(ForeignKey("conditions.id"))
    language: Mapped[str | None] = mapped_column(String(5))  # 'cy', 'en' or None for either
    health_board_id: Mapped[int | None] = mapped_column(ForeignKey("health_boards.id", ondelete="SET NULL"))
    purpose: Mapped[str] = mapped_column(Text, default="")  # shown to the session's participants
    status: Mapped[BookingStatus] = mapped_column(
        Enum(BookingStatus, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=BookingStatus.REQUESTED,
    )
    reason_code: Mapped[str | None] = mapped_column(String(40))  # the solver's unserved_bookings[].reason
    reason_detail: Mapped[str | None] = mapped_column(Text)  # the solver's sentence (English, for organisers)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    round: Mapped[Round] = relationship()
    commissioner: Mapped[User] = relationship(foreign_keys=[commissioner_id])
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    condition: Mapped[Condition] = relationship()
    health_board: Mapped[HealthBoard | None] = relationship()
    slots: Mapped[list[Slot]] = relationship(secondary=booking_slots, order_by="Slot.starts_at")
    wants_to_meet: Mapped[list[User]] = relationship(secondary=booking_wants, order_by="User.id")

    @property
    def is_active(self) -> bool:
        """Requested or scheduled: counts against duplicates."""
        return self.status.value in ACTIVE_STATUSES
