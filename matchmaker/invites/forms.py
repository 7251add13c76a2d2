"""Invite forms: the organiser's meeting link for a session."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import StringField
from wtforms.validators import Length

from matchmaker.web.fields import https_link
from matchmaker.web.forms import BaseForm, submit


def _strip(value: str | None) -> str | None:
    """Trim what people paste around a link."""
    return value.strip() if isinstance(value, str) else value


class JoinLinkForm(BaseForm):
    """Paste a Teams or Zoom link for one session, or clear it to use the generated one."""

    url = StringField(
        _l("Meeting link"),
        widget=GovTextInput(),
        description=_l("Paste a Microsoft Teams or Zoom link. Leave it empty to use the link Cyswllt made."),
        filters=[_strip],
        validators=[Length(max=500, message=_l("Meeting link must be 500 characters or fewer")), https_link],
    )
    submit = submit(_l("Save and tell attendees"))
