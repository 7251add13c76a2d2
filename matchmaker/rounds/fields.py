"""Form fields with our own translated messages: GOV.UK dates, times, whole numbers, strict choices.

WTForms' built-in coercion messages are English only, so these fields never use them.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, SelectMultipleField, StringField
from wtforms.validators import StopValidation, ValidationError

from matchmaker.forms import whole_number
from matchmaker.rounds.slots import TimeFormatError, parse_time


class DatePartsField(Field):
    """A GOV.UK date input: three boxes (day, month, year) posted under one name."""

    def __init__(self, label: Any = None, *, missing: Any = None, invalid: Any = None, **kwargs: Any) -> None:
        """missing: message when blank; invalid: message when not a real date."""
        super().__init__(label, **kwargs)
        self.missing = missing or _l("Enter a date")
        self.invalid = invalid or _l("Enter a real date, for example 1 3 2027")
        self.parts: list[str] = ["", "", ""]

    def process_formdata(self, valuelist: list[str]) -> None:
        """Keep what was typed; turn it into a date when it is one."""
        if valuelist:
            self.parts = [(v or "").strip() for v in (list(valuelist) + ["", "", ""])[:3]]
            self.data = None
            try:
                day, month, year = (int(p) for p in self.parts)
                if year >= 1000:
                    self.data = date(year, month, day)
            except (ValueError, OverflowError):
                self.data = None

    def process_data(self, value: date | None) -> None:
        """Fill the boxes from a stored date."""
        self.data = value
        if value:
            self.parts = [str(value.day), str(value.month), str(value.year)]

    def pre_validate(self, form: Any) -> None:
        """Blank or impossible dates stop here with a message that says what to type."""
        if not any(self.parts):
            raise StopValidation(str(self.missing))
        if self.data is None:
            raise StopValidation(str(self.invalid))


class TimeField(StringField):
    """A time of day typed as 10:00, 14:30 or 2pm."""

    def __init__(self, label: Any = None, *, missing: Any = None, **kwargs: Any) -> None:
        """missing: message when blank."""
        super().__init__(label, **kwargs)
        self.missing = missing or _l("Enter a time")
        self.time: time | None = None

    def pre_validate(self, form: Any) -> None:
        """Read the time or say how to type it."""
        text = (self.data or "").strip()
        if not text:
            raise StopValidation(str(self.missing))
        try:
            self.time = parse_time(text)
        except TimeFormatError:
            raise StopValidation(str(_l("Enter a time like 10:00 or 14:30"))) from None

    def process_data(self, value: Any) -> None:
        """Show a stored time as HH:MM."""
        if isinstance(value, time):
            self.time = value
            self.data = value.strftime("%H:%M")
        else:
            self.data = value


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
        number = whole_number(self.data, maximum=10**9)  # never negative: every count and length starts at 0
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
