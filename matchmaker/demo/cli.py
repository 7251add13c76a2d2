"""`flask --app app demo load`: a fictional Wales to try the service with. Safe to run twice."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from matchmaker.accounts import service
from matchmaker.demo.passwords import demo_password
from matchmaker.demo.people import load_demo_people
from matchmaker.extensions import db
from matchmaker.models import Approval, Role, utcnow

DEMO_ACCOUNTS = [
    ("organiser@demo.example.org", "Siân Prydderch", Role.ORGANISER, "cy", Approval.APPROVED),
    ("creative@demo.example.org", "Gwilym Ffransis", Role.CREATIVE, "en", Approval.APPROVED),
    ("commissioner@demo.example.org", "Rhiannon Beynon", Role.COMMISSIONER, "en", Approval.APPROVED),
    ("linkworker@demo.example.org", "Dafydd Llwyd", Role.LINK_WORKER, "cy", Approval.APPROVED),
    ("pending@demo.example.org", "Ceri Moelwyn", Role.LINK_WORKER, "en", Approval.PENDING),
]


@click.group("demo")
def demo_cli() -> None:
    """Demo data."""


@demo_cli.command("load")
@with_appcontext
def load_command() -> None:
    """Load the demo accounts (and, once built, the demo round); print how to sign in."""
    from matchmaker.reference.service import seed_reference_data

    seed_reference_data()
    password = demo_password()
    password_hash: str | None = None  # hashed once: argon2 is slow on purpose
    created = 0
    for email, name, role, language, approval in DEMO_ACCOUNTS:
        if service.find_by_email(email) is not None:
            continue
        password_hash = password_hash or service.hash_password(password)
        user = service.create_user(name=name, email=email, password=None, role=role, language=language)
        user.password_hash = password_hash
        user.email_verified_at = utcnow()
        user.approval = approval
        created += 1
    db.session.commit()
    for loader in DEMO_LOADERS:
        loader()
    click.echo(
        f"Demo data ready ({created} new accounts). Sign in at {current_app.config['BASE_URL']}/account/sign-in with:"
    )
    for email, _name, role, _language, approval in DEMO_ACCOUNTS:
        note = " (waiting for approval)" if approval == Approval.PENDING else ""
        click.echo(f"  {role.value:<13} {email}  password: {password}{note}")


# Features add their demo data here (rounds, profiles, registrations); each must be idempotent.
# The people come first: later loaders (the demo round, registrations) build on them.
DEMO_LOADERS: list = [load_demo_people]


def _load_demo_round() -> None:
    """The demo round and its registrations (made after the demo people, whom it reads)."""
    from matchmaker.demo.round import demo_loader

    demo_loader()


DEMO_LOADERS.append(_load_demo_round)


def _load_demo_bookings() -> None:
    """A few bookings in the demo round (made after the round and its registrations)."""
    from matchmaker.demo.bookings import load_demo_bookings

    load_demo_bookings()


DEMO_LOADERS.append(_load_demo_bookings)


def _load_demo_outcomes() -> None:
    """Two past rounds with attendance and follow-ups, for the reach report (after the people)."""
    from matchmaker.demo.outcomes import load_demo_outcomes

    load_demo_outcomes()


DEMO_LOADERS.append(_load_demo_outcomes)
def _load_demo_listings() -> None:
    """Listings (feed opt-ins, a community group's open sessions, one stale organisation), after the people."""
    from matchmaker.demo.listings import load_demo_listings

    load_demo_listings()


DEMO_LOADERS.append(_load_demo_listings)
