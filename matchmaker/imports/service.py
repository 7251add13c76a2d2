"""Reading an organisations CSV, listing every problem by row and column, and importing it.

Nothing is written until the organiser confirms a file with no problems. Importing is idempotent by
email: a row whose address already has an account is left as it is, so the same file twice changes
nothing. Each new row becomes an unclaimed account (no password) with a creative profile that is
not in the directory (no consent) and a listing not in the feed, and its contact is emailed an
invitation to claim the account, check the profile and, if they wish, agree to be listed.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from matchmaker.accounts.service import claim_link, create_user, normalise_email
from matchmaker.extensions import db
from matchmaker.mail.service import queue_templated_emails
from matchmaker.models import (
    ArtForm,
    Condition,
    CreativeCondition,
    CreativeProfile,
    Experience,
    HealthBoard,
    Listing,
    OrganisationKind,
    Role,
    User,
)
from matchmaker.models.profiles import LANGUAGE_CODES
from matchmaker.profiles.service import organisation_key
from matchmaker.web.csv_export import csv_text

COLUMNS = (
    "email",
    "contact_name",
    "organisation_name",
    "kind",
    "website",
    "description_en",
    "description_cy",
    "conditions",
    "art_forms",
    "health_boards",
    "languages",
    "public_email",
    "public_phone",
)
REQUIRED = ("email", "contact_name", "organisation_name", "kind")
MAX_ROWS = 10_000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{7,20}$")

# Problem codes and their messages (translated when shown, in the page's language).
MESSAGES: dict[str, Any] = {
    "missing": _l("Enter a value"),
    "email": _l("Enter an email address in the correct format, like name@example.org"),
    "duplicate": _l("This email address is already on an earlier row"),
    "not_creative": _l("This email address belongs to an account that is not a creative professional's"),
    "kind": _l("Use one of: arts_organisation, charity, social_enterprise, community_group, freelancer"),
    "unknown": _l("Not in the list: %(values)s"),
    "website": _l("Enter a web address starting with https:// or http://"),
    "phone": _l("Enter a phone number, like 01234 567890"),
    "too_long": _l("Must be %(max)d characters or fewer"),
    "columns": _l("Missing columns: %(values)s"),
    "empty": _l("The file has no rows to import"),
    "too_many": _l("The file has more than %(max)d rows; split it into smaller files"),
    "encoding": _l("The file is not a CSV saved as UTF-8"),
}
LIMITS = {"organisation_name": 200, "contact_name": 200, "website": 300, "description_en": 1000, "description_cy": 1000}


@dataclass
class Problem:
    """One problem: spreadsheet row (the header is row 1), column name and a message code."""

    row: int
    column: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The message in the current language."""
        return str(MESSAGES[self.code]) % self.params if self.params else str(MESSAGES[self.code])


@dataclass
class Row:
    """A valid row, ready to import."""

    number: int
    email: str
    contact_name: str
    organisation_name: str
    kind: str
    website: str
    description_en: str
    description_cy: str
    conditions: list[str]
    art_forms: list[str]
    health_boards: list[str]
    languages: list[str]
    public_email: str
    public_phone: str
    existing: bool = False


@dataclass
class Preview:
    """What a file would do: rows to create, rows already there, and every problem."""

    rows: list[Row]
    problems: list[Problem]

    @property
    def new(self) -> list[Row]:
        """Rows that would create an organisation."""
        return [r for r in self.rows if not r.existing]

    @property
    def unchanged(self) -> list[Row]:
        """Rows whose email already has an account (left as they are)."""
        return [r for r in self.rows if r.existing]

    @property
    def problem_rows(self) -> int:
        """How many rows have at least one problem."""
        return len({p.row for p in self.problems})


def template_csv() -> str:
    """The template: the header and one example row."""
    example = [
        "contact@example.org",
        "Nia Jones",
        "Côr y Cwm",
        "community_group",
        "https://cor.example.org",
        "An inclusive open singing group.",
        "Grŵp canu agored cynhwysol.",
        "dementia;loneliness",
        "singing;music",
        "hywel-dda",
        "en;cy",
        "croeso@cor.example.org",
        "01970 123456",
    ]
    return csv_text([COLUMNS, example], bom=True)


def _split(value: str) -> list[str]:
    return [part.strip().lower() for part in re.split(r"[;,]", value) if part.strip()]


