"""Organisers import organisations from a CSV: upload, a preview listing every problem, then confirm."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from matchmaker.extensions import db
from matchmaker.imports import service
from matchmaker.imports.forms import UploadForm
from matchmaker.saved_answers.service import saved
from matchmaker.web.forms import ConfirmForm
from matchmaker.web.i18n import current_language
from matchmaker.web.security import organiser_only

bp = Blueprint("imports", __name__, url_prefix="/organiser/import")
KEY = "organisations_import"


@bp.url_value_preprocessor
def allow_a_larger_file(endpoint: str | None, values: dict | None) -> None:
    """A spreadsheet of thousands of organisations is bigger than any form: IMPORT_MAX_BYTES for the upload.

    Set here because URL value preprocessors run before every before_request function (the CSRF
    check reads the body in one); other pages keep MAX_CONTENT_LENGTH.
    """
    if endpoint == "imports.upload":
        request.max_content_length = current_app.config["IMPORT_MAX_BYTES"]


@bp.route("", methods=["GET", "POST"])
@organiser_only
def upload() -> Response | str:
    """Upload a file; the preview lists every problem by row and column, and writes nothing."""
    form = UploadForm()
    if form.validate_on_submit():
        text = service.decode(form.file.data.read())
        if text is None:
            form.file.errors = [str(service.MESSAGES["encoding"])]
            return render_template("imports/upload.html", form=form)
        result = service.preview(text)
        if result.problems:
            saved.pop(KEY, None)
        else:
            saved[KEY] = {"text": text}
        return render_template("imports/preview.html", result=result, confirm=ConfirmForm(), columns=service.COLUMNS)
    return render_template("imports/upload.html", form=form)


@bp.route("/confirm", methods=["POST"])
@organiser_only
def confirm() -> Response:
    """Import the checked file (checked again: it is idempotent by email)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    stored = saved.get(KEY)
    if not stored:
        flash(_("Upload the file again: there is nothing waiting to be imported."), "info")
        return redirect(url_for("imports.upload"))
    try:
        created = service.apply(stored["text"], current_language())
    except ValueError:
        db.session.rollback()
        flash(_("The file has problems now (the data changed since it was checked). Upload it again."), "info")
        return redirect(url_for("imports.upload"))
    db.session.commit()
    saved.pop(KEY, None)
    flash(_("Organisations imported: %(num)d. Each contact has been emailed an invitation.", num=created), "success")
    return redirect(url_for("imports.upload"))


@bp.route("/template.csv")
@organiser_only
def template() -> Response:
    """The template: the columns and one example row."""
    return Response(
        service.template_csv(),
        mimetype="text/csv",
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="organisations-template.csv"'},
    )
