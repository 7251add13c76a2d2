"""Invite pages: my sessions and answers, answering from an email link, calendar files, the organiser's view."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask import session as flask_session
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.accounts.service import register_personal_data
from matchmaker.extensions import db
from matchmaker.invites import service
from matchmaker.invites.details import (
    access_arrangements,
    details_for,
    exclusion_reason,
    organisation_of,
    organisations_of,
    others_attending,
    with_people,
)
from matchmaker.invites.forms import JoinLinkForm
from matchmaker.invites.ical import download_calendar, feed_calendar
from matchmaker.invites.links import feed_urls, join_url, read_rsvp_token, rsvp_token
from matchmaker.mail.service import calendar_filename
from matchmaker.models import ConsultationSession, PartStat, SessionAttendee
from matchmaker.models.places import PlaceTaken
from matchmaker.web.forms import ConfirmForm
from matchmaker.web.i18n import current_language
from matchmaker.web.security import organiser_only, public, role_required

bp = Blueprint("invites", __name__)


def _flash_result(result: str) -> None:
    """Tell the person what happened to their answer."""
    messages = {
        "accepted": _("Thank you. We have told the organisers you are coming."),
        "declined": _("Thank you for letting us know. We have taken the session out of your calendar."),
        "unchanged": _("We already have that answer."),
        "closed": _(
            "This session can no longer be answered: it has been cancelled, is over, or you are no longer invited."
        ),
        "full": _("Your place has been given to someone else, so you cannot accept this session now."),
    }
    flash(messages[result], "success" if result in {"accepted", "declined"} else "info")


def _respond(attendee: SessionAttendee, answer: str) -> str:
    """Record the answer and commit; someone taking the last place first means 'full', not an error."""
    try:
        result = service.respond(attendee, answer)
        db.session.commit()
    except PlaceTaken:
        db.session.rollback()
        return "full"
    return result


def _calendar_response(text: str, filename: str) -> Response:
    """A calendar file: text/calendar, never cached by anyone in between."""
    response = Response(text, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/sessions")
@role_required()
def my_sessions() -> str:
    """The signed-in person's sessions, their answers and their calendar address."""
    attendances = service.attendances(current_user)
    details = details_for([a.session for a in attendances], current_user.id)
    rows = [
        {
            "attendee": attendee,
            "session": attendee.session,
            "others": details[attendee.session_id][0],
            "access": details[attendee.session_id][1],
            "join": join_url(attendee.session),
            "open": service.can_answer(attendee),
        }
        for attendee in attendances
    ]
    https, webcal = feed_urls(current_user.feed_token)
    return render_template(
        "invites/my_sessions.html", rows=rows, feed_https=https, feed_webcal=webcal, form=ConfirmForm()
    )


@bp.route("/sessions/<int:session_id>/<any(accept, decline):answer>", methods=["GET", "POST"])
@role_required()
def respond_on_site(session_id: int, answer: str) -> Response | str:
    """Accept from "My sessions"; declining asks first (a GET shows the confirmation page)."""
    attendee = service.attendance(session_id, current_user)
    if attendee is None:
        abort(404)
    form = ConfirmForm()
    if request.method == "GET":
        if answer != "decline" or not service.can_answer(attendee):
            return redirect(url_for("invites.my_sessions") + f"#session-{session_id}")
        return render_template("invites/confirm_decline.html", session=attendee.session, form=form)
    if not form.validate_on_submit():
        abort(400)
    result = _respond(attendee, answer)
    _flash_result(result)
    return redirect(url_for("invites.my_sessions") + f"#session-{session_id}")


@bp.route("/sessions/<int:session_id>/invite.ics")
@role_required()
def download(session_id: int) -> Response:
    """One session as a calendar file, for someone on it."""
    attendee = service.attendance(session_id, current_user)
    if attendee is None:
        abort(404)
    text = download_calendar(attendee)
    return _calendar_response(text, calendar_filename(text))


