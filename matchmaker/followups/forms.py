"""The follow-up form: what has happened since, role questions, a note and consent to quote it."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovTextArea, GovTextInput
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Length, ValidationError

from matchmaker.web.fields import Checkboxes, Radios
from matchmaker.web.forms import BaseForm, submit, whole_number
from matchmaker.web.labels import OUTCOMES, PLANS_TO_COMMISSION


class OptionalWholeNumber(StringField):
    """A whole number, or nothing."""

    widget = GovTextInput()

    def __init__(self, label: Any = None, *, maximum: int, message: Any, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.maximum = maximum
        self.message = message
        self.number: int | None = None

    def process_data(self, value: Any) -> None:
        """Show a stored number."""
        self.data = "" if value is None else str(value)

    def pre_validate(self, form: Any) -> None:
        """Blank is fine; otherwise a whole number in range (commas and a pound sign allowed)."""
        text = (self.data or "").strip().replace(",", "").lstrip("£")
        if not text:
            self.number = None
            return
        number = whole_number(text, maximum=10**9)
        if number is None or number > self.maximum:
            raise ValidationError(str(self.message))
        self.number = number


class FollowUpForm(BaseForm):
    """One short page; link workers and commissioners get one question more each."""

    attended = Radios(
        _l("Did you come to the session?"),
        choices=[("yes", _l("Yes")), ("no", _l("No"))],
        invalid=_l("Select yes or no"),
        missing=_l("Select whether you came to the session"),
    )
    outcomes = Checkboxes(
        _l("What has happened since?"),
        description=_l("Select all that apply."),
        choices=OUTCOMES,
        invalid=_l("Select from the options shown"),
    )
    funded_amount = OptionalWholeNumber(
        _l("Amount commissioned or funded, in pounds (optional)"),
        maximum=100_000_000,
        message=_l("Enter the amount as a whole number of pounds, like 5000"),
    )
    referrals = OptionalWholeNumber(
        _l("How many people have you referred to organisations you met? (optional)"),
        maximum=10_000,
        message=_l("Enter the number of people as a whole number, like 3"),
    )
    plans_to_commission = Radios(
        _l("Do you plan to commission any of the organisations you met?"),
        choices=PLANS_TO_COMMISSION,
        invalid=_l("Select yes, maybe or no"),
    )
    note = TextAreaField(
        _l("Anything else you would like to tell us? (optional)"),
        widget=GovTextArea(),
        validators=[Length(max=1000, message=_l("Your note must be 1,000 characters or fewer"))],
    )
    quote_consent = BooleanField(
        _l("You may quote my note in reports, without my name or organisation"), widget=GovCheckboxInput()
    )
    submit = submit(_l("Send your answers"))

    def validate_outcomes(self, field: Any) -> None:
        """At least one; 'nothing yet' and 'not relevant' stand alone."""
        chosen = field.data or []
        if not chosen:
            raise ValidationError(str(_l("Select what has happened since, or 'Nothing yet'")))
        if len(chosen) > 1 and any(code in chosen for code in ("nothing_yet", "not_relevant")):
            raise ValidationError(
                str(_l("'Nothing yet' and 'Not relevant for us' cannot be chosen with anything else"))
            )

    def for_role(self, role: str) -> FollowUpForm:
        """Drop the questions that are not for this role."""
        if role != "link_worker":
            del self.referrals
        if role != "commissioner":
            del self.plans_to_commission
        return self
