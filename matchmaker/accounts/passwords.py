"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Does the password match the stored hash? False for accounts with no password."""
    if not stored_hash:
        # Spend the same time as a real check so timing does not reveal the account.
        _hasher.hash(password)
        return False
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Were these parameters weaker than today's? Then rehash at sign-in."""
    return _hasher.check_needs_rehash(stored_hash)


@cache
def _common_passwords() -> frozenset[str]:
    """The 20,000 most common passwords, lower-cased."""
    path = Path(__file__).parent / "data" / "common-passwords.txt.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip().lower() for line in handle if line.strip())


def is_common(password: str) -> bool:
    """A common password, or one with only digits or symbols added to one, or one repeated character."""
    lowered = password.lower()
    if len(set(lowered)) <= 2:
        return True
    stripped = re.sub(r"[\d\W_]+$", "", lowered)
    leading = re.sub(r"^[\d\W_]+", "", lowered)
    common = _common_passwords()
    return lowered in common or stripped in common or leading in common
