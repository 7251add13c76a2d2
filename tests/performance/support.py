"""Helpers for the statements tests: count the SQL statements a page sends, and grow the rows it lists.

A page whose statement count grows with its rows has an N+1 (a query per row); every list page is
checked with 10 rows and with 200 (`same_statements`).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event


@contextmanager
def counting(app: Any) -> Iterator[list[str]]:
    """The SQL statements sent to the app's database inside the block (the list fills as they go)."""
    from matchmaker.extensions import db

    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def statements(app: Any, client: Any, url: str) -> tuple[int, str]:
    """(statements sent by a GET of url, the page) — the second GET, so that per-process caches are warm.

    The cycle collector runs often meanwhile: rows the session holds only weakly (its identity map)
    vanish as they would on a big page, so that a lazy load they were hiding shows up here too.
    """
    first = client.get(url)
    assert first.status_code == 200, (url, first.status_code)
    threshold = gc.get_threshold()
    gc.set_threshold(100, 1, 1)
    try:
        with counting(app) as seen:
            response = client.get(url)
    finally:
        gc.set_threshold(*threshold)
    assert response.status_code == 200, (url, response.status_code)
    return len(seen), response.get_data(as_text=True)


def same_statements(app: Any, client: Any, url: str, grow: Callable[[int], None], shows: Callable[[str, int], bool]):
    """Grow the list to 10 rows, count; grow it to 200, count: the counts must be equal (no query per row).

    shows(page, n) must say the page lists the rows (so that the test cannot pass on an empty page).
    """
    grow(10)
    small, page = statements(app, client, url)
    assert shows(page, 10), "the page does not list the 10 rows"
    grow(190)
    large, page = statements(app, client, url)
    assert shows(page, 200), "the page does not list the 200 rows"
    assert small == large, f"{url}: {small} statements with 10 rows, {large} with 200 (a query per row)"
    return small


def bulk_users(app: Any, role: str, count: int, **fields: Any) -> list[Any]:
    """count new users of a role (one bulk insert), detached; with profiles when profile=True."""
    from matchmaker.extensions import db
    from tests.factories import UserFactory

    with app.app_context():
        users = UserFactory.build_batch(count, role=role, **fields)
        db.session.add_all(users)
        db.session.commit()
        for user in users:
            db.session.refresh(user)
        db.session.expunge_all()
        return users
