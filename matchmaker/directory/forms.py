"""The directory's search and filter form (a GET form: nothing changes, so no CSRF token)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextInput
from wtforms import SelectField, StringField
from wtforms.validators import Length, ValidationError

from matchmaker.forms import BaseForm
from matchmaker.models import ArtForm, Condition, HealthBoard
from matchmaker.profiles.forms import LANGUAGES
from matchmaker.reference.service import active_rows


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


class DirectoryFilterForm(BaseForm):
    """Text search and the five filters."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Search by name or description"),
        widget=GovTextInput(),
        validators=[Length(max=200, message=_l("Search must be 200 characters or fewer"))],
    )
    condition = Choice(_l("Condition or group"), invalid=_l("Choose a condition from the list"))
    art_form = Choice(_l("Art form"), invalid=_l("Choose an art form from the list"))
    health_board = Choice(_l("Health board area"), invalid=_l("Choose a health board from the list"))
    language = Choice(_l("Language"), invalid=_l("Choose a language from the list"))
    link = Choice(_l("Link with social prescribing"), invalid=_l("Choose a link with social prescribing from the list"))

    def fill_choices(self, language: str) -> None:
        """Slug choices in the reader's language, each list starting with 'Any'."""
        anything = [("", _l("Any"))]
        for field, model in ((self.condition, Condition), (self.art_form, ArtForm), (self.health_board, HealthBoard)):
            field.choices = anything + [(row.slug, row.name(language)) for row in active_rows(model)]
        self.language.choices = anything + list(LANGUAGES)
        self.link.choices = anything + [
            ("formal", _l("Takes formal referrals")),
            ("informal", _l("Informal links")),
            ("none", _l("No link yet")),
        ]

    def valid_filters(self) -> dict[str, str]:
        """The filters that passed validation (a bad one is dropped, and its error shown)."""
        return {
            name: getattr(self, name).data
            for name in ("condition", "art_form", "health_board", "language", "link")
            if getattr(self, name).data and not getattr(self, name).errors
        }
