"""`flask --app app users ...`: make the first organiser from the command line."""

from __future__ import annotations

import sys

import click
from email_validator import EmailNotValidError, validate_email
from flask.cli import with_appcontext

from matchmaker.accounts import service
from matchmaker.accounts.passwords import MIN_LENGTH, is_common
from matchmaker.extensions import db
from matchmaker.models import Approval, Role, utcnow


def _is_email(value: str) -> bool:
    """The same address check the web forms use (syntax only, no DNS)."""
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


@click.group("users")
def users_cli() -> None:
    """Accounts."""


@users_cli.command("create-organiser")
@click.argument("email")
@click.option("--name", default=None, help="Full name (asked for if not given).")
@click.option("--language", type=click.Choice(["en", "cy"]), default="en", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_organiser(email: str, name: str | None, language: str, password_stdin: bool) -> None:
    """Create an organiser account for EMAIL (asks for the password, or reads it with --password-stdin)."""
    problems: list[str] = []
    email = service.normalise_email(email)
    if not _is_email(email):
        problems.append(f"email: {email!r} is not an email address")
    elif service.find_by_email(email) is not None:
        problems.append(f"email: an account with {email} already exists")
    if name is None:
        name = click.prompt("Full name") if sys.stdin.isatty() else ""
    if not name.strip():
        problems.append("--name: give the organiser's full name")
    elif len(name.strip()) > 200:
        problems.append("--name: must be 200 characters or fewer")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = ""
        problems.append("password: no terminal to ask on; pipe it in with --password-stdin")
    if password_stdin and not password:
        problems.append("password: nothing was read from standard input")
    if password and len(password) < MIN_LENGTH:
        problems.append(f"password: must be {MIN_LENGTH} characters or more")
    elif password and is_common(password):
        problems.append("password: too easy to guess; choose a longer or less common one")
    if problems:
        for problem in problems:
            click.echo(problem, err=True)
        raise SystemExit(2)
    user = service.create_user(name=name, email=email, password=password, role=Role.ORGANISER, language=language)
    user.email_verified_at = utcnow()
    user.approval = Approval.APPROVED
    db.session.commit()
    click.echo(f"Organiser {email} created.")
