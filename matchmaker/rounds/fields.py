"""The round forms' own field: a time of day typed as 10:00, 14:30 or 2pm (the rest are in web.fields)."""

from __future__ import annotations

from datetime import time
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import StopValidation

from matchmaker.rounds.slots import TimeFormatError, parse_time


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
