"""The base of every factory: Flask-SQLAlchemy's session, reference rows by slug, detached rows re-attached.

Factories need an app context (the session is the app's `db.session`). Each factory call commits,
as the tests' old builders did, so what it made is visible to the next request of a test client.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import factory
from factory.alchemy import SQLAlchemyModelFactory
from sqlalchemy import inspect, select

from matchmaker.extensions import db
from matchmaker.models import ArtForm, Condition, HealthBoard


def _session() -> Any:
    return db.session


class BaseFactory(SQLAlchemyModelFactory):
    """Bound to the app's session; commits what it makes."""

    class Meta:
        abstract = True
        sqlalchemy_session_factory = _session
        sqlalchemy_session_persistence = "commit"

    @classmethod
    def _generate(cls, strategy: Any, params: Any) -> Any:
        """Build without autoflush: a half-built row (a slot joined to its round) must not be flushed by a
        reference lookup. Saving still flushes and commits."""
        with db.session.no_autoflush:
            return super()._generate(strategy, params)


def reference(model: type[Any], value: Any) -> Any:
    """A reference row (condition, art form, health board) given as itself, its slug or its id."""
    if value is None or isinstance(value, model):
        return attached(value)
    if isinstance(value, int):
        return db.session.get(model, value)
    found = db.session.scalar(select(model).where(model.slug == value))
    if found is None:
        raise LookupError(f"no {model.__name__} with slug {value!r}: did the test ask for reference_data?")
    return found


def references(model: type[Any], values: Iterable[Any]) -> list[Any]:
    """Several reference rows, in the order given."""
    return [reference(model, value) for value in values]


def condition(value: Any) -> Any:
    """A condition by slug (or id, or itself)."""
    return reference(Condition, value)


def conditions(values: Iterable[Any]) -> list[Any]:
    """Conditions by slug, in the order given."""
    return references(Condition, values)


def health_board(value: Any) -> Any:
    """A health board by slug (or id, or itself)."""
    return reference(HealthBoard, value)


def health_boards(values: Iterable[Any]) -> list[Any]:
    """Health boards by slug, in the order given."""
    return references(HealthBoard, values)


def art_forms(values: Iterable[Any]) -> list[Any]:
    """Art forms by slug, in the order given."""
    return references(ArtForm, values)


def attached(row: Any) -> Any:
    """The row as loaded in this session: tests hold detached copies (make_user expunges its users)."""
    if row is None:
        return None
    state = inspect(row)
    if state.detached or (state.persistent and state.session is not db.session()):
        return db.session.get(type(row), state.identity)
    return row


def id_of(user: Any) -> int:
    """A user's id, given the user (attached or not) or the id."""
    return user if isinstance(user, int) else user.id


def persist(app: Any, factory_class: type[factory.Factory], **fields: Any) -> int:
    """Make one row in its own app context (committed); its id. For fixtures that hand out ids."""
    with app.app_context():
        return factory_class(**fields).id
