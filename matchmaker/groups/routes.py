"""Organiser pages that work on many sessions at once."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from matchmaker.answers import service as answers
from matchmaker.extensions import db
from matchmaker.groups import service
from matchmaker.groups.forms import GroupMessageForm, links_form
from matchmaker.groups.messages import send_group_message
from matchmaker.models import Round, User
from matchmaker.rounds import service as rounds
from matchmaker.web.i18n import current_language, format_when
from matchmaker.web.security import organiser_only

bp = Blueprint("groups", __name__, url_prefix="/organiser/rounds/<int:round_id>")


def _round(round_id: int) -> Round:
    """The round, or 404."""
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        abort(404)
    return round_


@bp.route("/meeting-links", methods=["GET", "POST"])
@organiser_only
def meeting_links(round_id: int) -> Response | str:
    """Paste Teams or Zoom links for many sessions at once; attendees of each changed session are told."""
    round_ = _round(round_id)
    sessions = service.live_sessions(round_)
    language = current_language()
    labels = [(s.id, f"{s.condition.name(language)}, {format_when(s.starts_at)}") for s in sessions]
    form = links_form(labels, data={f"link_{s.id}": s.join_url_override for s in sessions})
    if form.validate_on_submit():
        changed = service.set_links(sessions, {s.id: form[f"link_{s.id}"].data or "" for s in sessions})
        db.session.commit()
        if changed:
            flash(
                ngettext(
                    "%(num)d meeting link saved. Everyone coming has been sent an updated invitation.",
                    "%(num)d meeting links saved. Everyone coming has been sent an updated invitation.",
                    changed,
                ),
                "success",
            )
        else:
            flash(_("No meeting link changed."), "info")
        return redirect(url_for("groups.meeting_links", round_id=round_.id))
    return render_template("groups/meeting_links.html", round=round_, form=form, sessions=sessions)


def _recipients(round_: Round) -> tuple[str, list[User]]:
    """Who the message goes to, from the query string: non-answers, or registrants as the overview filters them."""
    if request.args.get("source") == "waiting":
        people = {a.user.id: a.user for a in answers.answers(round_, "waiting")}
        return "waiting", sorted(people.values(), key=lambda u: u.name.casefold())
    group = request.args.get("group", "")
    return "registrants", rounds.registrants(round_, request.args, group if group in rounds.GROUP_WARNINGS else "")


@bp.route("/message", methods=["GET", "POST"])
@organiser_only
def message(round_id: int) -> Response | str:
    """Write to a group (the filtered registrants, or everyone who has not answered), in each person's language."""
    round_ = _round(round_id)
    source, people = _recipients(round_)
    form = GroupMessageForm()
    if people and form.validate_on_submit():
        sent = send_group_message(
            round_,
            people,
            {
                "en": (form.subject_en.data or "", form.body_en.data or ""),
                "cy": (form.subject_cy.data or "", form.body_cy.data or ""),
            },
        )
        db.session.commit()
        flash(
            ngettext(
                "Message queued for %(num)d person. See it in the outbox.",
                "Message queued for %(num)d people. See it in the outbox.",
                sent,
            ),
            "success",
        )
        return redirect(url_for("rounds.show", round_id=round_.id))
    return render_template(
        "groups/message.html", round=round_, form=form, people=people, source=source, query=request.query_string
    )
