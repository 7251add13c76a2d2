"""Form pieces shared by every feature: GOV.UK widgets, translated messages, strict choices."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField
from wtforms.validators import DataRequired, Email, Length


class BaseForm(FlaskForm):
    """A form whose CSRF token is checked and whose errors are shown in an error summary."""

    class Meta:
        locales = False


def strip(value: str | None) -> str | None:
    """Trim spaces people paste around addresses and names."""
    return value.strip() if isinstance(value, str) else value


def required(message: Any) -> DataRequired:
    """A 'must be filled in' check with our own (translated) message."""
    return DataRequired(message=message)


def email_checks() -> list[Any]:
    """Validators for an email address field."""
    return [
        required(_l("Enter your email address")),
        Length(max=254, message=_l("Email address must be 254 characters or fewer")),
        Email(
            message=_l("Enter an email address in the correct format, like name@example.com"),
            check_deliverability=False,
        ),
    ]


def submit(label: Any) -> SubmitField:
    """A GOV.UK button."""
    return SubmitField(label, widget=GovSubmitInput())


class ConfirmForm(BaseForm):
    """A button-only form (approve, deactivate, sign out...) that still carries a CSRF token."""
