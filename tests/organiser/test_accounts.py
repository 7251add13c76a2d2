"""Organisers: the approval queue, approve, reject with a reason, deactivate, reactivate, invite."""

from __future__ import annotations

import pytest

from matchmaker.extensions import db
from matchmaker.models import Approval, User
from tests.accounts.support import error_summary, is_signed_in, signed_in_client, text
from tests.helpers import csrf_token


@pytest.fixture
def organiser(make_user):
    """An organiser."""
    return make_user("organiser", name="Siân Prydderch")


@pytest.fixture
def admin(app, organiser):
    """A client signed in as the organiser."""
    return signed_in_client(app, organiser)


def act(client, user, action, data=None):
    """Press a button on the organiser's page for this account."""
    page = text(client.get(f"/organiser/accounts/{user.id}"))
    return client.post(f"/organiser/accounts/{user.id}/{action}", data={"csrf_token": csrf_token(page), **(data or {})})


def reload(app, user):
    """The user's row as stored now."""
    with app.app_context():
        row = db.session.get(User, user.id)
        db.session.expunge(row)
        return row


def test_the_queue_lists_pending_accounts_only(admin, make_user):
    waiting = make_user("commissioner", approved=False, name="Rhiannon Beynon")
    also_waiting = make_user("link_worker", approved=False, name="Ceri Moelwyn")
    approved = make_user("creative", name="Gwilym Ffransis")
    page = text(admin.get("/organiser/accounts"))
    assert "2 accounts are waiting for approval." in page
    assert f"/organiser/accounts/{waiting.id}" in page
    assert f"/organiser/accounts/{also_waiting.id}" in page
    assert f"/organiser/accounts/{approved.id}" not in page
    everyone = text(admin.get("/organiser/accounts?status=all"))
    assert f"/organiser/accounts/{approved.id}" in everyone
    link_workers = text(admin.get("/organiser/accounts?status=all&role=link_worker"))
    assert f"/organiser/accounts/{also_waiting.id}" in link_workers
    assert f"/organiser/accounts/{waiting.id}" not in link_workers
    # Unknown filter values are ignored rather than breaking the page.
    assert admin.get("/organiser/accounts?status=nonsense&role=nonsense").status_code == 200


def test_approve_lets_the_person_in_and_emails_them(app, admin, make_user, outbox):
    person = make_user("commissioner", approved=False, language="cy")
    theirs = signed_in_client(app, person)
    assert theirs.get("/account/awaiting-approval").status_code == 200
    response = act(admin, person, "approve")
    assert response.status_code == 302
    assert reload(app, person).approval == Approval.APPROVED
    assert reload(app, person).approval_decided_by_id is not None
    messages = outbox(person.email)
    assert len(messages) == 1
    assert '<html lang="cy">' in messages[0].html_body
    assert "http://localhost/" in messages[0].text_body
    assert theirs.get("/account/awaiting-approval").headers["Location"] == "/"
    assert f"/organiser/accounts/{person.id}" not in text(admin.get("/organiser/accounts"))


def test_reject_requires_a_reason(app, admin, make_user, outbox):
    person = make_user("link_worker", approved=False)
    response = act(admin, person, "reject", {"reason": "   "})
    assert response.status_code == 400
    assert error_summary(text(response)) == {"reason": "Enter the reason for rejecting this account"}
    assert reload(app, person).approval == Approval.PENDING
    assert outbox(person.email) == []


def test_reject_emails_the_reason_and_ends_their_sessions(app, admin, make_user, outbox):
    person = make_user("link_worker", approved=False)
    theirs = signed_in_client(app, person)
    response = act(admin, person, "reject", {"reason": "We could not confirm you work for a health board."})
    assert response.status_code == 302
    row = reload(app, person)
    assert row.approval == Approval.REJECTED
    assert row.rejection_reason == "We could not confirm you work for a health board."
    messages = outbox(person.email)
    assert len(messages) == 1
    assert "We could not confirm you work for a health board." in messages[0].text_body
    assert "We could not confirm you work for a health board." in messages[0].html_body
    assert not is_signed_in(theirs)


def test_the_reason_is_escaped_in_the_html_email(app, admin, make_user, outbox):
    person = make_user("link_worker", approved=False)
    act(admin, person, "reject", {"reason": "<script>alert(1)</script>"})
    html = outbox(person.email)[0].html_body
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_deactivate_and_reactivate(app, admin, make_user, submit):
    person = make_user("creative")
    theirs = signed_in_client(app, person)
    assert act(admin, person, "deactivate").status_code == 302
    assert reload(app, person).deactivated_at is not None
    assert not is_signed_in(theirs)
    assert "deactivated" in text(admin.get(f"/organiser/accounts/{person.id}"))
    assert f"/organiser/accounts/{person.id}" in text(admin.get("/organiser/accounts?status=deactivated"))
    assert act(admin, person, "reactivate").status_code == 302
    assert reload(app, person).deactivated_at is None
    signed_in_client(app, person, "correct-horse-battery-staple")


@pytest.mark.parametrize("action", ["deactivate", "reject"])
def test_organisers_cannot_deactivate_or_reject_themselves(app, admin, organiser, action):
    page = text(admin.get(f"/organiser/accounts/{organiser.id}"))
    assert f"/organiser/accounts/{organiser.id}/{action}" not in page
    response = admin.post(
        f"/organiser/accounts/{organiser.id}/{action}", data={"csrf_token": csrf_token(page), "reason": "Because."}
    )
    assert response.status_code in (400, 403)
    row = reload(app, organiser)
    assert row.deactivated_at is None
    assert row.approval == Approval.APPROVED
    assert is_signed_in(admin)


def test_actions_need_a_csrf_token(app, admin, make_user):
    person = make_user("commissioner", approved=False)
    response = admin.post(f"/organiser/accounts/{person.id}/approve")
    assert response.status_code == 400
    assert "Your page had expired" in text(response)
    assert reload(app, person).approval == Approval.PENDING


@pytest.mark.parametrize("action", ["approve", "reject", "deactivate", "reactivate"])
def test_unknown_and_deleted_accounts_are_404(app, admin, make_user, action):
    from matchmaker.accounts import service

    gone = make_user()
    with app.app_context():
        service.erase(db.session.get(User, gone.id))
        db.session.commit()
    token = csrf_token(text(admin.get("/organiser/accounts")))
    for user_id in (gone.id, 999999):
        assert admin.get(f"/organiser/accounts/{user_id}").status_code == 404
        response = admin.post(f"/organiser/accounts/{user_id}/{action}", data={"csrf_token": token, "reason": "x"})
        assert response.status_code == 404
        assert "Page not found" in text(response)


def test_invite_organiser_refuses_an_address_in_use_and_keeps_the_form(app, admin, make_user):
    make_user(email="taken@example.org")
    page = text(admin.get("/organiser/organisers/new"))
    response = admin.post(
        "/organiser/organisers/new",
        data={"csrf_token": csrf_token(page), "name": "Owain Glyn", "email": "Taken@example.org", "language": "en"},
    )
    assert response.status_code == 200
    page = text(response)
    assert error_summary(page) == {"email": "An account with this email address already exists"}
    assert 'value="Owain Glyn"' in page
    empty = admin.post("/organiser/organisers/new", data={"csrf_token": csrf_token(page)})
    assert set(error_summary(text(empty))) >= {"name", "email"}
