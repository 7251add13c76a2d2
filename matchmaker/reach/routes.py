"""The reach and outcomes report: the page (printable), a CSV of each table, the aggregates as JSON."""

from __future__ import annotations

from flask import Blueprint, Response, abort, json, render_template, request
from flask_login import current_user

from matchmaker.audit import service as audit
from matchmaker.extensions import db
from matchmaker.models import Role, utcnow
from matchmaker.reach import service
from matchmaker.web.forms import whole_number
from matchmaker.web.i18n import current_language
from matchmaker.web.security import role_required

bp = Blueprint("reach", __name__)


def _round_id() -> int | None:
    """The round asked for (?round=<id>), or None for every round; anything else is a 404."""
    value = request.args.get("round", "")
    if not value:
        return None
    number = whole_number(value)
    if number is None:
        abort(404)
    return number


def _download(body: str, mimetype: str, filename: str) -> Response:
    """An attachment that no cache keeps."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Type"] = f"{mimetype}; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/organiser/reach")
@role_required(Role.ORGANISER, Role.COMMISSIONER)
def report() -> str:
    """The report: the funnel, reach, round over round and outcomes, each as a chart and a table."""
    round_id = _round_id()
    data = service.report_for(current_user, round_id)
    if round_id is not None and not data.rounds:
        abort(404)
    language = current_language()
    choices = [(r.id, r.title(language)) for r in service.report_rounds()]
    return render_template(
        "reach/report.html", report=data, round_id=round_id, round_choices=choices, shown_count=service.shown
    )


@bp.route("/organiser/reach/<key>.csv")
@role_required(Role.ORGANISER, Role.COMMISSIONER)
def table_csv(key: str) -> Response:
    """One table as CSV, small counts hidden."""
    round_id = _round_id()
    data = service.export_report(current_user, round_id)
    table = data.table(key)
    if table is None:
        abort(404)
    audit.record(current_user, "reach_exported", None, {"table": key, "round": round_id})
    db.session.commit()
    return _download(service.table_csv(table), "text/csv", f"cyswllt-reach-{key}-{utcnow():%Y-%m-%d}.csv")


@bp.route("/organiser/reach.json")
@role_required(Role.ORGANISER, Role.COMMISSIONER)
def report_json() -> Response:
    """Every table's aggregates as JSON, small counts hidden, no personal data."""
    round_id = _round_id()
    data = service.export_report(current_user, round_id)
    audit.record(current_user, "reach_exported", None, {"table": "json", "round": round_id})
    db.session.commit()
    body = json.dumps(service.report_json(data), ensure_ascii=False, indent=2)
    return _download(body, "application/json", f"cyswllt-reach-{utcnow():%Y-%m-%d}.json")
