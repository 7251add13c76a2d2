"""The Open Referral UK documents: services, taxonomies and their terms, built from the directory.

Identifiers are UUIDs made from what they describe (uuid5 in one namespace of ours), so they stay the
same from one request, release or database copy to the next: a service from its creative profile's
id, an organisation from its normalised name, a taxonomy term from its reference slug, and each
service's areas, languages and schedules from the service and the board, language or session.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import force_locale
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from matchmaker.directory.service import directory_entries
from matchmaker.extensions import db
from matchmaker.models import (
    ArtForm,
    Condition,
    CreativeCondition,
    CreativeProfile,
    HealthBoard,
    Listing,
    OpenSession,
    OrganisationKind,
)
from matchmaker.models.profiles import creative_art_forms, fold
from matchmaker.web.labels import ORGANISATION_KINDS

NAMESPACE = uuid.UUID("6f1c1d2e-5b7a-4a8e-9a57-0c3d1e2f7a15")
HSDS_VERSION = "3.0"
PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile"
PER_PAGE = 50
MAX_PER_PAGE = 200
LANGUAGE_NAMES = {"en": "English", "cy": "Welsh", "bsl": "British Sign Language"}
# ISO 639 codes (BSL has a 639-3 code).
LANGUAGE_ISO = {"en": "en", "cy": "cy", "bsl": "bfi"}
TAXONOMIES = {
    "conditions": ("Cyswllt conditions", "Health conditions and groups of people the organisation works with."),
    "art-forms": ("Cyswllt art forms", "Creative practices the organisation offers."),
    "organisation-kinds": (
        "Cyswllt organisation kinds",
        "Arts organisation, freelance artist, community group running an inclusive open space...",
    ),
}


@dataclass(frozen=True)
class KindTerm:
    """A kind of creative organisation, shaped like a reference row (slug and both names)."""

    slug: str
    name_en: str
    name_cy: str


def _kind_terms() -> list[KindTerm]:
    """The organisation kinds with their English and Welsh names (from the site's labels)."""
    with force_locale("en"):
        english = {code: str(name) for code, name in ORGANISATION_KINDS}
    with force_locale("cy"):
        welsh = {code: str(name) for code, name in ORGANISATION_KINDS}
    return [KindTerm(code, english[code], welsh[code]) for code, _name in ORGANISATION_KINDS]


def make_id(*parts: object) -> str:
    """A stable UUID for what these parts name."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def service_id(profile: CreativeProfile) -> str:
    """The service's UUID (one service per listed creative profile)."""
    return make_id("service", profile.id)


def organization_id(profile: CreativeProfile) -> str:
    """The organisation's UUID: members of one organisation share it."""
    return make_id("organization", profile.organisation_key)


def taxonomy_id(kind: str) -> str:
    """The UUID of one of our two taxonomies."""
    return make_id("taxonomy", kind)


def term_id(kind: str, slug: str) -> str:
    """The UUID of a taxonomy term: a condition's or an art form's slug."""
    return make_id("taxonomy-term", kind, slug)


def timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds, as the profile asks ('2023-03-15T10:30:45.123Z')."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass
class Page:
    """One page of the profile's paged envelope."""

    contents: list[dict]
    total_items: int
    page_number: int
    per_page: int

    def envelope(self) -> dict:
        """The profile's paged envelope around the contents."""
        total_pages = max(1, math.ceil(self.total_items / self.per_page))
        return {
            "total_items": self.total_items,
            "total_pages": total_pages,
            "page_number": self.page_number,
            "size": len(self.contents),
            "first_page": self.page_number == 1,
            "last_page": self.page_number >= total_pages,
            "empty": not self.contents,
            "contents": self.contents,
        }


# ----- what is published -----------------------------------------------------------------


def feed_entries() -> Select:
    """Listed profiles (directory consent, live account, not hidden as stale) that opted in to the feed."""
    return (
        directory_entries()
        .join(Listing, Listing.profile_id == CreativeProfile.id)
        .where(Listing.feed_consent.is_(True))
        .add_columns(Listing)
    )


Term = Condition | ArtForm | KindTerm


def _terms() -> dict[str, list[tuple[str, Term]]]:
    """Every active term of each taxonomy, in the organisers' order."""
    return {
        "conditions": [
            ("conditions", c)
            for c in db.session.scalars(select(Condition).where(Condition.active).order_by(Condition.position))
        ],
        "art-forms": [
            ("art-forms", a)
            for a in db.session.scalars(select(ArtForm).where(ArtForm.active).order_by(ArtForm.position))
        ],
        "organisation-kinds": [("organisation-kinds", k) for k in _kind_terms()],
    }


def find_term(term_uuid: str) -> tuple[str, Term] | None:
    """The taxonomy and reference row a term UUID names, or None."""
    for terms in _terms().values():
        for kind, row in terms:
            if term_id(kind, row.slug) == term_uuid:
                return kind, row
    return None


def _filtered(
    search: str = "",
    term: tuple[str, Term] | None = None,
    taxonomy: str | None = None,
    modified_after: datetime | None = None,
) -> Select:
    query = feed_entries()
    for word in fold(search).split():
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(CreativeProfile.search_text.like(f"%{escaped}%", escape="\\"))
    kind = term[0] if term is not None else taxonomy
    if kind == "organisation-kinds":
        if term is not None:  # every organisation has a kind: the taxonomy alone narrows nothing
            query = query.where(CreativeProfile.organisation_kind == OrganisationKind(term[1].slug))
    elif kind is not None:
        if kind == "conditions":
            linked = select(CreativeCondition.profile_id).join(
                Condition, Condition.id == CreativeCondition.condition_id
            )
            linked = linked.where(Condition.active)
            if term is not None:
                linked = linked.where(Condition.id == term[1].id)
        else:
            linked = select(creative_art_forms.c.profile_id).join(
                ArtForm, ArtForm.id == creative_art_forms.c.art_form_id
            )
            linked = linked.where(ArtForm.active)
            if term is not None:
                linked = linked.where(ArtForm.id == term[1].id)
        query = query.where(CreativeProfile.id.in_(linked))
    if modified_after is not None:
        query = query.where(or_(CreativeProfile.updated_at >= modified_after, Listing.updated_at >= modified_after))
    return query


def services(
    *,
    search: str = "",
    term_uuid: str | None = None,
    taxonomy_uuid: str | None = None,
    modified_after: datetime | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Page:
    """A page of services (one-to-one fields and the organisation), by name, with the profile's filters.

    An unknown taxonomy term or taxonomy matches nothing (never everything).
    """
    term = find_term(term_uuid) if term_uuid else None
    taxonomy = next((kind for kind in TAXONOMIES if taxonomy_id(kind) == taxonomy_uuid), None)
    if (term_uuid and term is None) or (taxonomy_uuid and taxonomy is None):
        return Page([], 0, page, per_page)
    query = _filtered(search, term, taxonomy, modified_after)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.execute(
        query.order_by(CreativeProfile.organisation_key, CreativeProfile.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page([service_summary(profile, listing) for profile, listing in rows], total, page, per_page)


def service(service_uuid: str) -> dict | None:
    """The fully nested service with this UUID, if it is published."""
    rows = db.session.execute(
        feed_entries().options(
            selectinload(CreativeProfile.art_forms),
            selectinload(CreativeProfile.health_boards),
            selectinload(CreativeProfile.conditions).selectinload(CreativeCondition.condition),
        )
    ).all()
    for profile, listing in rows:
        if service_id(profile) == service_uuid:
            return full_service(profile, listing)
    return None


def last_modified(profile: CreativeProfile, listing: Listing) -> datetime:
    """When the service or anything about it last changed."""
    return max(profile.updated_at, listing.updated_at)


def newest_change() -> datetime | None:
    """The latest change to any listing or its profile, published or not (Last-Modified on lists).

    Taken over every listing so that one leaving the feed (opting out, hidden as stale) counts too.
    """
    row = db.session.execute(
        select(func.max(CreativeProfile.updated_at), func.max(Listing.updated_at))
        .select_from(CreativeProfile)
        .join(Listing, Listing.profile_id == CreativeProfile.id)
    ).one()
    moments = [moment for moment in row if moment is not None]
    if not moments:
        return None
    # SQLite hands back aggregates as naive UTC (the column type is not applied to max()).
    return max(m if isinstance(m, datetime) and m.tzinfo else _aware(m) for m in moments)


def _aware(value: object) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# ----- documents -------------------------------------------------------------------------


def _organization(profile: CreativeProfile, listing: Listing) -> dict:
    organization = {
        "id": organization_id(profile),
        "name": profile.organisation_name,
        "description": profile.description_en or profile.description_cy or profile.organisation_name,
    }
    if listing.public_email:
        organization["email"] = listing.public_email
    if profile.website:
        organization["website"] = profile.website
    return organization


def service_summary(profile: CreativeProfile, listing: Listing) -> dict:
    """The service's one-to-one fields and its organisation (the list's item, service_list.json)."""
    document = {
        "id": service_id(profile),
        "organization_id": organization_id(profile),
        "name": profile.organisation_name,
        "description": profile.description_en or profile.description_cy or profile.organisation_name,
        "status": "active",
        "last_modified": timestamp(last_modified(profile, listing)),
        "organization": _organization(profile, listing),
    }
    if profile.website:
        document["url"] = profile.website
    if listing.public_email:
        document["email"] = listing.public_email
    if listing.assured_on is not None:
        document["assured_date"] = listing.assured_on.isoformat()
    return document


def term_document(kind: str, row: Term) -> dict:
    """A taxonomy term (taxonomy_term.json), named in English with the Welsh in its description."""
    return {
        "id": term_id(kind, row.slug),
        "name": row.name_en,
        "description": f"{row.name_en} / {row.name_cy}" if row.name_cy else row.name_en,
        "taxonomy": TAXONOMIES[kind][0],
        "taxonomy_id": taxonomy_id(kind),
        "term": row.slug,
    }


def _attribute(service_uuid: str, kind: str, row: Term) -> dict:
    term = term_document(kind, row)
    return {
        "id": make_id("attribute", service_uuid, term["id"]),
        "link_id": service_uuid,
        "link_type": "service",
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
    }


def full_service(profile: CreativeProfile, listing: Listing) -> dict:
    """The fully nested service (service.json): terms, areas, languages, venue, open sessions, contact."""
    document = service_summary(profile, listing)
    sid = document["id"]
    document["attributes"] = [
        _attribute(sid, "conditions", link.condition) for link in profile.conditions if link.condition.active
    ]
    document["attributes"] += [_attribute(sid, "art-forms", art) for art in profile.art_forms if art.active]
    kinds = {k.slug: k for k in _kind_terms()}
    if profile.organisation_kind.value in kinds:
        document["attributes"].append(_attribute(sid, "organisation-kinds", kinds[profile.organisation_kind.value]))
    document["service_areas"] = [_service_area(sid, board) for board in profile.health_boards]
    document["languages"] = [
        {
            "id": make_id("language", sid, code),
            "service_id": sid,
            "name": LANGUAGE_NAMES[code],
            "code": LANGUAGE_ISO[code],
        }
        for code in profile.languages
        if code in LANGUAGE_NAMES
    ]
    document["schedules"] = [_schedule(sid, session) for session in listing.sessions]
    if listing.public_phone:
        document["phones"] = [{"id": make_id("phone", sid), "service_id": sid, "number": listing.public_phone}]
    if listing.venue_name and listing.venue_address and listing.venue_town and listing.venue_postcode:
        document["service_at_locations"] = [_venue(sid, listing)]
    else:
        document["service_at_locations"] = []
    document["contacts"] = []
    return document


def _service_area(sid: str, board: HealthBoard) -> dict:
    return {
        "id": make_id("service-area", sid, board.slug),
        "service_id": sid,
        "name": board.name_en,
        "description": board.name_cy,
        "extent": board.name_en,
        "extent_type": "text",
    }


def _schedule(sid: str, session: OpenSession) -> dict:
    byday = f"{session.week_of_month}{session.weekday}" if session.frequency == "monthly" else session.weekday
    return {
        "id": make_id("schedule", sid, session.id),
        "service_id": sid,
        "freq": session.frequency.upper(),
        "interval": 1,
        "byday": byday,
        "opens_at": session.opens_at.strftime("%H:%M"),
        "closes_at": session.closes_at.strftime("%H:%M"),
        "description": session.name,
        "attending_type": "in_person",
        "notes": "Times are in Europe/London.",
    }


def _venue(sid: str, listing: Listing) -> dict:
    location_id = make_id("location", sid)
    lines = [line.strip() for line in listing.venue_address.splitlines() if line.strip()]
    address = {
        "id": make_id("address", sid),
        "location_id": location_id,
        "address_1": lines[0] if lines else listing.venue_name,
        "city": listing.venue_town,
        "state_province": "Wales",
        "postal_code": listing.venue_postcode,
        "country": "GB",
        "address_type": "physical",
    }
    if len(lines) > 1:
        address["address_2"] = ", ".join(lines[1:])
    access = [
        {"id": make_id("accessibility", sid, code), "location_id": location_id, "description": ACCESS_TEXT[code]}
        for code in listing.access_features
        if code in ACCESS_TEXT
    ]
    if listing.access_notes:
        access.append(
            {"id": make_id("accessibility", sid, "notes"), "location_id": location_id, "details": listing.access_notes}
        )
    return {
        "id": make_id("service-at-location", sid),
        "service_id": sid,
        "location_id": location_id,
        "location": {
            "id": location_id,
            "location_type": "physical",
            "name": listing.venue_name,
            "addresses": [address],
            "accessibility": access,
        },
    }


ACCESS_TEXT = {
    "step_free": "Step-free access",
    "accessible_toilet": "Accessible toilet",
    "hearing_loop": "Hearing loop",
    "quiet_space": "Quiet space",
    "parking": "Accessible parking",
    "changing_places": "Changing Places toilet",
}


def taxonomies(page: int = 1, per_page: int = PER_PAGE) -> Page:
    """Our two taxonomies, each with its terms."""
    terms = _terms()
    documents = [
        {
            "id": taxonomy_id(kind),
            "name": name,
            "description": description,
            "version": "1",
            "taxonomy_terms": [term_document(k, row) for k, row in terms[kind]],
        }
        for kind, (name, description) in TAXONOMIES.items()
    ]
    start = (page - 1) * per_page
    return Page(documents[start : start + per_page], len(documents), page, per_page)


def taxonomy_terms(page: int = 1, per_page: int = PER_PAGE, taxonomy_uuid: str | None = None) -> Page:
    """Every active term of both taxonomies (or of one)."""
    documents = [
        term_document(kind, row)
        for k, terms in _terms().items()
        if taxonomy_uuid is None or taxonomy_id(k) == taxonomy_uuid
        for kind, row in terms
    ]
    start = (page - 1) * per_page
    return Page(documents[start : start + per_page], len(documents), page, per_page)


def taxonomy_term(term_uuid: str) -> dict | None:
    """One term, or None."""
    found = find_term(term_uuid)
    return term_document(*found) if found else None
