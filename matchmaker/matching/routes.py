"""Organiser pages for matching a round: start and watch runs, review and adjust drafts, publish, refill."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.audit import service as audit
from matchmaker.extensions import db
from matchmaker.invites.service import session_cancelled
from matchmaker.matching import drafts, personal_data, review, runs  # noqa: F401  (personal_data registers the eraser)
from matchmaker.matching.candidates import candidates
from matchmaker.matching.forms import AddPersonForm, MoveForm, OverrideChoiceForm, StartRunForm
from matchmaker.matching.overrides import others, rule_names, rules_against
from matchmaker.matching.preview import preview
from matchmaker.matching.publish import PublishError, publish
from matchmaker.matching.reasons import rule_broken as review_rule
from matchmaker.matching.tasks import queue_run
from matchmaker.matching.welsh import welsh_report
from matchmaker.models import ConsultationSession, MatchDraft, MatchRun, Round, RunKind, SessionStatus
from matchmaker.models.places import PlaceTaken
from matchmaker.web.forms import ConfirmForm, whole_number
from matchmaker.web.i18n import current_language, format_when
from matchmaker.web.labels import role_name
from matchmaker.web.security import organiser_only

bp = Blueprint("matching", __name__, url_prefix="/organiser/rounds/<int:round_id>/matching")
bp.add_app_template_global(runs.matchable_rounds, "matchable_rounds")


def _round(round_id: int) -> Round:
    """The round, or 404."""
    round_ = db.get_or_404(Round, round_id)
    return round_


def _run(round_: Round, run_id: int) -> MatchRun:
    """A run of this round, or 404."""
    run = runs.run_of_round(round_, run_id)
    if run is None:
        abort(404)
    return run


def _draft(round_: Round, version: int) -> MatchDraft:
    """A draft version of this round, or 404."""
    draft = drafts.draft_of(round_, version)
    if draft is None:
        abort(404)
    return draft


def _sweep(round_: Round) -> None:
    """Mark this round's dead runs failed before showing anything."""
    if runs.sweep_stale(round_.id):
        db.session.commit()


@bp.route("/")
@organiser_only
def index(round_id: int) -> str:
    """Runs, drafts and the form to start a run."""
    round_ = _round(round_id)
    _sweep(round_)
    return _index(round_, StartRunForm())


def _index(round_: Round, form: StartRunForm) -> str:
    """The matching page for this round."""
    return render_template(
        "matching/index.html",
        round=round_,
        form=form,
        runs=runs.runs_of(round_),
        active=runs.active_run(round_.id),
        drafts=drafts.drafts_of(round_),
        has_published=runs.has_published(round_),
    )


@bp.route("/runs", methods=["POST"])
@organiser_only
def start(round_id: int) -> Response | str:
    """Start a run; the page returns at once and the job runs in the background."""
    round_ = _round(round_id)
    form = StartRunForm()
    if not form.validate_on_submit():
        return _index(round_, form)
    try:
        run = runs.start_run(round_, current_user, form.time_limit.number or 30, RunKind(form.kind.data))
    except runs.RunError as error:
        db.session.rollback()
        form.time_limit.errors = list(form.time_limit.errors) + error.messages
        return _index(round_, form)
    db.session.commit()
    run_id = run.id
    if not queue_run(run_id):
        flash(_("The matching could not be started: the job queue is not available. Try again later."), "info")
    return redirect(url_for("matching.progress", round_id=round_.id, run_id=run_id))


@bp.route("/runs/<int:run_id>")
@organiser_only
def progress(round_id: int, run_id: int) -> str:
    """A run's progress: elapsed time, score and bound as a chart and a table, the gap, cancel."""
    round_ = _round(round_id)
    _sweep(round_)
    run = _run(round_, run_id)
    state = runs.progress_state(run.id)
    draft = db.session.query(MatchDraft).filter_by(run_id=run.id).order_by(MatchDraft.version).first()
    points = state["points"] if state else []
    return render_template(
        "matching/progress.html",
        round=round_,
        run=run,
        state=state,
        chart=review.chart(points),
        summary=review.chart_summary(points),
        outcome=review.outcome(run.problem, run.plan, current_language()),
        draft=draft,
        form=ConfirmForm(),
    )


