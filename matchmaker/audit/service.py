"""Recording and reading audit events; features call record() in the transaction of the change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select, update

from matchmaker.extensions import db
from matchmaker.models import AuditEvent, User

# Every action recorded, with its name for people (the page, the CSV and the filter use these).
ACTIONS: dict[str, Any] = {
    "sign_in": _l("Signed in"),
    "password_changed": _l("Changed their password"),
    "password_reset": _l("Reset their password from an emailed link"),
    "account_approved": _l("Approved an account"),
    "account_rejected": _l("Rejected an account"),
    "account_deactivated": _l("Deactivated an account"),
    "account_reactivated": _l("Reactivated an account"),
    "organiser_invited": _l("Invited an organiser"),
    "account_erased": _l("Deleted their account"),
    "draft_published": _l("Published a draft"),
    "draft_adjusted": _l("Adjusted a draft"),
    "draft_override": _l("Added someone to a draft session against a rule"),
    "session_cancelled": _l("Cancelled a session"),
    "reference_edited": _l("Edited reference data"),
    "reference_added": _l("Added reference data"),
    "mail_retried": _l("Retried a failed email"),
    "attendance_marked": _l("Marked who came to a session"),
    "reach_exported": _l("Exported the reach and outcomes report"),
    "feed_opted_in": _l("Joined the Open Referral feed"),
    "feed_opted_out": _l("Left the Open Referral feed"),
}
TARGETS: dict[str, Any] = {
    "users": _l("Account"),
    "match_drafts": _l("Draft"),
    "consultation_sessions": _l("Session"),
    "conditions": _l("Condition"),
    "art_forms": _l("Art form"),
    "health_boards": _l("Health board"),
    "outbox_messages": _l("Email"),
    "listings": _l("Organisation listing"),
}
PAGE_SIZE = 50


def record(actor: User | None, action: str, target: Any = None, detail: dict[str, Any] | None = None) -> AuditEvent:
    """Add one event to the current transaction (it is kept only if the change it describes commits)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=getattr(target, "__tablename__", None),
        target_id=getattr(target, "id", None),
        detail=detail or {},
        ip_address=(request.remote_addr or "")[:45] or None if has_request_context() else None,
    )
    db.session.add(event)
    return event


def forget_addresses(user: User) -> None:
    """On erasure: the events stay (the account row shows "Deleted user"); the addresses they came from go."""
    db.session.execute(update(AuditEvent).where(AuditEvent.actor_id == user.id).values(ip_address=None))


@dataclass
class Filters:
    """What the organiser filtered on; None means any."""

    action: str | None = None
    actor: int | None = None


def _query(filters: Filters) -> Select[Any]:
    """Events matching the filters, newest first."""
    query = select(AuditEvent)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.actor is not None:
        query = query.where(AuditEvent.actor_id == filters.actor)
    return query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())


def page_of(filters: Filters, page: int) -> tuple[list[AuditEvent], int, int]:
    """One page of events, that page's number (within range) and the number of pages."""
    total = db.session.scalar(select(func.count()).select_from(_query(filters).order_by(None).subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    events = db.session.scalars(_query(filters).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return list(events), page, pages


def all_of(filters: Filters, limit: int = 100_000) -> list[AuditEvent]:
    """Every matching event (for the CSV), newest first."""
    return list(db.session.scalars(_query(filters).limit(limit)))


def actors() -> list[User]:
    """People who appear as actors, for the filter."""
    ids = select(AuditEvent.actor_id).where(AuditEvent.actor_id.is_not(None)).distinct()
    return list(db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)))


def target_label(event: AuditEvent) -> str:
    """'Account 12', 'Draft 3'... in the current language."""
    if not event.target_type:
        return ""
    kind = TARGETS.get(event.target_type, event.target_type)
    return f"{kind} {event.target_id}" if event.target_id is not None else str(kind)
