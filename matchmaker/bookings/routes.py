"""Booking pages: a commissioner's bookings, requesting, changing, cancelling; the organiser's list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.bookings import export, feasibility, organisations, reasons, service
from matchmaker.bookings import personal_data as _personal_data  # noqa: F401  (registers export/erase)
from matchmaker.bookings.forms import BookingForm, CommissionerForm
from matchmaker.bookings.service import EITHER, BookingError, BookingRequest
from matchmaker.extensions import db
from matchmaker.models import BOOKING_LANGUAGES, Booking, BookingStatus, Role, Round, User
from matchmaker.rounds import service as rounds_service
from matchmaker.saved_answers.service import saved
from matchmaker.web.forms import ConfirmForm, whole_number
from matchmaker.web.i18n import current_language
from matchmaker.web.security import organiser_only, role_required

bp = Blueprint("bookings", __name__)
commissioner_only = role_required(Role.COMMISSIONER)
DRAFT_KEY = "booking_draft"


@dataclass
class Flow:
    """One request journey: whose booking, in which round, and where its pages are."""

    round: Round
    commissioner: User
    booking: Booking | None
    form_url: str
    check_url: str
    back_url: str
    on_behalf: bool = False

    @property
    def scope(self) -> str:
        """Ties saved answers to this journey, so another journey never picks them up."""
        return f"{self.round.id}:{self.booking.id if self.booking else 0}:{self.commissioner.id}"


# --- helpers ------------------------------------------------------------------------------


def _round_or_404(round_id: int) -> Round:
    """A round by id, or 404."""
    round_ = db.get_or_404(Round, round_id)
    return round_


def _own_booking_or_404(booking_id: int) -> Booking:
    """The signed-in commissioner's booking (an organiser may read any), else 404."""
    booking = service.booking_of(current_user, booking_id)
    if booking is None:
        abort(404)
    return booking


def _closed_page(
    message: str, back_url: str, refusal: feasibility.Refusal | None = None, fix_url: str | None = None
) -> str:
    """A clear message instead of the form (round not open, account not approved, no profile...)."""
    return render_template(
        "bookings/cannot_book.html", message=message, back_url=back_url, refusal=refusal, fix_url=fix_url
    )


def _fix_url(refusal: feasibility.Refusal, flow: Flow) -> str | None:
    """The link that fixes a refusal; the profile form brings the commissioner back to this request."""
    if refusal.fix_endpoint is None or flow.on_behalf:
        return None
    if refusal.fix_endpoint == "profiles.edit":
        return url_for("profiles.edit", next=flow.form_url, **refusal.fix_values)
    return url_for(refusal.fix_endpoint, **refusal.fix_values)


def _build_form(flow: Flow) -> BookingForm:
    """The request form with this round's choices."""
    language = current_language()
    form = BookingForm()
    form.condition.choices = [(str(c.id), c.name(language)) for c in flow.round.conditions]
    form.slots.choices = [(str(s.id), str(s.id)) for s in flow.round.slots]
    form.weeks.choices = [
        (week.isoformat(), week.isoformat()) for week, _slots in service.slots_by_week(flow.round.slots)
    ]
    form.health_board.choices = [("", _("No particular health board"))] + [
        (str(b.id), b.name(language)) for b in service.health_boards()
    ]
    form.organisations.choices = [(o.key, o.name) for o in organisations.directory_organisations()]
    return form


def _draft(flow: Flow, *, refused_too: bool = False) -> BookingRequest | None:
    """The answers kept between the form and the check page, if they belong to this journey.

    A refused request is kept too (so it is there again once the profile is fixed), but
    only the form shows it: the check page needs answers that passed.
    """
    stored = saved.get(DRAFT_KEY)
    if not isinstance(stored, dict) or stored.get("scope") != flow.scope:
        return None
    if stored.get("refused") and not refused_too:
        return None
    try:
        return BookingRequest.from_dict(stored.get("request", {}))
    except (TypeError, ValueError):
        return None


