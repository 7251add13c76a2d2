"""Account logic the routes and the CLI call: create, authenticate, approve, export, erase."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from blinker import Namespace
from flask import current_app
from sqlalchemy import delete, func, select

from matchmaker.accounts import tokens
from matchmaker.accounts.passwords import hash_password, needs_rehash, verify_password
from matchmaker.audit import service as audit
from matchmaker.extensions import db
from matchmaker.mail.service import queue_templated_email, redact_names
from matchmaker.models import ROLES_NEEDING_APPROVAL_VALUES, Approval, OutboxMessage, Role, User, utcnow
from matchmaker.saved_answers import service as saved_answers
from matchmaker.web.urls import external_url

# Features add what they hold about a person: exporters return a JSON-able dict section,
# erasers remove or anonymise the person's rows. Both run in the caller's transaction.
EXPORTERS: list[Callable[[User], dict[str, Any]]] = []
ERASERS: list[Callable[[User], None]] = []
# Names that identify the person in text written for others (an organisation, an employer),
# taken out of stored emails when the account is erased.
IDENTIFIERS: list[Callable[[User], list[str]]] = []

# Sent with the user when an account is deactivated or rejected, in the caller's transaction:
# features above accounts connect to it (invites keeps the person out of their sessions).
account_closed = Namespace().signal("account-closed")


def register_personal_data(
    exporter: Callable[[User], dict[str, Any]],
    eraser: Callable[[User], None],
    identifiers: Callable[[User], list[str]] | None = None,
) -> None:
    """Let a feature contribute to "download my data" and "delete my account"."""
    EXPORTERS.append(exporter)
    ERASERS.append(eraser)
    if identifiers is not None:
        IDENTIFIERS.append(identifiers)


def normalise_email(email: str) -> str:
    """Trim and lower-case an address for storage and lookup."""
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    """The live account with this address, if any."""
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def load_user(user_id: str) -> User | None:
    """Flask-Login loader: 'id:token'; a stale token (signed out elsewhere) loads nobody."""
    raw_id, _, token = user_id.partition(":")
    if not raw_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not hmac.compare_digest(user.session_token.encode(), token.encode()) or not user.is_active:
        return None
    return user


def create_user(*, name: str, email: str, password: str | None, role: Role, language: str, flush: bool = True) -> User:
    """A new account; commissioners and link workers start pending approval.

    flush=False leaves the INSERT to the caller's next flush (many accounts at once, in one batch)."""
    user = User(
        name=name.strip(),
        email=normalise_email(email),
        password_hash=hash_password(password) if password else None,
        role=role,
        language=language,
        approval=Approval.PENDING if role.value in ROLES_NEEDING_APPROVAL_VALUES else Approval.APPROVED,
    )
    db.session.add(user)
    if flush:
        db.session.flush()
    return user


def send_verification(user: User) -> None:
    """Email a link that confirms the address."""
    token = tokens.make_token(tokens.VERIFY, user, e=user.email)
    # Tokens made in the same second are identical, so the key needs its own nonce: a resend
    # a moment after sign-up is a new message, not a duplicate.
    queue_templated_email(
        "verify_email",
        key=f"verify:{user.id}:{secrets.token_hex(8)}",
        user=user,
        link=external_url("accounts.verify_email", token=token),
    )


SIGN_UP_NOTICE_INTERVAL = timedelta(hours=1)


def send_sign_up_attempt_notice(user: User) -> None:
    """Someone tried to sign up with an address that has an account: tell its owner, at most once an hour."""
    since = utcnow() - SIGN_UP_NOTICE_INTERVAL
    recent = db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(
            OutboxMessage.user_id == user.id,
            OutboxMessage.key.startswith(f"signup-existing:{user.id}:"),
            OutboxMessage.created_at >= since,
        )
    )
    if recent:
        return
    queue_templated_email(
        "sign_up_existing",
        key=f"signup-existing:{user.id}:{utcnow().timestamp()}",
        user=user,
        sign_in=external_url("accounts.sign_in"),
        reset=external_url("accounts.forgot_password"),
    )


def send_password_reset(user: User) -> None:
    """Email a single-use, expiring reset link."""
    token = tokens.make_token(tokens.RESET, user)
    # Two requests in one second make the same token: a nonce keeps the second email from being dropped.
    queue_templated_email(
        "reset_password",
        key=f"reset:{user.id}:{secrets.token_hex(8)}",
        user=user,
        link=external_url("accounts.reset_password", token=token),
        hours=current_app.config["RESET_MAX_AGE_SECONDS"] // 3600 or 1,
    )


