"""Pages for everyone: home, accessibility statement, language switch, health check."""

from __future__ import annotations

from tests.accounts.support import checked_value, signed_in_client, text


def test_home_accessibility_and_health_pages_open(client):
    assert client.get("/").status_code == 200
    page = text(client.get("/accessibility"))
    assert "<h1" in page
    health = client.get("/healthz")
    assert health.status_code == 200 and text(health) == "ok"


def test_every_page_has_a_language_switch_that_returns_to_the_page(client):
    page = text(client.get("/account/sign-in?next=/account/"))
    assert 'href="/language/cy?next=/account/sign-in?next%3D/account/"' in page
    response = client.get("/language/cy?next=/account/sign-in")
    assert response.headers["Location"] == "/account/sign-in"
    welsh = text(client.get("/account/sign-in"))
    assert '<html lang="cy"' in welsh
    assert 'href="/language/en?next=/account/sign-in"' in welsh
    client.get("/language/en")
    assert '<html lang="en"' in text(client.get("/"))


def test_the_browser_language_is_used_until_someone_chooses(client):
    assert '<html lang="cy"' in text(client.get("/", headers={"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"}))
    assert '<html lang="en"' in text(client.get("/", headers={"Accept-Language": "fr"}))
    client.get("/language/en")
    assert '<html lang="en"' in text(client.get("/", headers={"Accept-Language": "cy"}))


def test_sign_up_suggests_the_language_in_use(client):
    client.get("/language/cy")
    page = text(client.get("/account/sign-up"))
    assert checked_value(page, "language") == "cy"


def test_home_shows_next_steps_to_signed_in_people(app, make_user):
    pending = signed_in_client(app, make_user("commissioner", approved=False, name="Ceri Moelwyn"))
    page = text(pending.get("/"))
    assert "Ceri Moelwyn" in page
    assert "An organiser will check your account soon" in page
    organiser = signed_in_client(app, make_user("organiser"))
    assert "/organiser/accounts" in text(organiser.get("/"))
