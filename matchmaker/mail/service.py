"""The mail feature's front door for other features: queue an email in the caller's transaction (or many,
written at delivery by a registered renderer: queue_deferred), retry a
failure, take an erased person's name out of stored emails."""

from matchmaker.mail.build import calendar_filename
from matchmaker.mail.delivery import retry_failed
from matchmaker.mail.outbox import (
    queue_deferred,
    queue_email,
    queue_templated_email,
    queue_templated_emails,
    renderer,
)
from matchmaker.mail.redact import redact_names

__all__ = [
    "calendar_filename",
    "queue_deferred",
    "queue_email",
    "queue_templated_email",
    "queue_templated_emails",
    "redact_names",
    "renderer",
    "retry_failed",
]
