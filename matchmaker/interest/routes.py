"""Registering interest in a round: the form, check your answers, my registration."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from matchmaker.accounts.service import register_personal_data
from matchmaker.extensions import db
from matchmaker.interest import service
from matchmaker.interest.forms import InterestForm
from matchmaker.models import Round
from matchmaker.rounds.service import open_rounds
from matchmaker.saved_answers.service import saved
from matchmaker.web.forms import ConfirmForm
from matchmaker.web.security import role_required

bp = Blueprint("interest", __name__, url_prefix="/rounds")
signed_in = role_required()

register_personal_data(service.export_registrations, service.erase_registrations)


@dataclass
class Selected:
    """What the form shows as chosen (as typed, so a failed submit keeps everything)."""

    conditions: set[str] = field(default_factory=set)
    strength: dict[str, str] = field(default_factory=dict)
    slots: set[str] = field(default_factory=set)
    max_sessions: str = ""
    wants: set[str] = field(default_factory=set)

    @classmethod
    def from_form(cls, form: MultiDict) -> Selected:
        """What was posted."""
        conditions = set(form.getlist("conditions"))
        return cls(
            conditions=conditions,
            strength={c: form.get(f"strength-{c}", "") for c in conditions},
            slots=set(form.getlist("slots")),
            max_sessions=form.get("max_sessions", ""),
            wants=set(form.getlist("wants")),
        )

    @classmethod
    def from_choices(cls, choices: service.Choices, suggested: dict[int, int]) -> Selected:
        """Stored or pending choices (with suggested strengths for conditions not yet chosen)."""
        strength = {str(k): str(v) for k, v in suggested.items()}
        strength.update({str(k): str(v) for k, v in choices.conditions.items()})
        return cls(
            conditions={str(c) for c in choices.conditions},
            strength=strength,
            slots={str(s) for s in choices.slots},
            max_sessions="" if choices.max_sessions is None else str(choices.max_sessions),
            wants={str(w) for w in choices.wants},
        )


def _as_form(choices: service.Choices) -> MultiDict:
    """Pending choices as if posted again, so they are re-checked before saving."""
    data = MultiDict()
    for condition_id, strength in choices.conditions.items():
        data.add("conditions", str(condition_id))
        data.add(f"strength-{condition_id}", str(strength))
    for slot_id in choices.slots:
        data.add("slots", str(slot_id))
    data.add("max_sessions", "" if choices.max_sessions is None else str(choices.max_sessions))
    for user_id in choices.wants:
        data.add("wants", str(user_id))
    return data


def _pending_key(round_id: int) -> str:
    """Where the choices wait between the form and check-your-answers."""
    return f"interest-{round_id}"


def _unavailable(round_: Round | None, reason: str) -> str:
    """A clear page saying why registering is not possible now."""
    profile_url = url_for("profiles.edit") if "profiles.edit" in current_app.view_functions else None
    return render_template("interest/unavailable.html", round=round_, reason=reason, profile_url=profile_url)


def _round_for_registering(round_id: int) -> tuple[Round | None, str | None]:
    """The round and why (if at all) this person cannot register in it now."""
    round_ = db.get_or_404(Round, round_id)
    return round_, service.round_problem(round_, current_user)


@bp.route("/")
@signed_in
def index() -> str:
    """Rounds open for registration, with this person's registration in each."""
    rounds = open_rounds()
    mine = {r.id: service.registration_of(r, current_user) for r in rounds}
    return render_template("interest/index.html", rounds=rounds, mine=mine)


