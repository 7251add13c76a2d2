"""Profile forms, one per role. Choices (conditions, art forms, boards) are filled in per request."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovTextArea, GovTextInput
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from matchmaker.models import ArtForm, Condition, HealthBoard
from matchmaker.web.fields import Checkboxes, DateParts, Radios, web_address
from matchmaker.web.forms import BaseForm, required, submit, whole_number
from matchmaker.web.i18n import current_language
from matchmaker.web.labels import (
    ACCESS_NEEDS,
    COMMISSIONER_KINDS,
    DELIVERY,
    EXPERIENCE,
    HORIZONS,
    LANGUAGES,
    ORGANISATION_KINDS,
    PRESCRIBING_LINKS,
)

DESCRIPTION_MAX = 1000

CAPACITY_MIN, CAPACITY_MAX = 1, 20

TAMPERED_CONDITION = _l("Choose conditions from the list")
TAMPERED_ART_FORM = _l("Choose art forms from the list")
TAMPERED_BOARD = _l("Choose health boards from the list")
TAMPERED_LANGUAGE = _l("Choose languages from the list")


def _text(label: Any, missing: Any, too_long: Any, max_length: int = 200, **kwargs: Any) -> StringField:
    """A required one-line text field."""
    return StringField(
        label,
        widget=GovTextInput(),
        validators=[required(missing), Length(max=max_length, message=too_long)],
        **kwargs,
    )


def _languages() -> Checkboxes:
    """Which languages the person can work in."""
    return Checkboxes(
        _l("Which languages can you work in?"),
        choices=LANGUAGES,
        description=_l("Select all that apply."),
        validators=[required(_l("Select at least one language"))],
        invalid=TAMPERED_LANGUAGE,
    )


def _health_boards(label: Any) -> Checkboxes:
    """The health board areas the person works in or covers (the question's wording differs by role)."""
    return Checkboxes(
        label,
        description=_l("Select all that apply."),
        validators=[required(_l("Select at least one health board area"))],
        invalid=TAMPERED_BOARD,
    )


# -- the steps ------------------------------------------------------------------------------------
# Each step of the profile is a small form class; a role's whole form is its steps put together
# (WTForms collects every step's fields, in the order they were written). Adding a question to a
# step is one line in its class; a new step is a new class plus one line in the role's STEPS list
# (profiles/steps.py).


class CreativeAboutForm(BaseForm):
    """Step: the organisation (or freelancer) and its website."""

    organisation_name = _text(
        _l("Organisation name"),
        _l("Enter the name of your organisation, or your own name if you work freelance"),
        _l("Organisation name must be 200 characters or fewer"),
        description=_l("If you work freelance, use your own name or your trading name."),
    )
    organisation_kind = Radios(
        _l("What kind of organisation is it?"),
        choices=ORGANISATION_KINDS,
        validators=[required(_l("Select what kind of organisation it is"))],
        invalid=_l("Select what kind of organisation it is"),
    )
    website = StringField(
        _l("Website (optional)"),
        widget=GovTextInput(),
        description=_l("Starting with https://, like https://example.org"),
        validators=[
            Optional(),
            Length(max=300, message=_l("Website address must be 300 characters or fewer")),
            web_address,
        ],
    )
    save = submit(_l("Continue"))


class CreativeConditionsForm(BaseForm):
    """Step: one 'how experienced' question per active condition (the fields are added per request)."""

    save = submit(_l("Continue"))

    condition_fields: list[str]
    _stray_condition_ids: list[str]

    def validate(self, extra_validators: Any = None) -> bool:
        """Field checks, then at least one condition, and none that is not offered."""
        valid = super().validate(extra_validators)
        if not self.condition_fields:
            return valid
        first = getattr(self, self.condition_fields[0])
        if self._stray_condition_ids:
            first.errors.append(TAMPERED_CONDITION)
            return False
        if valid and all(getattr(self, name).data in (None, "", "none") for name in self.condition_fields):
            first.errors.append(_l("Choose your experience for at least one condition"))
            return False
        return valid

    def conditions(self) -> dict[int, str]:
        """Condition id -> experience, for the conditions the person works with."""
        chosen = {}
        for name in self.condition_fields:
            value = getattr(self, name).data
            if value and value != "none":
                chosen[int(name.removeprefix("condition_"))] = value
        return chosen


class CreativeArtFormsForm(BaseForm):
    """Step: art forms and how sessions can run."""

    art_forms = Checkboxes(
        _l("Which art forms do you work in?"),
        description=_l("Select all that apply."),
        validators=[required(_l("Select at least one art form"))],
        invalid=TAMPERED_ART_FORM,
    )
    delivery = Checkboxes(
        _l("How can you run sessions?"),
        choices=DELIVERY,
        description=_l("Select all that apply."),
        validators=[required(_l("Select online, in person or both"))],
        invalid=_l("Select online, in person or both"),
    )
    save = submit(_l("Continue"))


class CreativeWhereForm(BaseForm):
    """Step: where and in which languages."""

    health_boards = _health_boards(_l("Which health board areas do you work in?"))
    languages = _languages()
    save = submit(_l("Continue"))


class CreativeWorkForm(BaseForm):
    """Step: the link with social prescribing, how long the work runs, and access needs for meetings."""

    prescribing_link = Radios(
        _l("What is your link with social prescribing today?"),
        choices=PRESCRIBING_LINKS,
        description=_l("Organisations without a link yet are given priority when sessions are matched."),
        validators=[required(_l("Select your link with social prescribing"))],
        invalid=_l("Select your link with social prescribing"),
    )
    horizon = Radios(
        _l("Is your work ongoing, or a project that ends?"),
        choices=HORIZONS,
        validators=[required(_l("Select whether your work is ongoing or a short-term project"))],
        invalid=_l("Select whether your work is ongoing or a short-term project"),
    )
    project_ends_on = DateParts(
        _l("If it is a short-term project, when does it end?"),
        description=_l("For example, 27 3 2027. Leave blank if your work is ongoing."),
    )
    access = Checkboxes(
        _l("What do you need to take part in online meetings? (optional)"),
        choices=ACCESS_NEEDS,
        description=_l("Select all that apply."),
        invalid=_l("Choose access needs from the list"),
    )
    access_other = TextAreaField(
        _l("Anything else we should arrange? (optional)"),
        widget=GovTextArea(),
        validators=[Optional(), Length(max=500, message=_l("Other access needs must be 500 characters or fewer"))],
    )
    save = submit(_l("Continue"))

    def validate_project_ends_on(self, field: DateParts) -> None:
        """Needed for a short-term project, and in the future."""
        if self.horizon.data != "short_term":
            return
        if field.data is None:
            if not field.errors:
                raise ValidationError(_l("Enter the date the project ends"))
            return
        if field.data <= date.today():
            raise ValidationError(_l("The date the project ends must be in the future"))


class CreativeDescriptionForm(BaseForm):
    """Step: the description, in Welsh and in English on an equal footing (either, or both)."""

    description_en = TextAreaField(
        _l("Describe your work in English"),
        widget=GovTextArea(),
        description=_l(
            "What you do, who with and where. Up to 1,000 characters. Write in Welsh, in English or in both: "
            "readers see their own language when you give it, and the other one otherwise."
        ),
        validators=[
            Optional(),
            Length(max=DESCRIPTION_MAX, message=_l("Description in English must be 1,000 characters or fewer")),
        ],
    )
    description_cy = TextAreaField(
        _l("Describe your work in Welsh"),
        widget=GovTextArea(),
        description=_l(
            "What you do, who with and where. Up to 1,000 characters. Write in Welsh, in English or in both: "
            "readers see their own language when you give it, and the other one otherwise."
        ),
        validators=[
            Optional(),
            Length(max=DESCRIPTION_MAX, message=_l("Description in Welsh must be 1,000 characters or fewer")),
        ],
    )
    save = submit(_l("Continue"))

    def validate(self, extra_validators: Any = None) -> bool:
        """Field checks, then a description in either language (the error goes on the reader's own)."""
        valid = super().validate(extra_validators)
        if not (self.description_en.data or "").strip() and not (self.description_cy.data or "").strip():
            field = self.description_cy if current_language() == "cy" else self.description_en
            field.errors = [*field.errors, str(_l("Describe your work in Welsh, in English or in both"))]
            valid = False
        return valid


class CreativeConsentForm(BaseForm):
    """Step: whether the organisation is shown in the directory."""

    directory_consent = BooleanField(
        _l("Show my organisation in the directory"),
        widget=GovCheckboxInput(),
        description=_l(
            "Approved commissioners, link workers and organisers can then find your organisation, "
            "read your description and see your name and email address."
        ),
    )
    save = submit(_l("Continue"))


class CreativeProfileForm(
    CreativeAboutForm,
    CreativeConditionsForm,
    CreativeArtFormsForm,
    CreativeWhereForm,
    CreativeWorkForm,
    CreativeDescriptionForm,
    CreativeConsentForm,
):
    """A creative professional or arts organisation: every step at once (checked before saving)."""


class CommissionerAboutForm(BaseForm):
    """Step: the commissioner's organisation and job."""

    organisation = _text(
        _l("Organisation"),
        _l("Enter the name of the organisation you work for"),
        _l("Organisation must be 200 characters or fewer"),
    )
    organisation_kind = Radios(
        _l("What kind of organisation is it?"),
        choices=COMMISSIONER_KINDS,
        validators=[required(_l("Select what kind of organisation it is"))],
        invalid=_l("Select what kind of organisation it is"),
    )
    job_title = _text(_l("Job title"), _l("Enter your job title"), _l("Job title must be 200 characters or fewer"))
    save = submit(_l("Continue"))


class CommissionerConditionsForm(BaseForm):
    """Step: the conditions and groups commissioned for."""

    conditions = Checkboxes(
        _l("Which conditions or groups do you commission for?"),
        description=_l("Select all that apply."),
        validators=[required(_l("Select at least one condition or group"))],
        invalid=TAMPERED_CONDITION,
    )
    save = submit(_l("Continue"))


class CommissionerWhereForm(BaseForm):
    """Step: areas covered and languages."""

    health_boards = _health_boards(_l("Which health board areas do you cover?"))
    languages = _languages()
    save = submit(_l("Continue"))


class CommissionerProfileForm(CommissionerAboutForm, CommissionerConditionsForm, CommissionerWhereForm):
    """An NHS, local authority or funding commissioner: every step at once."""


class LinkWorkerAboutForm(BaseForm):
    """Step: the link worker's employer and GP cluster."""

    employer = _text(
        _l("Employer"),
        _l("Enter the name of your employer"),
        _l("Employer must be 200 characters or fewer"),
        description=_l("For example, a GP practice, a county voluntary council or a health board."),
    )
    gp_cluster = StringField(
        _l("GP cluster (optional)"),
        widget=GovTextInput(),
        validators=[Optional(), Length(max=200, message=_l("GP cluster must be 200 characters or fewer"))],
    )
    save = submit(_l("Continue"))


class LinkWorkerConditionsForm(BaseForm):
    """Step: the conditions and groups met most often."""

    conditions = Checkboxes(
        _l("Which conditions or groups do you meet most often?"),
        description=_l("Select all that apply."),
        validators=[required(_l("Select at least one condition or group"))],
        invalid=TAMPERED_CONDITION,
    )
    save = submit(_l("Continue"))


class LinkWorkerWhereForm(BaseForm):
    """Step: the health board area and languages."""

    health_board = Radios(
        _l("Which health board area do you work in?"),
        validators=[required(_l("Select the health board area you work in"))],
        invalid=TAMPERED_BOARD,
    )
    languages = _languages()
    save = submit(_l("Continue"))


class LinkWorkerCapacityForm(BaseForm):
    """Step: how many sessions in a round."""

    capacity = StringField(
        _l("How many sessions could you join in one round, at most?"),
        widget=GovTextInput(),
        description=_l("A number from 1 to 20."),
        validators=[required(_l("Enter how many sessions you could join, like 3"))],
    )
    save = submit(_l("Continue"))

    def validate_capacity(self, field: StringField) -> None:
        """A whole number from 1 to 20."""
        value = (field.data or "").strip()
        number = whole_number(value)
        if number is None:
            raise ValidationError(_l("Enter how many sessions as a whole number, like 3"))
        if not CAPACITY_MIN <= number <= CAPACITY_MAX:
            raise ValidationError(_l("Number of sessions must be between 1 and 20"))


class LinkWorkerProfileForm(LinkWorkerAboutForm, LinkWorkerWhereForm, LinkWorkerConditionsForm, LinkWorkerCapacityForm):
    """A social prescribing link worker: every step at once."""


ProfileForm = CreativeProfileForm | CommissionerProfileForm | LinkWorkerProfileForm


def reference_choices(rows: list[Condition] | list[ArtForm] | list[HealthBoard], language: str) -> list:
    """(id, name) choices in the person's language."""
    return [(str(row.id), row.name(language)) for row in rows]


def creative_form(
    conditions: list[Condition], language: str, base: type[BaseForm] = CreativeProfileForm, **kwargs: Any
) -> Any:
    """The creative form (or one of its steps) with one 'how experienced' question per active condition."""
    if not issubclass(base, CreativeConditionsForm):
        return base(**kwargs)
    after = CreativeProfileForm.art_forms.creation_counter  # type: ignore[attr-defined]
    attrs = {}
    for index, condition in enumerate(conditions, start=1):
        field = Radios(
            condition.name(language),
            choices=EXPERIENCE,
            default="none",
            invalid=_l("Choose specialist, experienced, open to it or not for us"),
        )
        field.creation_counter = after + index / 1000  # shown, and summarised, after the art forms
        attrs[f"condition_{condition.id}"] = field
    form_class = type(f"{base.__name__}ForRequest", (base,), attrs)
    form = form_class(**kwargs)
    form.condition_fields = list(attrs)
    posted = kwargs.get("formdata")
    if posted is None and form.is_submitted():
        from flask import request

        posted = request.form
    form._stray_condition_ids = [
        key
        for key in (posted.keys() if posted is not None else [])
        if key.startswith("condition_") and key not in attrs
    ]
    return form
