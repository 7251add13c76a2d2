"""Organiser pages for accounts: the approval queue, deactivation, inviting organisers."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from matchmaker.accounts import service
from matchmaker.audit import service as audit
from matchmaker.extensions import db
from matchmaker.models import Approval, Role, User
from matchmaker.organiser.forms import NewOrganiserForm, RejectForm
from matchmaker.web.forms import ConfirmForm
from matchmaker.web.pagination import page_number
from matchmaker.web.security import organiser_only

bp = Blueprint("organiser", __name__, url_prefix="/organiser")
PAGE_SIZE = 50


def _user_or_404(user_id: int) -> User:
    """A live account by id."""
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        abort(404)
    return user


@bp.route("/accounts")
@organiser_only
def accounts() -> str:
    """Accounts waiting for approval first, then everyone, filterable by role and status."""
    status = request.args.get("status", "pending")
    role = request.args.get("role", "")
    search = request.args.get("q", "").strip()[:200]
    page = page_number(request.args.get("page"))
    query = select(User).where(User.deleted_at.is_(None))
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(or_(func.lower(User.name).like(pattern), func.lower(User.email).like(pattern)))
    if status in {a.value for a in Approval}:
        query = query.where(User.approval == Approval(status))
    elif status == "deactivated":
        query = query.where(User.deactivated_at.is_not(None))
    if role in {r.value for r in Role}:
        query = query.where(User.role == Role(role))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    users = db.session.scalars(
        query.order_by(User.created_at, User.id).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)
    ).all()
    pending = db.session.scalar(
        select(func.count()).select_from(User).where(User.approval == Approval.PENDING, User.deleted_at.is_(None))
    )
    return render_template(
        "organiser/accounts.html",
        users=users[:PAGE_SIZE],
        has_more=len(users) > PAGE_SIZE,
        page=page,
        total=total,
        status=status,
        role=role,
        q=search,
        pending=pending,
    )


@bp.route("/accounts/<int:user_id>")
@organiser_only
def account(user_id: int) -> str:
    """One account, with the actions an organiser can take."""
    user = _user_or_404(user_id)
    return render_template("organiser/account.html", user=user, form=ConfirmForm(), reject_form=RejectForm())


@bp.route("/accounts/<int:user_id>/approve", methods=["POST"])
@organiser_only
def approve(user_id: int) -> Response:
    """Approve a commissioner or link worker."""
    user = _user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.approve(user, current_user)
    audit.record(current_user, "account_approved", user)
    db.session.commit()
    flash(_("%(name)s has been approved.", name=user.name), "success")
    return redirect(url_for("organiser.accounts"))


@bp.route("/accounts/<int:user_id>/reject", methods=["POST"])
@organiser_only
def reject(user_id: int) -> Response | str:
    """Reject an account with a reason that is emailed to them."""
    user = _user_or_404(user_id)
    if user.id == current_user.id:
        abort(400)
    form = RejectForm()
    if not form.validate_on_submit():
        return render_template("organiser/account.html", user=user, form=ConfirmForm(), reject_form=form), 400  # type: ignore[return-value]
    service.reject(user, current_user, form.reason.data)
    audit.record(current_user, "account_rejected", user)
    db.session.commit()
    flash(_("%(name)s has been rejected and told why.", name=user.name), "success")
    return redirect(url_for("organiser.accounts"))


@bp.route("/accounts/<int:user_id>/deactivate", methods=["POST"])
@organiser_only
def deactivate(user_id: int) -> Response:
    """Stop an account signing in; its sessions end now."""
    user = _user_or_404(user_id)
    if user.id == current_user.id or not ConfirmForm().validate_on_submit():
        abort(400)
    service.deactivate(user)
    audit.record(current_user, "account_deactivated", user)
    db.session.commit()
    flash(_("%(name)s has been deactivated.", name=user.name), "success")
    return redirect(url_for("organiser.account", user_id=user.id))


@bp.route("/accounts/<int:user_id>/reactivate", methods=["POST"])
@organiser_only
def reactivate(user_id: int) -> Response:
    """Let a deactivated account sign in again."""
    user = _user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.reactivate(user)
    audit.record(current_user, "account_reactivated", user)
    db.session.commit()
    flash(_("%(name)s can sign in again.", name=user.name), "success")
    return redirect(url_for("organiser.account", user_id=user.id))


@bp.route("/organisers/new", methods=["GET", "POST"])
@organiser_only
def new_organiser() -> Response | str:
    """Invite another organiser; they choose their password from the emailed link."""
    form = NewOrganiserForm()
    if form.validate_on_submit():
        if service.find_by_email(form.email.data) is not None:
            form.email.errors = [_("An account with this email address already exists")]
        else:
            user = service.create_user(
                name=form.name.data,
                email=form.email.data,
                password=None,
                role=Role.ORGANISER,
                language=form.language.data,
            )
            service.send_organiser_invitation(user, current_user)
            audit.record(current_user, "organiser_invited", user)
            db.session.commit()
            flash(_("We have emailed %(name)s a link to set their password.", name=user.name), "success")
            return redirect(url_for("organiser.accounts", status="all", role="organiser"))
    return render_template("organiser/new_organiser.html", form=form)
