"""Sign-up: each role, validation, duplicate addresses, email verification and resending."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Approval, Role, User
from tests.accounts.support import aged_token, checked_value, error_summary, field_value, is_signed_in, text
from tests.helpers import links_in

NEW_PASSWORD = "lantern-river-quietly-77"


def sign_up(submit, **fields):
    """Submit the sign-up form with sensible defaults."""
    data = {
        "name": "Nia Tudur",
        "email": "nia@example.org",
        "password": NEW_PASSWORD,
        "role": "creative",
        "language": "en",
        **fields,
    }
    return submit("/account/sign-up", data)


def stored(app, email):
    """The user row with this address."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


@pytest.mark.parametrize(
    ("role", "approval"),
    [("creative", Approval.APPROVED), ("commissioner", Approval.PENDING), ("link_worker", Approval.PENDING)],
)
def test_sign_up_creates_the_account_with_the_right_approval_state(app, submit, outbox, role, approval):
    response = sign_up(submit, role=role, email=f"{role}@example.org", name=f"  Person {role}  ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/check-your-email"
    user = stored(app, f"{role}@example.org")
    assert user.role == Role(role)
    assert user.approval == approval
    assert user.name == f"Person {role}"
    assert user.email_verified_at is None
    assert user.password_hash.startswith("$argon2id$")
    assert [m.subject for m in outbox(user.email)] == ["Confirm your email address for Cyswllt"]


def test_sign_up_stores_the_address_lower_case_and_the_chosen_language(app, submit, outbox):
    sign_up(submit, email="  Nia.Tudur@Example.ORG ", language="cy")
    user = stored(app, "nia.tudur@example.org")
    assert user is not None
    assert user.language == "cy"
    # The email is rendered in the person's language: the HTML layout carries it.
    message = outbox("nia.tudur@example.org")[0]
    assert '<html lang="cy">' in message.html_body


def test_validation_errors_are_summarised_linked_and_keep_what_was_typed(client, submit):
    response = sign_up(submit, name="", email="not-an-address", password="Shrt-pw9", role="", language="cy")
    assert response.status_code == 200
    page = text(response)
    errors = error_summary(page)
    assert errors["name"] == "Enter your full name"
    assert errors["email"] == "Enter an email address in the correct format, like name@example.com"
    assert errors["password"] == "Password must be 12 characters or more"
    assert any(message == "Select what you do" for message in errors.values())
    assert "<title>Error:" in page
    assert field_value(page, "email") == "not-an-address"
    assert checked_value(page, "language") == "cy"
    # The password is never sent back.
    assert field_value(page, "password") in (None, "")
    assert "Shrt-pw9" not in page


def test_common_password_is_refused_and_the_name_is_kept(submit):
    response = sign_up(submit, name="Nia Tudur", password="password1234")
    page = text(response)
    assert error_summary(page)["password"].startswith("This password is too easy to guess")
    assert field_value(page, "name") == "Nia Tudur"
    assert "password1234" not in page


def test_an_unknown_role_is_refused(app, submit):
    response = sign_up(submit, role="organiser")
    assert response.status_code == 200
    assert "role" in " ".join(error_summary(text(response)))
    assert stored(app, "nia@example.org") is None


def test_duplicate_email_gives_the_same_answer_and_tells_the_owner(app, client, submit, make_user, outbox):
    owner = make_user(email="taken@example.org")
    response = sign_up(submit, email="Taken@Example.org")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/check-your-email"
    fresh = sign_up(submit, email="fresh@example.org")
    assert fresh.headers["Location"] == response.headers["Location"]
    page = text(client.get("/account/check-your-email"))
    assert "We have sent an email to fresh@example.org" in page
    # The owner hears about it; nothing was created or changed.
    subjects = [m.subject for m in outbox("taken@example.org")]
    assert len(subjects) == 1 and "verify" not in subjects[0].lower()
    assert "Someone tried to create a Cyswllt account" in outbox("taken@example.org")[0].text_body
    with app.app_context():
        count = select(db.func.count()).select_from(User).where(User.email == "taken@example.org")
        assert db.session.scalar(count) == 1
        assert db.session.get(User, owner.id).password_hash == owner.password_hash


def test_signed_in_people_are_sent_home_from_sign_up(client, make_user, sign_in):
    sign_in(make_user())
    assert client.get("/account/sign-up").headers["Location"] == "/"


# --- email verification -------------------------------------------------------------------------


def test_the_emailed_link_confirms_the_address(app, client, submit, outbox):
    sign_up(submit)
    link = links_in(outbox("nia@example.org")[0].text_body)[0]
    assert link.startswith("/account/verify/")
    response = client.get(link)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/sign-in"
    assert stored(app, "nia@example.org").email_verified_at is not None
    # Following it again is harmless.
    assert client.get(link).status_code == 302


@pytest.mark.parametrize("damage", ["tampered", "wrong-purpose", "expired", "other-address", "garbage"])
def test_bad_verification_links_are_refused(app, client, make_user, damage):
    from matchmaker.accounts import tokens

    user = make_user(verified=False)
    with app.test_request_context():
        good = tokens.make_token(tokens.VERIFY, user, e=user.email)
        links = {
            "tampered": good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB"),
            "wrong-purpose": tokens.make_token(tokens.RESET, user, e=user.email),
            "expired": aged_token(app, tokens.VERIFY, {"u": user.id, "e": user.email}, 49 * 3600),
            "other-address": tokens.make_token(tokens.VERIFY, user, e="someone-else@example.org"),
            "garbage": "not-a-token",
        }
    response = client.get(f"/account/verify/{links[damage]}")
    assert response.status_code == 400
    assert "This link has expired or has already been used" in text(response)
    with app.app_context():
        assert db.session.get(User, user.id).email_verified_at is None


def test_a_link_a_little_younger_than_the_limit_still_works(app, client, make_user):
    from matchmaker.accounts import tokens

    user = make_user(verified=False)
    token = aged_token(app, tokens.VERIFY, {"u": user.id, "e": user.email}, 47 * 3600)
    assert client.get(f"/account/verify/{token}").status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).email_verified_at is not None


