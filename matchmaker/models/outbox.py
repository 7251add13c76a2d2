"""The outbox: every email is a row here first, then a job delivers it."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.models.base import Base, UTCDateTime, utcnow


class OutboxStatus(enum.StrEnum):
    """Delivery state of one message."""

    QUEUED = "queued"  # waiting for delivery (or kept: no mail server configured)
    SENDING = "sending"  # claimed by a delivery job
    SENT = "sent"
    FAILED = "failed"  # gave up after MAIL_MAX_ATTEMPTS; an organiser can retry


class OutboxMessage(Base):
    """One email to one recipient."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    to_address: Mapped[str] = mapped_column(String(254))
    to_name: Mapped[str] = mapped_column(String(200), default="")
    reply_to: Mapped[str] = mapped_column(String(254), default="", server_default="")  # the round mailbox
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    calendar: Mapped[str | None] = mapped_column(Text)
    calendar_method: Mapped[str | None] = mapped_column(String(20))
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[OutboxStatus] = mapped_column(
        Enum(OutboxStatus, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=OutboxStatus.QUEUED,
        index=True,
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when the bodies were emptied after OUTBOX_RETENTION_DAYS; the row's metadata stays.
    body_purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # What the message is about, when its subject and bodies are written at delivery (publishing queues
    # thousands at once): {"kind": ..., ...} for mail.outbox's renderer of that kind; None once written.
    render: Mapped[dict[str, Any] | None] = mapped_column(JSON)
