"""An organisation's public listing: venue, accessibility, open sessions, the Open Referral opt-in, freshness.

Kept apart from the creative profile (one listing per creative profile, made when first saved) so that
the profile form and this page change independently.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time

from sqlalchemy import JSON, Boolean, Date, Enum, ForeignKey, Integer, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.models.base import Base, UTCDateTime, utcnow


class Frequency(enum.StrEnum):
    """How often an open session runs."""

    WEEKLY = "weekly"
    MONTHLY = "monthly"


# RFC 5545 day codes, Monday first (the order they are offered in).
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Accessibility features of a venue someone can tick.
ACCESS_FEATURES = ("step_free", "accessible_toilet", "hearing_loop", "quiet_space", "parking", "changing_places")


class Listing(Base):
    """What an organisation shows beyond its profile, and whether its details are kept fresh."""

    __tablename__ = "listings"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("creative_profiles.id", ondelete="CASCADE"), unique=True)
    # Opt-in to the public Open Referral feed, separate from the (signed-in) directory's consent.
    feed_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    # Organisation contact details for the public feed (never taken from the account).
    public_email: Mapped[str] = mapped_column(String(254), default="")
    public_phone: Mapped[str] = mapped_column(String(40), default="")
    venue_name: Mapped[str] = mapped_column(String(200), default="")
    venue_address: Mapped[str] = mapped_column(Text, default="")
    venue_town: Mapped[str] = mapped_column(String(100), default="")
    venue_postcode: Mapped[str] = mapped_column(String(10), default="")
    access_features: Mapped[list[str]] = mapped_column(JSON, default=list)
    access_notes: Mapped[str] = mapped_column(Text, default="")
    # Freshness: when the organisation last confirmed its details, when it was last asked,
    # and when it was hidden for not answering (None: shown).
    assured_on: Mapped[date | None] = mapped_column(Date)
    check_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    sessions: Mapped[list[OpenSession]] = relationship(
        cascade="all, delete-orphan", order_by="OpenSession.id", back_populates="listing"
    )


class OpenSession(Base):
    """A regular open session: weekly on a day, or monthly on the nth (or last) such day of the month."""

    __tablename__ = "open_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    frequency: Mapped[Frequency] = mapped_column(
        Enum(Frequency, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e])
    )
    weekday: Mapped[str] = mapped_column(String(2))
    # For monthly sessions: 1-4 (first to fourth) or -1 (last); None for weekly ones.
    week_of_month: Mapped[int | None] = mapped_column(Integer)
    opens_at: Mapped[time] = mapped_column(Time)
    closes_at: Mapped[time] = mapped_column(Time)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    listing: Mapped[Listing] = relationship(back_populates="sessions")

    @property
    def rrule(self) -> str:
        """The RFC 5545 rule, e.g. FREQ=WEEKLY;BYDAY=TU or FREQ=MONTHLY;BYDAY=1SA."""
        if self.frequency == Frequency.MONTHLY:
            return f"FREQ=MONTHLY;BYDAY={self.week_of_month}{self.weekday}"
        return f"FREQ=WEEKLY;BYDAY={self.weekday}"
