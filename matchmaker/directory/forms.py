"""The directory's search and filter form (a GET form: nothing changes, so no CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import StringField
from wtforms.validators import Length

from matchmaker.models import ArtForm, Condition, HealthBoard
from matchmaker.reference.service import active_rows
from matchmaker.web.fields import Choice
from matchmaker.web.forms import BaseForm
from matchmaker.web.labels import LANGUAGES, ORGANISATION_KINDS


class DirectoryFilterForm(BaseForm):
    """Text search and the six filters."""

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
    kind = Choice(_l("Kind of organisation"), invalid=_l("Choose a kind of organisation from the list"))

    def fill_choices(self, language: str) -> None:
        """Slug choices in the reader's language, each list starting with 'Any'."""
        anything = [("", _l("Any"))]
        for field, model in ((self.condition, Condition), (self.art_form, ArtForm), (self.health_board, HealthBoard)):
            field.choices = anything + [(row.slug, row.name(language)) for row in active_rows(model)]
        self.language.choices = anything + list(LANGUAGES)
        self.kind.choices = anything + list(ORGANISATION_KINDS)
        self.link.choices = anything + [
            ("formal", _l("Takes formal referrals")),
            ("informal", _l("Informal links")),
            ("none", _l("No link yet")),
        ]

    def valid_filters(self) -> dict[str, str]:
        """The filters that passed validation (a bad one is dropped, and its error shown)."""
        return {
            name: getattr(self, name).data
            for name in ("condition", "art_form", "health_board", "language", "link", "kind")
            if getattr(self, name).data and not getattr(self, name).errors
        }
