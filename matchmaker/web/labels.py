"""Display labels for stored codes (roles, languages, statuses, profile choices): one place, translated at display.

Lists of (code, label) pairs serve as form choices; the dicts look a code up for display.
Every label is lazy, so it is rendered in the language of the request (or of `force_locale`).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

ROLES = {
    "creative": _l("Creative professional"),
    "commissioner": _l("Commissioner"),
    "link_worker": _l("Link worker"),
    "organiser": _l("Organiser"),
}
APPROVALS = {"pending": _l("Waiting for approval"), "approved": _l("Approved"), "rejected": _l("Rejected")}
OUTBOX_STATUSES = {"queued": _l("Queued"), "sending": _l("Sending"), "sent": _l("Sent"), "failed": _l("Failed")}
BOOKING_STATUSES = {
    "requested": _l("Requested"),
    "scheduled": _l("Scheduled"),
    "unscheduled": _l("Could not be scheduled"),
    "cancelled": _l("Cancelled"),
}
ANSWERS = {
    "NEEDS-ACTION": _l("Not answered yet"),
    "ACCEPTED": _l("Coming"),
    "DECLINED": _l("Cannot come"),
    "TENTATIVE": _l("Maybe"),
}
# Each language names itself, so either reader can pick theirs.
LANGUAGE_CHOICES = [("en", "English"), ("cy", "Cymraeg")]
SESSION_LANGUAGES = {"cy": _l("Welsh"), "en": _l("English"), "either": _l("Either Welsh or English")}

ORGANISATION_KINDS = [
    ("arts_organisation", _l("Arts organisation")),
    ("charity", _l("Charity")),
    ("social_enterprise", _l("Social enterprise")),
    ("community_group", _l("Community group")),
    ("freelancer", _l("Freelance artist or practitioner")),
]
COMMISSIONER_KINDS = [
    ("health_board", _l("Health board")),
    ("primary_care_cluster", _l("Primary care cluster")),
    ("secondary_care_team", _l("Secondary care team (for example a rehabilitation ward or hospital discharge)")),
    ("local_authority", _l("Local authority")),
    ("regional_partnership_board", _l("Regional partnership board")),
    ("public_health_wales", _l("Public Health Wales")),
    ("funder", _l("Funder")),
    ("other", _l("Other")),
]
EMPLOYER_KINDS = [
    ("gp_cluster", _l("GP cluster")),
    ("local_authority", _l("Local authority")),
    ("third_sector", _l("Third sector organisation")),
    ("health_board", _l("Health board")),
]
LANGUAGES = [("en", _l("English")), ("cy", _l("Welsh")), ("bsl", _l("British Sign Language"))]
DELIVERY = [("online", _l("Online")), ("in_person", _l("In person"))]
PRESCRIBING_LINKS = [
    ("formal", _l("We take formal referrals from social prescribing")),
    ("informal", _l("We have informal links with link workers or GP practices")),
    ("none", _l("No link yet")),
]
HORIZONS = [("ongoing", _l("Ongoing")), ("short_term", _l("A short-term project that ends on a date"))]
ACCESS_NEEDS = [
    ("captions", _l("Captions")),
    ("bsl", _l("A British Sign Language interpreter")),
    ("breaks", _l("Regular breaks")),
]
EXPERIENCE = [
    ("specialist", _l("Specialist")),
    ("experienced", _l("Experienced")),
    ("open", _l("Open to it")),
    ("none", _l("Not for us")),
]

PROFILE_LABELS = {
    "organisation_kind": dict(ORGANISATION_KINDS),
    "commissioner_kind": dict(COMMISSIONER_KINDS),
    "employer_kind": dict(EMPLOYER_KINDS),
    "language": dict(LANGUAGES),
    "link": dict(PRESCRIBING_LINKS),
    "experience": dict(EXPERIENCE),
}


def label(names: dict[str, Any], code: str | None) -> str:
    """The label for a stored code, or the code itself when it has none (never a KeyError on odd data)."""
    if code is None:
        return ""
    return str(names.get(code, code))


def role_name(role: str) -> str:
    """A role in words, in the current language."""
    return label(ROLES, role)


def answer_name(partstat: str) -> str:
    """An attendee's answer in words, in the current language."""
    return label(ANSWERS, partstat)


def language_name(code: str) -> str:
    """A language code (en, cy, bsl, either) in words, in the current language."""
    return label(SESSION_LANGUAGES, code) if code == "either" else label(dict(LANGUAGES), code)


# What has happened since a session (follow-ups), in the order the form asks.
OUTCOMES = [
    ("contact_exchanged", _l("We exchanged contact details")),
    ("information_shared", _l("We shared information")),
    ("referral_route", _l("We agreed a referral route")),
    ("taster_planned", _l("A taster session or pilot is planned")),
    ("pilot_running", _l("A pilot is running")),
    ("commissioned", _l("Work has been commissioned or funded")),
    ("joint_bid", _l("We made a joint funding bid")),
    ("nothing_yet", _l("Nothing yet")),
    ("not_relevant", _l("Not relevant for us")),
]
PLANS_TO_COMMISSION = [("yes", _l("Yes")), ("maybe", _l("Maybe")), ("no", _l("No"))]
# How a creative organisation evidences its impact: names only, never a licensed questionnaire's text.
IMPACT_MEASURES = [
    ("ons4", _l("ONS4 personal wellbeing questions")),
    ("wemwbs", _l("WEMWBS or SWEMWBS (under our own licence)")),
    ("mycaw", _l("MYCaW (Measure Yourself Concerns and Wellbeing)")),
    ("case_studies", _l("Case studies")),
    ("local", _l("Methods we developed locally")),
    ("none_yet", _l("None yet")),
]
