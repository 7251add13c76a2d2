"""Published consultation sessions and the people invited to them.

A session is what attendees' calendars show: its UID never changes, and SEQUENCE rises
on every change attendees must see (RFC 5545/5546), so calendars update in place.
"""

from __future__ import annotations

import enum
import secrets
import uuid
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Integer, String, Text, UniqueConstraint, update
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship
from sqlalchemy.orm.attributes import set_committed_value

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

    def bump(self) -> int:
        """Record a change attendees must see: take the next SEQUENCE atomically and return it.

        One `UPDATE ... SET sequence = sequence + 1 RETURNING sequence`: two transactions changing
        the same session at once (two people joining) get different values, whatever each had loaded.
        """
        owner = object_session(self)
        if owner is None or self.id is None:
            self.sequence = (self.sequence or 0) + 1
            return self.sequence
        owner.flush()
        table = ConsultationSession.__table__
        value = owner.execute(
            update(table).where(table.c.id == self.id).values(sequence=table.c.sequence + 1).returning(table.c.sequence)
        ).scalar_one()
        set_committed_value(self, "sequence", value)
        return value


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
    # The SEQUENCE of the last REQUEST or CANCEL sent to this person: a calendar REPLY to an older one is stale.
    last_sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    session: Mapped[ConsultationSession] = relationship(back_populates="attendees")
    user: Mapped[User] = relationship()

    @property
    def is_current(self) -> bool:
        """Still invited (not removed) and has not declined."""
        return self.removed_at is None and self.partstat != PartStat.DECLINED


class ExclusionReason(enum.StrEnum):
    """Why someone is never put back into a session (or, for a cancelled booking, the round)."""

    DECLINED = "declined"
    REMOVED = "removed"
    BOOKING_CANCELLED = "booking_cancelled"
    ACCOUNT_CLOSED = "account_closed"


class SessionExclusion(Base):
    """'Not again': this person is kept out of this session (session_id None: out of the whole round).

    Publishing, refills, re-runs and joining all respect it until an organiser lifts it.
    """

    __tablename__ = "session_exclusions"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[ExclusionReason] = mapped_column(_enum(ExclusionReason))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    session: Mapped[ConsultationSession | None] = relationship()


class InboundStatus(enum.StrEnum):
    """What became of an email that reached the round mailbox."""

    APPLIED = "applied"  # an answer recorded
    UNCHANGED = "unchanged"  # the answer was already recorded
    STALE = "stale"  # a reply to an older version of the invitation
    QUARANTINED = "quarantined"  # the sender is not the attendee named in the reply
    COUNTER = "counter"  # a proposal of another time, for an organiser
    UNMATCHED = "unmatched"  # no such session or attendee, or a reply we cannot apply
    NOT_CALENDAR = "not_calendar"  # an ordinary email: left for people to read
    RESOLVED = "resolved"  # an organiser has dealt with it


class InboundMessage(Base):
    """One email received from a calendar app (or not), kept once per Message-ID."""

    __tablename__ = "inbound_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(300), unique=True)
    source: Mapped[str] = mapped_column(String(10))  # imap or pipe
    from_address: Mapped[str] = mapped_column(String(254), default="")
    subject: Mapped[str] = mapped_column(String(300), default="")
    method: Mapped[str] = mapped_column(String(20), default="")
    uid: Mapped[str] = mapped_column(String(300), default="")
    attendee: Mapped[str] = mapped_column(String(254), default="")
    partstat: Mapped[str] = mapped_column(String(20), default="")
    sequence: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[InboundStatus] = mapped_column(_enum(InboundStatus), index=True)
    reason_code: Mapped[str] = mapped_column(String(40), default="")  # explained on the Replies page
    reason: Mapped[str] = mapped_column(Text, default="")  # the same in English, with details, for logs and the CLI
    session_id: Mapped[int | None] = mapped_column(ForeignKey("consultation_sessions.id", ondelete="SET NULL"))
    calendar: Mapped[str | None] = mapped_column(Text)  # the calendar part, for an organiser to read
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    session: Mapped[ConsultationSession | None] = relationship()
