"""Sign-in: one message for every wrong answer, blocked accounts, argon2id and rehashing, next=."""

from __future__ import annotations

import re

import pytest
from argon2 import PasswordHasher

from matchmaker.accounts import passwords
from matchmaker.extensions import db
from matchmaker.models import Approval, User, utcnow
from tests.accounts.support import error_summary, field_value, is_signed_in, text
from tests.helpers import PASSWORD

WRONG = "Enter a correct email address and password"


def attempt(submit, email, password, url="/account/sign-in"):
    """Post the sign-in form."""
    return submit(url, {"email": email, "password": password}, page="/account/sign-in")


def without_volatile(page: str, email: str) -> str:
    """The page with its CSRF token and the typed address taken out, for comparing two answers."""
    page = re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "", page)
    return page.replace(email, "EMAIL")


def test_correct_password_signs_in_and_records_the_time(app, client, make_user, submit):
    user = make_user()
    response = attempt(submit, user.email.upper(), PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert is_signed_in(client)
    with app.app_context():
        assert db.session.get(User, user.id).last_sign_in_at is not None


def test_wrong_password_and_unknown_email_give_the_identical_answer(client, make_user, submit):
    user = make_user(email="known@example.org")
    wrong_password = attempt(submit, "known@example.org", "not-the-password-at-all")
    unknown = attempt(submit, "nobody@example.org", "not-the-password-at-all")
    assert wrong_password.status_code == unknown.status_code == 200
    assert error_summary(text(wrong_password)) == {"email": WRONG}
    assert without_volatile(text(wrong_password), "known@example.org") == without_volatile(
        text(unknown), "nobody@example.org"
    )
    # What was typed is kept, except the password.
    assert field_value(text(wrong_password), "email") == "known@example.org"
    assert "not-the-password-at-all" not in text(wrong_password)
    assert not is_signed_in(client)
    assert user.email == "known@example.org"


def test_empty_fields_are_summarised(submit):
    response = attempt(submit, "", "")
    assert error_summary(text(response)) == {"email": "Enter your email address", "password": "Enter your password"}


@pytest.mark.parametrize("state", ["deactivated", "rejected"])
def test_deactivated_and_rejected_accounts_cannot_sign_in(app, client, make_user, submit, state):
    user = make_user("commissioner")
    with app.app_context():
        row = db.session.get(User, user.id)
        if state == "deactivated":
            row.deactivated_at = utcnow()
        else:
            row.approval = Approval.REJECTED
        db.session.commit()
    response = attempt(submit, user.email, PASSWORD)
    assert response.status_code == 200
    assert "You cannot sign in to this account" in text(response)
    assert not is_signed_in(client)
    # Without the right password they get the usual answer, so nothing is revealed.
    wrong = attempt(submit, user.email, "not-the-password-at-all")
    assert error_summary(text(wrong)) == {"email": WRONG}


def test_a_deleted_account_cannot_sign_in(app, client, make_user, submit):
    from matchmaker.accounts import service

    user = make_user()
    with app.app_context():
        service.erase(db.session.get(User, user.id))
        db.session.commit()
    response = attempt(submit, user.email, PASSWORD)
    assert error_summary(text(response)) == {"email": WRONG}
    assert not is_signed_in(client)


def test_passwords_are_hashed_with_argon2id():
    hashed = passwords.hash_password("a-long-enough-password")
    assert hashed.startswith("$argon2id$")
    assert passwords.verify_password(hashed, "a-long-enough-password")
    assert not passwords.verify_password(hashed, "a-long-enough-passworD")
    assert not passwords.verify_password(None, "a-long-enough-password")
    assert not passwords.verify_password("not a hash", "a-long-enough-password")


def test_sign_in_rehashes_a_password_stored_with_weaker_parameters(app, make_user, submit):
    user = make_user()
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    assert passwords.needs_rehash(weak)
    with app.app_context():
        db.session.get(User, user.id).password_hash = weak
        db.session.commit()
    assert attempt(submit, user.email, PASSWORD).status_code == 302
    with app.app_context():
        stored = db.session.get(User, user.id).password_hash
    assert stored != weak
    assert stored.startswith("$argon2id$")
    assert not passwords.needs_rehash(stored)
    assert passwords.verify_password(stored, PASSWORD)


def test_a_current_hash_is_left_alone(app, make_user, submit, password_hash):
    user = make_user()
    attempt(submit, user.email, PASSWORD)
    with app.app_context():
        assert db.session.get(User, user.id).password_hash == password_hash


@pytest.mark.parametrize(
    "password",
    ["elevenchars", "password", "password1234", "Password123!", "iloveyou12345", "aaaaaaaaaaaaaaaa", "1234567890123"],
)
def test_short_and_common_passwords_are_refused(password):
    from wtforms.validators import ValidationError

    from matchmaker.accounts.forms import strong_password

    class Field:
        data = password

    with pytest.raises(ValidationError):
        strong_password(None, Field())


@pytest.mark.parametrize("password", ["lantern-river-quietly-77", "Ein cartref ar y bryn", "twelve chars"])
def test_long_uncommon_passwords_are_accepted(password):
    from matchmaker.accounts.forms import strong_password

    class Field:
        data = password

    strong_password(None, Field())


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "//evil.example/account/",
        "https://evil.example",
        "http://evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "/\\/evil.example",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " //evil.example",
        "/\t/evil.example",
        "https:evil.example",
        "evil.example",
        "/%0d%0aSet-Cookie:x=1",
        "/\r\nSet-Cookie: x=1",
        "data:text/html,hi",
    ],
)
def test_next_only_goes_to_this_site(client, make_user, submit, target):
    user = make_user()
    response = submit(
        "/account/sign-in",
        {"email": user.email, "password": PASSWORD},
        page="/account/sign-in",
        query_string={"next": target},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location in ("/", "/%0d%0aSet-Cookie:x=1"), location
    assert "evil" not in location


def test_next_to_a_page_on_this_site_is_followed(client, make_user, submit):
    user = make_user()
    response = submit(
        "/account/sign-in?next=/account/change-password%3Fx%3D1",
        {"email": user.email, "password": PASSWORD},
        page="/account/sign-in",
    )
    assert response.headers["Location"] == "/account/change-password?x=1"


def test_a_protected_page_sends_anonymous_people_to_sign_in_and_back(client, make_user, submit):
    response = client.get("/account/change-password")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/sign-in?next=/account/change-password"
    user = make_user()
    back = submit(response.headers["Location"], {"email": user.email, "password": PASSWORD})
    assert back.headers["Location"] == "/account/change-password"


def test_signed_in_people_are_sent_home_from_sign_in(client, make_user, sign_in):
    sign_in(make_user())
    assert client.get("/account/sign-in").headers["Location"] == "/"
