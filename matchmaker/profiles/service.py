"""Profile logic: find a person's profile, save drafts, export and erase, derived matching priority."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import (
    CommissionerProfile,
    CreativeProfile,
    LinkWorkerProfile,
    PrescribingLink,
    Role,
    Round,
    User,
)

Profile = CreativeProfile | CommissionerProfile | LinkWorkerProfile

PROFILE_MODELS: dict[Role, type[Profile]] = {
    Role.CREATIVE: CreativeProfile,
    Role.COMMISSIONER: CommissionerProfile,
    Role.LINK_WORKER: LinkWorkerProfile,
}

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def organisation_key(name: str) -> str:
    """Normalise an organisation name so 'Côr y Cwm Ltd.' and 'cor y cwm ltd' are one organisation."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    folded = folded.replace("&", " and ")
    return _NOT_WORD.sub(" ", folded).strip()[:200]


def profile_model(role: Role) -> type[Profile] | None:
    """The profile class for a role (organisers have none)."""
    return PROFILE_MODELS.get(role)


def profile_for(user: User) -> Profile | None:
    """The user's own profile, if they have made one."""
    model = profile_model(user.role)
    if model is None:
        return None
    return db.session.scalar(select(model).where(model.user_id == user.id))


def derived_priority(profile: CreativeProfile | None, round_: Round) -> float:
    """Matching priority of a creative in a round: fewer links with social prescribing weigh more."""
    if profile is None:
        return round_.priority_no_link
    link = profile.prescribing_link
    if link == PrescribingLink.FORMAL:
        return round_.priority_formal
    if link == PrescribingLink.INFORMAL:
        return round_.priority_informal
    return round_.priority_no_link


def erase_profile(user: User) -> None:
    """Remove the person's profile (part of "delete my account")."""
    for model in PROFILE_MODELS.values():
        for profile in db.session.scalars(select(model).where(model.user_id == user.id)):
            db.session.delete(profile)  # through the ORM, so link tables are cleared on SQLite too