@bp.route("/runs/<int:run_id>/progress.json")
@organiser_only
def progress_json(round_id: int, run_id: int) -> Response:
    """The progress as JSON, polled by the page (reads only: never waits on the running job)."""
    state = runs.progress_state(run_id)
    if state is None or state["round_id"] != round_id:
        abort(404)
    draft = db.session.query(MatchDraft.version).filter_by(run_id=run_id).order_by(MatchDraft.version).first()
    state["draft_url"] = url_for("matching.draft", round_id=round_id, version=draft[0]) if draft else None
    state["chart"] = review.chart(state["points"])
    state["summary"] = review.chart_summary(state["points"])
    return jsonify(state)


@bp.route("/runs/<int:run_id>/cancel", methods=["POST"])
@organiser_only
def cancel(round_id: int, run_id: int) -> Response:
    """Ask the run to stop; it keeps the best plan found so far."""
    round_ = _round(round_id)
    run = _run(round_, run_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    runs.request_cancel(run)
    db.session.commit()
    flash(_("The run is stopping. The best plan found so far will be kept as a draft."), "success")
    return redirect(url_for("matching.progress", round_id=round_.id, run_id=run.id))


def _draft_context(
    round_: Round, draft: MatchDraft, session_id: str | None = None, details: bool = True
) -> dict[str, Any]:
    """What the draft pages show; with `session_id`, what one session's pages show.

    `details=False` (the publish check names people and their roles only): nobody's organisation
    or access needs are read.

    For one session only its view is built, and only its people and those who could be added get
    their organisation and access needs (everyone else is named in the override choices).
    """
    language = current_language()
    problem, plan = drafts.loaded(draft)
    detailed = None if details else set()
    if session_id is not None:
        session = review.session_of(plan, session_id)
        if session is None:
            abort(404)
        detailed = set(session.participants) | set(candidates(problem, plan, session_id))
    people = review.people_for(problem, language, detailed)
    published = db.session.query(ConsultationSession).filter_by(round_id=round_.id, status=SessionStatus.SCHEDULED)
    if session_id is not None:
        published = published.filter_by(plan_key=session_id)
    return {
        "round": round_,
        "draft": draft,
        "problem": problem,
        "plan": plan,
        "people": people,
        "sessions": review.session_views(
            problem, plan, people, draft.locked, language, draft.overrides, only=session_id
        ),
        "stale": drafts.stale_reason(draft),
        "superseded": drafts.superseded_reason(draft),
        "published": {s.plan_key: s for s in published},
    }


@bp.route("/drafts/<int:version>")
@organiser_only
def draft(round_id: int, version: int) -> str:
    """A draft: summary, sessions by date or condition, everyone and every booking left out with the reason."""
    round_ = _round(round_id)
    item = _draft(round_, version)
    context = _draft_context(round_, item)
    by = "condition" if request.args.get("by") == "condition" else "date"
    problem, plan, people = context["problem"], context["plan"], context["people"]
    return render_template(
        "matching/draft.html",
        by=by,
        groups=review.grouped(context["sessions"], by),
        summary=review.summary(problem, plan, people, current_language()),
        left_out=review.left_out(problem, plan, people),
        left_out_before=review.left_out_before(problem, plan, people),
        unserved=review.unserved(problem, plan),
        welsh=welsh_report(problem, plan, people, current_language()),
        others=drafts.drafts_of(round_),
        form=ConfirmForm(),
        **context,
    )


@bp.route("/drafts/<int:version>/sessions/<session_id>")
@organiser_only
def draft_session(round_id: int, version: int, session_id: str) -> str:
    """One draft session with its people and the changes that keep every rule."""
    round_ = _round(round_id)
    item = _draft(round_, version)
    return _session_page(round_, item, session_id, AddPersonForm(), MoveForm())


def _session_page(
    round_: Round,
    item: MatchDraft,
    session_id: str,
    add_form: AddPersonForm,
    move_form: MoveForm,
    errors: list[str] | None = None,
) -> str:
    """Render the session page with valid choices only."""
    context = _draft_context(round_, item, session_id)
    view = next((v for v in context["sessions"] if v.id == session_id), None)
    if view is None:
        abort(404)
    problem, plan, people = context["problem"], context["plan"], context["people"]
    roles = {code: role_name(code) for code in {p.role for p in people.values()}}
    add_form.participant.choices = [("", _("Choose a person"))] + [
        (pid, f"{people[pid].name} ({roles[people[pid].role]})") for pid in candidates(problem, plan, session_id)
    ]
    move_form.slot.choices = [("", _("Choose a slot"))] + [
        (t, format_when(problem.slot_by_id[t].start))
        for t in drafts.move_choices(problem, plan, session_id, item.overrides or [])
    ]
    addable = [pid for pid, _label in add_form.participant.choices[1:]]
    against = OverrideChoiceForm(formdata=None)
    against.person.choices = [("", _("Choose a person"))] + [
        (pid, f"{people[pid].name} ({roles[people[pid].role]})") for pid in others(problem, plan, session_id, addable)
    ]
    return render_template(
        "matching/session.html",
        session=view,
        add_form=add_form,
        against_form=against,
        move_form=move_form,
        form=ConfirmForm(),
        errors=errors or [],
        **context,
    )


@bp.route(
    "/drafts/<int:version>/sessions/<session_id>/"
    "<any(remove, add, move, delete, lock, unlock, keep_short, welsh):action>",
    methods=["POST"],
)
@organiser_only
def adjust(round_id: int, version: int, session_id: str, action: str) -> Response | str:
    """Apply one change; the solver's check runs and a refusal says which rule it would break."""
    round_ = _round(round_id)
    item = _draft(round_, version)
    add_form, move_form = AddPersonForm(), MoveForm()
    change: dict[str, Any] = {"action": action, "session": session_id}
    if action == "add":
        add_form.participant.choices = [(request.form.get("participant", ""), "")]
        if not add_form.validate_on_submit():
            return _session_page(round_, item, session_id, add_form, MoveForm())
        change["participant"] = add_form.participant.data
    elif action == "move":
        move_form.slot.choices = [(request.form.get("slot", ""), "")]
        if not move_form.validate_on_submit():
            return _session_page(round_, item, session_id, AddPersonForm(), move_form)
        change["slot"] = move_form.slot.data
    elif not ConfirmForm().validate_on_submit():
        abort(400)
    if action == "remove":
        change["participant"] = request.form.get("participant", "")
    try:
        new = drafts.adjust(item, current_user, change)
    except drafts.AdjustError as error:
        db.session.rollback()
        return _session_page(round_, item, session_id, AddPersonForm(), MoveForm(), errors=error.messages)
    audit.record(current_user, "draft_adjusted", new, {"round": round_.id, "version": new.version, "change": action})
    db.session.commit()
    flash(_("Saved as version %(n)d of the draft.", n=new.version), "success")
    if action == "delete":
        return redirect(url_for("matching.draft", round_id=round_.id, version=new.version))
    return redirect(url_for("matching.draft_session", round_id=round_.id, version=new.version, session_id=session_id))


@bp.route("/drafts/<int:version>/sessions/<session_id>/override", methods=["GET", "POST"])
@organiser_only
def override(round_id: int, version: int, session_id: str) -> Response | str:
    """Add someone against a rule: a page that names the rule(s) first, then the change, audited and marked."""
    round_ = _round(round_id)
    item = _draft(round_, version)
    context = _draft_context(round_, item, session_id)
    view = next((v for v in context["sessions"] if v.id == session_id), None)
    if view is None:
        abort(404)
    back = url_for("matching.draft_session", round_id=round_.id, version=item.version, session_id=session_id)
    if context["stale"] or view.locked:
        flash(context["stale"] or _("This session is locked. Unlock it to change it."), "info")
        return redirect(back)
    problem, plan, people = context["problem"], context["plan"], context["people"]
    person = request.values.get("person", "")
    if person not in problem.person or any(p.pid == person for p in view.people):
        return _session_page(
            round_, item, session_id, AddPersonForm(), MoveForm(), errors=[_("Select the person to add")]
        )
    rules, never = rules_against(problem, plan, session_id, person)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            change = {"action": "override", "session": session_id, "participant": person}
            new = drafts.adjust(item, current_user, change)
        except drafts.AdjustError as error:
            db.session.rollback()
            return _session_page(round_, item, session_id, AddPersonForm(), MoveForm(), errors=error.messages)
        detail = {"round": round_.id, "version": new.version, "session": session_id, "participant": person}
        audit.record(current_user, "draft_override", new, {**detail, "rules": rules})
        db.session.commit()
        flash(_("Saved as version %(n)d of the draft.", n=new.version), "success")
        return redirect(
            url_for("matching.draft_session", round_id=round_.id, version=new.version, session_id=session_id)
        )
    return render_template(
        "matching/override.html",
        round=round_,
        draft=item,
        session=view,
        person=people[person],
        rules=rule_names(rules),
        never=[review_rule(v.rule) for v in never],
        form=form,
        back=back,
    )


@bp.route("/compare")
@organiser_only
def compare(round_id: int) -> str:
    """Two drafts side by side: who gains and who loses places."""
    round_ = _round(round_id)
    a, b = whole_number(request.args.get("a")), whole_number(request.args.get("b"))
    if a is None or b is None:
        abort(404)
    first, second = _draft(round_, a), _draft(round_, b)
    problem, _plan = drafts.loaded(second)
    result = drafts.compare(first, second)
    return render_template(
        "matching/compare.html",
        round=round_,
        first=first,
        second=second,
        result=result,
        people=review.names_for({pid for pid, _places in result.gains + result.losses}),
        names=review.condition_names(current_language()),
        slots={s.id: s.start for s in problem.slots},
    )


@bp.route("/drafts/<int:version>/publish", methods=["GET", "POST"])
@organiser_only
def publish_draft(round_id: int, version: int) -> Response | str:
    """Check, then publish: sessions are made and invites sent after the commit."""
    round_ = _round(round_id)
    item = _draft(round_, version)
    form = ConfirmForm()
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            result = publish(item)
            audit.record(current_user, "draft_published", item, {"round": round_.id, "version": item.version})
            db.session.commit()
        except PublishError as error:
            db.session.rollback()
            errors = error.messages
        except PlaceTaken:
            db.session.rollback()
            errors = [
                _(
                    "Someone took a place in a published session while you were reviewing this draft, so a "
                    "session would be over its maximum. Nothing was published: run the refill again."
                )
            ]
        else:
            flash(
                _(
                    "Published: %(created)d new sessions, %(added)d people added to published sessions. "
                    "Invites are on their way.",
                    created=result.created,
                    added=result.added,
                ),
                "success",
            )
            return redirect(url_for("matching.draft", round_id=round_.id, version=item.version))
    context = _draft_context(round_, item, details=False)
    return render_template(
        "matching/publish.html",
        form=form,
        errors=errors,
        preview=preview(item, context["sessions"]),
        welsh=welsh_report(context["problem"], context["plan"], context["people"], current_language()),
        **context,
    )


@bp.route("/sessions/<int:session_id>/cancel", methods=["POST"])
@organiser_only
def cancel_session(round_id: int, session_id: int) -> Response:
    """Cancel a published session that fell short: a CANCEL to everyone on it."""
    round_ = _round(round_id)
    session = db.session.get(ConsultationSession, session_id)
    if session is None or session.round_id != round_.id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if session.status == SessionStatus.SCHEDULED:
        session_cancelled(session)
        audit.record(current_user, "session_cancelled", session, {"round": round_.id})
        db.session.commit()
        flash(_("The session is cancelled. Everyone invited has been told."), "success")
    back = whole_number(request.form.get("version"))
    if back is not None:
        return redirect(url_for("matching.draft", round_id=round_.id, version=back))
    return redirect(url_for("matching.index", round_id=round_.id))
