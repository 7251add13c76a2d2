"""The follow-up page: from the emailed link (signed, expiring) or from "My sessions"."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask import session as flask_session
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from matchmaker.accounts.service import register_personal_data
from matchmaker.extensions import db
from matchmaker.followups import service
from matchmaker.followups.forms import FollowUpForm
from matchmaker.followups.links import read_token
from matchmaker.models import FollowUp
from matchmaker.web.i18n import format_when
from matchmaker.web.security import public, role_required

bp = Blueprint("followups", __name__)


def _form(follow_up: FollowUp) -> FollowUpForm:
    """The form, starting from this follow-up's answer, or the first follow-up's for a second one."""
    source = follow_up if follow_up.answered_at else service.earlier_answer(follow_up)
    data: dict[str, Any] = {}
    if source is not None:
        data = {
            "attended": "" if source.attended is None else ("yes" if source.attended else "no"),
            "outcomes": list(source.outcomes or []),
            "funded_amount": source.funded_amount,
            "referrals": source.referrals,
            "plans_to_commission": source.plans_to_commission or None,
            "note": source.note if source is follow_up else "",
            "quote_consent": source.quote_consent if source is follow_up else False,
        }
    return FollowUpForm(data=data).for_role(follow_up.role)


def _answer(form: FollowUpForm) -> service.Answer:
    """The form's answer."""
    return service.Answer(
        attended=form.attended.data == "yes",
        outcomes=list(form.outcomes.data or []),
        funded_amount=form.funded_amount.number,
        referrals=form.referrals.number if form.referrals is not None else None,
        plans_to_commission=(form.plans_to_commission.data or "") if form.plans_to_commission is not None else "",
        note=(form.note.data or "").strip(),
        quote_consent=bool(form.quote_consent.data),
    )


def _page(follow_up: FollowUp, form: FollowUpForm, action: str) -> str:
    """The follow-up page."""
    return render_template(
        "followups/answer.html",
        follow_up=follow_up,
        session=follow_up.session,
        form=form,
        action=action,
        second=follow_up.stage == "second",
    )


def _handle(follow_up: FollowUp, action: str, done: str) -> str | Response:
    """Show or save the form; after saving, go to `done`."""
    form = _form(follow_up)
    if form.validate_on_submit():
        service.record_answer(follow_up, _answer(form))
        db.session.commit()
        flash(_("Thank you. You can change your answers until %(when)s.", when=_closes(follow_up)), "success")
        return redirect(done)
    return _page(follow_up, form, action)


def _closes(follow_up: FollowUp) -> str:
    """When the follow-up closes, as people read it."""
    return format_when(follow_up.closes_at)


@bp.route("/follow-up/<token>", methods=["GET", "POST"])
@public
def answer_by_link(token: str) -> str | Response | tuple[str, int]:
    """The emailed link: no sign-in needed; the link may be used again to change the answers until it closes."""
    follow_up, why = read_token(token)
    if follow_up is None:
        return render_template("followups/link_closed.html", why=why), 404 if why == "invalid" else 410
    if current_user.is_authenticated and current_user.id != follow_up.user_id:
        return render_template("invites/link_other_person.html"), 403
    url = url_for("followups.answer_by_link", token=token)
    # Someone not signed in who has not picked a language reads the page in the language of their email.
    if not current_user.is_authenticated and "lang" not in flask_session:
        with force_locale(follow_up.user.language or "en"):
            return _handle(follow_up, url, url)
    return _handle(follow_up, url, url)


@bp.route("/sessions/<int:session_id>/follow-up", methods=["GET", "POST"])
@role_required()
def answer_on_site(session_id: int) -> str | Response:
    """The same page from "My sessions", for the signed-in person."""
    follow_up = service.open_follow_up(session_id, current_user)
    if follow_up is None:
        abort(404)
    return _handle(
        follow_up,
        url_for("followups.answer_on_site", session_id=session_id),
        url_for("invites.my_sessions") + f"#session-{session_id}",
    )


@bp.app_context_processor
def follow_up_links() -> dict[str, Any]:
    """`follow_up_for(session_id)`: the open follow-up of the signed-in person for a session (for "My sessions")."""

    def follow_up_for(session_id: int) -> FollowUp | None:
        if not current_user.is_authenticated:
            return None
        if "open_follow_ups" not in g:
            g.open_follow_ups = service.open_by_session(current_user)
        return g.open_follow_ups.get(session_id)

    return {"follow_up_for": follow_up_for}


register_personal_data(service.export_follow_ups, service.erase_follow_ups)
