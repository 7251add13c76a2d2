"""Fixtures shared by every test: a real database (SQLite, or PostgreSQL on the second pass),
the app, a client, a helper that submits forms with their CSRF token, and thin fixture wrappers
over the factories in tests/factories (make_user, make_round, make_profile, make_registration,
make_booking), which hand out detached users and ids.

The database is made once per test run (by running the migrations), and emptied between tests.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import PASSWORD, csrf_token

_TMP = Path(tempfile.mkdtemp(prefix="cyswllt-tests-"))
_RUN_ID = uuid.uuid4().hex[:10]
# Set before the app (and the Huey instance) is imported: nothing touches the developer's instance/.
os.environ["INSTANCE_PATH"] = str(_TMP / "instance")
os.environ["HUEY_SQLITE_PATH"] = str(_TMP / "huey.db")
os.environ["HUEY_NAME"] = f"cyswllt-test-{_RUN_ID}"
os.environ["RATELIMIT_KEY_PREFIX"] = f"cyswllt-test-{_RUN_ID}"
os.environ.pop("MAIL_SERVER", None)
os.environ.pop("DATABASE_URL", None)

BACKEND = os.environ.get("CYSWLLT_TEST_BACKEND", "sqlite")


def _postgres_database() -> tuple[str, Callable[[], None]]:
    """Create a fresh PostgreSQL database for this run; return its URL and a dropper."""
    import psycopg

    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        raise RuntimeError("CYSWLLT_TEST_BACKEND=postgresql needs TEST_DATABASE_URL")
    name = f"cyswllt_test_{_RUN_ID}_{os.getpid()}"
    admin = re.sub(r"^postgresql\+psycopg://", "postgresql://", base)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    url = admin.rsplit("/", 1)[0] + f"/{name}"
    return url, drop


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """The URL of this run's empty database."""
    if BACKEND == "postgresql":
        url, drop = _postgres_database()
        yield url
        drop()
    else:
        yield f"sqlite:///{_TMP / 'test.db'}"


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Any]:
    """The app, on a database built by running the migrations (not create_all)."""
    os.environ["DATABASE_URL"] = database_url
    from flask_migrate import upgrade

    from matchmaker.factory import create_app
    from matchmaker.jobs.queue import huey, use_app

    huey.immediate = True
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": secrets.token_urlsafe(32),
            "SERVER_NAME": None,
            "BASE_URL": "http://localhost",
            "SIGN_IN_RATE_LIMIT": "1000 per minute",
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
        }
    )
    with app.app_context():
        upgrade()
    use_app(app)  # a job called outside an app context runs in this app, as in a consumer its entry's app
    yield app
    use_app(None)


