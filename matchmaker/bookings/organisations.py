"""Creative organisations a commissioner can ask to meet, from the directory.

Who is listed is the directory's own query (matchmaker.directory.service.directory_entries):
consent given, account live. Members of one organisation share an
organisation key; choosing the organisation means wanting to meet each of its members.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import g, has_request_context
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaker.directory.service import directory_entries
from matchmaker.extensions import db
from matchmaker.models import CreativeCondition, CreativeProfile, User


@dataclass
class Organisation:
    """One organisation in the directory: its key, name, members and conditions."""

    key: str
    name: str
    user_ids: list[int] = field(default_factory=list)
    condition_ids: set[int] = field(default_factory=set)


def _consenting_profiles() -> list[CreativeProfile]:
    """Creative profiles shown in the directory, of live accounts."""
    query = (
        directory_entries()
        .options(selectinload(CreativeProfile.conditions).selectinload(CreativeCondition.condition))
        .order_by(CreativeProfile.organisation_name, CreativeProfile.id)
    )
    return list(db.session.scalars(query))


def directory_organisations() -> list[Organisation]:
    """Every organisation in the directory, by name (read once per request: the form, its page and the
    check each ask for it, and at programme scale it is a thousand or more profiles)."""
    if has_request_context():
        if "directory_organisations" not in g:
            g.directory_organisations = _directory_organisations()
        return g.directory_organisations
    return _directory_organisations()


def _directory_organisations() -> list[Organisation]:
    """Every organisation in the directory, by name, read from the database."""
    found: dict[str, Organisation] = {}
    for profile in _consenting_profiles():
        key = profile.organisation_key or f"user-{profile.user_id}"
        organisation = found.setdefault(key, Organisation(key=key, name=profile.organisation_name))
        organisation.user_ids.append(profile.user_id)
        organisation.condition_ids.update(c.condition_id for c in profile.conditions)
    return sorted(found.values(), key=lambda o: (o.name.casefold(), o.key))


def members_of(keys: list[str]) -> list[User]:
    """The directory members of these organisations (unknown keys are ignored)."""
    chosen = set(keys)
    ids = [uid for o in directory_organisations() if o.key in chosen for uid in o.user_ids]
    if not ids:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)))


def keys_of(users: list[User]) -> list[str]:
    """The organisation keys of these creatives (for showing a stored choice again)."""
    ids = {u.id for u in users}
    return [o.key for o in directory_organisations() if ids.intersection(o.user_ids)]


def names_of(users: list[User]) -> list[str]:
    """Organisation names of these creatives, each once, by name."""
    if not users:
        return []
    profiles = db.session.scalars(select(CreativeProfile).where(CreativeProfile.user_id.in_([u.id for u in users])))
    return sorted({p.organisation_name for p in profiles}, key=str.casefold)
