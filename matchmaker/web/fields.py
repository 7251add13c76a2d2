"""Form fields whose every message is ours (translated, saying how to fix it), for GOV.UK widgets.

WTForms' built-in coercion messages are English only, so these fields never use them.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.gov_form_base import GovFormBase
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovDateInput, GovRadioInput, GovSelect
from wtforms import Field, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import StopValidation, ValidationError

from matchmaker.web.forms import whole_number


class Checkboxes(SelectMultipleField):
    """GOV.UK checkboxes; values are strings, and one not offered (a tampered id) is refused."""

    widget = GovCheckboxesInput()

    def __init__(self, label: Any = None, validators: Any = None, *, invalid: Any, **kwargs: Any) -> None:
        """invalid: the message for a value that was not offered."""
        super().__init__(label, validators, coerce=str, validate_choice=False, **kwargs)
        self.invalid = invalid

    def process_formdata(self, valuelist: list[str]) -> None:
        """Keep the posted strings as they are; pre_validate checks them."""
        self.data = list(dict.fromkeys(valuelist))

    def pre_validate(self, form: Any) -> None:
        """Every value must be one of the choices."""
        allowed = {str(value) for value, *_ in self.choices or []}
        if any(value not in allowed for value in self.data or []):
            raise ValidationError(str(self.invalid))


class Radios(RadioField):
    """GOV.UK radios; a value not offered (a tampered id) is refused with our message."""

    widget = GovRadioInput()

    def __init__(
        self, label: Any = None, validators: Any = None, *, invalid: Any, missing: Any = None, **kwargs: Any
    ) -> None:
        """invalid: the message for a value that was not offered; missing: when nothing is chosen (None: optional)."""
        super().__init__(label, validators, coerce=str, validate_choice=False, **kwargs)
        self.invalid = invalid
        self.missing = missing

    def pre_validate(self, form: Any) -> None:
        """An answer when one is needed, and one of the choices."""
        if self.data in (None, "", "None"):
            if self.missing is not None:
                raise ValidationError(str(self.missing))
            return
        allowed = {str(value) for value, *_ in self.choices or []}
        if self.data not in allowed:
            raise ValidationError(str(self.invalid))


class TranslatedDateInput(GovDateInput):
    """The GOV.UK date input with translated Day / Month / Year labels; survives missing parts."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        """Three inputs named after the field, filled with what was typed."""
        params = GovFormBase.map_gov_params(self, field, **kwargs)
        day, month, year = field.parts
        error = " govuk-input--error" if field.errors else ""
        params.setdefault("fieldset", {}).setdefault("legend", {}).setdefault("text", field.label.text)
        params["items"] = [
            {"label": _("Day"), "id": f"{field.name}-day", "name": field.name, "value": day,
             "classes": "govuk-input--width-2" + error, "inputmode": "numeric"},
            {"label": _("Month"), "id": f"{field.name}-month", "name": field.name, "value": month,
             "classes": "govuk-input--width-2" + error, "inputmode": "numeric"},
            {"label": _("Year"), "id": f"{field.name}-year", "name": field.name, "value": year,
             "classes": "govuk-input--width-4" + error, "inputmode": "numeric"},
        ]  # fmt: skip
        return params


class DateParts(Field):
    """A GOV.UK date input: day, month and year typed in three boxes posted under one name.

    Blank is allowed (data None) unless `missing` is given; every other problem gets one of the
    same messages everywhere, naming the part that is missing or saying the date is not real.
    """

    widget = TranslatedDateInput()

    def __init__(self, label: Any = None, validators: Any = None, *, missing: Any = None, invalid: Any = None,
                 **kwargs: Any) -> None:
        """missing: message when left blank (makes the date required); invalid: message for an impossible date."""
        super().__init__(label, validators, **kwargs)
        self.missing = missing
        self.invalid = invalid
        self.raw_parts: list[str] | None = None

    @property
    def parts(self) -> list[str]:
        """Day, month and year as typed, else from the stored date, else blank."""
        if self.raw_parts is not None:
            return self.raw_parts
        if isinstance(self.data, date):
            return [str(self.data.day), str(self.data.month), str(self.data.year)]
        return ["", "", ""]

    def _value(self) -> str:
        """Not used by the widget; kept for WTForms."""
        return " ".join(self.parts).strip()

    def process_formdata(self, valuelist: list[str]) -> None:
        """Parse day, month and year; say which part is missing or that the date is not real."""
        if not valuelist:
            return
        self.raw_parts = [(v or "").strip() for v in [*valuelist[:3], "", "", ""][:3]]
        day, month, year = self.raw_parts
        self.data = None
        if not any(self.raw_parts):
            return
        if sum(1 for value in self.raw_parts if not value) > 1:
            raise ValueError(_("Enter the full date, like 27 3 2027"))
        if not day:
            raise ValueError(_("The date must include a day"))
        if not month:
            raise ValueError(_("The date must include a month"))
        if not year:
            raise ValueError(_("The date must include a year"))
        if any(whole_number(part, maximum=9999) is None for part in (day, month, year)) or len(year) != 4:
            raise ValueError(_("Enter the date as numbers, like 27 3 2027"))
        try:
            self.data = date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(str(self.invalid or _("The date must be a real date, like 27 3 2027"))) from None

    def pre_validate(self, form: Any) -> None:
        """A required date left blank stops here with its message."""
        if self.missing is not None and not any(self.parts):
            raise StopValidation(str(self.missing))


class Choice(SelectField):
    """A select whose unknown value (a tampered URL) gets a message that says what to do."""

    widget = GovSelect()

    def __init__(self, label: Any = None, *, invalid: Any, **kwargs: Any) -> None:
        """invalid: the message for a value that is not in the list."""
        super().__init__(label, validate_choice=False, **kwargs)
        self.invalid = invalid

    def pre_validate(self, form: Any) -> None:
        """Blank (any) or one of the choices."""
        if self.data and self.data not in {value for value, _label in self.choices}:
            raise ValidationError(self.invalid)


class WholeNumberField(StringField):
    """A whole number between minimum and maximum, with translated messages."""

    def __init__(
        self, label: Any = None, *, minimum: int = 0, maximum: int = 1000, message: Any = None, **kwargs: Any
    ) -> None:
        """message: what to say when the value is missing, not a number, or out of range."""
        super().__init__(label, **kwargs)
        self.minimum = minimum
        self.maximum = maximum
        self.message = message or _l("Enter a whole number")
        self.number: int | None = None

    def process_data(self, value: Any) -> None:
        """Show a stored number."""
        self.data = "" if value is None else str(value)
        self.number = value if isinstance(value, int) else None

    def pre_validate(self, form: Any) -> None:
        """Read the number and check its range."""
        text = (self.data or "").strip()
        number = whole_number(text, maximum=10**9)  # never negative: every count and length starts at 0
        if number is None or not self.minimum <= number <= self.maximum:
            raise StopValidation(str(self.message))
        self.number = number


class DecimalNumberField(StringField):
    """A number (decimals allowed) between minimum and maximum."""

    def __init__(
        self, label: Any = None, *, minimum: float = 0, maximum: float = 100, message: Any = None, **kwargs: Any
    ) -> None:
        """message: what to say when the value is missing, not a number, or out of range."""
        super().__init__(label, **kwargs)
        self.minimum = minimum
        self.maximum = maximum
        self.message = message or _l("Enter a number")
        self.number: float | None = None

    def process_data(self, value: Any) -> None:
        """Show a stored number without a needless '.0'."""
        self.data = "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))

    def pre_validate(self, form: Any) -> None:
        """Read the number and check its range."""
        try:
            number = float((self.data or "").strip())
        except ValueError:
            raise StopValidation(str(self.message)) from None
        if not self.minimum <= number <= self.maximum or number != number:
            raise StopValidation(str(self.message))
        self.number = number


class StrictMultipleField(SelectMultipleField):
    """Several choices; anything not offered (a tampered value) gets our own message."""

    def __init__(self, label: Any = None, *, invalid: Any = None, **kwargs: Any) -> None:
        """invalid: what to say when a value is not one of the choices."""
        kwargs.setdefault("coerce", str)
        super().__init__(label, validate_choice=False, **kwargs)
        self.invalid = invalid or _l("Select from the options shown")

    def pre_validate(self, form: Any) -> None:
        """Every value must be one of the choices."""
        offered = {str(value) for value, *_ in self.iter_choices()}
        if any(str(value) not in offered for value in self.data or []):
            raise ValidationError(str(self.invalid))


def web_address(form: Any, field: Any) -> None:
    """An http:// or https:// address of a site (nothing else: no javascript:, no mailto:)."""
    value = (field.data or "").strip()
    if not value:
        return
    parts = urlsplit(value)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or "." not in host or " " in value:
        raise ValidationError(_("Enter a website address that starts with https://, like https://example.org"))


def https_link(form: Any, field: Any) -> None:
    """A meeting link: blank (use the generated link) or a full https:// address."""
    value = field.data or ""
    if not value:
        return
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc or "." not in parts.netloc or any(c.isspace() for c in value):
        raise ValidationError(
            _l("Enter a full meeting link starting with https://, like https://teams.microsoft.com/...")
        )