@pytest.fixture(autouse=True)
def _clean_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """Empty every table and reset rate limits after each test that used the app."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    from matchmaker.extensions import db, limiter

    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        _reset_rate_limits(limiter)


def _reset_rate_limits(limiter: Any) -> None:
    """Forget this run's rate-limit counters (only this run's keys, when they live in a shared Redis)."""
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        limiter.reset()
        return
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=f"*{os.environ['RATELIMIT_KEY_PREFIX']}*", count=500):
        client.delete(key)


@pytest.fixture
def client(app: Any) -> Any:
    """A test client (cookies kept between requests)."""
    return app.test_client()


@pytest.fixture
def runner(app: Any) -> Any:
    """A CLI runner for `flask --app app ...` commands."""
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def password_hash() -> str:
    """The argon2 hash of PASSWORD, made once (hashing is deliberately slow)."""
    from tests.factories import password_hash

    return password_hash()


@pytest.fixture
def make_user(app: Any) -> Callable[..., Any]:
    """make_user(role="creative", approved=True, verified=True, email=None, name=None, language="en") -> a
    detached user (UserFactory)."""
    from matchmaker.extensions import db
    from tests.factories import UserFactory

    def make(
        role: str = "creative",
        *,
        approved: bool = True,
        verified: bool = True,
        email: str | None = None,
        name: str | None = None,
        language: str = "en",
    ) -> Any:
        given = {key: value for key, value in (("email", email), ("name", name)) if value is not None}
        with app.app_context():
            user = UserFactory(role=role, approved=approved, verified=verified, language=language, **given)
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return make


@pytest.fixture
def make_round(app: Any, reference_data: None) -> Callable[..., int]:
    """make_round(status="open", slots=4, conditions=("stroke", "dementia"), **fields) -> round id (RoundFactory).

    Slots are weekday mornings from Monday 1 March 2027 at 10:00 (GMT), 90 minutes long, one a day.
    (tests/matching and tests/joining give their own defaults.)
    """
    from tests.factories import RoundFactory, persist

    def make(status: str = "open", slots: int = 4, conditions: tuple[str, ...] = ("stroke", "dementia"), **fields: Any):
        return persist(app, RoundFactory, status=status, slots=slots, conditions=conditions, **fields)

    return make


@pytest.fixture
def make_profile(app: Any, reference_data: None) -> Callable[..., None]:
    """make_profile(user, conditions=("stroke",), languages=("en",), boards=("cardiff-vale",), organisation=...,
    **fields): the profile of the user's role (profile_for). Creatives: "Org of <name>", in the directory,
    specialists; commissioners: "Cardiff Council", a local authority; link workers: "Cluster surgery"."""
    from matchmaker.models import Role
    from tests.factories import profile_for

    def make(
        user: Any,
        conditions: tuple[str, ...] = ("stroke",),
        languages: tuple[str, ...] = ("en",),
        boards: tuple[str, ...] = ("cardiff-vale",),
        **fields: Any,
    ) -> None:
        defaults: dict[str, Any] = {
            Role.CREATIVE: {"organisation": f"Org of {user.name}", "directory_consent": True},
            Role.COMMISSIONER: {
                "organisation": "Cardiff Council",
                "organisation_kind": "local_authority",
            },
            Role.LINK_WORKER: {"organisation": "Cluster surgery"},
        }[Role(user.role)]
        with app.app_context():
            profile_for(user, conditions=conditions, languages=languages, boards=boards, **{**defaults, **fields})

    return make


@pytest.fixture
def make_registration(app: Any) -> Callable[..., int]:
    """make_registration(user, round_id, {"stroke": 3}, slot_indexes=(0,), max_sessions=2) -> registration id."""
    from matchmaker.extensions import db
    from matchmaker.models import Round
    from tests.factories import RegistrationFactory

    def make(
        user: Any,
        round_id: int,
        conditions: dict[str, int],
        slot_indexes: tuple[int, ...] = (0,),
        max_sessions: int = 2,
    ) -> int:
        with app.app_context():
            round_ = db.session.get(Round, round_id)
            return RegistrationFactory(
                round=round_,
                user=user,
                conditions=conditions,
                slots=[round_.slots[i] for i in slot_indexes],
                max_sessions=max_sessions,
            ).id

    return make


@pytest.fixture
def make_booking(app: Any) -> Callable[..., int]:
    """make_booking(user, round_id, condition="stroke", slots=None, language=None, status="requested", **fields)
    -> booking id (BookingFactory; slots: ids, default all the round's)."""
    from matchmaker.extensions import db
    from matchmaker.models import Round
    from tests.factories import BookingFactory

    def make(
        user: Any,
        round_id: int,
        condition: str = "stroke",
        slots: list[int] | None = None,
        language: str | None = None,
        status: str = "requested",
        **fields: Any,
    ) -> int:
        with app.app_context():
            return BookingFactory(
                round=db.session.get(Round, round_id),
                commissioner=user,
                condition=condition,
                slots=slots,
                language=language,
                status=status,
                **fields,
            ).id

    return make


@pytest.fixture
def submit(client: Any) -> Callable[..., Any]:
    """submit(url, data, page=None): GET the form page, then POST data with its CSRF token."""

    def post(url: str, data: dict[str, Any], page: str | None = None, **kwargs: Any) -> Any:
        html = client.get(page or url).get_data(as_text=True)
        return client.post(url, data={"csrf_token": csrf_token(html), **data}, **kwargs)

    return post


@pytest.fixture
def sign_in(client: Any, submit: Callable[..., Any]) -> Callable[..., Any]:
    """sign_in(user): sign in through the real form."""

    def do(user: Any, password: str = PASSWORD) -> Any:
        response = submit("/account/sign-in", {"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do


@pytest.fixture
def outbox(app: Any) -> Callable[..., list[Any]]:
    """outbox(to=None): the outbox rows (optionally to one address), oldest first."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import OutboxMessage

    def read(to: str | None = None) -> list[OutboxMessage]:
        with app.app_context():
            query = select(OutboxMessage).order_by(OutboxMessage.id)
            if to:
                query = query.where(OutboxMessage.to_address == to)
            rows = list(db.session.scalars(query))
            for row in rows:
                db.session.expunge(row)
            return rows

    return read


@pytest.fixture
def reference_data(app: Any) -> None:
    """The standard conditions, art forms and health boards."""
    from matchmaker.reference.seed import seed_reference_data

    with app.app_context():
        seed_reference_data()
