"""The production path: STARTTLS (certificate checked) and a login, against a real server."""

from __future__ import annotations

import ssl
import subprocess
from pathlib import Path

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.mail.smtp_server import SmtpServer

USER, SECRET = "cyswllt", "s3cret-pass"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
    """Accept only USER with SECRET."""
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        SECRET.encode(),
    )
    return AuthResult(success=ok, handled=False, auth_data=auth_data)


@pytest.fixture
def tls_server(certificate, monkeypatch):
    """An SMTP server that requires STARTTLS and a login; the client trusts its certificate."""
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    # ssl.create_default_context() in the client reads SSL_CERT_FILE: trust this certificate only.
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    server = SmtpServer().start(
        tls_context=context, require_starttls=True, authenticator=authenticate, auth_required=True
    )
    yield server
    server.stop()


def test_mail_goes_over_starttls_with_a_login(app, tls_server, use_mail_server, queue_message, outbox_row):
    use_mail_server(tls_server, MAIL_USE_STARTTLS=True, MAIL_USERNAME=USER, MAIL_PASSWORD=SECRET)
    message_id = queue_message(to_address="tls@example.org")
    assert outbox_row(message_id).status.value == "sent", outbox_row(message_id).last_error
    [received] = tls_server.received
    assert (received.tls, received.login, received.rcpt_tos) == (True, USER, ("tls@example.org",))


def test_a_wrong_password_is_retried_not_failed(app, tls_server, use_mail_server, queue_message, outbox_row):
    """A login refused is a setting to fix, not a reason to give up on the message."""
    use_mail_server(tls_server, MAIL_USE_STARTTLS=True, MAIL_USERNAME=USER, MAIL_PASSWORD="wrong")
    message_id = queue_message()
    row = outbox_row(message_id)
    assert (row.status.value, row.attempts) == ("queued", 1)
    assert "SMTPAuthenticationError" in row.last_error and "535" in row.last_error
    assert tls_server.transmissions == []


def test_without_starttls_a_server_that_requires_it_gets_nothing(
    app, tls_server, use_mail_server, queue_message, outbox_row
):
    """530 "STARTTLS first" is about our settings: the message waits for them to be fixed."""
    use_mail_server(tls_server, MAIL_USE_STARTTLS=False)
    message_id = queue_message()
    row = outbox_row(message_id)
    assert (row.status.value, row.attempts) == ("queued", 1)
    assert "530" in row.last_error
    assert tls_server.transmissions == []
