"""Reference data logic for the organiser pages: kinds, listing, slugs and duplicate checks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import ArtForm, Condition, HealthBoard
from matchmaker.models.profiles import fold
from matchmaker.reference.seed import seed_reference_data as seed_reference_data  # for other features

Model = type[Condition] | type[ArtForm] | type[HealthBoard]


@dataclass(frozen=True)
class Kind:
    """One kind of reference data as the organiser pages show it."""

    key: str
    model: Model
    plural: object
    can_add: bool
    add: object
    duplicate: object


KINDS: dict[str, Kind] = {
    "conditions": Kind(
        "conditions",
        Condition,
        _l("Conditions and groups"),
        True,
        _l("Add a condition or group"),
        _l("Another condition or group already has this name. Choose a different name"),
    ),
    "art-forms": Kind(
        "art-forms",
        ArtForm,
        _l("Art forms"),
        True,
        _l("Add an art form"),
        _l("Another art form already has this name. Choose a different name"),
    ),
    "health-boards": Kind(
        "health-boards",
        HealthBoard,
        _l("Health boards"),
        False,
        "",
        _l("Another health board already has this name. Choose a different name"),
    ),
}

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def rows(model: Model) -> list:
    """Every row of a kind, in the organisers' order."""
    return list(db.session.scalars(select(model).order_by(model.position, model.id)))


def active_rows(model: Model) -> list:
    """Rows people can choose in forms, in order."""
    return list(db.session.scalars(select(model).where(model.active.is_(True)).order_by(model.position, model.id)))


def slugify(name: str) -> str:
    """A URL- and solver-safe identifier from an English name: 'Long COVID' -> 'long-covid'."""
    return "-".join(re.findall(r"[a-z0-9]+", fold(name)))[:80]


def slug_taken(model: Model, slug: str) -> bool:
    """Is this slug already used by a row of this kind?"""
    return db.session.scalar(select(model.id).where(model.slug == slug)) is not None


def name_taken(model: Model, column: str, name: str, exclude_id: int | None = None) -> bool:
    """Does another row of this kind already have this name (ignoring case and spaces)?"""
    attribute = getattr(model, column)
    query = select(model.id).where(func.lower(func.trim(attribute)) == name.strip().lower())
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    return db.session.scalar(query) is not None


def next_position(model: Model) -> int:
    """A position after every existing row."""
    return (db.session.scalar(select(func.max(model.position))) or 0) + 1
