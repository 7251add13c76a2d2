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


def test_privacy_notice_and_cookies_are_linked_from_every_footer_in_both_languages(app, client):
    for path in ("/", "/account/sign-in", "/no-such-page"):
        page = client.get(path).get_data(as_text=True)
        assert 'href="/privacy"' in page and 'href="/cookies"' in page, path
    old = {key: app.config[key] for key in ("DATA_CONTROLLER_NAME", "DATA_CONTROLLER_CONTACT", "OUTBOX_RETENTION_DAYS")}
    app.config.update(
        DATA_CONTROLLER_NAME="Bwrdd Iechyd Prawf", DATA_CONTROLLER_CONTACT="dpo@example.org", OUTBOX_RETENTION_DAYS=45
    )
    try:
        page = client.get("/privacy").get_data(as_text=True)
        assert "Bwrdd Iechyd Prawf" in page and "dpo@example.org" in page
        assert "The text of emails we send: 45 days after sending" in page
        assert 'href="/account/my-data"' in page and 'href="/account/delete"' in page
        assert "article 6(1)(f)" in page
        client.get("/language/cy")
        welsh = client.get("/privacy").get_data(as_text=True)
        assert "Hysbysiad preifatrwydd" in welsh and "45 diwrnod" in welsh and "dpo@example.org" in welsh
        cookies = client.get("/cookies").get_data(as_text=True)
        assert "Cwcis hanfodol" in cookies and '<td class="govuk-table__cell">session</td>' in cookies
    finally:
        app.config.update(old)
