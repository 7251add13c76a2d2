"""Forgotten password: the same answer for everyone, expiring single-use links, organiser invitations."""

from __future__ import annotations

from matchmaker.accounts import tokens
from matchmaker.extensions import db
from matchmaker.models import User, utcnow
from tests.accounts.support import aged_token, error_summary, is_signed_in, signed_in_client, text
from tests.helpers import PASSWORD, csrf_token, links_in

NEW_PASSWORD = "lantern-river-quietly-77"


def ask_for_link(submit, email):
    """Submit the forgotten-password form."""
    return submit("/account/forgot-password", {"email": email})


def reset_link(outbox, email):
    """The reset link in the latest email to this address."""
    return links_in(outbox(email)[-1].text_body)[0]


def test_known_and_unknown_addresses_get_the_same_answer(client, make_user, submit, outbox):
    user = make_user(email="known@example.org")
    known = ask_for_link(submit, "known@example.org")
    unknown = ask_for_link(submit, "nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"] == "/account/forgot-password/sent"
    page = text(client.get("/account/forgot-password/sent"))
    assert "nobody@example.org" in page
    assert [m.subject for m in outbox(user.email)] == ["Reset your Cyswllt password"]
    assert outbox("nobody@example.org") == []


def test_a_reset_link_sets_a_new_password_and_ends_sessions(app, client, make_user, submit, outbox):
    user = make_user()
    elsewhere = signed_in_client(app, user)
    ask_for_link(submit, user.email)
    link = reset_link(outbox, user.email)
    assert link.startswith("/account/reset-password/")
    response = submit(link, {"password": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/sign-in"
    assert not is_signed_in(elsewhere)
    signed_in_client(app, user, NEW_PASSWORD)


def test_a_reset_link_works_once(client, make_user, submit, outbox):
    user = make_user()
    ask_for_link(submit, user.email)
    link = reset_link(outbox, user.email)
    assert submit(link, {"password": NEW_PASSWORD}).status_code == 302
    second = client.get(link)
    assert second.status_code == 400
    assert "This link has expired or has already been used" in text(second)
    assert client.post(link, data={"password": "another-fine-password"}).status_code == 400


def test_an_older_link_dies_when_the_password_changes(client, make_user, submit, outbox):
    user = make_user()
    ask_for_link(submit, user.email)
    first = reset_link(outbox, user.email)
    with client.application.app_context():
        from matchmaker.accounts import service

        service.set_password(db.session.get(User, user.id), NEW_PASSWORD)
        db.session.commit()
    assert client.get(first).status_code == 400


def test_a_reset_link_expires(app, client, make_user, password_hash):
    user = make_user()
    with app.app_context():
        payload = {"u": user.id, "p": tokens._password_fingerprint(db.session.get(User, user.id))}
    two_hours_old = aged_token(app, tokens.RESET, payload, 2 * 3600)
    assert app.config["RESET_MAX_AGE_SECONDS"] == 3600
    assert client.get(f"/account/reset-password/{two_hours_old}").status_code == 400
    old_setting = app.config["RESET_MAX_AGE_SECONDS"]
    app.config["RESET_MAX_AGE_SECONDS"] = 3 * 3600
    try:
        assert client.get(f"/account/reset-password/{two_hours_old}").status_code == 200
        app.config["RESET_MAX_AGE_SECONDS"] = 60
        minute_old = aged_token(app, tokens.RESET, payload, 61)
        assert client.get(f"/account/reset-password/{minute_old}").status_code == 400
        fresh = aged_token(app, tokens.RESET, payload, 0)
        assert client.get(f"/account/reset-password/{fresh}").status_code == 200
    finally:
        app.config["RESET_MAX_AGE_SECONDS"] = old_setting


def test_tampered_and_wrong_purpose_reset_links_are_refused(app, client, make_user):
    user = make_user()
    with app.test_request_context():
        row = db.session.get(User, user.id)
        good = tokens.make_token(tokens.RESET, row)
        verify = tokens.make_token(tokens.VERIFY, row, e=row.email, p=tokens._password_fingerprint(row))
    assert client.get(f"/account/reset-password/{good}").status_code == 200
    assert client.get(f"/account/reset-password/{good[:-2]}xx").status_code == 400
    assert client.get(f"/account/reset-password/{verify}").status_code == 400


def test_the_new_password_must_be_strong(make_user, submit, outbox):
    user = make_user()
    ask_for_link(submit, user.email)
    link = reset_link(outbox, user.email)
    response = submit(link, {"password": "short"})
    assert response.status_code == 200
    assert error_summary(text(response)) == {"password": "Password must be 12 characters or more"}


def test_deactivated_accounts_get_no_reset_email_but_the_same_answer(app, make_user, submit, outbox):
    user = make_user()
    with app.app_context():
        db.session.get(User, user.id).deactivated_at = utcnow()
        db.session.commit()
    response = ask_for_link(submit, user.email)
    assert response.headers["Location"] == "/account/forgot-password/sent"
    assert outbox(user.email) == []


def test_a_reset_proves_the_address(app, make_user, submit, outbox):
    user = make_user(verified=False)
    ask_for_link(submit, user.email)
    submit(reset_link(outbox, user.email), {"password": NEW_PASSWORD})
    with app.app_context():
        assert db.session.get(User, user.id).email_verified_at is not None


def test_an_invited_organiser_sets_a_password_from_the_link(app, make_user, outbox):
    inviter = make_user("organiser", name="Siân Prydderch")
    client = signed_in_client(app, inviter)
    page = text(client.get("/organiser/organisers/new"))
    response = client.post(
        "/organiser/organisers/new",
        data={"csrf_token": csrf_token(page), "name": "Owain Glyn", "email": "Owain@Example.org", "language": "cy"},
    )
    assert response.status_code == 302
    messages = outbox("owain@example.org")
    assert len(messages) == 1
    assert "Siân Prydderch" in messages[0].text_body
    assert '<html lang="cy">' in messages[0].html_body
    with app.app_context():
        invited = db.session.scalar(db.select(User).where(User.email == "owain@example.org"))
        assert invited.password_hash is None
        assert invited.role.value == "organiser"
    newcomer = app.test_client()
    link = links_in(messages[0].text_body)[0]
    form = newcomer.get(link)
    assert form.status_code == 200
    saved = newcomer.post(link, data={"csrf_token": csrf_token(text(form)), "password": NEW_PASSWORD})
    assert saved.status_code == 302
    assert newcomer.get(link).status_code == 400  # single use
    organiser = signed_in_client(app, invited, NEW_PASSWORD)
    assert organiser.get("/organiser/accounts").status_code == 200
    with app.app_context():
        assert db.session.get(User, invited.id).email_verified_at is not None


def test_an_invitation_outlives_a_reset_link_but_not_the_token_limit(app, client, make_user):
    invited = make_user("organiser")
    with app.app_context():
        row = db.session.get(User, invited.id)
        row.password_hash = None
        db.session.commit()
        payload = {"u": invited.id, "p": tokens._password_fingerprint(row), "invite": True}
    day_old = aged_token(app, tokens.RESET, payload, 24 * 3600)
    assert client.get(f"/account/reset-password/{day_old}").status_code == 200
    too_old = aged_token(app, tokens.RESET, payload, 49 * 3600)
    assert client.get(f"/account/reset-password/{too_old}").status_code == 400
    reset_payload = {k: v for k, v in payload.items() if k != "invite"}
    day_old_reset = aged_token(app, tokens.RESET, reset_payload, 24 * 3600)
    assert client.get(f"/account/reset-password/{day_old_reset}").status_code == 400


def test_the_invited_organiser_cannot_sign_in_before_choosing_a_password(app, make_user, submit):
    invited = make_user("organiser")
    with app.app_context():
        db.session.get(User, invited.id).password_hash = None
        db.session.commit()
    response = submit("/account/sign-in", {"email": invited.email, "password": PASSWORD})
    assert error_summary(text(response)) == {"email": "Enter a correct email address and password"}
