"""Profile pages: your profile, the form, check your answers, and viewing a profile by id."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from matchmaker.extensions import db
from matchmaker.models import CommissionerProfile, CreativeProfile, LinkWorkerProfile, Role, User
from matchmaker.profiles import impact as impact_page
from matchmaker.profiles import service
from matchmaker.saved_answers.service import saved
from matchmaker.web.forms import ConfirmForm
from matchmaker.web.i18n import current_language
from matchmaker.web.security import role_required

bp = Blueprint("profiles", __name__, url_prefix="/profile")
service.register()

with_profile = role_required(Role.CREATIVE, Role.COMMISSIONER, Role.LINK_WORKER, approved=False)
DRAFT = "profile_draft"
NEXT = "profile_next"  # where to go once the profile is saved (a request that needed it, say)
KINDS: dict[str, type[service.Profile]] = {
    "creative": CreativeProfile,
    "commissioner": CommissionerProfile,
    "link-worker": LinkWorkerProfile,
}


def _draft() -> MultiDict | None:
    """The answers waiting to be checked, if they are this person's."""
    draft = saved.get(DRAFT)
    if not draft or draft.get("user") != current_user.id:
        return None
    return MultiDict([(key, value) for key, values in draft["data"].items() for value in values])


def _keep_draft(form: service.ProfileForm) -> None:
    """Hold the validated answers on the server (not in the cookie) until they are saved."""
    names = [name for name in form._fields if name not in ("csrf_token", "save")]
    saved[DRAFT] = {"user": current_user.id, "data": {name: request.form.getlist(name) for name in names}}


@bp.app_context_processor
def profile_helpers() -> dict[str, Any]:
    """needs_profile(): should the signed-in person be asked to create a profile?"""

    def needs_profile() -> bool:
        user = current_user
        if not user.is_authenticated or service.profile_model(user.role) is None:
            return False
        return service.profile_for(user) is None

    return {"needs_profile": needs_profile}


@bp.route("")
@with_profile
def show() -> str:
    """Your profile, or a start page if you have not made one yet."""
    profile = service.profile_for(current_user)
    rows = None
    if profile is not None:
        form = service.build_form(current_user, current_language(), formdata=None)
        service.prefill(form, profile)
        rows = service.summary(form)
    return render_template("profiles/show.html", profile=profile, rows=rows, owner=current_user)


@bp.route("/edit", methods=["GET", "POST"])
@with_profile
def edit() -> Response | str:
    """The role's form: answers kept on errors, then on to check your answers."""
    if request.method == "POST":
        form = service.build_form(current_user, current_language())
        if form.validate_on_submit():
            _keep_draft(form)
            return redirect(url_for("profiles.check"))
        return render_template("profiles/edit.html", form=form, profile=service.profile_for(current_user))
    back_to = request.args.get("next", "")
    if back_to.startswith("/") and not back_to.startswith("//") and "\\" not in back_to:
        session[NEXT] = back_to
    draft = _draft() if request.args.get("draft") else None
    if draft is not None:
        form = service.build_form(current_user, current_language(), formdata=draft)
    else:
        saved.pop(DRAFT, None)
        form = service.build_form(current_user, current_language(), formdata=None)
        profile = service.profile_for(current_user)
        if profile is not None:
            service.prefill(form, profile)
    return render_template("profiles/edit.html", form=form, profile=service.profile_for(current_user))


@bp.route("/check", methods=["GET", "POST"])
@with_profile
def check() -> Response | str:
    """Check your answers, with Change links back to the form; "Save profile" saves them."""
    draft = _draft()
    if draft is None:
        flash(_("Fill in your profile first."), "info")
        return redirect(url_for("profiles.edit"))
    form = service.build_form(current_user, current_language(), formdata=draft, meta={"csrf": False})
    if not form.validate():
        # The choices changed since (an organiser hid a condition, say): show the form and why.
        shown = service.build_form(current_user, current_language(), formdata=draft)
        shown.validate()
        shown.csrf_token.errors = []
        return render_template("profiles/edit.html", form=shown, profile=service.profile_for(current_user))
    confirm = ConfirmForm()
    if request.method == "POST":
        if not confirm.validate_on_submit():
            abort(400)
        service.save(current_user, form)
        db.session.commit()
        saved.pop(DRAFT, None)
        flash(_("Your profile has been saved."), "success")
        return redirect(session.pop(NEXT, None) or url_for("profiles.show"))
    return render_template("profiles/check.html", rows=service.summary(form), confirm=confirm)


@bp.route("/<kind>/<int:profile_id>")
@role_required(approved=False)
def view(kind: str, profile_id: int) -> str:
    """A profile by id: its owner and organisers only; anyone else is told it does not exist."""
    model = KINDS.get(kind)
    profile = db.session.get(model, profile_id) if model else None
    if profile is None or (profile.user_id != current_user.id and not current_user.is_organiser):
        abort(404)
    owner = db.session.get(User, profile.user_id)
    if owner is None or owner.deleted_at is not None:
        abort(404)
    form = service.build_form(owner, current_language(), formdata=None)
    service.prefill(form, profile)
    return render_template("profiles/show.html", profile=profile, rows=service.summary(form), owner=owner)


@bp.route("/impact", methods=["GET", "POST"])
@role_required(Role.CREATIVE, approved=False)
def impact() -> Response | str:
    """How your organisation evidences its impact (optional; shown in the directory)."""
    profile = service.profile_for(current_user)
    if not isinstance(profile, CreativeProfile):
        flash(_("Create your profile first: then you can say how you evidence your impact."), "info")
        return redirect(url_for("profiles.show"))
    form = impact_page.form_for(profile)
    if form.validate_on_submit():
        impact_page.save(profile, form)
        db.session.commit()
        flash(_("Saved how you evidence your impact."), "success")
        return redirect(url_for("profiles.show") + "#impact")
    return render_template("profiles/impact.html", form=form)