def _render_form(flow: Flow, form: BookingForm, refusal: feasibility.Refusal | None = None) -> str:
    """The request form page (with why the request cannot be met and what would fix it, when refused)."""
    language = current_language()
    condition_names = {c.id: c.name(language) for c in flow.round.conditions}
    profile = feasibility.profile_of(flow.commissioner)
    return render_template(
        "bookings/form.html",
        flow=flow,
        form=form,
        weeks=service.slots_by_week(flow.round.slots),
        organisations=organisations.directory_organisations(),
        condition_names=condition_names,
        refusal=refusal,
        fix_url=_fix_url(refusal, flow) if refusal else None,
        profile_conditions=[c.name(language) for c in profile.conditions] if profile else [],
    )


def _form_step(flow: Flow) -> Response | str:
    """GET: the form (from the draft, the booking or empty); POST: check and go to the check page."""
    closed = service.round_closed_message(flow.round) or service.commissioner_problem(flow.commissioner)
    if closed:
        return _closed_page(closed, flow.back_url)
    if flow.booking is not None and service.change_problem(flow.booking):
        return _closed_page(service.change_problem(flow.booking) or "", flow.back_url)
    no_profile = feasibility.missing_profile(flow.commissioner)
    if no_profile is not None:
        return _closed_page(no_profile.reason, flow.back_url, no_profile, _fix_url(no_profile, flow))
    form = _build_form(flow)
    if request.method == "GET":
        answers = _draft(flow, refused_too=True) or (
            BookingRequest.from_booking(flow.booking) if flow.booking else None
        )
        if answers is not None:
            form.fill(answers)
    elif form.validate_on_submit():
        slot_ids = service.expand_weeks(flow.round, [int(s) for s in form.slots.data], form.chosen_weeks())
        answers = form.to_request(slot_ids)
        try:
            service.validate(flow.round, flow.commissioner, answers, flow.booking)
        except BookingError as error:
            form.add_errors(error.errors)
            if error.refusal is not None:
                saved[DRAFT_KEY] = {"scope": flow.scope, "request": answers.to_dict(), "refused": True}
                return _render_form(flow, form, error.refusal)
        else:
            saved[DRAFT_KEY] = {"scope": flow.scope, "request": answers.to_dict()}
            return redirect(flow.check_url)
    return _render_form(flow, form)


def _check_step(flow: Flow, done: Any) -> Response | str:
    """GET: check your answers; POST: save them (done(booking) gives the page to go to)."""
    closed = service.round_closed_message(flow.round) or service.commissioner_problem(flow.commissioner)
    if closed:
        return _closed_page(closed, flow.back_url)
    answers = _draft(flow)
    if answers is None:
        return redirect(flow.form_url)
    confirm = ConfirmForm()
    if confirm.validate_on_submit():
        try:
            if flow.booking is None:
                booking = service.create_booking(
                    flow.round, flow.commissioner, answers, current_user._get_current_object()
                )
            else:
                booking = service.update_booking(flow.booking, answers)
        except BookingError as error:
            db.session.rollback()
            if error.errors.keys() & {"round", "commissioner"}:
                return _closed_page(next(iter(error.errors.values())), flow.back_url)
            form = _build_form(flow)
            form.fill(answers)
            form.add_errors(error.errors)
            return _render_form(flow, form, error.refusal)
        db.session.commit()
        saved.pop(DRAFT_KEY, None)
        return done(booking)
    return render_template("bookings/check.html", flow=flow, answers=_summary(flow.round, answers), form=confirm)


def _summary(round_: Round, answers: BookingRequest) -> dict[str, Any]:
    """The answers in words, for the check page."""
    language = current_language()
    condition = next((c for c in round_.conditions if c.id == answers.condition_id), None)
    board = next((b for b in service.health_boards() if b.id == answers.health_board_id), None)
    chosen = set(answers.organisation_keys)
    return {
        "condition": condition.name(language) if condition else "",
        "slots": [s for s in round_.slots if s.id in set(answers.slot_ids)],
        "language": answers.language,
        "health_board": board.name(language) if board else None,
        "purpose": answers.purpose,
        "organisations": [o.name for o in organisations.directory_organisations() if o.key in chosen],
    }


# --- commissioner -------------------------------------------------------------------------


@bp.route("/bookings/")
@commissioner_only
def index() -> str:
    """Your bookings, and the rounds you can request a session in."""
    return render_template(
        "bookings/index.html", bookings=service.bookings_of(current_user), rounds=rounds_service.open_rounds()
    )