@bp.route("/sessions/calendar-address", methods=["POST"])
@role_required()
def new_feed_address() -> Response:
    """Make a new secret calendar address; the old one stops working."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    current_user.rotate_feed_token()
    db.session.commit()
    flash(_("You have a new calendar address. The old one no longer works: subscribe to the new one."), "success")
    return redirect(url_for("invites.my_sessions") + "#calendar")


@bp.route("/sessions/respond/<token>", methods=["GET", "POST"])
@public
def respond_by_link(token: str) -> str | Response | tuple[str, int]:
    """An accept or decline link from an email: a GET only asks to confirm (mail scanners follow links)."""
    found = read_rsvp_token(token)
    if found is None:
        return render_template("invites/link_invalid.html"), 404
    attendee, answer = found
    if current_user.is_authenticated and current_user.id != attendee.user_id:
        return render_template("invites/link_other_person.html"), 403
    # Someone not signed in who has not picked a language reads the page in the language of their email.
    language = current_language()
    if not current_user.is_authenticated and "lang" not in flask_session:
        language = attendee.user.language or "en"
    form = ConfirmForm()
    if form.validate_on_submit():
        result = _respond(attendee, answer)
        with force_locale(language):
            _flash_result(result)
        return redirect(url_for("invites.respond_by_link", token=token))
    other = "decline" if answer == "accept" else "accept"
    with force_locale(language):
        return render_template(
            "invites/respond.html",
            attendee=attendee,
            session=attendee.session,
            answer=answer,
            other_link=url_for("invites.respond_by_link", token=rsvp_token(attendee, other)),
            open=service.can_answer(attendee),
            others=others_attending(attendee.session, attendee.user_id),
            join=join_url(attendee.session),
            form=form,
        )


@bp.route("/calendar/<feed_token>.ics")
@public
def feed(feed_token: str) -> Response:
    """A person's secret calendar feed (webcal): every session they were invited to, as it stands."""
    user = service.user_by_feed_token(feed_token)
    if user is None:
        abort(404)
    text = feed_calendar(service.attendances(user, include_removed=True), user.language or "en")
    response = _calendar_response(text, "cyswllt-my-sessions.ics")
    response.headers["Content-Disposition"] = 'inline; filename="cyswllt-my-sessions.ics"'
    return response


def _session_or_404(session_id: int) -> ConsultationSession:
    """A session by id (organisers see every session)."""
    session = db.get_or_404(ConsultationSession, session_id)
    return session


@bp.route("/organiser/sessions/<int:session_id>", methods=["GET", "POST"])
@organiser_only
def organiser_session(session_id: int) -> str | Response:
    """A session as the organiser sees it: each attendee's answer, and its meeting link."""
    session = _session_or_404(session_id)
    form = JoinLinkForm(data={"url": session.join_url_override})
    if form.validate_on_submit():
        if session.status.value == "cancelled":
            abort(409)
        if service.set_join_link(session, form.url.data or ""):
            db.session.commit()
            flash(_("Meeting link saved. Everyone coming has been sent an updated invitation."), "success")
        return redirect(url_for("invites.organiser_session", session_id=session.id))
    with_people([session])
    declined = [a for a in session.attendees if a.partstat == PartStat.DECLINED and a.removed_at is None]
    return render_template(
        "invites/organiser_session.html",
        session=session,
        form=form,
        join=join_url(session),
        declined=declined,
        access=access_arrangements(session),
        organisations=organisations_of([a.user_id for a in session.attendees]),
        exclusions=service.session_exclusions(session),
        lift_form=ConfirmForm(),
    )


@bp.route("/organiser/sessions/<int:session_id>/exclusions/<int:exclusion_id>/lift", methods=["POST"])
@organiser_only
def lift_exclusion(session_id: int, exclusion_id: int) -> Response:
    """An organiser lets someone kept out of this session be placed again (by a refill or re-run)."""
    session = _session_or_404(session_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not service.lift_exclusion(exclusion_id, session, current_user):
        abort(404)
    db.session.commit()
    flash(
        _("They may be placed again. Run a refill to offer them a place; nobody is invited until you publish."),
        "success",
    )
    return redirect(url_for("invites.organiser_session", session_id=session.id) + "#not-again")


@bp.route("/organiser/replies")
@organiser_only
def replies() -> str:
    """Answers from calendar apps that were not applied: forged, stale, unmatched, and proposals of another time."""
    return render_template("invites/replies.html", replies=service.replies_for_organisers(), form=ConfirmForm())


@bp.route("/organiser/replies/<int:reply_id>/resolve", methods=["POST"])
@organiser_only
def resolve_reply(reply_id: int) -> Response:
    """An organiser has dealt with one reply."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not service.resolve_reply(reply_id, current_user):
        abort(404)
    db.session.commit()
    flash(_("Marked as dealt with."), "success")
    return redirect(url_for("invites.replies"))


register_personal_data(service.export_attendances, service.erase_attendances)
bp.add_app_template_global(organisation_of, "organisation_of")
bp.add_app_template_global(exclusion_reason, "exclusion_reason")
