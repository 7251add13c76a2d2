"""Organiser pages for reference data: list, edit, add conditions and art forms."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.audit import service as audit
from matchmaker.extensions import db
from matchmaker.models import Condition, ConditionKind
from matchmaker.reference import service
from matchmaker.reference.forms import ConditionForm, NewArtFormForm, NewConditionForm, ReferenceForm
from matchmaker.web.security import organiser_only

bp = Blueprint("reference", __name__, url_prefix="/organiser/reference")


def _kind_or_404(key: str) -> service.Kind:
    """The kind named in the URL."""
    kind = service.KINDS.get(key)
    if kind is None:
        abort(404)
    return kind


def _check_names(form: ReferenceForm, kind: service.Kind, exclude_id: int | None = None) -> bool:
    """Add an error to each name another row of this kind already has; True if none clash."""
    clear = True
    for column, field in (("name_en", form.name_en), ("name_cy", form.name_cy)):
        if service.name_taken(kind.model, column, field.data, exclude_id):
            field.errors.append(kind.duplicate)
            clear = False
    return clear


@bp.route("/")
@organiser_only
def index() -> str:
    """Conditions, art forms and health boards, each in a table."""
    tables = [(kind, service.rows(kind.model)) for kind in service.KINDS.values()]
    return render_template("reference/index.html", tables=tables)


@bp.route("/<key>/new", methods=["GET", "POST"])
@organiser_only
def new(key: str) -> Response | str:
    """Add a condition or an art form (the seven health boards are fixed)."""
    kind = _kind_or_404(key)
    if not kind.can_add:
        abort(404)
    form = NewConditionForm() if kind.model is Condition else NewArtFormForm()
    if not form.is_submitted():
        form.position.data = str(service.next_position(kind.model))
        form.active.data = True
    if form.validate_on_submit() and _check_names(form, kind):
        slug = (form.slug.data or "").strip() or service.slugify(form.name_en.data)
        if not slug:
            form.slug.errors = [_("Enter an identifier, like long-covid")]
        elif service.slug_taken(kind.model, slug):
            form.slug.errors = [_("This identifier is already used. Choose a different one")]
        else:
            row = kind.model(slug=slug)
            _fill(row, form)
            db.session.add(row)
            db.session.flush()
            audit.record(current_user, "reference_added", row)
            db.session.commit()
            flash(_("%(name)s has been added.", name=row.name_en), "success")
            return redirect(url_for("reference.index") + f"#{kind.key}")
    return render_template("reference/edit.html", form=form, kind=kind, row=None)


@bp.route("/<key>/<int:row_id>", methods=["GET", "POST"])
@organiser_only
def edit(key: str, row_id: int) -> Response | str:
    """Change names, order and whether people can choose it; the identifier never changes."""
    kind = _kind_or_404(key)
    row = db.session.get(kind.model, row_id)
    if row is None:
        abort(404)
    form = ConditionForm(obj=row) if kind.model is Condition else ReferenceForm(obj=row)
    if not form.is_submitted():
        form.position.data = str(row.position)
        if kind.model is Condition:
            form.kind.data = row.kind.value
    if form.validate_on_submit() and _check_names(form, kind, exclude_id=row.id):
        _fill(row, form)
        audit.record(current_user, "reference_edited", row)
        db.session.commit()
        flash(_("%(name)s has been saved.", name=row.name_en), "success")
        return redirect(url_for("reference.index") + f"#{kind.key}")
    return render_template("reference/edit.html", form=form, kind=kind, row=row)


def _fill(row: object, form: ReferenceForm) -> None:
    """Copy the form onto a row."""
    row.name_en = form.name_en.data.strip()
    row.name_cy = form.name_cy.data.strip()
    row.position = int(form.position.data.strip())
    row.active = bool(form.active.data)
    if isinstance(form, ConditionForm):
        row.kind = ConditionKind(form.kind.data)