def _own_flow(round_: Round, booking: Booking | None = None) -> Flow:
    """The signed-in commissioner's own journey."""
    me = current_user._get_current_object()  # the User itself: it becomes the booking's commissioner
    if booking is None:
        return Flow(
            round=round_,
            commissioner=me,
            booking=None,
            form_url=url_for("bookings.new", round_id=round_.id),
            check_url=url_for("bookings.check_new", round_id=round_.id),
            back_url=url_for("bookings.index"),
        )
    return Flow(
        round=round_,
        commissioner=current_user,
        booking=booking,
        form_url=url_for("bookings.change", booking_id=booking.id),
        check_url=url_for("bookings.check_change", booking_id=booking.id),
        back_url=url_for("bookings.show", booking_id=booking.id),
    )


@bp.route("/bookings/rounds/<int:round_id>/new", methods=["GET", "POST"])
@commissioner_only
def new(round_id: int) -> Response | str:
    """Request a session in a round."""
    return _form_step(_own_flow(_round_or_404(round_id)))


@bp.route("/bookings/rounds/<int:round_id>/check", methods=["GET", "POST"])
@commissioner_only
def check_new(round_id: int) -> Response | str:
    """Check your answers, then send the request."""

    def done(booking: Booking) -> Response:
        flash(_("Your request has been sent. We have emailed you a copy."), "success")
        return redirect(url_for("bookings.show", booking_id=booking.id))

    return _check_step(_own_flow(_round_or_404(round_id)), done)


def _commissioners_booking(booking_id: int) -> Booking:
    """The signed-in commissioner's own booking, else 404 (organisers use their own pages)."""
    booking = _own_booking_or_404(booking_id)
    if booking.commissioner_id != current_user.id:
        abort(404)
    return booking


@bp.route("/bookings/<int:booking_id>")
@role_required(Role.COMMISSIONER, Role.ORGANISER)
def show(booking_id: int) -> str:
    """One booking and where it stands."""
    booking = _own_booking_or_404(booking_id)
    live = service.session_for(booking)
    attendees = service.current_attendees(live) if service.session_is_live(live) else []
    return render_template(
        "bookings/show.html",
        booking=booking,
        session_=live if service.session_is_live(live) else None,
        attendees=attendees,
        attendee_organisations=service.organisations_of([a.user for a in attendees]),
        wanted=organisations.names_of(booking.wants_to_meet),
        reason=reasons.explain(booking.reason_code) if booking.status == BookingStatus.UNSCHEDULED else None,
        change_problem=service.change_problem(booking),
        mine=booking.commissioner_id == current_user.id,
        other_sessions=(
            service.sessions_on_same_condition(booking) if booking.status == BookingStatus.UNSCHEDULED else []
        ),
    )


@bp.route("/bookings/<int:booking_id>/change", methods=["GET", "POST"])
@commissioner_only
def change(booking_id: int) -> Response | str:
    """Change a request (until the round closes)."""
    booking = _commissioners_booking(booking_id)
    return _form_step(_own_flow(booking.round, booking))


@bp.route("/bookings/<int:booking_id>/change/check", methods=["GET", "POST"])
@commissioner_only
def check_change(booking_id: int) -> Response | str:
    """Check the changed answers, then save them."""
    booking = _commissioners_booking(booking_id)

    def done(saved: Booking) -> Response:
        flash(_("Your request has been changed. We have emailed you a copy."), "success")
        return redirect(url_for("bookings.show", booking_id=saved.id))

    return _check_step(_own_flow(booking.round, booking), done)


@bp.route("/bookings/<int:booking_id>/cancel", methods=["GET", "POST"])
@commissioner_only
def cancel(booking_id: int) -> Response | str:
    """Are you sure? Then cancel (any time)."""
    booking = _commissioners_booking(booking_id)
    if booking.status == BookingStatus.CANCELLED:
        flash(_("This request is already cancelled."), "info")
        return redirect(url_for("bookings.show", booking_id=booking.id))
    form = ConfirmForm()
    if form.validate_on_submit():
        service.cancel_booking(booking)
        db.session.commit()
        flash(_("Your request has been cancelled."), "success")
        return redirect(url_for("bookings.show", booking_id=booking.id))
    return render_template("bookings/cancel.html", booking=booking, form=form, session_=service.session_for(booking))


# --- organiser ----------------------------------------------------------------------------


