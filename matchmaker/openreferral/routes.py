"""The Open Referral UK feed: read-only JSON for anyone (CORS *), with ETag / Last-Modified and 304s.

Also the short page for developers of other directories that says what the feed holds.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request, send_file

from matchmaker.openreferral import service
from matchmaker.web.forms import whole_number
from matchmaker.web.security import public
from matchmaker.web.urls import external_url

bp = Blueprint("openreferral", __name__, url_prefix="/openreferral")
SCHEMAS = Path(__file__).resolve().parent / "schemas"


@bp.after_request
def allow_any_origin(response: Response) -> Response:
    """Any other directory's web page may read the feed."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
    return response


def _json(document: Any, last_modified: datetime | None = None, status: int = 200) -> Response:
    """A JSON response with a strong ETag over its body (and Last-Modified), answering 304 when unchanged."""
    body = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    response = current_app.response_class(body, status=status, mimetype="application/json")
    if status != 200:
        return response
    response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    if last_modified is not None:
        response.last_modified = last_modified.astimezone(UTC).replace(microsecond=0)
    response.headers.setdefault("Cache-Control", "public, max-age=300")
    return response.make_conditional(request)


def _error(status: int, message: str) -> Response:
    return _json({"error": message}, status=status)


def _paging() -> tuple[int, int] | None:
    """page and per_page from the query (defaults 1 and 50, at most 200 a page), or None if malformed."""
    page_text, size_text = request.args.get("page"), request.args.get("per_page")
    page = whole_number(page_text) if page_text is not None else 1
    per_page = whole_number(size_text, maximum=service.MAX_PER_PAGE) if size_text is not None else service.PER_PAGE
    if not page or not per_page:
        return None
    return page, per_page


@bp.route("/")
@public
def root() -> Response:
    """What this API is: the HSDS version, the profile and the OpenAPI document."""
    return _json(
        {
            "version": service.HSDS_VERSION,
            "profile": service.PROFILE_URL,
            "openapi_url": external_url("openreferral.openapi"),
        }
    )


@bp.route("/openapi.json")
@public
def openapi() -> Response:
    """The UK profile's OpenAPI document this feed implements (vendored, unchanged)."""
    response = send_file(SCHEMAS / "openapi.json", mimetype="application/json", max_age=3600)
    return response.make_conditional(request)


@bp.route("/services")
@public
def services() -> Response:
    """Services, paged, with search, taxonomy_term_id, taxonomy_id and modified_after."""
    paging = _paging()
    if paging is None:
        return _error(400, "page and per_page must be whole numbers from 1 (per_page at most 200)")
    modified_after = None
    if request.args.get("modified_after"):
        try:
            modified_after = datetime.fromisoformat(request.args["modified_after"].strip().replace("Z", "+00:00"))
        except ValueError:
            return _error(400, "modified_after must be an ISO 8601 date-time")
        if modified_after.tzinfo is None:
            modified_after = modified_after.replace(tzinfo=UTC)
    page = service.services(
        search=request.args.get("search", "")[:200],
        term_uuid=request.args.get("taxonomy_term_id") or None,
        taxonomy_uuid=request.args.get("taxonomy_id") or None,
        modified_after=modified_after,
        page=paging[0],
        per_page=paging[1],
    )
    return _json(page.envelope(), service.newest_change())


@bp.route("/services/<service_id>")
@public
def service_detail(service_id: str) -> Response:
    """One fully nested service."""
    document = service.service(service_id[:64])
    if document is None:
        return _error(404, "no such service")
    return _json(document, datetime.fromisoformat(document["last_modified"].replace("Z", "+00:00")))


@bp.route("/taxonomies")
@public
def taxonomies() -> Response:
    """Our taxonomies (conditions, art forms), each with its terms."""
    paging = _paging()
    if paging is None:
        return _error(400, "page and per_page must be whole numbers from 1 (per_page at most 200)")
    return _json(service.taxonomies(*paging).envelope())


@bp.route("/taxonomies/<taxonomy_id>")
@public
def taxonomy_detail(taxonomy_id: str) -> Response:
    """One taxonomy with its terms."""
    found = [t for t in service.taxonomies(1, service.MAX_PER_PAGE).contents if t["id"] == taxonomy_id]
    if not found:
        return _error(404, "no such taxonomy")
    return _json(found[0])


@bp.route("/taxonomy_terms")
@public
def taxonomy_terms() -> Response:
    """Every term, paged (taxonomy_id narrows to one taxonomy)."""
    paging = _paging()
    if paging is None:
        return _error(400, "page and per_page must be whole numbers from 1 (per_page at most 200)")
    return _json(service.taxonomy_terms(*paging, taxonomy_uuid=request.args.get("taxonomy_id") or None).envelope())


@bp.route("/taxonomy_terms/<term_id>")
@public
def taxonomy_term(term_id: str) -> Response:
    """One taxonomy term."""
    document = service.taxonomy_term(term_id[:64])
    if document is None:
        return _error(404, "no such taxonomy term")
    return _json(document)


@bp.route("/about")
@public
def about() -> str:
    """For developers of other directories: what the feed holds and how to read it."""
    return render_template(
        "openreferral/about.html",
        root_url=external_url("openreferral.root"),
        taxonomies=service.taxonomies(1, service.MAX_PER_PAGE).contents,
    )
