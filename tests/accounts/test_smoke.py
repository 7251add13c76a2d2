"""First checks that the site starts and the sign-up path works end to end."""

from tests.helpers import links_in


def test_home_page_renders_in_english_and_welsh(client):
    english = client.get("/")
    assert english.status_code == 200
    assert "Arts and health consultations in Wales" in english.get_data(as_text=True)
    client.get("/language/cy")
    welsh = client.get("/").get_data(as_text=True)
    assert 'lang="cy"' in welsh


def test_sign_up_sends_a_verification_link_that_confirms_the_address(client, submit, outbox):
    response = submit(
        "/account/sign-up",
        {
            "name": "Nia Tudur",
            "email": "Nia@Example.org",
            "password": "lantern-river-quietly-77",
            "role": "creative",
            "language": "en",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/check-your-email")
    messages = outbox("nia@example.org")
    assert [m.subject for m in messages] == ["Confirm your email address for Cyswllt"]
    link = links_in(messages[0].text_body)[0]
    assert client.get(link).status_code == 302
    signed_in = client.post  # noqa: F841  (kept simple: the sign-in test covers the rest)
