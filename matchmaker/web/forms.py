"""Form pieces shared by every feature: GOV.UK widgets, translated messages, strict choices."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import Field, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length

from matchmaker.web.text import has_control_characters

# Caps applied to every submitted value before any validator or route sees it.
MAX_LINE_LENGTH = 1000
MAX_TEXT_LENGTH = 10000
MAX_ID = 2**31 - 1  # the largest id an integer column holds on PostgreSQL

def input_problem(field: Field) -> Any:
    """A message if what was submitted for this field is too long or holds control characters, else None."""
    multi_line = isinstance(field, TextAreaField)
    limit = MAX_TEXT_LENGTH if multi_line else MAX_LINE_LENGTH
    for value in field.raw_data or ():
        if not isinstance(value, str):
            continue
        if len(value) > limit:
            return _l("This answer must be %(n)d characters or fewer", n=limit)
        if has_control_characters(value, multi_line=multi_line):
            if multi_line:
                return _l("Remove the hidden control characters from this answer")
            return _l("Enter this answer on one line, without line breaks or hidden control characters")
    return None


def whole_number(value: Any, *, maximum: int = MAX_ID) -> int | None:
    """A query or form value as a whole number from 0 to maximum, or None (no '²', no 30-digit ids)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > len(str(maximum)) or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if number <= maximum else None


class BaseForm(FlaskForm):
    """A form whose CSRF token is checked and whose errors are shown in an error summary.

    Every submitted value is checked for length and control characters first; a form with
    such a value stops there, so no validator, query or email ever sees it.
    """

    class Meta:
        locales = False

    def validate(self, extra_validators: Any = None) -> bool:
        """Refuse over-long values and control characters, then run the usual validators."""
        problems = {name: message for name, field in self._fields.items() if (message := input_problem(field))}
        if not problems:
            return super().validate(extra_validators)
        for name, field in self._fields.items():
            field.errors = list(field.process_errors)
            if name in problems:
                field.errors.append(str(problems[name]))
        return False


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
