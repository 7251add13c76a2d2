"""Account edge cases found by an attacker's scripts (issue 13): control characters, sizes,
timing of the reset page, rate limits on mail and on current-password checks, caching."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import User
from tests.accounts.support import error_summary, signed_in_client, text
from tests.helpers import PASSWORD, csrf_token

NEW_PASSWORD = "lantern-river-quietly-77"


def sign_up(submit, **fields):
    """Submit the sign-up form with sensible defaults."""
    data = {
        "name": "Nia Tudur",
        "email": "nia@example.org",
        "password": NEW_PASSWORD,
        "role": "creative",
        "language": "en",
    }
    return submit("/account/sign-up", {**data, **fields})


def accounts(app) -> int:
    """How many user rows there are."""
    with app.app_context():
        return len(db.session.scalars(select(User)).all())


@pytest.mark.parametrize(
    "name", ["Eve\r\nBcc: victim@example.org", "Eve\nX", "Eve\x00", "Eve\tTab", "Eve\u2028Line", "Eve\x1b[31m"]
)
def test_sign_up_refuses_control_characters_in_a_name_and_keeps_what_was_typed(app, submit, outbox, name):
    response = sign_up(submit, name=name)
    assert response.status_code == 200
    assert error_summary(text(response)) == {
        "name": "Enter this answer on one line, without line breaks or hidden control characters"
    }
    assert 'name="email" type="email" value="nia@example.org"' in text(response) or "nia@example.org" in text(response)
    assert accounts(app) == 0
    assert outbox() == []


def test_a_nul_byte_in_a_text_area_is_a_form_error(app, make_user):
    organiser = signed_in_client(app, make_user("organiser"))
    someone = make_user("link_worker", approved=False)
    page = text(organiser.get(f"/organiser/accounts/{someone.id}"))
    response = organiser.post(
        f"/organiser/accounts/{someone.id}/reject", data={"csrf_token": csrf_token(page), "reason": "no\x00thanks"}
    )
    assert response.status_code == 400  # this page answers form errors with 400
    assert "Remove the hidden control characters from this answer" in text(response)
    with app.app_context():
        assert db.session.get(User, someone.id).rejection_reason is None


def test_an_over_long_value_is_refused_before_any_work(app, submit):
    response = submit("/account/sign-in", {"email": "a" * 5000 + "@example.org", "password": "x" * 5000})
    assert response.status_code == 200
    errors = error_summary(text(response))
    assert errors["email"] == "This answer must be 1000 characters or fewer"
    assert errors["password"] == "This answer must be 1000 characters or fewer"


def test_a_huge_request_gets_the_translated_413_page(app, client):
    token = csrf_token(text(client.get("/account/sign-in")))
    response = client.post("/account/sign-in", data={"csrf_token": token, "email": "a" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert "What you sent is too large" in text(response)
    client.get("/language/cy")
    response = client.post("/account/sign-in", data={"csrf_token": token, "email": "a" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert '<html lang="cy"' in text(response) and "What you sent is too large" not in text(response)


def test_forgotten_password_does_the_same_work_for_registered_and_unknown_addresses(app, make_user, submit, outbox):
    """Both answers only queue one job; the lookup and the email happen in the job."""
    from matchmaker.accounts import tasks
    from matchmaker.jobs.queue import huey

    user = make_user()
    huey.immediate = False
    try:
        huey.flush()
        for email in (user.email, "nobody@example.org"):
            response = submit("/account/forgot-password", {"email": email})
            assert response.headers["Location"] == "/account/forgot-password/sent"
        assert outbox() == []  # nothing was written while the person waited
        queued = [huey.dequeue() for _ in range(huey.pending_count())]
        assert [task.name for task in queued] == ["send_password_reset_if_registered"] * 2
        assert [task.args for task in queued] == [(user.email,), ("nobody@example.org",)]
    finally:
        huey.flush()
        huey.immediate = True
    assert tasks.send_password_reset_if_registered.call_local(user.email) is True
    assert tasks.send_password_reset_if_registered.call_local("nobody@example.org") is False
    assert [m.to_address for m in outbox()] == [user.email]


def test_two_reset_requests_in_one_second_send_two_emails(app, make_user, submit, outbox):
    user = make_user()
    submit("/account/forgot-password", {"email": user.email})
    submit("/account/forgot-password", {"email": user.email})
    assert len(outbox(user.email)) == 2


def test_change_email_is_rate_limited(app, make_user, outbox):
    user = make_user()
    client = signed_in_client(app, user)
    for i in range(5):
        token = csrf_token(text(client.get("/account/change-email")))
        response = client.post(
            "/account/change-email",
            data={"csrf_token": token, "email": f"new{i}@example.org", "current_password": PASSWORD},
        )
        assert response.status_code == 302
    token = csrf_token(text(client.get("/account/change-email")))
    response = client.post(
        "/account/change-email", data={"csrf_token": token, "email": "new9@example.org", "current_password": PASSWORD}
    )
    assert response.status_code == 429
    assert not outbox("new9@example.org")


def test_the_someone_tried_to_sign_up_notice_goes_at_most_once_an_hour(app, make_user, client, outbox):
    user = make_user(email="owner@example.org")
    for address in ("10.7.0.1", "10.7.0.2", "10.7.0.3"):
        token = csrf_token(text(client.get("/account/sign-up", environ_base={"REMOTE_ADDR": address})))
        client.post(
            "/account/sign-up",
            data={"csrf_token": token, "name": "X", "email": user.email, "password": NEW_PASSWORD, "role": "creative"},
            environ_base={"REMOTE_ADDR": address},
        )
    assert len(outbox(user.email)) == 1


@pytest.mark.parametrize(
    ("url", "fields"),
    [
        ("/account/change-password", {"password": NEW_PASSWORD}),
        ("/account/delete", {}),
    ],
)
def test_current_password_guesses_are_limited(app, make_user, url, fields):
    user = make_user()
    client = signed_in_client(app, user)
    for _ in range(10):
        token = csrf_token(text(client.get(url)))
        response = client.post(url, data={"csrf_token": token, "current_password": "wrong-guess", **fields})
        assert response.status_code == 200
    token = csrf_token(text(client.get(url)))
    response = client.post(url, data={"csrf_token": token, "current_password": PASSWORD, **fields})
    assert response.status_code == 429
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert stored.deleted_at is None and stored.password_hash == user.password_hash


def test_signed_in_pages_are_not_cached(app, make_user, client):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    signed_in = signed_in_client(app, make_user())
    for path in ("/", "/account/", "/profile", "/sessions"):
        assert signed_in.get(path).headers.get("Cache-Control") == "no-store", path