def test_unverified_people_are_asked_to_confirm_and_can_resend(client, make_user, sign_in, submit, outbox):
    user = make_user(verified=False)
    sign_in(user)
    assert client.get("/account/verify-needed").status_code == 200
    before = len(outbox(user.email))
    resend = submit("/account/verify-needed", {})
    assert resend.status_code == 302
    again = submit("/account/verify-needed", {})
    assert again.status_code == 302
    messages = outbox(user.email)
    assert len(messages) == before + 2
    assert all(m.subject == "Confirm your email address for Cyswllt" for m in messages)
    # The resent link works, and the page then sends the person on.
    assert client.get(links_in(messages[-1].text_body)[0]).status_code == 302
    assert client.get("/account/verify-needed").headers["Location"] == "/"
    assert is_signed_in(client)


def test_sign_up_then_sign_in_as_a_verified_creative(client, submit, outbox):
    sign_up(submit)
    client.get(links_in(outbox("nia@example.org")[0].text_body)[0])
    response = submit("/account/sign-in", {"email": "nia@example.org", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert "Welcome, Nia Tudur" in text(client.get("/"))


def test_the_verification_email_states_the_configured_link_lifetime(app, client, submit, outbox):
    saved = app.config["TOKEN_MAX_AGE_SECONDS"]
    app.config["TOKEN_MAX_AGE_SECONDS"] = 24 * 3600
    try:
        sign_up(submit)
        page = text(client.get("/account/check-your-email"))
    finally:
        app.config["TOKEN_MAX_AGE_SECONDS"] = saved
    [mail] = outbox("nia@example.org")
    assert "The link works for 24 hours." in mail.text_body
    assert "The link works for 24 hours." in page
