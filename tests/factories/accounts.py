"""People: UserFactory(role="commissioner", approved=False, verified=True, language="cy")."""

from __future__ import annotations

from functools import cache
from typing import Any

import factory

from matchmaker.models import Approval, Role, User, utcnow
from tests.factories.base import BaseFactory
from tests.helpers import PASSWORD


@cache
def password_hash() -> str:
    """The argon2 hash of the tests' PASSWORD, made once per run (hashing is deliberately slow)."""
    from matchmaker.accounts.passwords import hash_password

    return hash_password(PASSWORD)


class UserFactory(BaseFactory):
    """An account that can sign in with PASSWORD: approved and verified unless told otherwise."""

    class Meta:
        model = User

    class Params:
        approved = True
        verified = True

    role = Role.CREATIVE
    name = factory.LazyAttributeSequence(lambda o, n: f"Test {Role(o.role).value} {n}")
    email = factory.LazyAttributeSequence(lambda o, n: f"{Role(o.role).value}-{n}@example.org")
    password_hash = factory.LazyFunction(password_hash)
    language = "en"
    email_verified_at = factory.LazyAttribute(lambda o: utcnow() if o.verified else None)
    approval = factory.LazyAttribute(lambda o: Approval.APPROVED if o.approved else Approval.PENDING)

    @classmethod
    def _adjust_kwargs(cls, **kwargs: Any) -> dict[str, Any]:
        kwargs["role"] = Role(kwargs["role"])
        return kwargs
