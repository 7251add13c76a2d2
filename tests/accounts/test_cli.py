"""`flask --app app users create-organiser EMAIL`: the first organiser, and clear refusals."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from matchmaker.accounts.passwords import verify_password
from matchmaker.extensions import db
from matchmaker.models import Approval, Role, User

ROOT = Path(__file__).resolve().parents[2]
GOOD = "lantern-river-quietly-77"


def create(runner, *args, password="", **kwargs):
    """Run the command with the password on standard input."""
    return runner.invoke(args=["users", "create-organiser", *args, "--password-stdin"], input=password + "\n", **kwargs)


def test_create_organiser_makes_a_verified_approved_organiser(app, runner):
    result = create(runner, "First@Example.org", "--name", "Siân Prydderch", "--language", "cy", password=GOOD)
    assert result.exit_code == 0, result.output
    assert "Organiser first@example.org created." in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "first@example.org"))
        assert user.role == Role.ORGANISER
        assert user.approval == Approval.APPROVED
        assert user.email_verified_at is not None
        assert user.name == "Siân Prydderch"
        assert user.language == "cy"
        assert user.password_hash.startswith("$argon2id$")
        assert verify_password(user.password_hash, GOOD)


@pytest.mark.parametrize(
    ("args", "password", "expected"),
    [
        (["not-an-email", "--name", "A Person"], GOOD, ["email: 'not-an-email' is not an email address"]),
        (["a@b", "--name", "A Person"], GOOD, ["email: 'a@b' is not an email address"]),
        (
            ["taken@example.org", "--name", "A Person"],
            GOOD,
            ["email: an account with taken@example.org already exists"],
        ),
        (["new@example.org", "--name", "A Person"], "short", ["password: must be 12 characters or more"]),
        (
            ["new@example.org", "--name", "A Person"],
            "password1234",
            ["password: too easy to guess; choose a longer or less common one"],
        ),
        (["new@example.org", "--name", "A Person"], "", ["password: nothing was read from standard input"]),
        (["new@example.org", "--name", "   "], GOOD, ["--name: give the organiser's full name"]),
        (["new@example.org"], GOOD, ["--name: give the organiser's full name"]),
        (
            ["bad", "--name", ""],
            "short",
            [
                "email: 'bad' is not an email address",
                "--name: give the organiser's full name",
                "password: must be 12 characters or more",
            ],
        ),
    ],
)
def test_bad_input_exits_2_with_one_line_per_problem(app, runner, make_user, args, password, expected):
    make_user(email="taken@example.org")
    result = create(runner, *args, password=password)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == expected
    assert "Traceback" not in result.output
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(User)) == 1


def test_the_real_command_line(app, database_url):
    """Through `flask --app app` in a fresh process: success, then the same address refused."""
    env = {**os.environ, "DATABASE_URL": database_url}
    command = [sys.executable, "-m", "flask", "--app", "app", "users", "create-organiser"]
    ok = subprocess.run(
        [*command, "cli@example.org", "--name", "Cli Person", "--password-stdin"],
        input=GOOD + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    again = subprocess.run(
        [*command, "cli@example.org", "--password-stdin"],
        input="short\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert again.returncode == 2
    assert again.stderr.splitlines() == [
        "email: an account with cli@example.org already exists",
        "--name: give the organiser's full name",
        "password: must be 12 characters or more",
    ]
    assert "Traceback" not in again.stderr
