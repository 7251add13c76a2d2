"""Organiser forms for reference data."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovRadioInput, GovTextInput
from wtforms import BooleanField, RadioField, StringField
from wtforms.validators import Length, Optional, ValidationError

from matchmaker.reference.service import SLUG_RE
from matchmaker.web.forms import BaseForm, required, submit, whole_number

KIND_CHOICES = [
    ("condition", _l("A health condition")),
    ("group", _l("A group of people (for example carers, or young people)")),
]


class ReferenceForm(BaseForm):
    """Edit one condition, art form or health board."""

    name_en = StringField(
        _l("Name in English"),
        widget=GovTextInput(),
        validators=[
            required(_l("Enter the name in English")),
            Length(max=200, message=_l("Name in English must be 200 characters or fewer")),
        ],
    )
    name_cy = StringField(
        _l("Name in Welsh"),
        widget=GovTextInput(),
        validators=[
            required(_l("Enter the name in Welsh")),
            Length(max=200, message=_l("Name in Welsh must be 200 characters or fewer")),
        ],
    )
    position = StringField(
        _l("Position in lists"),
        widget=GovTextInput(),
        description=_l("A whole number. Lower numbers come first."),
        validators=[required(_l("Enter a position, like 3"))],
    )
    active = BooleanField(
        _l("People can choose this"),
        widget=GovCheckboxInput(),
        description=_l("Untick to hide it from forms. Profiles and rounds that use it keep it."),
    )
    submit = submit(_l("Save"))

    def validate_position(self, field: StringField) -> None:
        """A whole number between 0 and 9999."""
        value = (field.data or "").strip()
        if whole_number(value, maximum=9999) is None:
            raise ValidationError(_l("Position must be a whole number between 0 and 9999, like 3"))


class ConditionForm(ReferenceForm):
    """A condition also says whether it is a condition or a group of people."""

    kind = RadioField(
        _l("Is this a health condition or a group of people?"),
        widget=GovRadioInput(),
        choices=KIND_CHOICES,
        validators=[required(_l("Select whether this is a health condition or a group of people"))],
        validate_choice=False,
    )

    def validate_kind(self, field: RadioField) -> None:
        """Only the offered values."""
        if field.data not in {value for value, _label in KIND_CHOICES}:
            raise ValidationError(_l("Select whether this is a health condition or a group of people"))


class SlugMixin:
    """On creation only: the stable identifier (made from the English name if left blank)."""

    slug = StringField(
        _l("Identifier (optional)"),
        widget=GovTextInput(),
        description=_l(
            "Lower-case letters, numbers and hyphens, like long-covid. It cannot be changed later. "
            "Leave blank to make one from the English name."
        ),
        validators=[Optional(), Length(max=80, message=_l("Identifier must be 80 characters or fewer"))],
    )

    def validate_slug(self, field: StringField) -> None:
        """Letters, digits and single hyphens."""
        if field.data and not SLUG_RE.match(field.data.strip()):
            raise ValidationError(
                _l("Identifier can only use lower-case letters, numbers and hyphens, like long-covid")
            )


class NewConditionForm(SlugMixin, ConditionForm):
    """Add a condition or group."""


class NewArtFormForm(SlugMixin, ReferenceForm):
    """Add an art form."""