@bp.route("/<int:round_id>/interest", methods=["GET", "POST"])
@signed_in
def register(round_id: int) -> Response | str:
    """Choose conditions, times, how many sessions and whom to meet."""
    round_, problem = _round_for_registering(round_id)
    if problem:
        return _unavailable(round_, problem)
    options = service.options_for(round_, current_user)
    form = InterestForm()
    existing = service.registration_of(round_, current_user)
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        choices, errors = service.read_choices(request.form, options)
        if not errors:
            saved[_pending_key(round_.id)] = choices.to_session()
            return redirect(url_for("interest.check", round_id=round_.id))
        selected = Selected.from_form(request.form)
    else:
        pending = saved.get(_pending_key(round_.id)) if request.args.get("change") else None
        if pending:
            choices = service.Choices.from_session(pending)
        elif existing:
            choices = service.choices_from_registration(existing)
        else:
            choices = service.default_choices(options)
        selected = Selected.from_choices(choices, options.facts.suggested_strength)
    return render_template(
        "interest/form.html",
        round=round_,
        options=options,
        form=form,
        errors=errors,
        selected=selected,
        weeks=service.weeks(options.slots),
        is_morning=service.is_morning,
        existing=existing,
        can_choose_whom=service.can_choose_whom_to_meet(current_user),
    )


@bp.route("/<int:round_id>/interest/check", methods=["GET", "POST"])
@signed_in
def check(round_id: int) -> Response | str:
    """Check your answers, then save and email a summary."""
    round_, problem = _round_for_registering(round_id)
    if problem:
        return _unavailable(round_, problem)
    pending = saved.get(_pending_key(round_.id))
    if not pending:
        return redirect(url_for("interest.register", round_id=round_.id))
    options = service.options_for(round_, current_user)
    choices, errors = service.read_choices(_as_form(service.Choices.from_session(pending)), options)
    if errors:
        # Something changed since the form was sent (a slot deleted, the profile edited): choose again.
        flash(_("Some of your choices are no longer available. Check them and send the form again."), "error")
        return redirect(url_for("interest.register", round_id=round_.id))
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        registration = service.save(options, choices)
        db.session.commit()
        saved.pop(_pending_key(round_.id), None)
        flash(_("Your registration has been saved. We have emailed you a summary."), "success")
        return redirect(url_for("interest.registration", registration_id=registration.id))
    return render_template(
        "interest/check.html",
        round=round_,
        form=form,
        choices=choices,
        summary=_summary(options, choices),
        can_choose_whom=service.can_choose_whom_to_meet(current_user),
    )


def _summary(options: service.Options, choices: service.Choices) -> dict[str, list]:
    """Choices with their objects, in display order."""
    conditions = [(c, choices.conditions[c.id]) for c in options.conditions if c.id in choices.conditions]
    slots = [s for s in options.slots if s.id in set(choices.slots)]
    wants = [p for p in options.directory if p.user_id in set(choices.wants)]
    return {"conditions": conditions, "slots": slots, "wants": wants}


@bp.route("/registrations/<int:registration_id>")
@signed_in
def registration(registration_id: int) -> str:
    """My registration in a round (someone else's is not found)."""
    registration = service.own_registration(registration_id, current_user)
    if registration is None:
        abort(404)
    round_ = registration.round
    options = service.options_for(round_, current_user)
    choices = service.choices_from_registration(registration)
    by_id = {c.id: c for c in round_.conditions}
    summary = {
        "conditions": sorted(
            ((by_id.get(rc.condition_id) or rc.condition, rc.strength) for rc in registration.conditions),
            key=lambda item: item[0].position,
        ),
        "slots": list(registration.slots),
        "wants": [p for p in options.directory if p.user_id in set(choices.wants)],
    }
    return render_template(
        "interest/registration.html",
        registration=registration,
        round=round_,
        summary=summary,
        form=ConfirmForm(),
        can_choose_whom=service.can_choose_whom_to_meet(current_user),
    )


@bp.route("/registrations/<int:registration_id>/withdraw", methods=["POST"])
@signed_in
def withdraw(registration_id: int) -> Response | str:
    """Withdraw my registration while the round is open."""
    registration = service.own_registration(registration_id, current_user)
    if registration is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    round_ = registration.round
    problem = service.round_problem(round_, current_user)
    if problem == "closed":
        return _unavailable(round_, problem)
    service.withdraw(registration)
    db.session.commit()
    flash(_("Your registration has been withdrawn."), "success")
    return redirect(url_for("interest.index"))
