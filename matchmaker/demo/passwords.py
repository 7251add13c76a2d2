"""The demo accounts' shared password: three Welsh words and a number, made once and kept in instance/."""

from __future__ import annotations

import json
import secrets

from matchmaker.config import INSTANCE

WORDS = [
    "afon",
    "bryn",
    "coed",
    "derwen",
    "eira",
    "ffynnon",
    "glaw",
    "haul",
    "llyn",
    "mynydd",
    "nant",
    "ogof",
    "pant",
    "rhos",
    "seren",
    "tonnau",
]


def demo_password() -> str:
    """One password for the demo accounts, made on first load and kept in instance/."""
    path = INSTANCE / "demo-password.json"
    if path.exists():
        return json.loads(path.read_text())["password"]
    password = "-".join(secrets.choice(WORDS) for _ in range(3)) + f"-{secrets.randbelow(90) + 10}"
    INSTANCE.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"password": password}))
    path.chmod(0o600)
    return password
