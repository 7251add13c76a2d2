"""Headers on every response, cookie flags, CSRF, and our own error pages (never a traceback)."""

from __future__ import annotations

import pytest
from flask import Blueprint

from matchmaker.web.security import public
from tests.accounts.support import extra_app, signed_in_client, text
from tests.helpers import PASSWORD


def assert_security_headers(response):
    """The headers every response must carry."""
    csp = response.headers["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split("; ")}
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize(
    "path",
    ["/", "/accessibility", "/account/sign-in", "/account/sign-up", "/no-such-page", "/healthz", "/language/cy"],
)
def test_security_headers_on_pages_errors_and_redirects(client, path):
    assert_security_headers(client.get(path))


def test_security_headers_on_signed_in_pages_and_posts(app, make_user):
    client = signed_in_client(app, make_user("organiser"))
    for path in ("/account/", "/organiser/accounts", "/organiser/outbox"):
        assert_security_headers(client.get(path))
    assert_security_headers(client.post("/account/sign-out"))  # refused: no CSRF token


def test_security_headers_on_static_files(client):
    response = client.get("/static/images/favicon.svg")
    assert response.status_code == 200
    assert_security_headers(response)


def test_pages_hold_no_inline_script(app, make_user):
    client = signed_in_client(app, make_user("organiser"))
    for path in ("/", "/account/", "/organiser/accounts", "/account/change-email", "/account/change-password"):
        page = text(client.get(path))
        for tag in page.split("<script")[1:]:
            assert tag.lstrip().startswith(("src=", 'type="module" src=')), f"inline script on {path}"
        assert " onclick=" not in page and " onload=" not in page
        assert "onpaste" not in page  # pasting passwords (from a password manager) is allowed


def test_session_cookie_is_httponly_and_samesite_lax(app, make_user, submit):
    user = make_user()
    response = submit("/account/sign-in", {"email": user.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def cookie_from(app_):
    """The Set-Cookie header an app sends with its sign-in page (which stores a CSRF token)."""
    response = app_.test_client().get("/account/sign-in")
    return response.headers["Set-Cookie"]


def test_cookies_are_secure_outside_development(app):
    with extra_app(env={"CYSWLLT_ENV": "production"}) as production:
        assert production.config["ENV_NAME"] == "production"
        cookie = cookie_from(production)
    assert "; Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_cookies_are_not_secure_in_development(app):
    with extra_app(env={"CYSWLLT_ENV": "development"}) as development:
        cookie = cookie_from(development)
    assert "Secure" not in cookie
    assert "HttpOnly" in cookie


def test_strict_transport_security_over_https(client):
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_a_post_without_a_csrf_token_gets_the_expired_page(client):
    response = client.post("/account/sign-in", data={"email": "a@example.org", "password": "whatever-it-is"})
    assert response.status_code == 400
    page = text(response)
    assert "Your page had expired" in page
    assert "CSRF" not in page and "Traceback" not in page
    assert_security_headers(response)


def test_a_csrf_token_from_another_session_is_refused(app, client):
    from tests.helpers import csrf_token

    other = app.test_client()
    token = csrf_token(text(other.get("/account/sign-in")))
    client.get("/account/sign-in")
    response = client.post("/account/sign-in", data={"csrf_token": token, "email": "a@example.org", "password": "x"})
    assert response.status_code == 400
    assert "Your page had expired" in text(response)


def test_404_and_405_are_our_pages(client):
    missing = client.get("/no/such/page")
    assert missing.status_code == 404
    assert "Page not found" in text(missing)
    assert 'class="govuk-template"' in text(missing)
    wrong_method = client.get("/account/sign-out")
    assert wrong_method.status_code == 405
    assert "Sorry, that action is not allowed here" in text(wrong_method)
    assert "POST" in wrong_method.headers["Allow"].split(", ")


def test_403_is_our_page(app, make_user):
    response = signed_in_client(app, make_user()).get("/organiser/accounts")
    assert response.status_code == 403
    assert "You do not have permission to see this page" in text(response)


def test_error_pages_follow_the_language(client):
    client.get("/language/cy")
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert '<html lang="cy"' in text(response)


@pytest.fixture(scope="module")
def broken_app(app):
    """An app with a page that raises, as a bug would."""
    with extra_app({"SECRET_KEY": app.config["SECRET_KEY"]}) as broken:
        bp = Blueprint("broken", __name__)

        @bp.route("/broken")
        @public
        def boom() -> str:
            raise RuntimeError("secret internals: password=hunter2")

        broken.register_blueprint(bp)
        yield broken


def test_an_unexpected_error_gives_our_500_page_and_no_traceback(broken_app, caplog):
    response = broken_app.test_client().get("/broken")
    assert response.status_code == 500
    page = text(response)
    assert "Sorry, there is a problem with the service" in page
    assert "Traceback" not in page and "RuntimeError" not in page and "hunter2" not in page
    assert_security_headers(response)
    assert any("unhandled error" in record.message for record in caplog.records)


def test_the_500_page_works_in_production_mode_too(app):
    with extra_app({"SECRET_KEY": app.config["SECRET_KEY"], "TESTING": False, "DEBUG": False}) as prod:
        bp = Blueprint("broken", __name__)

        @bp.route("/broken")
        @public
        def boom() -> str:
            raise ZeroDivisionError

        prod.register_blueprint(bp)
        response = prod.test_client().get("/broken")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in text(response)
