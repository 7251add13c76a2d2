"""A meeting link field for each of a round's sessions, in one form."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import StringField
from wtforms.validators import Length

from matchmaker.web.fields import https_link
from matchmaker.web.forms import BaseForm


def _strip(value: str | None) -> str | None:
    """Trim what people paste around a link."""
    return value.strip() if isinstance(value, str) else value


def links_form(sessions: list[tuple[int, str]], data: dict[str, str] | None = None) -> Any:
    """A form with one meeting link field per session (id, label), named link_<id>."""
    fields = {
        f"link_{session_id}": StringField(
            label,
            widget=GovTextInput(),
            filters=[_strip],
            validators=[Length(max=500, message=_l("Meeting link must be 500 characters or fewer")), https_link],
        )
        for session_id, label in sessions
    }
    form_class = type("MeetingLinksForm", (BaseForm,), fields)
    return form_class(data=data)
