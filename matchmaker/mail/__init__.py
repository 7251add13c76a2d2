"""Email: every message is an outbox row first; a job delivers it over SMTP."""
