"""The organiser's audit log: filter by action and person, page through, download as CSV."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import gettext as _

from matchmaker.audit import service
from matchmaker.models import Role, utcnow
from matchmaker.web.csv_export import csv_text
from matchmaker.web.forms import whole_number
from matchmaker.web.i18n import to_london
from matchmaker.web.security import role_required

bp = Blueprint("audit", __name__, url_prefix="/organiser")
organiser_only = role_required(Role.ORGANISER)


def _filters() -> service.Filters:
    """The filters from the query string; anything not offered is ignored."""
    action = request.args.get("action", "")
    return service.Filters(
        action=action if action in service.ACTIONS else None,
        actor=whole_number(request.args.get("actor")),
    )


@bp.route("/audit")
@organiser_only
def index() -> str:
    """The newest events first, 50 a page."""
    filters = _filters()
    events, page, pages = service.page_of(filters, whole_number(request.args.get("page"), maximum=100_000) or 1)
    query = {"action": filters.action or "", "actor": filters.actor or ""}
    return render_template(
        "audit/index.html",
        events=events,
        filters=filters,
        actions=service.ACTIONS,
        actors=service.actors(),
        target_label=service.target_label,
        page=page,
        pages=pages,
        csv_url=url_for("audit.export", **{k: v for k, v in query.items() if v}),
        page_url=lambda number: url_for("audit.index", page=number, **{k: v for k, v in query.items() if v}),
    )


@bp.route("/audit.csv")
@organiser_only
def export() -> Response:
    """The filtered events as CSV (Wales time), for a spreadsheet."""
    rows: list[list[object]] = [[_("When (Wales time)"), _("Who"), _("Account"), _("What"), _("Target"), _("From")]]
    for event in service.all_of(_filters()):
        rows.append(
            [
                f"{to_london(event.created_at):%Y-%m-%d %H:%M:%S}",
                event.actor.name if event.actor else "",
                event.actor_id or "",
                str(service.ACTIONS.get(event.action, event.action)),
                service.target_label(event),
                event.ip_address or "",
            ]
        )
    response = Response(csv_text(rows, bom=True), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="cyswllt-audit-{utcnow():%Y-%m-%d}.csv"'
    return response