def decode(data: bytes) -> str | None:
    """The file's text (UTF-8, with or without a byte order mark), or None."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def preview(text: str) -> Preview:
    """Check every row and column; nothing is written."""
    reader = csv.DictReader(io.StringIO(text))
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing_columns = [c for c in REQUIRED if c not in header]
    if missing_columns:
        return Preview([], [Problem(1, "", "columns", {"values": ", ".join(missing_columns)})])
    reader.fieldnames = header
    slugs = {
        "conditions": set(db.session.scalars(select(Condition.slug).where(Condition.active))),
        "art_forms": set(db.session.scalars(select(ArtForm.slug).where(ArtForm.active))),
        "health_boards": set(db.session.scalars(select(HealthBoard.slug).where(HealthBoard.active))),
        "languages": set(LANGUAGE_CODES),
    }
    kinds = {k.value for k in OrganisationKind}
    raw = list(reader)
    if not raw:
        return Preview([], [Problem(1, "", "empty")])
    if len(raw) > MAX_ROWS:
        return Preview([], [Problem(1, "", "too_many", {"max": MAX_ROWS})])
    emails = [normalise_email((r.get("email") or "").strip()) for r in raw]
    accounts = {
        email: role
        for email, role in db.session.execute(select(User.email, User.role).where(User.email.in_(set(emails))))
    }
    rows: list[Row] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, (record, email) in enumerate(zip(raw, emails, strict=True)):
        number = index + 2
        values = {column: (record.get(column) or "").strip() for column in COLUMNS}
        found: list[Problem] = []
        for column in REQUIRED:
            if not values[column]:
                found.append(Problem(number, column, "missing"))
        for column, limit in LIMITS.items():
            if len(values[column]) > limit:
                found.append(Problem(number, column, "too_long", {"max": limit}))
        if values["email"]:
            if not _EMAIL.match(email):
                found.append(Problem(number, "email", "email"))
            elif email in seen:
                found.append(Problem(number, "email", "duplicate"))
            elif email in accounts and accounts[email] != Role.CREATIVE:
                found.append(Problem(number, "email", "not_creative"))
            seen.add(email)
        if values["kind"] and values["kind"].lower() not in kinds:
            found.append(Problem(number, "kind", "kind"))
        lists = {}
        for column, allowed in slugs.items():
            lists[column] = _split(values[column])
            unknown = [v for v in lists[column] if v not in allowed]
            if unknown:
                found.append(Problem(number, column, "unknown", {"values": ", ".join(unknown)}))
        if values["website"] and not re.match(r"^https?://\S+$", values["website"]):
            found.append(Problem(number, "website", "website"))
        if values["public_email"] and not _EMAIL.match(values["public_email"]):
            found.append(Problem(number, "public_email", "email"))
        if values["public_phone"] and not _PHONE.match(values["public_phone"]):
            found.append(Problem(number, "public_phone", "phone"))
        if found:
            problems += found
            continue
        rows.append(
            Row(
                number=number,
                email=email,
                contact_name=values["contact_name"],
                organisation_name=values["organisation_name"],
                kind=values["kind"].lower(),
                website=values["website"],
                description_en=values["description_en"],
                description_cy=values["description_cy"],
                conditions=list(dict.fromkeys(lists["conditions"])),
                art_forms=list(dict.fromkeys(lists["art_forms"])),
                health_boards=list(dict.fromkeys(lists["health_boards"])),
                languages=list(dict.fromkeys(lists["languages"])) or ["en"],
                public_email=values["public_email"],
                public_phone=values["public_phone"],
                existing=email in accounts,
            )
        )
    return Preview(rows, problems)


def apply(text: str, language: str = "en") -> int:
    """Import a file with no problems (checked again); returns how many organisations were created."""
    result = preview(text)
    if result.problems:
        raise ValueError("the file has problems; nothing was imported")
    ids = {
        "conditions": {slug: id_ for slug, id_ in db.session.execute(select(Condition.slug, Condition.id))},
        "art_forms": {a.slug: a for a in db.session.scalars(select(ArtForm))},
        "health_boards": {b.slug: b for b in db.session.scalars(select(HealthBoard))},
    }
    new = result.new
    users = [
        create_user(
            name=row.contact_name, email=row.email, password=None, role=Role.CREATIVE, language=language, flush=False
        )
        for row in new
    ]
    db.session.flush()  # every account in one batch
    profiles = [
        CreativeProfile(
            user_id=user.id,
            organisation_name=row.organisation_name,
            organisation_key=organisation_key(row.organisation_name),
            organisation_kind=OrganisationKind(row.kind),
            description_en=row.description_en,
            description_cy=row.description_cy,
            website=row.website,
            languages=row.languages,
            directory_consent=False,  # only the organisation itself may agree to be listed
            art_forms=[ids["art_forms"][s] for s in row.art_forms],
            health_boards=[ids["health_boards"][s] for s in row.health_boards],
            conditions=[
                CreativeCondition(condition_id=ids["conditions"][s], experience=Experience.EXPERIENCED)
                for s in row.conditions
            ],
        )
        for row, user in zip(new, users, strict=True)
    ]
    db.session.add_all(profiles)
    db.session.flush()
    db.session.add_all(
        Listing(profile_id=profile.id, public_email=row.public_email, public_phone=row.public_phone, access_features=[])
        for row, profile in zip(new, profiles, strict=True)
    )
    queue_templated_emails(
        "import_invitation",
        [
            (f"import-invitation:{user.id}", user, {"organisation": row.organisation_name, "link": claim_link(user)})
            for row, user in zip(new, users, strict=True)
        ],
    )
    db.session.flush()
    return len(new)
