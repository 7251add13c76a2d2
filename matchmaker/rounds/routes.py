"""Organiser pages for rounds: details and rules, status, slots, overview and export."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from matchmaker.answers import service as answers
from matchmaker.extensions import db
from matchmaker.models import Round, Slot
from matchmaker.rounds import overview, service
from matchmaker.rounds.forms import PatternForm, RoundForm, SlotForm
from matchmaker.rounds.names import bank_holiday_name
from matchmaker.rounds.slots import MAX_PATTERN_SLOTS, MissingLocalTime, pattern_slots
from matchmaker.web.forms import ConfirmForm
from matchmaker.web.i18n import current_language, to_london
from matchmaker.web.pagination import clamp, page_links, page_number
from matchmaker.web.security import organiser_only

bp = Blueprint("rounds", __name__, url_prefix="/organiser/rounds")


OVERVIEW_PAGE_SIZE = 100  # registrations listed per page of the overview (the counts cover them all)


@bp.app_template_filter("bank_holiday_name")
def _bank_holiday_filter(name: str) -> str:
    """A stored (English) bank holiday name in the page's language."""
    return bank_holiday_name(name)


def _round_or_404(round_id: int) -> Round:
    """A round by id, or 404."""
    round_ = db.get_or_404(Round, round_id)
    return round_


def _slot_or_404(round_: Round, slot_id: int) -> Slot:
    """A slot of this round, or 404 (another round's slot id too)."""
    slot = service.slot_of_round(round_, slot_id)
    if slot is None:
        abort(404)
    return slot


def _round_form() -> RoundForm:
    """The round form with today's condition choices."""
    form = RoundForm()
    form.conditions.choices = [(str(c.id), c.name(current_language())) for c in service.active_conditions()]
    return form


@bp.route("/")
@organiser_only
def index() -> str:
    """Every round with its status."""
    return render_template("rounds/index.html", rounds=service.all_rounds())


@bp.route("/new", methods=["GET", "POST"])
@organiser_only
def new() -> Response | str:
    """Create a round (as a draft)."""
    form = _round_form()
    if request.method == "GET":
        form.organiser_mailbox.process(None, current_user.email)
    if form.validate_on_submit():
        round_ = service.save_round(form, None, current_user)
        if round_ is not None:
            db.session.commit()
            flash(_("Round created. Add slots, then open it for registration."), "success")
            return redirect(url_for("rounds.show", round_id=round_.id))
    return render_template("rounds/edit.html", form=form, round=None)


@bp.route("/<int:round_id>")
@organiser_only
def show(round_id: int) -> str:
    """A round: its details, status actions and slots."""
    round_ = _round_or_404(round_id)
    count = overview.registration_count(round_)
    return render_template(
        "rounds/show.html",
        round=round_,
        form=ConfirmForm(),
        registrations=count,
        days=_slots_by_day(round_.slots),
        short=answers.short_sessions(round_),
        sessions=answers.published_sessions(round_),
    )


@bp.route("/<int:round_id>/edit", methods=["GET", "POST"])
@organiser_only
def edit(round_id: int) -> Response | str:
    """Change a round's details and rules."""
    round_ = _round_or_404(round_id)
    form = _round_form()
    if request.method == "GET":
        service.fill_round_form(form, round_)
    if form.validate_on_submit() and service.save_round(form, round_, current_user) is not None:
        db.session.commit()
        flash(_("Round saved."), "success")
        return redirect(url_for("rounds.show", round_id=round_.id))
    return render_template("rounds/edit.html", form=form, round=round_)


@bp.route("/<int:round_id>/open", methods=["POST"])
@organiser_only
def open_(round_id: int) -> Response:
    """Open a draft round for registration."""
    return _change_status(round_id, service.open_round, _("The round is open for registration."))


@bp.route("/<int:round_id>/close", methods=["GET", "POST"])
@organiser_only
def close(round_id: int) -> Response | str:
    """Close registration, after a confirmation page."""
    if request.method == "GET":
        return _confirm(round_id, reopen=False)
    return _change_status(round_id, service.close_round, _("Registration is closed."))


@bp.route("/<int:round_id>/reopen", methods=["GET", "POST"])
@organiser_only
def reopen(round_id: int) -> Response | str:
    """Reopen registration of a closed round, after a confirmation page."""
    if request.method == "GET":
        return _confirm(round_id, reopen=True)
    return _change_status(round_id, service.reopen_round, _("Registration is open again."))


def _confirm(round_id: int, *, reopen: bool) -> str:
    """The page that asks before closing or reopening registration."""
    round_ = _round_or_404(round_id)
    return render_template("rounds/confirm_status.html", round=round_, form=ConfirmForm(), reopen=reopen)


def _change_status(round_id: int, change: object, done: str) -> Response:
    """Apply a status change, or say why it cannot happen."""
    round_ = _round_or_404(round_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        change(round_)  # type: ignore[operator]
    except service.RoundError as error:
        flash(str(error), "error")
        return redirect(url_for("rounds.show", round_id=round_.id))
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("rounds.show", round_id=round_.id))