def _filters(round_: Round) -> service.Filters:
    """The list filters from the query string; anything not offered is ignored."""
    statuses = {s.value for s in BookingStatus}
    conditions = {c.id for c in round_.conditions}
    boards = {b.id for b in service.health_boards()}

    def number(name: str, allowed: set[int]) -> int | None:
        value = whole_number(request.args.get(name))
        return value if value in allowed else None

    status = request.args.get("status", "")
    language = request.args.get("language", "")
    return service.Filters(
        status=status if status in statuses else None,
        condition_id=number("condition", conditions),
        language=language if language in (*BOOKING_LANGUAGES, EITHER) else None,
        health_board_id=number("health_board", boards),
    )


@bp.route("/organiser/rounds/<int:round_id>/bookings")
@organiser_only
def organiser_list(round_id: int) -> str:
    """Every booking of a round, with filters."""
    round_ = _round_or_404(round_id)
    filters = _filters(round_)
    bookings = service.round_bookings(round_, filters)
    return render_template(
        "bookings/organiser_list.html",
        round=round_,
        bookings=bookings,
        filters=filters,
        total=len(service.round_bookings(round_)),
        boards=service.health_boards(),
        organisations_by_user=service.organisations_of([b.commissioner for b in bookings]),
        kinds_by_user=service.kinds_of([b.commissioner for b in bookings]),
        statuses=[s.value for s in BookingStatus],
    )


@bp.route("/organiser/rounds/<int:round_id>/bookings.csv")
@organiser_only
def organiser_export(round_id: int) -> Response:
    """The round's bookings as CSV (UTF-8 with a byte order mark, so Excel keeps Welsh letters)."""
    round_ = _round_or_404(round_id)
    body = export.bookings_csv(round_, service.round_bookings(round_), current_language())
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="round-{round_.id}-bookings.csv"'},
    )


@bp.route("/organiser/rounds/<int:round_id>/bookings/new", methods=["GET", "POST"])
@organiser_only
def choose_commissioner(round_id: int) -> Response | str:
    """Book on someone's behalf: first, whom for."""
    round_ = _round_or_404(round_id)
    back = url_for("bookings.organiser_list", round_id=round_.id)
    closed = service.round_closed_message(round_)
    if closed:
        return _closed_page(closed, back)
    form = CommissionerForm()
    people = service.approved_commissioners()
    found = service.organisations_of(people)
    form.commissioner.choices = [("", _("Choose a commissioner"))] + [
        (str(u.id), f"{u.name} ({found[u.id]})" if u.id in found else u.name) for u in people
    ]
    if form.validate_on_submit():
        return redirect(url_for("bookings.new_for", round_id=round_.id, user_id=int(form.commissioner.data)))
    return render_template("bookings/choose_commissioner.html", round=round_, form=form, back_url=back)


def _behalf_flow(round_id: int, user_id: int) -> Flow:
    """An organiser booking for a commissioner."""
    round_ = _round_or_404(round_id)
    commissioner = db.get_or_404(User, user_id)
    return Flow(
        round=round_,
        commissioner=commissioner,
        booking=None,
        form_url=url_for("bookings.new_for", round_id=round_.id, user_id=commissioner.id),
        check_url=url_for("bookings.check_for", round_id=round_.id, user_id=commissioner.id),
        back_url=url_for("bookings.choose_commissioner", round_id=round_.id),
        on_behalf=True,
    )


@bp.route("/organiser/rounds/<int:round_id>/bookings/new/<int:user_id>", methods=["GET", "POST"])
@organiser_only
def new_for(round_id: int, user_id: int) -> Response | str:
    """Book on someone's behalf: the request."""
    return _form_step(_behalf_flow(round_id, user_id))


@bp.route("/organiser/rounds/<int:round_id>/bookings/new/<int:user_id>/check", methods=["GET", "POST"])
@organiser_only
def check_for(round_id: int, user_id: int) -> Response | str:
    """Book on someone's behalf: check, then send."""
    flow = _behalf_flow(round_id, user_id)

    def done(booking: Booking) -> Response:
        flash(_("The booking has been made. The commissioner has been emailed a copy."), "success")
        return redirect(url_for("bookings.organiser_list", round_id=flow.round.id))

    return _check_step(flow, done)
