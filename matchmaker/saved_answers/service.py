"""A small store with the session's get / set / pop, kept in the database for the signed-in person.

Long answers made the session cookie grow past the 4 KB browsers keep; now the cookie holds
nothing of them. Each change commits at once (the routes call it only when nothing else is pending).
"""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from sqlalchemy import delete, select

from matchmaker.extensions import db
from matchmaker.models import SavedAnswers, User


def _row(key: str) -> SavedAnswers | None:
    """The signed-in person's row for this key."""
    if not current_user.is_authenticated:
        return None
    return db.session.scalar(
        select(SavedAnswers).where(SavedAnswers.user_id == current_user.id, SavedAnswers.key == key)
    )


class AnswerStore:
    """session-like access: store.get(key), store[key] = value, store.pop(key, None)."""

    def get(self, key: str, default: Any = None) -> Any:
        """The stored answers, or default."""
        row = _row(key)
        return row.data if row is not None else default

    def __setitem__(self, key: str, value: Any) -> None:
        """Keep these answers (replacing any earlier ones)."""
        row = _row(key)
        if row is None:
            row = SavedAnswers(user_id=current_user.id, key=key)
            db.session.add(row)
        row.data = value
        db.session.commit()

    def pop(self, key: str, default: Any = None) -> Any:
        """Forget the answers; return them, or default."""
        row = _row(key)
        if row is None:
            return default
        data = row.data
        db.session.delete(row)
        db.session.commit()
        return data


saved = AnswerStore()


def forget(user: User) -> None:
    """Erase every unsaved answer of this person (part of "delete my account")."""
    db.session.execute(delete(SavedAnswers).where(SavedAnswers.user_id == user.id))
