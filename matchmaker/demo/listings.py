"""Demo listings and kinds: link workers' employers, a secondary care team, organisations in the Open
Referral feed, a community group's open space with its sessions, and one organisation that was asked to
confirm its details 35 days ago and has not (the next freshness run, daily at 06:20 UTC, hides it from the
directory and the feed). Safe to run twice (made only when missing)."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.listings.service import Details, add_session, listing_for, save_care_service, save_employer_kind
from matchmaker.models import (
    CommissionerKind,
    CommissionerProfile,
    CreativeProfile,
    Frequency,
    LinkWorkerProfile,
    User,
    utcnow,
)

DOMAIN = "demo.example.org"
STALE = "creative05@demo.example.org"  # Stepping Stones Dance Company (its only member)
COMMUNITY_GROUP = "creative10@demo.example.org"  # Canu'r Cwm

# email: (in the feed, public email, public phone, venue (name, address, town, postcode) or None, access features)
LISTINGS: dict[str, tuple[bool, str, str, tuple[str, str, str, str] | None, list[str]]] = {
    COMMUNITY_GROUP: (
        True,
        "croeso@canurcwm.demo.example.org",
        "01633 000101",
        ("Neuadd Les y Cwm", "Heol yr Eglwys", "Abertyleri", "NP13 1AA"),
        ["step_free", "accessible_toilet", "hearing_loop", "quiet_space"],
    ),
    "creative02@demo.example.org": (True, "hello@pontyderwen.demo.example.org", "", None, []),
    "creative04@demo.example.org": (
        True,
        "studio@blaenyglyn.demo.example.org",
        "01495 000202",
        ("Blaen-y-Glyn Clay Studio", "Uned 3, Ystad Ddiwydiannol", "Blaenafon", "NP4 9AA"),
        ["step_free", "parking"],
    ),
    "creative11@demo.example.org": (True, "", "07700 900303", None, []),
    STALE: (True, "dance@steppingstones.demo.example.org", "", None, []),
    "creative06@demo.example.org": (False, "", "", None, []),
}
SESSIONS = [
    ("Canu agored / Open singing", Frequency.WEEKLY, "TU", None, time(14), time(16)),
    ("Bore coffi a chân / Coffee and song", Frequency.MONTHLY, "SA", 1, time(10, 30), time(12)),
]


# Link workers' employers, by demo account number (linkworker01 ... linkworker15).
EMPLOYER_KINDS = [
    "third_sector", "gp_cluster", "third_sector", "third_sector", "local_authority", "gp_cluster",
    "local_authority", "third_sector", "gp_cluster", "local_authority", "health_board", "third_sector",
    "gp_cluster", "health_board", "gp_cluster",
]  # fmt: skip
# A secondary care team among the demo commissioners (recommendation 6: hospital teams as referrers).
SECONDARY_CARE = ("commissioner08@demo.example.org", "Stroke rehabilitation and early supported discharge")


def _kinds() -> None:
    """Employer kinds for the demo link workers and one secondary care team (only where not set yet)."""
    for number, code in enumerate(EMPLOYER_KINDS, start=1):
        profile = db.session.scalar(
            select(LinkWorkerProfile)
            .join(User, User.id == LinkWorkerProfile.user_id)
            .where(User.email == f"linkworker{number:02d}@{DOMAIN}")
        )
        if profile is not None and profile.employer_kind is None:
            save_employer_kind(profile, code)
    email, care_service = SECONDARY_CARE
    commissioner = db.session.scalar(
        select(CommissionerProfile).join(User, User.id == CommissionerProfile.user_id).where(User.email == email)
    )
    if commissioner is not None and not commissioner.care_service:
        commissioner.organisation_kind = CommissionerKind.SECONDARY_CARE_TEAM
        save_care_service(commissioner, care_service)


def load_demo_listings() -> int:
    """Make the demo listings that are missing; returns how many."""
    made = 0
    now = utcnow()
    for email, (feed, public_email, phone, venue, access) in LISTINGS.items():
        profile = db.session.scalar(
            select(CreativeProfile).join(User, User.id == CreativeProfile.user_id).where(User.email == email)
        )
        if profile is None or listing_for(profile) is not None:
            continue
        listing = listing_for(profile, create=True)
        name, address, town, postcode = venue or ("", "", "", "")
        for key, value in vars(Details(feed, public_email, phone, name, address, town, postcode, access, "")).items():
            setattr(listing, key, value)
        listing.assured_on = (now - timedelta(days=40)).date()
        if email == COMMUNITY_GROUP:
            for session_name, frequency, day, week, opens, closes in SESSIONS:
                add_session(
                    listing,
                    name=session_name,
                    frequency=frequency,
                    weekday=day,
                    week_of_month=week,
                    opens_at=opens,
                    closes_at=closes,
                )
        if email == STALE:
            listing.created_at = now - timedelta(days=400)
            listing.assured_on = (now - timedelta(days=220)).date()
            listing.check_sent_at = now - timedelta(days=35)
        made += 1
    _kinds()
    db.session.commit()
    return made
