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
from matchmaker.profiles.steps import Step, step_named, steps_for
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


def _stored() -> dict | None:
    """The unsaved profile of the signed-in person: {"user", "data": {question: [answers]}, "checking"}."""
    draft = saved.get(DRAFT)
    if not draft or draft.get("user") != current_user.id:
        return None
    return draft


def _draft() -> MultiDict | None:
    """The answers waiting to be checked, if they are this person's, as posted form data."""
    draft = _stored()
    if draft is None:
        return None
    return MultiDict([(key, value) for key, values in draft["data"].items() for value in values])


def _keep(names: list[str], *, checking: bool | None = None) -> dict:
    """Add what was posted for these questions to the draft on the server (valid or not: nothing is lost)."""
    draft = _stored() or {"user": current_user.id, "data": {}, "checking": False}
    draft["data"].update({name: request.form.getlist(name) for name in names})
    if checking is not None:
        draft["checking"] = checking
    saved[DRAFT] = draft
    return draft


def _draft_from_profile(profile: service.Profile) -> None:
    """Start the draft from the saved profile: its check page shows the current answers."""
    form = service.build_form(current_user, current_language(), formdata=None)
    service.prefill(form, profile)
    saved[DRAFT] = {"user": current_user.id, "data": service.answers_of(form), "checking": True}


def _step_fields(form: Any) -> list[Any]:
    """The step's questions in order; the two descriptions with the reader's own language first."""
    fields = [field for field in form if field.name not in ("csrf_token", "save")]
    if current_language() == "cy":
        names = [field.name for field in fields]
        if "description_en" in names and "description_cy" in names:
            en, cy = names.index("description_en"), names.index("description_cy")
            fields[en], fields[cy] = fields[cy], fields[en]
    return fields


def _render_step(step: Step, form: Any, checking: bool) -> str:
    """A step's page: its questions, kept answers and any errors."""
    steps = steps_for(current_user.role)
    index = steps.index(step)
    if checking:
        back = url_for("profiles.check")
    elif index:
        back = url_for("profiles.step", slug=steps[index - 1].slug)
    else:
        back = url_for("profiles.show")
    return render_template(
        "profiles/step.html",
        form=form,
        fields=_step_fields(form),
        step=step,
        number=index + 1,
        total=len(steps),
        back=back,
        profile=service.profile_for(current_user),
    )


def _first_failing_step(formdata: MultiDict) -> tuple[Step, Any] | None:
    """The first step whose answers in this form data do not pass, built with its errors."""
    for step in steps_for(current_user.role):
        form = service.build_form(current_user, current_language(), step, formdata=formdata, meta={"csrf": False})
        if not form.validate():
            shown = service.build_form(current_user, current_language(), step, formdata=formdata)
            shown.validate()
            shown.csrf_token.errors = []
            return step, shown
    return None


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
    """Start (or go on with) the profile: the first step, or check your answers when there is a profile.

    ?step=<slug> goes straight to that step (the Change links on the profile page). Every answer at
    once may also be posted here (a form without steps): kept, then checked as a whole.
    """
    if request.method == "POST":
        form = service.build_form(current_user, current_language())
        draft = _keep([name for name in form._fields if name not in ("csrf_token", "save")])
        if form.validate_on_submit():
            return redirect(url_for("profiles.check"))
        failing = _first_failing_step(request.form)  # CSRFProtect has checked the token before this view
        if failing is None:
            return redirect(url_for("profiles.check"))
        return _render_step(*failing, checking=bool(draft.get("checking")))
    back_to = request.args.get("next", "")
    if back_to.startswith("/") and not back_to.startswith("//") and "\\" not in back_to:
        session[NEXT] = back_to
    profile = service.profile_for(current_user)
    wanted = step_named(current_user.role, request.args.get("step", ""))
    if profile is not None and not (request.args.get("draft") and _stored() is not None):
        _draft_from_profile(profile)  # a fresh edit starts from what is saved
    if wanted is not None:
        return redirect(url_for("profiles.step", slug=wanted.slug))
    draft = _stored()
    if draft is not None and draft.get("checking"):
        return redirect(url_for("profiles.check"))
    return redirect(url_for("profiles.step", slug=steps_for(current_user.role)[0].slug))


@bp.route("/edit/<slug>", methods=["GET", "POST"])
@with_profile
def step(slug: str) -> Response | str:
    """One short step: answers kept on the server whatever happens, then the next step or the check page."""
    this = step_named(current_user.role, slug)
    if this is None:
        abort(404)
    if _stored() is None and (profile := service.profile_for(current_user)) is not None:
        _draft_from_profile(profile)
    if request.method == "POST":
        form = service.build_form(current_user, current_language(), this)
        draft = _keep(this.field_names(form))
        checking = bool(draft.get("checking"))
        if not form.validate_on_submit():
            return _render_step(this, form, checking)
        steps = steps_for(current_user.role)
        index = steps.index(this)
        if checking or index + 1 == len(steps):
            return redirect(url_for("profiles.check"))
        return redirect(url_for("profiles.step", slug=steps[index + 1].slug))
    draft = _draft()
    form = service.build_form(current_user, current_language(), this, formdata=None)
    if draft is not None and any(name in draft for name in this.field_names(form)):
        form = service.build_form(current_user, current_language(), this, formdata=draft)
    stored = _stored()
    return _render_step(this, form, bool(stored and stored.get("checking")))


@bp.route("/check", methods=["GET", "POST"])
@with_profile
def check() -> Response | str:
    """Check your answers, with Change links back to each step; "Save profile" saves them."""
    draft = _draft()
    if draft is None:
        flash(_("Fill in your profile first."), "info")
        return redirect(url_for("profiles.edit"))
    failing = _first_failing_step(draft)
    if failing is not None:
        # A step not yet answered, or the choices changed since (an organiser hid a condition, say).
        step_, shown = failing
        return _render_step(step_, shown, checking=bool((_stored() or {}).get("checking")))
    stored = _stored()
    if stored is not None and not stored.get("checking"):
        stored["checking"] = True  # from now on each step returns here
        saved[DRAFT] = stored
    form = service.build_form(current_user, current_language(), formdata=draft, meta={"csrf": False})
    if not form.validate():  # every step passes on its own, so this is a safeguard only
        abort(400)
    confirm = ConfirmForm()
    if request.method == "POST":
        if not confirm.validate_on_submit():
            abort(400)
        service.save(current_user, form)
        db.session.commit()
        saved.pop(DRAFT, None)
        flash(_("Your profile has been saved."), "success")
        return redirect(session.pop(NEXT, None) or url_for("profiles.show"))
    last = steps_for(current_user.role)[-1]
    back = url_for("profiles.show") if service.profile_for(current_user) else url_for("profiles.step", slug=last.slug)
    return render_template("profiles/check.html", rows=service.summary(form), confirm=confirm, back=back)


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