@bp.route("/<int:round_id>/slots/pattern", methods=["GET", "POST"])
@organiser_only
def pattern(round_id: int) -> Response | str:
    """Slots from a pattern: preview first, then save."""
    round_ = _round_or_404(round_id)
    form = PatternForm()
    if request.method == "GET":
        form.minutes.process(None, round_.session_minutes)
    planned = None
    if form.validate_on_submit():
        try:
            planned = pattern_slots(
                form.first_day.data, form.last_day.data, form.weekdays.data, form.times, form.minutes.number
            )
        except MissingLocalTime:
            form.start_times.errors.append(
                _("One of the times does not exist on a day when the clocks go forward. Choose another time")
            )
        else:
            if not planned:
                form.weekdays.errors.append(
                    _("None of the chosen weekdays falls between the first and last day. Choose other days or dates")
                )
                planned = None
            elif len(planned) > MAX_PATTERN_SLOTS:
                form.last_day.errors.append(
                    _(
                        "That makes %(n)d slots; the most at once is %(max)d. Choose a shorter range or fewer times",
                        n=len(planned),
                        max=MAX_PATTERN_SLOTS,
                    )
                )
                planned = None
            elif request.form.get("confirm") == "yes":
                added, skipped = service.add_planned_slots(round_, planned)
                db.session.commit()
                message = ngettext("%(num)d slot added.", "%(num)d slots added.", added)
                if skipped:
                    message += " " + ngettext(
                        "%(num)d was already there and was not added again.",
                        "%(num)d were already there and were not added again.",
                        skipped,
                    )
                flash(message, "success")
                return redirect(url_for("rounds.show", round_id=round_.id))
    return render_template(
        "rounds/pattern.html",
        form=form,
        round=round_,
        planned=planned,
        days=_slots_by_day(planned or []),
    )


@bp.route("/<int:round_id>/slots/new", methods=["GET", "POST"])
@organiser_only
def new_slot(round_id: int) -> Response | str:
    """Add one slot."""
    round_ = _round_or_404(round_id)
    form = SlotForm()
    if request.method == "GET":
        form.minutes.process(None, round_.session_minutes)
    if form.validate_on_submit():
        times = service.slot_times_from_form(form)
        if times is not None:
            service.new_slot(round_, *times)
            db.session.commit()
            flash(_("Slot added."), "success")
            return redirect(url_for("rounds.show", round_id=round_.id, _anchor="slots"))
    return render_template("rounds/slot.html", form=form, round=round_, slot=None)


@bp.route("/<int:round_id>/slots/<int:slot_id>", methods=["GET", "POST"])
@organiser_only
def edit_slot(round_id: int, slot_id: int) -> Response | str:
    """Change one slot's day, time or length."""
    round_ = _round_or_404(round_id)
    slot = _slot_or_404(round_, slot_id)
    form = SlotForm()
    if request.method == "GET":
        local = to_london(slot.starts_at)
        form.day.process(None, local.date())
        form.starts.process(None, local.time())
        form.minutes.process(None, int((slot.ends_at - slot.starts_at).total_seconds() // 60))
    if form.validate_on_submit():
        times = service.slot_times_from_form(form)
        if times is not None:
            told = service.set_slot_times(slot, *times)
            db.session.commit()
            message = _("Slot changed.")
            if told:
                message += " " + ngettext(
                    "%(num)d person has been sent the new time.", "%(num)d people have been sent the new time.", told
                )
            flash(message, "success")
            return redirect(url_for("rounds.show", round_id=round_.id, _anchor="slots"))
    people, sessions = service.people_told_if_moved(slot)
    return render_template(
        "rounds/slot.html",
        form=form,
        round=round_,
        slot=slot,
        delete_form=ConfirmForm(),
        told_people=people,
        told_sessions=sessions,
    )


@bp.route("/<int:round_id>/slots/<int:slot_id>/delete", methods=["POST"])
@organiser_only
def delete_slot(round_id: int, slot_id: int) -> Response:
    """Remove one slot (people who chose it lose it from their registration)."""
    round_ = _round_or_404(round_id)
    slot = _slot_or_404(round_, slot_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.delete_slot(slot)
    db.session.commit()
    flash(_("Slot deleted."), "success")
    return redirect(url_for("rounds.show", round_id=round_.id, _anchor="slots"))


@bp.route("/<int:round_id>/overview")
@organiser_only
def overview_page(round_id: int) -> str:
    """Who registered: counts, warnings and a filterable list."""
    round_ = _round_or_404(round_id)
    filters = overview.Filters.from_args(request.args)
    rows = overview.registration_rows(round_)
    shown = [row for row in rows if filters.match(row)]
    paging = clamp(len(shown), page_number(request.args.get("page")), OVERVIEW_PAGE_SIZE)
    query = {k: v for k, v in request.args.items() if k in ("role", "condition", "health_board", "language") and v}
    return render_template(
        "rounds/overview.html",
        round=round_,
        filters=filters,
        rows=shown,
        page_rows=overview.attach(shown[paging.offset : paging.offset + paging.per_page]),
        paging=paging,
        pages=page_links(paging, "rounds.overview_page", round_id=round_.id, **query),
        query=query,
        total=len(rows),
        counts=overview.counts(shown),
        breakdown=overview.breakdown(shown),
        warnings=overview.round_warnings(round_, rows),
        options=overview.filter_options(round_),
    )


@bp.route("/<int:round_id>/registrations.csv")
@organiser_only
def export(round_id: int) -> Response:
    """Every registration as CSV (UTF-8 with a byte order mark, so Excel reads Welsh letters)."""
    round_ = _round_or_404(round_id)
    body = overview.csv_text(overview.registration_rows(round_), current_language())
    filename = f"round-{round_.id}-registrations.csv"
    return Response(
        "\ufeff" + body,
        mimetype="text/csv",
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _slots_by_day(slots: list) -> list[tuple[object, list]]:
    """Slots (or planned slots) grouped by their day in Wales, in order."""
    days: dict[object, list] = {}
    for slot in sorted(slots, key=lambda s: s.starts_at):
        days.setdefault(to_london(slot.starts_at).date(), []).append(slot)
    return list(days.items())
