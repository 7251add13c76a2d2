"""Every route is checked on the server: marked views, roles, approval, verification, other people's ids."""

from __future__ import annotations

import re

import pytest
from flask import Blueprint

from matchmaker.models import Role
from matchmaker.web.security import public, role_required
from tests.accounts.support import extra_app, quick_sign_in, signed_in_client, text
from tests.helpers import csrf_token

PARAM_RE = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")


def test_every_endpoint_is_marked_role_required_or_public(app):
    unmarked = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        if not view.__dict__.get("role_checked"):
            unmarked.append(f"{rule.rule} ({rule.endpoint})")
    assert unmarked == [], "views without role_required or public: " + ", ".join(unmarked)
    assert len(list(app.url_map.iter_rules())) > 20


def test_the_walk_would_catch_an_unmarked_view(app):
    """The check above is not vacuous: a view without a marker has no role_checked."""

    def unmarked() -> str:
        return "open"

    assert not unmarked.__dict__.get("role_checked")
    assert public(lambda: "x").__dict__["role_checked"]
    assert role_required()(lambda: "x").__dict__["role_checked"]


def organiser_rules(app):
    """(method, path) for every organiser route, with ids filled in."""
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("organiser."):
            continue
        path = PARAM_RE.sub("1", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, path


@pytest.mark.parametrize("role", ["creative", "commissioner", "link_worker"])
def test_every_organiser_route_is_403_for_other_roles(app, make_user, role):
    client = signed_in_client(app, make_user(role))
    token = csrf_token(text(client.get("/account/change-password")))
    checked = 0
    for method, path in organiser_rules(app):
        response = client.open(path, method=method, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == 403, f"{method} {path} gave {response.status_code}"
        assert "You do not have permission to see this page" in text(response)
        checked += 1
    assert checked >= 8


def test_every_organiser_route_sends_anonymous_people_to_sign_in(app, client):
    token = csrf_token(text(client.get("/account/sign-in")))
    for method, path in organiser_rules(app):
        response = client.open(path, method=method, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == 302, f"{method} {path} gave {response.status_code}"
        assert response.headers["Location"].startswith("/account/sign-in?next=")


def test_every_organiser_route_is_refused_to_an_unverified_or_deactivated_organiser(app, make_user):
    unverified = signed_in_client(app, make_user("organiser", verified=False))
    for method, path in organiser_rules(app):
        if method == "GET":
            assert unverified.get(path).headers["Location"] == "/account/verify-needed"


def test_every_account_page_needs_signing_in(app, client):
    public_endpoints = {
        "accounts.sign_up",
        "accounts.sign_in",
        "accounts.check_email",
        "accounts.verify_email",
        "accounts.forgot_password",
        "accounts.reset_sent",
        "accounts.reset_password",
        "accounts.confirm_email_change",
    }
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("accounts.") or rule.endpoint in public_endpoints:
            continue
        if "GET" not in rule.methods:
            continue
        response = client.get(PARAM_RE.sub("1", rule.rule))
        assert response.status_code == 302, rule.rule
        assert response.headers["Location"].startswith("/account/sign-in"), rule.rule


@pytest.fixture(scope="module")
def gated_app(app):
    """An app with one page for approved commissioners and link workers, as later features add."""
    with extra_app({"SECRET_KEY": app.config["SECRET_KEY"], "SERVER_NAME": None}) as gated:
        bp = Blueprint("gated", __name__)

        @bp.route("/gated/directory")
        @role_required(Role.COMMISSIONER, Role.LINK_WORKER)
        def directory() -> str:
            return "other people's details"

        gated.register_blueprint(bp)
        yield gated


@pytest.mark.parametrize("role", ["commissioner", "link_worker"])
def test_pending_accounts_are_sent_to_the_awaiting_approval_page(gated_app, make_user, role):
    client = gated_app.test_client()
    quick_sign_in(client, make_user(role, approved=False))
    response = client.get("/gated/directory")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/awaiting-approval"
    assert "other people" not in text(response)
    assert client.get("/account/awaiting-approval").status_code == 200


def test_approved_accounts_get_in_and_other_roles_do_not(gated_app, make_user):
    approved = gated_app.test_client()
    quick_sign_in(approved, make_user("commissioner"))
    assert text(approved.get("/gated/directory")) == "other people's details"
    creative = gated_app.test_client()
    quick_sign_in(creative, make_user("creative"))
    assert creative.get("/gated/directory").status_code == 403


def test_unverified_accounts_are_asked_to_confirm_first(gated_app, make_user):
    client = gated_app.test_client()
    quick_sign_in(client, make_user("commissioner", verified=False))
    assert client.get("/gated/directory").headers["Location"] == "/account/verify-needed"


def test_anonymous_people_are_asked_to_sign_in(gated_app):
    response = gated_app.test_client().get("/gated/directory?q=1")
    assert response.headers["Location"] == "/account/sign-in?next=/gated/directory?q%3D1"


def test_other_peoples_ids_give_404_not_data(app, make_user):
    admin = signed_in_client(app, make_user("organiser"))
    someone = make_user(name="Private Person")
    assert "Private Person" in text(admin.get(f"/organiser/accounts/{someone.id}"))
    creative = signed_in_client(app, make_user())
    response = creative.get(f"/organiser/accounts/{someone.id}")
    assert response.status_code == 403
    assert "Private Person" not in text(response)
    assert someone.email not in text(response)
    assert admin.get(f"/organiser/accounts/{someone.id + 1000}").status_code == 404