def send_organiser_invitation(user: User, invited_by: User) -> None:
    """Email a new organiser a link to choose a password."""
    token = tokens.make_token(tokens.RESET, user, invite=True)
    queue_templated_email(
        "organiser_invitation",
        key=f"invite:{user.id}:{token[-16:]}",
        user=user,
        invited_by=invited_by,
        link=external_url("accounts.reset_password", token=token),
    )


def claim_link(user: User) -> str:
    """A link for someone whose account was made for them (a bulk import) to choose a password and claim it;
    it lives as long as an organiser's invitation (TOKEN_MAX_AGE_SECONDS)."""
    return external_url("accounts.reset_password", token=tokens.make_token(tokens.RESET, user, invite=True))


def authenticate(email: str, password: str) -> User | None:
    """The user if the password is right (rehashing old parameters), else None."""
    user = find_by_email(email)
    if user is None:
        verify_password(None, password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def set_password(user: User, password: str) -> None:
    """Change the password and sign the user out everywhere."""
    user.password_hash = hash_password(password)
    user.end_all_sessions()


def approve(user: User, organiser: User) -> None:
    """Let a commissioner or link worker see other people's details, and tell them."""
    user.approval = Approval.APPROVED
    user.approval_decided_at = utcnow()
    user.approval_decided_by_id = organiser.id
    user.rejection_reason = None
    queue_templated_email(
        "account_approved",
        key=f"approved:{user.id}:{utcnow().timestamp()}",
        user=user,
        link=external_url("main.home"),
    )


def reject(user: User, organiser: User, reason: str) -> None:
    """Refuse an account with a reason that is emailed to the person; their sessions end."""
    user.approval = Approval.REJECTED
    user.approval_decided_at = utcnow()
    user.approval_decided_by_id = organiser.id
    user.rejection_reason = reason.strip()
    user.end_all_sessions()
    account_closed.send(user)
    queue_templated_email(
        "account_rejected", key=f"rejected:{user.id}:{utcnow().timestamp()}", user=user, reason=user.rejection_reason
    )


def deactivate(user: User) -> None:
    """Stop an account signing in, and end its sessions now."""
    user.deactivated_at = utcnow()
    user.end_all_sessions()
    account_closed.send(user)


def reactivate(user: User) -> None:
    """Let a deactivated account sign in again."""
    user.deactivated_at = None


def export_data(user: User) -> dict[str, Any]:
    """Everything held about this person, as JSON-able data."""
    data: dict[str, Any] = {
        "account": {
            "id": user.id,
            "name": user.name,
            "email": user.email,
            "pending_email": user.pending_email,
            "role": user.role.value,
            "language": user.language,
            "email_verified_at": _iso(user.email_verified_at),
            "approval": user.approval.value,
            "approval_decided_at": _iso(user.approval_decided_at),
            "rejection_reason": user.rejection_reason,
            "deactivated_at": _iso(user.deactivated_at),
            "last_sign_in_at": _iso(user.last_sign_in_at),
            "created_at": _iso(user.created_at),
        },
        "emails": [
            {
                "subject": m.subject,
                "to": m.to_address,
                "status": m.status.value,
                "created_at": _iso(m.created_at),
                "sent_at": _iso(m.sent_at),
                "text": m.text_body,
            }
            for m in db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.user_id == user.id).order_by(OutboxMessage.id)
            )
        ],
    }
    for exporter in EXPORTERS:
        data.update(exporter(user))
    return data


def erase(user: User) -> None:
    """Delete my account: erase personal data; keep an anonymous row so others' records hold.

    Emails to others that name the person (invitations list who else is coming) keep their
    rows, with the name and organisation replaced by "Deleted user".
    """
    names = [user.stored_name, *(name for identify in IDENTIFIERS for name in identify(user))]
    for eraser in ERASERS:
        eraser(user)
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.user_id == user.id))
    redact_names(names)
    audit.forget_addresses(user)
    saved_answers.forget(user)
    user.name = "Deleted user"
    user.email = None
    user.pending_email = None
    user.password_hash = None
    user.rejection_reason = None
    user.last_sign_in_at = None
    user.deleted_at = utcnow()
    user.end_all_sessions()


def _iso(value: Any) -> str | None:
    """ISO 8601 for a datetime, or None."""
    return value.isoformat() if value is not None else None
