"""The directory: search and filter creative organisations, and read one organisation's page."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from matchmaker.directory import service
from matchmaker.directory.forms import DirectoryFilterForm
from matchmaker.listings.service import LABELS as LISTING_LABELS
from matchmaker.listings.service import listing_for
from matchmaker.models import Role
from matchmaker.web.forms import whole_number
from matchmaker.web.i18n import current_language
from matchmaker.web.pagination import page_links, page_number
from matchmaker.web.security import role_required

bp = Blueprint("directory", __name__, url_prefix="/directory")
readers = role_required(Role.COMMISSIONER, Role.LINK_WORKER, Role.ORGANISER)


@bp.route("")
@readers
def index() -> str:
    """Search by text and filter by condition, art form, board, language and social prescribing link."""
    form = DirectoryFilterForm(formdata=request.args)
    form.fill_choices(current_language())
    form.validate()
    filters = form.valid_filters()
    text = (form.q.data or "")[:200]
    results = service.search(text, page=page_number(request.args.get("page")), **filters)
    text = "" if form.q.errors else (form.q.data or "")[:200]
    results = service.search(text, page=whole_number(request.args.get("page")) or 1, **filters)
    query = {key: value for key, value in {"q": text, **filters}.items() if value}
    pages = page_links(results, "directory.index", **query)
    return render_template("directory/index.html", form=form, results=results, pages=pages, query=query)


@bp.route("/<int:profile_id>")
@readers
def organisation(profile_id: int) -> str:
    """One listed organisation: what it does, where, with whom, and how to reach its people."""
    profile = service.entry(profile_id)
    if profile is None:
        abort(404)
    contacts = service.contacts([profile, *service.colleagues(profile)])
    return render_template(
        "directory/organisation.html",
        profile=profile,
        contacts=contacts,
        listing=listing_for(profile),
        listing_labels=LISTING_LABELS,
    )
