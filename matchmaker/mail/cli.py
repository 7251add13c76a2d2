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
