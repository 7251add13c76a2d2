"""People with accounts: creative professionals, commissioners, link workers, organisers."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime
from typing import Any

from flask_babel import gettext
from flask_login import UserMixin
from sqlalchemy import Enum, String, Text
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.models.base import Base, UTCDateTime, utcnow


class Role(enum.StrEnum):
    """What a person does on Cyswllt."""

    CREATIVE = "creative"
    COMMISSIONER = "commissioner"
    LINK_WORKER = "link_worker"
    ORGANISER = "organiser"


class Approval(enum.StrEnum):
    """Where an account stands with the organisers."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


ROLES_NEEDING_APPROVAL = frozenset({Role.COMMISSIONER, Role.LINK_WORKER})
ROLES_NEEDING_APPROVAL_VALUES = frozenset(r.value for r in ROLES_NEEDING_APPROVAL)


def new_session_token() -> str:
    """A fresh random token; changing it signs the user out everywhere."""
    return secrets.token_urlsafe(24)


class User(UserMixin, Base):
    """An account. Personal data is erased on deletion; the row stays, anonymised."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    pending_email: Mapped[str | None] = mapped_column(String(254))
    stored_name: Mapped[str] = mapped_column("name", String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    language: Mapped[str] = mapped_column(String(5), default="en")
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approval: Mapped[Approval] = mapped_column(
        Enum(Approval, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=Approval.APPROVED,
    )
    approval_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approval_decided_by_id: Mapped[int | None] = mapped_column()
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    feed_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @hybrid_property
    def name(self) -> str:
        """The person's name; an erased account reads "Deleted user" in the language of the page or email."""
        if self.deleted_at is not None:
            return gettext("Deleted user")
        return self.stored_name

    @name.inplace.setter
    def _name_setter(self, value: str) -> None:
        """Store a name."""
        self.stored_name = value

    @name.inplace.expression
    @classmethod
    def _name_expression(cls) -> Any:
        """In queries, the stored column."""
        return cls.stored_name

    def get_id(self) -> str:
        """Flask-Login id: the row id and the session token, so rotating the token ends sessions."""
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        """Deactivated, rejected and deleted accounts cannot sign in."""
        return self.deactivated_at is None and self.deleted_at is None and self.approval != Approval.REJECTED

    @property
    def is_verified(self) -> bool:
        """Has the person confirmed their email address?"""
        return self.email_verified_at is not None

    @property
    def is_approved(self) -> bool:
        """May this person see other people's details?"""
        return self.approval == Approval.APPROVED and self.is_verified

    @property
    def is_organiser(self) -> bool:
        """Organisers run rounds and approve accounts."""
        return self.role == Role.ORGANISER

    def rotate_feed_token(self) -> None:
        """A new secret calendar feed address; the old one stops working."""
        self.feed_token = new_session_token()

    def end_all_sessions(self) -> None:
        """Invalidate every signed-in session of this user, in every browser."""
        self.session_token = new_session_token()
