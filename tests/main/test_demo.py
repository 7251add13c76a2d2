"""`flask --app app demo load`: safe to run twice, and prints how to sign in."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from matchmaker.accounts.passwords import verify_password
from matchmaker.demo.cli import DEMO_ACCOUNTS
from matchmaker.extensions import db
from matchmaker.models import Approval, OutboxMessage, User


def counts(app):
    """How many users and outbox rows there are."""
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(User)),
            db.session.scalar(select(func.count()).select_from(OutboxMessage)),
        )


def test_demo_load_twice_creates_nothing_new_and_prints_the_sign_ins(app, runner):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    after_first = counts(app)
    assert after_first[0] >= len(DEMO_ACCOUNTS)
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0, second.output
    assert counts(app) == after_first
    assert "(0 new accounts)" in second.output
    password = re.search(r"password: (\S+)", second.output).group(1)
    assert len(password) >= 12
    for output in (first.output, second.output):
        assert "/account/sign-in" in output
        for email, *_ in DEMO_ACCOUNTS:
            assert email in output
        assert f"password: {password}" in output
    with app.app_context():
        for email, _name, role, language, approval in DEMO_ACCOUNTS:
            user = db.session.scalar(select(User).where(User.email == email))
            assert user.role == role and user.language == language and user.approval == approval
            assert user.email_verified_at is not None
        pending = db.session.scalar(select(User).where(User.approval == Approval.PENDING))
        assert pending is not None
        organiser = db.session.scalar(select(User).where(User.email == DEMO_ACCOUNTS[0][0]))
        assert verify_password(organiser.password_hash, password)
