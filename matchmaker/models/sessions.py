"""Published consultation sessions and the people invited to them.

A session is what attendees' calendars show: its UID never changes, and SEQUENCE rises
on every change attendees must see (RFC 5545/5546), so calendars update in place.
"""

from __future__ import annotations

import enum
import secrets
import uuid
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.models.accounts import User
from matchmaker.models.base import Base, UTCDateTime, utcnow
from matchmaker.models.reference import Condition
from matchmaker.models.rounds import Round, Slot


def _enum(kind: type[enum.Enum]) -> Enum:
    """A portable (VARCHAR) enum column storing the values."""
    return Enum(kind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


def new_uid() -> str:
    """A calendar UID that never changes for the life of the session."""
    return f"session-{uuid.uuid4().hex}@cyswllt"


def new_room() -> str:
    """An unguessable meeting room name."""
    return "Cyswllt-" + secrets.token_urlsafe(12).replace("_", "").replace("-", "")


class SessionStatus(enum.StrEnum):
    """A published session goes ahead or is cancelled."""

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class PartStat(enum.StrEnum):
    """An attendee's answer (RFC 5545 PARTSTAT)."""

    NEEDS_ACTION = "NEEDS-ACTION"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    TENTATIVE = "TENTATIVE"


class ConsultationSession(Base):
    """One published session: one condition, one slot, one language, a mix of roles."""

    __tablename__ = "consultation_sessions"
    __table_args__ = (UniqueConstraint("round_id", "plan_key", name="uq_consultation_sessions_round_plan_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    plan_key: Mapped[str] = mapped_column(String(40))  # the plan's session id ("S12"): publishing twice is a no-op
    condition_id: Mapped[int] = mapped_column(ForeignKey("conditions.id"))
    slot_id: Mapped[int] = mapped_column(ForeignKey("slots.id"))
    language: Mapped[str] = mapped_column(String(5), default="en")
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id", ondelete="SET NULL"), index=True)
    purpose: Mapped[str] = mapped_column(Text, default="")  # what the booking commissioner wants to discuss
    status: Mapped[SessionStatus] = mapped_column(_enum(SessionStatus), default=SessionStatus.SCHEDULED)
    uid: Mapped[str] = mapped_column(String(200), unique=True, default=new_uid)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    room: Mapped[str] = mapped_column(String(80), default=new_room)
    join_url_override: Mapped[str] = mapped_column(String(500), default="")  # a pasted Teams/Zoom link
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    round: Mapped[Round] = relationship()
    condition: Mapped[Condition] = relationship()
    slot: Mapped[Slot] = relationship()
    attendees: Mapped[list[SessionAttendee]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionAttendee.id"
    )

    @property
    def starts_at(self) -> datetime:
        """Start, in UTC (the slot's)."""
        return self.slot.starts_at

    @property
    def ends_at(self) -> datetime:
        """End, in UTC (the slot's)."""
        return self.slot.ends_at

    def bump(self) -> None:
        """Record a change attendees must see: their calendars replace the event."""
        self.sequence += 1


class SessionAttendee(Base):
    """A person invited to a session. Removal keeps the row (removed_at) so a CANCEL can be sent."""

    __tablename__ = "session_attendees"
    __table_args__ = (UniqueConstraint("session_id", "user_id", name="uq_session_attendees_session_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("consultation_sessions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))  # creative, commissioner, link_worker
    partstat: Mapped[PartStat] = mapped_column(_enum(PartStat), default=PartStat.NEEDS_ACTION)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    session: Mapped[ConsultationSession] = relationship(back_populates="attendees")
    user: Mapped[User] = relationship()

    @property
    def is_current(self) -> bool:
        """Still invited (not removed) and has not declined."""
        return self.removed_at is None and self.partstat != PartStat.DECLINED
