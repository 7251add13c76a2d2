"""Organiser forms for accounts: rejecting one with a reason, inviting another organiser."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextArea, GovTextInput
from wtforms import EmailField, RadioField, StringField, TextAreaField
from wtforms.validators import Length

from matchmaker.web.forms import BaseForm, email_checks, required, strip, submit
from matchmaker.web.labels import LANGUAGE_CHOICES


class RejectForm(BaseForm):
    """An organiser's reason for rejecting an account (emailed to the person)."""

    reason = TextAreaField(
        _l("Reason (sent to the person)"),
        widget=GovTextArea(),
        validators=[
            required(_l("Enter the reason for rejecting this account")),
            Length(max=2000, message=_l("Reason must be 2000 characters or fewer")),
        ],
    )
    submit = submit(_l("Reject account"))


class NewOrganiserForm(BaseForm):
    """An organiser invites another organiser."""

    name = StringField(
        _l("Full name"),
        widget=GovTextInput(),
        validators=[
            required(_l("Enter their full name")),
            Length(max=200, message=_l("Name must be 200 characters or fewer")),
        ],
    )
    email = EmailField(_l("Email address"), widget=GovTextInput(), validators=email_checks(), filters=[strip])
    language = RadioField(
        _l("Which language should we use for their emails?"),
        widget=GovRadioInput(),
        choices=LANGUAGE_CHOICES,
        default="en",
        validators=[required(_l("Select a language"))],
    )
    submit = submit(_l("Invite organiser"))
