"""The filters on the list of sessions with room (a GET form: nothing changes, so no CSRF token)."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from matchmaker.models import Condition, HealthBoard
from matchmaker.reference.service import active_rows
from matchmaker.web.fields import Choice
from matchmaker.web.forms import BaseForm
from matchmaker.web.i18n import format_day
from matchmaker.web.labels import LANGUAGES

SESSION_LANGUAGES = ("en", "cy")


class JoinFilterForm(BaseForm):
    """Condition, day, language and health board; an unknown value (a tampered URL) is shown as an error."""

    class Meta:
        csrf = False

    condition = Choice(_l("Condition or group"), invalid=_l("Choose a condition from the list"))
    day = Choice(_l("Date"), invalid=_l("Choose a date from the list"))
    language = Choice(_l("Language"), invalid=_l("Choose a language from the list"))
    health_board = Choice(_l("Health board area"), invalid=_l("Choose a health board from the list"))

    def fill_choices(self, language: str, days: list[date]) -> None:
        """Slug choices in the reader's language and the days that have sessions, each list starting with 'Any'."""
        anything = [("", _l("Any"))]
        self.condition.choices = anything + [(row.slug, row.name(language)) for row in active_rows(Condition)]
        self.day.choices = [("", _l("Any date"))] + [(day.isoformat(), format_day(day, language)) for day in days]
        self.language.choices = anything + [(code, label) for code, label in LANGUAGES if code in SESSION_LANGUAGES]
        self.health_board.choices = anything + [(row.slug, row.name(language)) for row in active_rows(HealthBoard)]

    def valid_filters(self) -> dict[str, str]:
        """The filters that passed validation (a bad one is dropped, and its error shown)."""
        return {
            name: getattr(self, name).data
            for name in ("condition", "day", "language", "health_board")
            if getattr(self, name).data and not getattr(self, name).errors
        }
