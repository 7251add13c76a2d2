"""Sessions end everywhere: on sign-out, on a password change, on deactivation and deletion."""

from __future__ import annotations

from matchmaker.extensions import db
from matchmaker.models import User
from tests.accounts.support import error_summary, is_signed_in, post_with_token, signed_in_client, text
from tests.helpers import PASSWORD, csrf_token

NEW_PASSWORD = "lantern-river-quietly-77"


def test_sign_out_ends_every_session_of_that_user(app, make_user):
    user = make_user()
    other_user = make_user()
    laptop = signed_in_client(app, user, PASSWORD)
    phone = signed_in_client(app, user, PASSWORD)
    bystander = signed_in_client(app, other_user)
    response = post_with_token(laptop, "/account/sign-out", page="/account/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert not is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert is_signed_in(bystander)


def test_sign_out_is_post_only(app, make_user):
    client = signed_in_client(app, make_user())
    response = client.get("/account/sign-out")
    assert response.status_code == 405
    assert "Sorry, that action is not allowed here" in text(response)
    assert is_signed_in(client)


def test_sign_out_without_a_csrf_token_is_refused(app, make_user):
    client = signed_in_client(app, make_user())
    response = client.post("/account/sign-out")
    assert response.status_code == 400
    assert "Your page had expired" in text(response)
    forged = client.post("/account/sign-out", data={"csrf_token": "forged"})
    assert forged.status_code == 400
    assert is_signed_in(client)


def test_every_page_offers_sign_out_as_a_form(app, make_user):
    client = signed_in_client(app, make_user())
    page = text(client.get("/"))
    assert 'method="post" action="/account/sign-out"' in page
    assert 'name="csrf_token"' in page.split('action="/account/sign-out"')[1][:200]


def test_changing_the_password_keeps_this_browser_and_ends_the_others(app, make_user):
    user = make_user()
    here = signed_in_client(app, user, PASSWORD)
    elsewhere = signed_in_client(app, user)
    page = text(here.get("/account/change-password"))
    response = here.post(
        "/account/change-password",
        data={"csrf_token": csrf_token(page), "current_password": PASSWORD, "password": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/"
    assert is_signed_in(here)
    assert not is_signed_in(elsewhere)
    with app.app_context():
        stored = db.session.get(User, user.id).password_hash
    assert stored.startswith("$argon2id$")
    # The new password works, the old one does not.
    signed_in_client(app, user, NEW_PASSWORD)
    fresh = app.test_client()
    token = csrf_token(text(fresh.get("/account/sign-in")))
    old = fresh.post("/account/sign-in", data={"csrf_token": token, "email": user.email, "password": PASSWORD})
    assert old.status_code == 200


def test_change_password_needs_the_current_password_and_a_strong_new_one(app, make_user):
    user = make_user()
    client = signed_in_client(app, user)
    page = text(client.get("/account/change-password"))
    wrong = client.post(
        "/account/change-password",
        data={"csrf_token": csrf_token(page), "current_password": "not-my-password", "password": NEW_PASSWORD},
    )
    assert error_summary(text(wrong)) == {"current_password": "Your current password is not correct"}
    weak = client.post(
        "/account/change-password",
        data={"csrf_token": csrf_token(page), "current_password": PASSWORD, "password": "password12345"},
    )
    assert error_summary(text(weak))["password"].startswith("This password is too easy to guess")
    assert "password12345" not in text(weak)
    with app.app_context():
        assert db.session.get(User, user.id).password_hash == user.password_hash


def test_deactivation_ends_the_persons_sessions(app, make_user):
    organiser = make_user("organiser")
    person = make_user("commissioner")
    theirs = signed_in_client(app, person)
    assert is_signed_in(theirs)
    admin = signed_in_client(app, organiser)
    response = post_with_token(admin, f"/organiser/accounts/{person.id}/deactivate", page="/")
    assert response.status_code == 302
    assert not is_signed_in(theirs)
    assert is_signed_in(admin)


def test_a_session_cookie_from_before_a_token_rotation_stays_dead(app, make_user):
    """Signing in again elsewhere does not bring an old cookie back to life."""
    user = make_user()
    old = signed_in_client(app, user)
    stolen_cookie = old.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", stolen_cookie)
    assert is_signed_in(thief)  # the copy works while the session lives
    post_with_token(old, "/account/sign-out", page="/")
    again = signed_in_client(app, user)
    assert is_signed_in(again)
    thief.set_cookie("session", stolen_cookie)
    assert not is_signed_in(thief)
