"""All models, importable from one place (Alembic and the app import this)."""

from matchmaker.models.accounts import ROLES_NEEDING_APPROVAL_VALUES, Approval, Role, User
from matchmaker.models.base import Base, UTCDateTime, utcnow
from matchmaker.models.outbox import OutboxMessage, OutboxStatus

__all__ = [
    "ROLES_NEEDING_APPROVAL_VALUES",
    "Approval",
    "Base",
    "OutboxMessage",
    "OutboxStatus",
    "Role",
    "User",
    "UTCDateTime",
    "utcnow",
]
