"""A meeting link field for each of a round's sessions, in one form."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovTextArea, GovTextInput
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length

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


class GroupMessageForm(BaseForm):
    """The message in English and in Welsh: each person gets it in their language."""

    subject_en = StringField(
        _l("Subject in English"),
        widget=GovTextInput(),
        filters=[_strip],
        validators=[
            InputRequired(message=_l("Enter the subject in English")),
            Length(max=200, message=_l("Subject must be 200 characters or fewer")),
        ],
    )
    body_en = TextAreaField(
        _l("Message in English"),
        widget=GovTextArea(),
        filters=[_strip],
        validators=[
            InputRequired(message=_l("Enter the message in English")),
            Length(max=5000, message=_l("Message must be 5000 characters or fewer")),
        ],
    )
    subject_cy = StringField(
        _l("Subject in Welsh"),
        widget=GovTextInput(),
        filters=[_strip],
        validators=[
            InputRequired(message=_l("Enter the subject in Welsh")),
            Length(max=200, message=_l("Subject must be 200 characters or fewer")),
        ],
    )
    body_cy = TextAreaField(
        _l("Message in Welsh"),
        widget=GovTextArea(),
        filters=[_strip],
        validators=[
            InputRequired(message=_l("Enter the message in Welsh")),
            Length(max=5000, message=_l("Message must be 5000 characters or fewer")),
        ],
    )
