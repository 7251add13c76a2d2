"""What sessions lead to: who came (attendance) and what happened since (follow-ups)."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.models.accounts import User
from matchmaker.models.base import Base, UTCDateTime, utcnow
from matchmaker.models.sessions import ConsultationSession


class AttendanceSource(enum.StrEnum):
    """Who said whether the person came."""

    ORGANISER = "organiser"  # ticked on the checklist after the session
    SELF = "self"  # the attendee, in their follow-up


class AttendanceMark(Base):
    """Did this person come to this session? One row per person and session.

    The row outlives an erased account (the user row stays, anonymised), so counts hold.
    """

    __tablename__ = "attendance_marks"
    __table_args__ = (UniqueConstraint("session_id", "user_id", name="uq_attendance_marks_session_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("consultation_sessions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    attended: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(20), default=AttendanceSource.ORGANISER.value)
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    session: Mapped[ConsultationSession] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class FollowUpStage(enum.StrEnum):
    """The first follow-up (a week after) and the second (six months after)."""

    FIRST = "first"
    SECOND = "second"


def new_nonce() -> str:
    """A random value signed into follow-up links: changing it kills every link already sent."""
    return secrets.token_urlsafe(12)


class FollowUp(Base):
    """One follow-up question to one attendee about one session, and their answer.

    When the account is erased, user_id and the note go: the codes stay, as anonymous counts.
    """

    __tablename__ = "follow_ups"
    __table_args__ = (UniqueConstraint("session_id", "user_id", "stage", name="uq_follow_ups_session_user_stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("consultation_sessions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    stage: Mapped[str] = mapped_column(String(10))
    nonce: Mapped[str] = mapped_column(String(40), default=new_nonce)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attended: Mapped[bool | None] = mapped_column(Boolean)
    outcomes: Mapped[list[str]] = mapped_column(JSON, default=list)
    funded_amount: Mapped[int | None] = mapped_column(Integer)  # pounds, when commissioned or funded
    referrals: Mapped[int | None] = mapped_column(Integer)  # link workers: people referred since
    plans_to_commission: Mapped[str] = mapped_column(String(10), default="")  # commissioners: yes, maybe, no
    note: Mapped[str] = mapped_column(Text, default="")
    quote_consent: Mapped[bool] = mapped_column(Boolean, default=False)

    session: Mapped[ConsultationSession] = relationship()
    user: Mapped[User | None] = relationship()

    def is_open(self, now: datetime) -> bool:
        """Can it still be answered or changed?"""
        return now < self.closes_at
