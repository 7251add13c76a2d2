"""Attendance pages for organisers: the round's ended sessions, and one session's checklist."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from matchmaker.accounts.service import register_personal_data
from matchmaker.attendance import service
from matchmaker.extensions import db
from matchmaker.models import ConsultationSession, Round
from matchmaker.web.forms import ConfirmForm
from matchmaker.web.security import organiser_only

bp = Blueprint("attendance", __name__)

CHOICES = {"yes": True, "no": False}


@bp.route("/organiser/rounds/<int:round_id>/attendance")
@organiser_only
def round_sessions(round_id: int) -> str:
    """The round's sessions that have taken place, and how far each one's attendance is marked."""
    round_ = db.get_or_404(Round, round_id)
    return render_template("attendance/round.html", round=round_, states=service.ended_sessions(round_))


@bp.route("/organiser/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@organiser_only
def checklist(session_id: int) -> str | Response | tuple[str, int]:
    """Mark who came: one pair of radios per attendee, prefilled from what we know."""
    session = db.get_or_404(ConsultationSession, session_id)
    if not service.has_ended(session):
        return render_template("attendance/not_yet.html", session=session), 409
    form = ConfirmForm()
    rows = service.checklist(session)
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        decisions: dict[int, bool] = {}
        for row in rows:
            value = request.form.get(f"attended-{row.attendee.user_id}", "")
            if value in CHOICES:
                decisions[row.attendee.user_id] = CHOICES[value]
            elif value:
                abort(400)
            else:
                errors[f"attended-{row.attendee.user_id}"] = _(
                    "Select whether %(name)s came", name=row.attendee.user.name
                )
        if not errors:
            service.mark(session, decisions, current_user)
            db.session.commit()
            flash(_("Attendance saved."), "success")
            return redirect(url_for("attendance.round_sessions", round_id=session.round_id))
        rows = [service.ChecklistRow(r.attendee, decisions.get(r.attendee.user_id, r.attended), r.source) for r in rows]
    error_list = [{"text": message, "href": f"#{name}"} for name, message in errors.items()]
    return render_template(
        "attendance/checklist.html", session=session, rows=rows, form=form, errors=errors, error_list=error_list
    )


register_personal_data(service.export_attendance, service.erase_attendance)


@bp.app_template_global("session_has_ended")
def session_has_ended(session: ConsultationSession) -> bool:
    """For the session pages: has it taken place (so attendance can be marked)?"""
    return service.has_ended(session)
