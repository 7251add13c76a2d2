"""Join a session: sessions with room for a commissioner or link worker, taking a place, the confirmation."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from matchmaker.forms import ConfirmForm, whole_number
from matchmaker.i18n import current_language
from matchmaker.joining import messages, service
from matchmaker.joining.forms import JoinFilterForm
from matchmaker.models import Role
from matchmaker.security import role_required

bp = Blueprint("joining", __name__, url_prefix="/join")
joiners = role_required(Role.COMMISSIONER, Role.LINK_WORKER)


def _day(text: str | None) -> date | None:
    """A date from 'YYYY-MM-DD', or None."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@bp.route("")
@joiners
def index() -> str:
    """Published sessions with room for the person's role, filtered, a page at a time."""
    form = JoinFilterForm(formdata=request.args)
    days = service.days_with_room(current_user)
    asked = _day(request.args.get("day"))
    if asked is not None and asked not in days:
        days = sorted([*days, asked])  # a day that filled up since is no error: it just has nothing now
    form.fill_choices(current_language(), days)
    form.validate()
    filters = form.valid_filters()
    page = request.args.get("page", "1")
    listing = service.browse(
        current_user,
        condition=filters.get("condition"),
        day=_day(filters.get("day")),
        language=filters.get("language"),
        health_board=filters.get("health_board"),
        page=whole_number(page) or 1,
    )
    pages = [
        {
            "number": number,
            "href": url_for("joining.index", page=number, **filters),
            "current": number == listing.page,
            "visuallyHiddenText": _("Page %(number)d", number=number),
        }
        for number in range(1, listing.pages + 1)
    ]
    return render_template(
        "joining/index.html",
        form=form,
        listing=listing,
        pages=pages,
        query=filters,
        confirm=ConfirmForm(),
        messages=messages,
        role=current_user.role.value,
    )


@bp.route("/<int:session_id>", methods=["POST"])
@joiners
def join(session_id: int) -> Response | tuple[str, int]:
    """Take a place in one click; the confirmation page after, or why not (with other sessions to try)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    role = current_user.role.value
    outcome = service.join(current_user, session_id)
    if outcome.session is None:
        abort(404)
    if outcome.refusal is None:
        return redirect(url_for("joining.joined", session_id=session_id))
    page = render_template(
        "joining/refused.html",
        session=outcome.session,
        heading=messages.heading(outcome.refusal),
        message=messages.explain(outcome.refusal, outcome.session, role),
        refusal=outcome.refusal,
        others=service.alternatives(current_user, outcome.session),
        confirm=ConfirmForm(),
        messages=messages,
        role=role,
    )
    return page, 409


@bp.route("/<int:session_id>/joined")
@joiners
def joined(session_id: int) -> str:
    """The confirmation: the place is theirs and the invitation is on its way."""
    session = service.joined(current_user, session_id)
    if session is None:
        abort(404)
    return render_template("joining/joined.html", session=session, messages=messages)
