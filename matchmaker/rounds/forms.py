"""Organiser forms: a round's details and rules, a slot pattern, one slot."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput, GovTextArea, GovTextInput
from wtforms import EmailField, RadioField, StringField, TextAreaField
from wtforms.validators import Email, Length, Optional, ValidationError

from matchmaker.rounds.fields import TimeField
from matchmaker.rounds.slots import WEEKDAYS, TimeFormatError, parse_times
from matchmaker.web.fields import DateParts, DecimalNumberField, StrictMultipleField, WholeNumberField
from matchmaker.web.forms import BaseForm, required, submit

WEEKDAY_LABELS = {
    "mon": _l("Monday"),
    "tue": _l("Tuesday"),
    "wed": _l("Wednesday"),
    "thu": _l("Thursday"),
    "fri": _l("Friday"),
    "sat": _l("Saturday"),
    "sun": _l("Sunday"),
}


def _count(label: Any, message: Any, minimum: int = 0, maximum: int = 50) -> WholeNumberField:
    """A small whole-number field for the session rules."""
    return WholeNumberField(
        label, minimum=minimum, maximum=maximum, message=message, widget=GovTextInput(), default=minimum
    )


class RoundForm(BaseForm):
    """Create or edit a round."""

    title_en = StringField(
        _l("Title in English"),
        widget=GovTextInput(),
        validators=[
            required(_l("Enter a title in English")),
            Length(max=200, message=_l("Title must be 200 characters or fewer")),
        ],
    )
    title_cy = StringField(
        _l("Title in Welsh"),
        widget=GovTextInput(),
        validators=[
            required(_l("Enter a title in Welsh")),
            Length(max=200, message=_l("Title must be 200 characters or fewer")),
        ],
    )
    description_en = TextAreaField(
        _l("Description in English (optional)"),
        widget=GovTextArea(),
        validators=[Optional(), Length(max=5000, message=_l("Description must be 5000 characters or fewer"))],
    )
    description_cy = TextAreaField(
        _l("Description in Welsh (optional)"),
        widget=GovTextArea(),
        validators=[Optional(), Length(max=5000, message=_l("Description must be 5000 characters or fewer"))],
    )
    opens_on = DateParts(
        _l("Registration opens on"),
        missing=_l("Enter the date registration opens"),
        invalid=_l("The date registration opens must be a real date, for example 1 2 2027"),
    )
    opens_at = TimeField(
        _l("Opening time"),
        widget=GovTextInput(),
        description=_l("For example, 09:00"),
        missing=_l("Enter the time registration opens, for example 09:00"),
        default="09:00",
    )
    closes_on = DateParts(
        _l("Registration closes on"),
        missing=_l("Enter the date registration closes"),
        invalid=_l("The date registration closes must be a real date, for example 26 2 2027"),
    )
    closes_at = TimeField(
        _l("Closing time"),
        widget=GovTextInput(),
        description=_l("For example, 17:00"),
        missing=_l("Enter the time registration closes, for example 17:00"),
        default="17:00",
    )
    conditions = StrictMultipleField(
        _l("Conditions in scope"),
        widget=GovCheckboxesInput(),
        description=_l("Select all that sessions in this round can be about."),
        invalid=_l("Select conditions from the list"),
    )
    session_minutes = WholeNumberField(
        _l("Session length in minutes"),
        minimum=15,
        maximum=480,
        message=_l("Enter a session length between 15 and 480 minutes"),
        widget=GovTextInput(),
        default=90,
    )
    creatives_min = _count(_l("Fewest creative professionals"), _l("Enter a number of creatives from 1 to 50"), 1)
    creatives_max = _count(_l("Most creative professionals"), _l("Enter a number of creatives from 1 to 50"), 1)
    commissioners_min = _count(_l("Fewest commissioners"), _l("Enter a number of commissioners from 0 to 50"))
    commissioners_max = _count(_l("Most commissioners"), _l("Enter a number of commissioners from 0 to 50"))
    link_workers_min = _count(_l("Fewest link workers"), _l("Enter a number of link workers from 0 to 50"))
    link_workers_max = _count(_l("Most link workers"), _l("Enter a number of link workers from 0 to 50"))
    max_parallel_sessions = _count(
        _l("Most sessions at the same time"), _l("Enter how many sessions can run at once, from 1 to 50"), 1
    )
    one_per_organisation = RadioField(
        _l("Only one creative from each organisation in a session?"),
        widget=GovRadioInput(),
        choices=[("yes", _l("Yes")), ("no", _l("No"))],
        default="yes",
        validators=[required(_l("Select yes or no"))],
    )
    organiser_mailbox = EmailField(
        _l("Organiser mailbox"),
        widget=GovTextInput(),
        description=_l("Invitations come from this address and replies go to it."),
        validators=[
            required(_l("Enter the organiser mailbox")),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
            Email(message=_l("Enter an email address like rounds@example.org"), check_deliverability=False),
        ],
    )
    priority_no_link = DecimalNumberField(
        _l("No link with social prescribing yet"),
        widget=GovTextInput(),
        minimum=0,
        maximum=10,
        message=_l("Enter a weight from 0 to 10, for example 3"),
        default=3.0,
    )
    priority_informal = DecimalNumberField(
        _l("Informal links"),
        widget=GovTextInput(),
        minimum=0,
        maximum=10,
        message=_l("Enter a weight from 0 to 10, for example 2"),
        default=2.0,
    )
    priority_formal = DecimalNumberField(
        _l("Takes formal referrals"),
        widget=GovTextInput(),
        minimum=0,
        maximum=10,
        message=_l("Enter a weight from 0 to 10, for example 1"),
        default=1.0,
    )
    submit = submit(_l("Save round"))

    def validate(self, extra_validators: Any = None) -> bool:
        """Field checks, then the ones that compare fields."""
        ok = super().validate(extra_validators)
        for role in ("creatives", "commissioners", "link_workers"):
            low, high = getattr(self, f"{role}_min"), getattr(self, f"{role}_max")
            if low.number is not None and high.number is not None and low.number > high.number:
                high.errors = [*high.errors, str(_l("The most must be the same as or more than the fewest"))]
                ok = False
        return ok


class PatternForm(BaseForm):
    """Slots from a pattern: a date range, weekdays, start times and a length."""

    first_day = DateParts(
        _l("First day"),
        missing=_l("Enter the first day"),
        invalid=_l("The first day must be a real date, for example 1 3 2027"),
    )
    last_day = DateParts(
        _l("Last day"),
        missing=_l("Enter the last day"),
        invalid=_l("The last day must be a real date, for example 12 3 2027"),
    )
    weekdays = StrictMultipleField(
        _l("Weekdays"),
        widget=GovCheckboxesInput(),
        choices=[(code, WEEKDAY_LABELS[code]) for code in WEEKDAYS],
        default=["mon", "tue", "wed", "thu", "fri"],
        invalid=_l("Select weekdays from the list"),
    )
    start_times = StringField(
        _l("Start times"),
        widget=GovTextInput(),
        description=_l("Times in Wales, separated by commas. For example, 10:00, 11:00, 14:00"),
        validators=[required(_l("Enter at least one start time, for example 10:00"))],
    )
    minutes = WholeNumberField(
        _l("Length of each slot in minutes"),
        minimum=15,
        maximum=480,
        message=_l("Enter a length between 15 and 480 minutes"),
        widget=GovTextInput(),
    )
    preview = submit(_l("Preview slots"))

    def validate_weekdays(self, field: Any) -> None:
        """At least one weekday."""
        if not field.data:
            raise ValidationError(str(_l("Select at least one weekday")))

    def validate_start_times(self, field: Any) -> None:
        """Every time readable."""
        try:
            self.times = parse_times(field.data)
        except TimeFormatError as error:
            raise ValidationError(
                str(_l("'%(text)s' is not a time. Enter times like 10:00, 14:30, separated by commas", text=error.text))
            ) from None
        if not self.times:
            raise ValidationError(str(_l("Enter at least one start time, for example 10:00")))

    def validate_last_day(self, field: Any) -> None:
        """The range runs forwards and is not absurdly long."""
        if self.first_day.data and field.data:
            if field.data < self.first_day.data:
                raise ValidationError(str(_l("The last day must be the same as or after the first day")))
            if (field.data - self.first_day.data).days > 366:
                raise ValidationError(str(_l("The dates must be within a year of each other")))


class SlotForm(BaseForm):
    """Add or change one slot."""

    day = DateParts(
        _l("Date"),
        missing=_l("Enter the date of the slot"),
        invalid=_l("The date must be a real date, for example 2 3 2027"),
    )
    starts = TimeField(
        _l("Start time"),
        widget=GovTextInput(),
        description=_l("Time in Wales. For example, 10:00"),
        missing=_l("Enter the start time, for example 10:00"),
    )
    minutes = WholeNumberField(
        _l("Length in minutes"),
        minimum=15,
        maximum=480,
        message=_l("Enter a length between 15 and 480 minutes"),
        widget=GovTextInput(),
    )
    submit = submit(_l("Save slot"))
