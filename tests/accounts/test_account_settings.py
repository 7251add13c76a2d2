"""Your account: change email (password asked again), language stored and used for email."""

from __future__ import annotations

from sqlalchemy import select

from matchmaker.accounts import tokens
from matchmaker.extensions import db
from matchmaker.models import User
from tests.accounts.support import aged_token, checked_value, error_summary, field_value, signed_in_client, text
from tests.helpers import PASSWORD, csrf_token, links_in


def change_email(client, email, password=PASSWORD):
    """Submit the change-email form."""
    page = text(client.get("/account/change-email"))
    return client.post(
        "/account/change-email", data={"csrf_token": csrf_token(page), "email": email, "current_password": password}
    )


def reload(app, user):
    """The user's row as stored now."""
    with app.app_context():
        row = db.session.get(User, user.id)
        db.session.expunge(row)
        return row


def test_account_page_shows_my_details(app, make_user):
    user = make_user("link_worker", name="Dafydd Llwyd", approved=False)
    page = text(signed_in_client(app, user).get("/account/"))
    assert "Dafydd Llwyd" in page
    assert user.email in page
    assert "Link worker" in page
    assert "Waiting for approval" in page


def test_change_email_sends_a_link_to_the_new_address_and_a_notice_to_the_old(app, make_user, outbox):
    user = make_user(email="old@example.org")
    client = signed_in_client(app, user)
    response = change_email(client, " New@Example.org ")
    assert response.status_code == 302
    assert reload(app, user).email == "old@example.org"
    assert reload(app, user).pending_email == "new@example.org"
    to_new = outbox("new@example.org")
    to_old = outbox("old@example.org")
    assert len(to_new) == 1 and len(to_old) == 1
    assert "new@example.org" in to_old[0].text_body
    link = links_in(to_new[0].text_body)[0]
    assert link.startswith("/account/change-email/")
    assert not links_in(to_old[0].text_body) or link not in to_old[0].text_body
    confirmed = client.get(link)
    assert confirmed.status_code == 302
    row = reload(app, user)
    assert row.email == "new@example.org"
    assert row.pending_email is None
    # The link works once: the pending address is gone.
    assert client.get(link).status_code == 400


def test_change_email_asks_for_the_password(app, make_user, outbox):
    user = make_user()
    client = signed_in_client(app, user)
    response = change_email(client, "new@example.org", password="not-my-password")
    assert response.status_code == 200
    page = text(response)
    assert error_summary(page) == {"current_password": "Your password is not correct"}
    assert field_value(page, "email") == "new@example.org"
    assert "not-my-password" not in page
    assert outbox("new@example.org") == []
    assert reload(app, user).pending_email is None


def test_change_email_refuses_the_same_or_a_malformed_address(app, make_user):
    user = make_user()
    client = signed_in_client(app, user)
    same = change_email(client, user.email.upper())
    assert error_summary(text(same)) == {"email": "Enter a different email address from the one you use now"}
    bad = change_email(client, "nope")
    assert list(error_summary(text(bad))) == ["email"]


def test_an_address_in_use_cannot_be_taken(app, make_user, outbox):
    user = make_user(email="me@example.org")
    make_user(email="taken@example.org")
    client = signed_in_client(app, user)
    response = change_email(client, "taken@example.org")
    # The answer does not reveal the address is registered, and its owner gets no link.
    assert response.status_code == 302
    assert outbox("taken@example.org") == []
    assert reload(app, user).email == "me@example.org"


def test_a_confirm_link_for_an_address_taken_meanwhile_is_refused(app, make_user, outbox):
    user = make_user(email="me@example.org")
    client = signed_in_client(app, user)
    change_email(client, "wanted@example.org")
    link = links_in(outbox("wanted@example.org")[0].text_body)[0]
    make_user(email="wanted@example.org")
    assert client.get(link).status_code == 400
    assert reload(app, user).email == "me@example.org"


