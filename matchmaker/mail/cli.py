"""`flask --app app outbox ...`: look at and deliver the outbox from the command line."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import OutboxMessage, OutboxStatus


@click.group("outbox")
def outbox_cli() -> None:
    """The mail outbox."""


@outbox_cli.command("deliver")
@with_appcontext
def deliver_command() -> None:
    """Deliver every due message now (needs MAIL_SERVER)."""
    from matchmaker.mail.delivery import deliver_due, mail_enabled

    if not mail_enabled():
        click.echo("MAIL_SERVER is not set: mail stays in the outbox.", err=True)
        raise click.exceptions.Exit(2)
    counts = deliver_due()
    click.echo(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "nothing due")


@outbox_cli.command("status")
@with_appcontext
def status_command() -> None:
    """Count messages by status."""
    counts = dict(db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    for status in OutboxStatus:
        click.echo(f"{status.value}: {counts.get(status, 0)}")


@click.group("mail")
def mail_cli() -> None:
    """Mail that reaches the round mailbox."""


@mail_cli.command("receive")
@with_appcontext
def receive_command() -> None:
    """Read one email on standard input (an MTA pipe, fetchmail, procmail) and say what was done with it.

    Exit 0 when it was processed or deliberately ignored, 2 when the input is not an email.
    """
    import sys

    from flask import current_app

    from matchmaker.invites.service import NotAnEmail
    from matchmaker.mail.inbound import receive_from_pipe

    raw = sys.stdin.buffer.read()
    try:
        with current_app.test_request_context():
            line = receive_from_pipe(raw)
    except NotAnEmail as error:
        click.echo(f"not an email: {error}", err=True)
        raise click.exceptions.Exit(2) from None
    click.echo(line)


@mail_cli.command("poll")
@with_appcontext
def poll_command() -> None:
    """Read the IMAP mailbox now (what the job does every minute)."""
    from flask import current_app

    from matchmaker.mail.inbound import poll_imap

    if not current_app.config.get("IMAP_URL"):
        click.echo("IMAP_URL is not set: there is no mailbox to read.", err=True)
        raise click.exceptions.Exit(2)
    counts = poll_imap()
    click.echo(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "nothing unread")
