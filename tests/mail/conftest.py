"""Fixtures for these tests: a real SMTP server on loopback and outbox helpers."""

from tests.mail.smtp_server import (  # noqa: F401  (pytest finds fixtures by name)
    outbox_row,
    queue_message,
    set_row,
    smtp_down,
    smtp_server,
    use_mail_server,
)