def test_bad_change_email_links_are_refused(app, client, make_user):
    user = make_user()
    with app.app_context():
        db.session.get(User, user.id).pending_email = "new@example.org"
        db.session.commit()
    expired = aged_token(app, tokens.CHANGE_EMAIL, {"u": user.id, "e": "new@example.org"}, 49 * 3600)
    other = aged_token(app, tokens.CHANGE_EMAIL, {"u": user.id, "e": "other@example.org"}, 0)
    wrong_purpose = aged_token(app, tokens.VERIFY, {"u": user.id, "e": "new@example.org"}, 0)
    for token in (expired, other, wrong_purpose, "junk"):
        assert client.get(f"/account/change-email/{token}").status_code == 400
    assert reload(app, user).email == user.email
    good = aged_token(app, tokens.CHANGE_EMAIL, {"u": user.id, "e": "new@example.org"}, 0)
    assert client.get(f"/account/change-email/{good}").status_code == 302
    assert reload(app, user).email == "new@example.org"


def test_language_preference_is_stored_and_used_for_email(app, make_user, submit, outbox):
    user = make_user(language="en")
    client = signed_in_client(app, user)
    page = text(client.get("/account/language"))
    assert checked_value(page, "language") == "en"
    response = client.post("/account/language", data={"csrf_token": csrf_token(page), "language": "cy"})
    assert response.status_code == 302
    assert reload(app, user).language == "cy"
    assert '<html lang="cy"' in text(client.get("/account/"))
    # Emails to this person are rendered in Welsh.
    anonymous = app.test_client()
    token = csrf_token(text(anonymous.get("/account/forgot-password")))
    anonymous.post("/account/forgot-password", data={"csrf_token": token, "email": user.email})
    message = outbox(user.email)[-1]
    assert '<html lang="cy">' in message.html_body


def test_the_language_link_switches_the_pages_but_stores_nothing(app, make_user):
    """A GET can come from another site (an image, a link): it must not change the account."""
    user = make_user(language="en")
    client = signed_in_client(app, user)
    response = client.get("/language/cy?next=/account/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/"
    assert '<html lang="cy"' in text(client.get("/account/"))
    assert reload(app, user).language == "en"


def test_a_posted_language_choice_is_stored_on_the_account(app, make_user):
    user = make_user(language="en")
    client = signed_in_client(app, user)
    token = csrf_token(text(client.get("/account/")))
    assert client.post("/language/cy", data={"next": "/account/"}).status_code == 400  # no CSRF token
    assert reload(app, user).language == "en"
    response = client.post("/language/cy", data={"csrf_token": token, "next": "/account/"})
    assert response.headers["Location"] == "/account/"
    assert reload(app, user).language == "cy"
    assert client.get("/language/xx").status_code == 404
    assert client.get("/language/en?next=//evil.example").headers["Location"] == "/"


def test_email_rendering_forces_the_recipients_locale(app, make_user):
    """Checked at the mechanism: the locale active while the email is rendered is the user's."""
    from flask import template_rendered
    from flask_babel import get_locale

    from matchmaker.accounts import service

    welsh = make_user(language="cy")
    english = make_user(language="en")
    seen: list[tuple[str, str]] = []

    def record(sender, template, context, **extra):
        if template.name.startswith("emails/"):
            seen.append((context["user"].email, str(get_locale())))

    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        template_rendered.connect(record, app)
        try:
            for user in (welsh, english):
                service.send_password_reset(db.session.get(User, user.id))
        finally:
            template_rendered.disconnect(record, app)
        db.session.rollback()
    assert {locale for email, locale in seen if email == welsh.email} == {"cy"}
    assert {locale for email, locale in seen if email == english.email} == {"en"}
    assert len(seen) == 6  # subject, text and HTML for each


def test_sign_in_uses_the_stored_language(app, make_user):
    user = make_user(language="cy")
    client = signed_in_client(app, user, PASSWORD)
    assert '<html lang="cy"' in text(client.get("/"))
    with app.app_context():
        assert db.session.scalar(select(User.language).where(User.id == user.id)) == "cy"
