"""Form fields whose every message is ours (translated, saying how to fix it), for GOV.UK widgets."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlsplit

from flask_babel import gettext as _
from govuk_frontend_wtf.gov_form_base import GovFormBase
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovDateInput, GovRadioInput
from wtforms import Field, RadioField, SelectMultipleField
from wtforms.validators import ValidationError

from matchmaker.forms import whole_number


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
        allowed = {str(value) for value, _label in self.choices or []}
        if any(value not in allowed for value in self.data or []):
            raise ValidationError(self.invalid)


class Radios(RadioField):
    """GOV.UK radios; a value not offered (a tampered id) is refused with our message."""

    widget = GovRadioInput()

    def __init__(self, label: Any = None, validators: Any = None, *, invalid: Any, **kwargs: Any) -> None:
        """invalid: the message for a value that was not offered."""
        super().__init__(label, validators, coerce=str, validate_choice=False, **kwargs)
        self.invalid = invalid

    def pre_validate(self, form: Any) -> None:
        """The value, if any, must be one of the choices."""
        allowed = {str(value) for value, _label in self.choices or []}
        if self.data not in (None, "") and self.data not in allowed:
            raise ValidationError(self.invalid)


class TranslatedDateInput(GovDateInput):
    """The GOV.UK date input with translated Day / Month / Year labels; survives missing parts."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        """Three inputs named after the field, filled with what was typed."""
        params = GovFormBase.map_gov_params(self, field, **kwargs)
        day, month, year = field.parts()
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
    """A date typed as day, month and year (three inputs with one name)."""

    widget = TranslatedDateInput()

    def parts(self) -> tuple[str, str, str]:
        """Day, month and year as typed (or from the stored date)."""
        if self.raw_data:
            values = [*self.raw_data[:3], "", "", ""][:3]
            return values[0], values[1], values[2]
        if self.data:
            return str(self.data.day), str(self.data.month), str(self.data.year)
        return "", "", ""

    def _value(self) -> str:
        """Not used by the widget; kept for WTForms."""
        return " ".join(self.parts()).strip()

    def process_formdata(self, valuelist: list[str]) -> None:
        """Parse day, month and year; say which part is missing or that the date is not real."""
        self.raw_data = [v.strip() for v in [*valuelist[:3], "", "", ""][:3]]
        day, month, year = self.raw_data
        self.data = None
        if not any(self.raw_data):
            return
        if sum(1 for value in self.raw_data if not value) > 1:
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
            raise ValueError(_("The date must be a real date, like 27 3 2027")) from None


def web_address(form: Any, field: Any) -> None:
    """An http:// or https:// address of a site (nothing else: no javascript:, no mailto:)."""
    value = (field.data or "").strip()
    if not value:
        return
    parts = urlsplit(value)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or "." not in host or " " in value:
        raise ValidationError(_("Enter a website address that starts with https://, like https://example.org"))
