"""Small helpers for tests: the test password, CSRF tokens in pages, links in emails, reference and slot ids."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

PASSWORD = "correct-horse-battery-staple"

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


WELSH_CATALOGUE = Path(__file__).resolve().parents[1] / "translations" / "cy" / "LC_MESSAGES" / "messages.po"


def csrf_token(html: str) -> str:
    """The CSRF token in a page (the first form's)."""
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


LINK_RE = re.compile(r"http://localhost(/[^\s\"<]+)")


def links_in(text: str) -> list[str]:
    """The site paths linked from an email body."""
    return LINK_RE.findall(text)


def condition_ids(app: Any, *slugs: str) -> list[int]:
    """Ids of conditions by slug, in the order given."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import Condition

    with app.app_context():
        by_slug = {c.slug: c.id for c in db.session.scalars(select(Condition))}
    return [by_slug[s] for s in slugs]


def slot_ids(app: Any, round_id: int) -> list[int]:
    """The round's slot ids, earliest first."""
    from matchmaker.extensions import db
    from matchmaker.models import Round

    with app.app_context():
        return [s.id for s in db.session.get(Round, round_id).slots]


def saved_profile(app: Any, model: type[Any], user: Any) -> Any:
    """The user's saved profile of this model (None before one is saved), detached with what assertions read."""
    from sqlalchemy import select

    from matchmaker.extensions import db

    with app.app_context():
        profile = db.session.scalar(select(model).where(model.user_id == user.id))
        if profile is not None:
            for name in ("art_forms", "health_boards", "conditions"):
                for item in getattr(profile, name, []):
                    getattr(item, "condition", None)
            db.session.expunge_all()
        return profile
