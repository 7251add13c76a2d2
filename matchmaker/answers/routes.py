"""The organiser's answers page for a round: every invitation's answer, filterable, and short sessions."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from matchmaker.answers import service
from matchmaker.answers.forms import DigestForm
from matchmaker.extensions import db
from matchmaker.models import Round
from matchmaker.web.i18n import current_language
from matchmaker.web.pagination import clamp, page_links, page_number
from matchmaker.web.security import organiser_only

bp = Blueprint("answers", __name__, url_prefix="/organiser/rounds/<int:round_id>/answers")
PAGE_SIZE = 100  # invitations listed a page (an L-sized round has 3,674)


def _round(round_id: int) -> Round:
    """The round, or 404."""
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        abort(404)
    return round_


def _page(round_: Round, form: DigestForm) -> str:
    """The answers page with the filters from the query string."""
    answer = request.args.get("answer", "")
    answer = answer if answer in service.FILTERS else ""
    slugs = {c.slug for c in round_.conditions}
    condition = request.args.get("condition", "")
    condition = condition if condition in slugs else ""
    rows = service.answers(round_, answer, condition)
    paging = clamp(len(rows), page_number(request.args.get("page")), PAGE_SIZE)
    query = {key: value for key, value in (("answer", answer), ("condition", condition)) if value}
    return render_template(
        "answers/index.html",
        round=round_,
        rows=rows,
        page_rows=rows[paging.offset : paging.offset + paging.per_page],
        paging=paging,
        pages=page_links(paging, "answers.index", round_id=round_.id, **query),
        query=query,
        counts=service.counts(round_),
        short=service.short_sessions(round_),
        conditions=[(c.slug, c.name(current_language())) for c in round_.conditions],
        filters={"answer": answer, "condition": condition, "active": bool(answer or condition)},
        form=form,
    )


@bp.route("/")
@organiser_only
def index(round_id: int) -> str:
    """Every invitation's answer (accepted, declined, not answered), filterable by answer and condition."""
    round_ = _round(round_id)
    form = DigestForm(data={"digest": "daily" if round_.decline_digest else "each"})
    return _page(round_, form)


@bp.route("/sessions.csv")
@organiser_only
def export(round_id: int) -> Response:
    """Published sessions with everyone invited and their answers, as CSV (UTF-8 with a byte order mark)."""
    round_ = _round(round_id)
    return Response(
        "\ufeff" + service.sessions_csv(round_, current_language()),
        mimetype="text/csv",
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="round-{round_.id}-sessions.csv"'},
    )


@bp.route("/digest", methods=["POST"])
@organiser_only
def digest(round_id: int) -> Response | str:
    """Choose one email per decline or a daily digest."""
    round_ = _round(round_id)
    form = DigestForm()
    if not form.validate_on_submit():
        return _page(round_, form)
    service.set_digest(round_, form.digest.data == "daily")
    db.session.commit()
    flash(_("Saved. Declines reach the organiser mailbox as you chose."), "success")
    return redirect(url_for("answers.index", round_id=round_.id))
