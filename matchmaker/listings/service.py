"""Listings: an organisation's venue, accessibility, open sessions and feed opt-in, and keeping them fresh.

Freshness: every FRESHNESS_CHECK_DAYS (about six months) after its details were last confirmed (or
first listed), each organisation in the directory is emailed a signed link to confirm or update them.
Confirming sets the assured date. Not confirmed within FRESHNESS_GRACE_DAYS of that email: hidden
from the directory and the feed (hidden_at) and told so, with a link that brings it back in one click.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from matchmaker.accounts.service import EXPORTERS, register_personal_data
from matchmaker.audit.service import record
from matchmaker.extensions import db
from matchmaker.listings.forms import (  # the labels other features show schedules with
    ACCESS_LABELS,
    FREQUENCY_LABELS,
    MONTHLY_LABELS,
    WEEK_OF_MONTH_LABELS,
    WEEKDAY_LABELS,
)
from matchmaker.mail.service import queue_templated_email
from matchmaker.models import (
    CommissionerProfile,
    EmployerKind,
    Frequency,
    LinkWorkerProfile,
    Listing,
    OpenSession,
    Role,
    User,
    utcnow,
)
from matchmaker.models import CreativeProfile as CreativeProfile
from matchmaker.web.urls import external_url

# What templates need to describe a venue's access and a session's schedule (listings/_schedule.html).
LABELS = {
    "access": ACCESS_LABELS,
    "weekdays": WEEKDAY_LABELS,
    "frequencies": FREQUENCY_LABELS,
    "weeks": WEEK_OF_MONTH_LABELS,
    "monthly": MONTHLY_LABELS,
}
CHECK_LINK_MAX_AGE = 90 * 24 * 3600  # a confirmation link works for 90 days


def listing_for(profile: CreativeProfile, *, create: bool = False) -> Listing | None:
    """The profile's listing (made, empty, when create is set and there is none)."""
    listing = db.session.scalar(select(Listing).where(Listing.profile_id == profile.id))
    if listing is None and create:
        listing = Listing(profile_id=profile.id, access_features=[], sessions=[])
        db.session.add(listing)
        db.session.flush()
    return listing


def own_profile(user: User) -> CreativeProfile | None:
    """A creative's own profile."""
    if user.role != Role.CREATIVE:
        return None
    return db.session.scalar(select(CreativeProfile).where(CreativeProfile.user_id == user.id))


def other_profile(user: User) -> CommissionerProfile | LinkWorkerProfile | None:
    """A commissioner's or link worker's own profile."""
    model = {Role.COMMISSIONER: CommissionerProfile, Role.LINK_WORKER: LinkWorkerProfile}.get(user.role)
    if model is None:
        return None
    return db.session.scalar(select(model).where(model.user_id == user.id))


def save_care_service(profile: CommissionerProfile, care_service: str) -> None:
    """The service a secondary care team provides (stroke rehabilitation, hospital discharge...)."""
    profile.care_service = care_service


def save_employer_kind(profile: LinkWorkerProfile, code: str) -> None:
    """Who employs a link worker."""
    profile.employer_kind = EmployerKind(code)


@dataclass
class Details:
    """What the 'Your organisation' form saves."""

    feed_consent: bool
    public_email: str
    public_phone: str
    venue_name: str
    venue_address: str
    venue_town: str
    venue_postcode: str
    access_features: list[str]
    access_notes: str


def save_details(listing: Listing, details: Details, actor: User) -> None:
    """Save the page's answers; opting in or out of the feed is audited."""
    was_in_feed = listing.feed_consent
    for name, value in vars(details).items():
        setattr(listing, name, value)
    listing.updated_at = utcnow()
    if was_in_feed != details.feed_consent:
        record(actor, "feed_opted_in" if details.feed_consent else "feed_opted_out", listing)


