"""The upload form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput

from matchmaker.web.forms import BaseForm, submit


class UploadForm(BaseForm):
    """A CSV file of organisations."""

    file = FileField(
        _l("Upload a CSV file"),
        widget=GovFileInput(),
        validators=[FileRequired(_l("Select a CSV file"))],
    )
    check = submit(_l("Check the file"))
