"""`flask --app app mail ...`: mail that reaches the round mailbox (calendar answers), from a pipe or IMAP."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


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

    from matchmaker.invites.inbound import receive_from_pipe
    from matchmaker.invites.service import NotAnEmail

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

    from matchmaker.invites.inbound import poll_imap

    if not current_app.config.get("IMAP_URL"):
        click.echo("IMAP_URL is not set: there is no mailbox to read.", err=True)
        raise click.exceptions.Exit(2)
    counts = poll_imap()
    click.echo(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "nothing unread")