def add_session(
    listing: Listing,
    *,
    name: str,
    frequency: Frequency,
    weekday: str,
    week_of_month: int | None,
    opens_at: time,
    closes_at: time,
) -> OpenSession:
    """Add a regular open session (week_of_month only for monthly ones)."""
    session = OpenSession(
        name=name,
        frequency=frequency,
        weekday=weekday,
        week_of_month=week_of_month if frequency == Frequency.MONTHLY else None,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    listing.sessions.append(session)
    listing.updated_at = utcnow()
    db.session.flush()
    return session


def remove_session(listing: Listing, session_id: int) -> bool:
    """Remove one of this listing's sessions; False if it is not one of them."""
    for session in listing.sessions:
        if session.id == session_id:
            listing.sessions.remove(session)
            listing.updated_at = utcnow()
            return True
    return False


# ----- freshness -------------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="cyswllt-listing-check")


def check_token(listing: Listing) -> str:
    """The signed token of a listing's confirmation link."""
    return _serializer().dumps({"l": listing.id})


def read_check_token(token: str) -> Listing | None:
    """The listing a valid, unexpired confirmation token names (its account still live), else None."""
    try:
        payload = _serializer().loads(token, max_age=CHECK_LINK_MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("l"), int):
        return None
    listing = db.session.get(Listing, payload["l"])
    if listing is None:
        return None
    owner = _owner(listing)
    if owner is None or owner.deleted_at is not None or owner.deactivated_at is not None:
        return None
    return listing


def _owner(listing: Listing) -> User | None:
    profile = db.session.get(CreativeProfile, listing.profile_id)
    return db.session.get(User, profile.user_id) if profile is not None else None


def confirm(listing: Listing, today: date) -> bool:
    """The organisation confirms its details: assured today, shown again if hidden. Returns whether it was hidden."""
    was_hidden = listing.hidden_at is not None
    listing.assured_on = today
    listing.check_sent_at = None
    listing.hidden_at = None
    listing.updated_at = utcnow()
    return was_hidden


def _listed_profiles() -> list[CreativeProfile]:
    """Profiles with directory consent whose account is live (hidden ones included)."""
    return list(
        db.session.scalars(
            select(CreativeProfile)
            .join(User, User.id == CreativeProfile.user_id)
            .where(
                CreativeProfile.directory_consent.is_(True),
                User.role == Role.CREATIVE,
                User.deleted_at.is_(None),
                User.deactivated_at.is_(None),
            )
            .order_by(CreativeProfile.id)
        )
    )


def _baseline(listing: Listing) -> date:
    """When the details were last known good: the assured date, else when the listing began."""
    return listing.assured_on or listing.created_at.date()


def run_freshness(now: datetime | None = None) -> tuple[int, int]:
    """Ask those due to confirm, hide those who did not answer in time; returns (asked, hidden)."""
    now = now or utcnow()
    check_after = timedelta(days=current_app.config["FRESHNESS_CHECK_DAYS"])
    grace = timedelta(days=current_app.config["FRESHNESS_GRACE_DAYS"])
    asked = hidden = 0
    for profile in _listed_profiles():
        listing = listing_for(profile, create=True)
        owner = db.session.get(User, profile.user_id)
        if listing.hidden_at is not None or owner is None:
            continue
        if listing.check_sent_at is None:
            if _baseline(listing) + check_after <= now.date():
                listing.check_sent_at = now
                queue_templated_email(
                    "listing_check",
                    key=f"listing-check-{listing.id}-{now.date().isoformat()}",
                    user=owner,
                    profile=profile,
                    link=external_url("listings.confirm", token=check_token(listing)),
                    grace_days=grace.days,
                )
                asked += 1
        elif listing.check_sent_at + grace <= now:
            listing.hidden_at = now
            listing.updated_at = now
            queue_templated_email(
                "listing_hidden",
                key=f"listing-hidden-{listing.id}-{now.date().isoformat()}",
                user=owner,
                profile=profile,
                link=external_url("listings.confirm", token=check_token(listing)),
            )
            hidden += 1
    db.session.commit()
    return asked, hidden


@dataclass
class Staleness:
    """One organisation's freshness, for organisers."""

    profile: CreativeProfile
    listing: Listing
    state: str  # "hidden", "asked", "due" or "fresh"
    due_on: date


def staleness(today: date) -> list[Staleness]:
    """Every listed organisation that is hidden, waiting for an answer or due to be asked, most urgent first."""
    check_after = timedelta(days=current_app.config["FRESHNESS_CHECK_DAYS"])
    rows = []
    for profile in _listed_profiles():
        listing = listing_for(profile)
        if listing is None:
            continue
        due_on = _baseline(listing) + check_after
        if listing.hidden_at is not None:
            state = "hidden"
        elif listing.check_sent_at is not None:
            state = "asked"
        elif due_on <= today:
            state = "due"
        else:
            continue
        rows.append(Staleness(profile, listing, state, due_on))
    order = {"hidden": 0, "asked": 1, "due": 2}
    return sorted(rows, key=lambda row: (order[row.state], row.due_on, row.profile.organisation_key))


# ----- personal data ---------------------------------------------------------------------


def export_listing(user: User) -> dict:
    """'Download my data': the listing (venue, public contact, sessions, feed choice, freshness)."""
    profile = own_profile(user)
    listing = listing_for(profile) if profile is not None else None
    if listing is None:
        return {"listing": None}
    return {
        "listing": {
            "feed_consent": listing.feed_consent,
            "public_email": listing.public_email,
            "public_phone": listing.public_phone,
            "venue": [listing.venue_name, listing.venue_address, listing.venue_town, listing.venue_postcode],
            "access_features": list(listing.access_features),
            "access_notes": listing.access_notes,
            "assured_on": listing.assured_on.isoformat() if listing.assured_on else None,
            "open_sessions": [
                {
                    "name": s.name,
                    "rrule": s.rrule,
                    "opens_at": s.opens_at.isoformat(),
                    "closes_at": s.closes_at.isoformat(),
                }
                for s in listing.sessions
            ],
        }
    }


def erase_listing(user: User) -> None:
    """'Delete my account': the listing and its sessions go (the database cascade does it with the profile too)."""
    profile = own_profile(user)
    listing = listing_for(profile) if profile is not None else None
    if listing is not None:
        db.session.delete(listing)


def register() -> None:
    """Add listings to "download my data" and "delete my account" (once)."""
    if export_listing not in EXPORTERS:
        register_personal_data(export_listing, erase_listing)
