"""Download my data, and delete my account."""

from __future__ import annotations

import json

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import OutboxMessage, User
from tests.accounts.support import error_summary, is_signed_in, signed_in_client, text
from tests.helpers import PASSWORD, csrf_token


def test_download_my_data_holds_my_account_and_my_emails(app, make_user, submit, outbox):
    user = make_user("commissioner", name="Rhiannon Beynon", language="cy", approved=False)
    other = make_user(name="Somebody Else")
    client = signed_in_client(app, user)
    page = text(client.get("/account/verify-needed"))  # any page: a form to get a CSRF token from
    assert page
    anonymous = app.test_client()
    for person in (user, other):
        token = csrf_token(text(anonymous.get("/account/forgot-password")))
        anonymous.post("/account/forgot-password", data={"csrf_token": token, "email": person.email})
    response = client.get("/account/my-data")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="cyswllt-my-data-')
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["id"] == user.id
    assert data["account"]["name"] == "Rhiannon Beynon"
    assert data["account"]["email"] == user.email
    assert data["account"]["role"] == "commissioner"
    assert data["account"]["language"] == "cy"
    assert data["account"]["approval"] == "pending"
    assert "password_hash" not in json.dumps(data)
    assert user.password_hash not in json.dumps(data)
    assert [m["to"] for m in data["emails"]] == [user.email]
    assert data["emails"][0]["subject"] == outbox(user.email)[0].subject
    assert "Somebody Else" not in json.dumps(data)


def test_my_data_needs_signing_in(client):
    response = client.get("/account/my-data")
    assert response.status_code == 302
    assert "/account/sign-in" in response.headers["Location"]


def delete(client, password=PASSWORD):
    """Submit the delete-account form."""
    page = text(client.get("/account/delete"))
    return client.post("/account/delete", data={"csrf_token": csrf_token(page), "current_password": password})


def test_delete_my_account_erases_personal_data_and_keeps_an_anonymous_row(app, make_user, outbox, submit):
    user = make_user(email="leaving@example.org", name="Gwen Leaving")
    other = make_user(email="staying@example.org")
    client = signed_in_client(app, user)
    elsewhere = signed_in_client(app, user)
    anonymous = app.test_client()
    for person in (user, other):
        token = csrf_token(text(anonymous.get("/account/forgot-password")))
        anonymous.post("/account/forgot-password", data={"csrf_token": token, "email": person.email})
    assert len(outbox("leaving@example.org")) == 1
    response = delete(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert not is_signed_in(client)
    assert not is_signed_in(elsewhere)
    with app.app_context():
        row = db.session.get(User, user.id)
        assert row is not None  # kept, so records others depend on still point somewhere
        assert row.deleted_at is not None
        assert row.email is None and row.pending_email is None and row.password_hash is None
        assert "Gwen" not in row.name
        assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.user_id == user.id)).all() == []
    assert outbox("leaving@example.org") == []
    assert len(outbox("staying@example.org")) == 1
    # The person cannot sign in, and the address is free to use again.
    signin = submit("/account/sign-in", {"email": "leaving@example.org", "password": PASSWORD})
    assert signin.status_code == 200
    again = submit(
        "/account/sign-up",
        {
            "name": "Gwen Returning",
            "email": "leaving@example.org",
            "password": "lantern-river-quietly-77",
            "role": "creative",
            "language": "en",
        },
    )
    assert again.status_code == 302
    with app.app_context():
        fresh = db.session.scalar(select(User).where(User.email == "leaving@example.org"))
        assert fresh is not None and fresh.id != user.id
    assert [m.subject for m in outbox("leaving@example.org")] == ["Confirm your email address for Cyswllt"]


def test_deletion_asks_for_the_password(app, make_user):
    user = make_user()
    client = signed_in_client(app, user)
    response = delete(client, password="not-my-password")
    assert response.status_code == 200
    assert error_summary(text(response)) == {"current_password": "Your password is not correct"}
    assert "not-my-password" not in text(response)
    assert is_signed_in(client)
    with app.app_context():
        assert db.session.get(User, user.id).deleted_at is None


def test_deletion_runs_every_registered_eraser_and_exporter(app, make_user):
    """Features plug their own data in; erase and export call them."""
    from matchmaker.accounts import service

    user = make_user()
    erased: list[int] = []
    service.register_personal_data(lambda u: {"extra": {"id": u.id}}, lambda u: erased.append(u.id))
    try:
        with app.app_context():
            row = db.session.get(User, user.id)
            assert service.export_data(row)["extra"] == {"id": user.id}
            service.erase(row)
            db.session.commit()
    finally:
        service.EXPORTERS.pop()
        service.ERASERS.pop()
    assert erased == [user.id]


def test_a_deleted_account_is_not_shown_to_organisers(app, make_user):
    organiser = make_user("organiser")
    user = make_user("commissioner", approved=False)
    delete(signed_in_client(app, user))
    client = signed_in_client(app, organiser)
    assert client.get(f"/organiser/accounts/{user.id}").status_code == 404
    assert f"/organiser/accounts/{user.id}" not in text(client.get("/organiser/accounts?status=all"))
