"""The organisers' outbox: every email the service queued, its delivery state, and retrying a failure."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from matchmaker.audit import service as audit
from matchmaker.extensions import db
from matchmaker.mail.delivery import retry_failed, write_now
from matchmaker.models import OutboxMessage, OutboxStatus
from matchmaker.web.forms import ConfirmForm
from matchmaker.web.pagination import page_number
from matchmaker.web.security import organiser_only

bp = Blueprint("mail", __name__, url_prefix="/organiser")
PAGE_SIZE = 50
PRIVATE_LINK_KEYS = ("verify:", "reset:", "invite:", "change-email:")


@bp.route("/outbox")
@organiser_only
def outbox() -> str:
    """Every email the service has queued, newest first, with its delivery state."""
    status = request.args.get("status", "")
    page = page_number(request.args.get("page"))
    search = request.args.get("q", "").strip()[:200]
    query = select(OutboxMessage)
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(
            or_(func.lower(OutboxMessage.to_address).like(pattern), func.lower(OutboxMessage.subject).like(pattern))
        )
    if status in {s.value for s in OutboxStatus}:
        query = query.where(OutboxMessage.status == OutboxStatus(status))
    messages = db.session.scalars(
        query.order_by(OutboxMessage.id.desc()).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)
    ).all()
    return render_template(
        "mail/outbox.html",
        messages=messages[:PAGE_SIZE],
        has_more=len(messages) > PAGE_SIZE,
        page=page,
        status=status,
        q=search,
    )


@bp.route("/outbox/<int:message_id>")
@organiser_only
def outbox_message(message_id: int) -> str:
    """One email as the recipient will see it, with its delivery history."""
    message = db.get_or_404(OutboxMessage, message_id)
    if message.render is not None and write_now(message.id) == "ok":  # queued by publishing, not yet written
        message = db.get_or_404(OutboxMessage, message_id)
    # Without a mail server the outbox is how people get their links (the demo); with one,
    # showing them would let any organiser take over any account.
    hidden = bool(current_app.config["MAIL_SERVER"]) and message.key.startswith(PRIVATE_LINK_KEYS)
    return render_template("mail/outbox_message.html", message=message, form=ConfirmForm(), hidden=hidden)


@bp.route("/outbox/<int:message_id>/retry", methods=["POST"])
@organiser_only
def outbox_retry(message_id: int) -> Response:
    """Try a failed message again."""
    message = db.get_or_404(OutboxMessage, message_id)
    if not ConfirmForm().validate_on_submit() or message.status != OutboxStatus.FAILED:
        abort(400)
    retry_failed(message)
    audit.record(current_user, "mail_retried", message)
    db.session.commit()
    flash(_("The message will be sent again."), "success")
    return redirect(url_for("mail.outbox_message", message_id=message.id))
