"""Flask-Limiter on sign-in, sign-up and password reset; Redis storage shared between instances."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.accounts.support import extra_app, text
from tests.helpers import PASSWORD, csrf_token

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def setting(app: Any, key: str, value: Any) -> Iterator[None]:
    """Change one config value for the length of a block (the limit is read per request)."""
    old = app.config[key]
    app.config[key] = value
    try:
        yield
    finally:
        app.config[key] = old


def post_from(client: Any, url: str, data: dict[str, str], address: str) -> Any:
    """POST a form as if from this IP address."""
    token = csrf_token(text(client.get(url, environ_base={"REMOTE_ADDR": address})))
    return client.post(url, data={"csrf_token": token, **data}, environ_base={"REMOTE_ADDR": address})


def assert_our_429(response: Any) -> None:
    """Too many requests, shown with our own page."""
    assert response.status_code == 429
    page = text(response)
    assert "Too many attempts" in page
    assert 'class="govuk-template"' in page
    assert "Retry-After" in response.headers


def test_sign_in_is_limited_per_address(app, client):
    with setting(app, "SIGN_IN_RATE_LIMIT", "3 per minute"):
        for _ in range(3):
            assert post_from(client, "/account/sign-in", {"email": "a@example.org"}, "10.1.0.1").status_code == 200
        assert_our_429(post_from(client, "/account/sign-in", {"email": "a@example.org"}, "10.1.0.1"))
        # Another address is not affected, and the form page itself stays open.
        assert post_from(client, "/account/sign-in", {"email": "a@example.org"}, "10.1.0.2").status_code == 200
        assert client.get("/account/sign-in", environ_base={"REMOTE_ADDR": "10.1.0.1"}).status_code == 200
    # The limit is read per request: back to the test default, the address is free again.
    assert post_from(client, "/account/sign-in", {"email": "a@example.org"}, "10.1.0.1").status_code == 200


def test_guesses_at_one_account_are_limited_but_cannot_lock_its_owner_out(app, make_user):
    """The per-account limit is keyed on account and address: ten wrong guesses from one place
    stop that place, and the real owner still signs in from theirs."""
    owner = make_user(email="target@example.org")
    attacker, real_owner = app.test_client(), app.test_client()
    with setting(app, "SIGN_IN_RATE_LIMIT", "1000 per minute"):
        for _ in range(10):
            response = post_from(
                attacker, "/account/sign-in", {"email": "target@example.org", "password": "x"}, "10.2.0.1"
            )
            assert response.status_code == 200
        assert_our_429(
            post_from(attacker, "/account/sign-in", {"email": "Target@Example.org ", "password": "x"}, "10.2.0.1")
        )
        assert post_from(attacker, "/account/sign-in", {"email": "other@example.org"}, "10.2.0.1").status_code == 200
        response = post_from(real_owner, "/account/sign-in", {"email": owner.email, "password": PASSWORD}, "10.2.0.2")
    assert response.status_code == 302


def test_a_huge_email_gives_a_small_rate_limit_key(app, client):
    """A long address is cut and hashed before it becomes a key in the rate-limit store."""
    from matchmaker.extensions import limiter

    post_from(client, "/account/sign-in", {"email": "a" * 50_000 + "@example.org", "password": "x"}, "10.2.1.1")
    keys = [str(key) for key in getattr(limiter.storage, "storage", {})] if not os.environ.get("REDIS_URL") else []
    if os.environ.get("REDIS_URL"):
        import redis

        keys = [
            k.decode()
            for k in redis.Redis.from_url(os.environ["REDIS_URL"]).scan_iter(f"*{os.environ['RATELIMIT_KEY_PREFIX']}*")
        ]
    assert keys, "the sign-in limits should have stored a key"
    assert max(len(key) for key in keys) < 300
    assert not any("aaaa" in key for key in keys)


def test_sign_up_is_limited(client):
    for _ in range(20):
        assert post_from(client, "/account/sign-up", {"name": ""}, "10.3.0.1").status_code == 200
    assert_our_429(post_from(client, "/account/sign-up", {"name": ""}, "10.3.0.1"))


def test_password_reset_is_limited_per_address_and_per_email(client, outbox):
    for i in range(5):
        response = post_from(client, "/account/forgot-password", {"email": "someone@example.org"}, f"10.4.0.{i}")
        assert response.status_code == 302
    assert_our_429(post_from(client, "/account/forgot-password", {"email": "someone@example.org"}, "10.4.0.50"))
    for i in range(10):
        response = post_from(client, "/account/forgot-password", {"email": f"p{i}@example.org"}, "10.4.1.1")
        assert response.status_code == 302
    assert_our_429(post_from(client, "/account/forgot-password", {"email": "p99@example.org"}, "10.4.1.1"))


SECOND_INSTANCE = """
import json, sys
from matchmaker.factory import create_app
from tests.helpers import PASSWORD, csrf_token
app = create_app({"TESTING": True})
client = app.test_client()
results = {}
for address in sys.argv[1:]:
    env = {"REMOTE_ADDR": address}
    token = csrf_token(client.get("/account/sign-in", environ_base=env).get_data(as_text=True))
    response = client.post("/account/sign-in", data={"csrf_token": token, "email": "x@example.org"}, environ_base=env)
    results[address] = response.status_code
from matchmaker.extensions import limiter
print(json.dumps({"storage": type(limiter._storage).__name__, "results": results}))
"""


def test_with_redis_a_limit_hit_on_one_instance_holds_on_another(app):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("skipped because REDIS_URL is unset: this test needs a real Redis (CI sets REDIS_URL)")
    import redis

    from matchmaker.extensions import limiter

    limit = "2 per minute"
    prefix = os.environ["RATELIMIT_KEY_PREFIX"]
    try:
        with extra_app({"SECRET_KEY": app.config["SECRET_KEY"]}, env={"REDIS_URL": redis_url}) as first:
            first.config["SIGN_IN_RATE_LIMIT"] = limit
            assert first.config["RATELIMIT_STORAGE_URI"] == redis_url
            assert type(limiter._storage).__name__ == "RedisStorage"
            client = first.test_client()
            for _ in range(2):
                assert post_from(client, "/account/sign-in", {"email": "x@example.org"}, "10.9.0.1").status_code == 200
            assert_our_429(post_from(client, "/account/sign-in", {"email": "x@example.org"}, "10.9.0.1"))
        # A second instance in its own process, sharing only Redis.
        env = {**os.environ, "REDIS_URL": redis_url, "SIGN_IN_RATE_LIMIT": limit}
        second = subprocess.run(
            [sys.executable, "-c", SECOND_INSTANCE, "10.9.0.1", "10.9.0.2"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=120,
        )
        assert second.returncode == 0, second.stderr
        report = json.loads(second.stdout.strip().splitlines()[-1])
        assert report["storage"] == "RedisStorage"
        assert report["results"] == {"10.9.0.1": 429, "10.9.0.2": 200}
    finally:
        connection = redis.Redis.from_url(redis_url)
        for key in connection.scan_iter(f"*{prefix}*"):
            connection.delete(key)
