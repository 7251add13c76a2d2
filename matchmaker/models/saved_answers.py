"""Answers waiting on a check-your-answers page, kept on the server rather than in the session cookie."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.models.base import Base, UTCDateTime, utcnow


class SavedAnswers(Base):
    """One person's unsaved answers for one form (a profile, a registration, a booking)."""

    __tablename__ = "saved_answers"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_saved_answers_user_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    data: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
