"""The 'Your organisation' form and the open-session form."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovTextArea, GovTextInput
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Length, ValidationError

from matchmaker.models import ACCESS_FEATURES, WEEKDAYS
from matchmaker.web.fields import Checkboxes, Radios
from matchmaker.web.forms import BaseForm, required, strip, submit
from matchmaker.web.labels import EMPLOYER_KINDS

ACCESS_LABELS = {
    "step_free": _l("Step-free access"),
    "accessible_toilet": _l("Accessible toilet"),
    "hearing_loop": _l("Hearing loop"),
    "quiet_space": _l("Quiet space"),
    "parking": _l("Accessible parking"),
    "changing_places": _l("Changing Places toilet"),
}
WEEKDAY_LABELS = {
    "MO": _l("Monday"),
    "TU": _l("Tuesday"),
    "WE": _l("Wednesday"),
    "TH": _l("Thursday"),
    "FR": _l("Friday"),
    "SA": _l("Saturday"),
    "SU": _l("Sunday"),
}
FREQUENCY_LABELS = {"weekly": _l("Every week"), "monthly": _l("Once a month")}
WEEK_OF_MONTH_LABELS = {
    "1": _l("First"),
    "2": _l("Second"),
    "3": _l("Third"),
    "4": _l("Fourth"),
    "-1": _l("Last"),
}
# A monthly session's wording, whole per week (Welsh puts ordinals on both sides of the day).
MONTHLY_LABELS = {
    "1": _l("First %(day)s of the month, %(start)s to %(end)s"),
    "2": _l("Second %(day)s of the month, %(start)s to %(end)s"),
    "3": _l("Third %(day)s of the month, %(start)s to %(end)s"),
    "4": _l("Fourth %(day)s of the month, %(start)s to %(end)s"),
    "-1": _l("Last %(day)s of the month, %(start)s to %(end)s"),
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{7,20}$")
_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
_TIME = re.compile(r"^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$")


def _optional_text(label: Any, too_long: Any, max_length: int = 200, **kwargs: Any) -> StringField:
    return StringField(
        label, widget=GovTextInput(), filters=[strip], validators=[Length(max=max_length, message=too_long)], **kwargs
    )


class OrganisationForm(BaseForm):
    """Venue, accessibility, public contact and the Open Referral opt-in."""

    feed_consent = BooleanField(
        _l("List my organisation in the public Open Referral feed"),
        widget=GovCheckboxInput(),
        description=_l(
            "Other directories used by link workers (such as local activity finders) can then show your "
            "organisation, its public contact details, venue and open sessions. Anyone can read the feed."
        ),
    )
    public_email = _optional_text(
        _l("Public email address"),
        _l("Email address must be 254 characters or fewer"),
        254,
        description=_l(
            "For the public feed. Leave it blank to publish no email address; we never publish your account's."
        ),
    )
    public_phone = _optional_text(_l("Public phone number"), _l("Phone number must be 40 characters or fewer"), 40)
    venue_name = _optional_text(_l("Venue name"), _l("Venue name must be 200 characters or fewer"))
    venue_address = TextAreaField(
        _l("Venue address"),
        widget=GovTextArea(),
        filters=[strip],
        validators=[Length(max=500, message=_l("Venue address must be 500 characters or fewer"))],
    )
    venue_town = _optional_text(_l("Town or city"), _l("Town or city must be 100 characters or fewer"), 100)
    venue_postcode = _optional_text(_l("Postcode"), _l("Postcode must be 10 characters or fewer"), 10)
    access_features = Checkboxes(
        _l("Accessibility of the venue"),
        choices=list(ACCESS_LABELS.items()),
        description=_l("Select all that apply."),
        invalid=_l("Choose accessibility features from the list"),
    )
    access_notes = TextAreaField(
        _l("Anything else about access (optional)"),
        widget=GovTextArea(),
        filters=[strip],
        validators=[Length(max=1000, message=_l("Access notes must be 1,000 characters or fewer"))],
    )
    save = submit(_l("Save"))

    def validate_public_email(self, field: StringField) -> None:
        """An address that looks like one."""
        if field.data and not _EMAIL.match(field.data):
            raise ValidationError(_l("Enter an email address in the correct format, like name@example.org"))

    def validate_public_phone(self, field: StringField) -> None:
        """Digits, spaces, brackets, dashes and a leading +."""
        if field.data and not _PHONE.match(field.data):
            raise ValidationError(_l("Enter a phone number, like 01234 567890"))

    def validate_venue_postcode(self, field: StringField) -> None:
        """A UK postcode (stored in capitals with one space)."""
        if field.data:
            compact = field.data.upper().replace(" ", "")
            if not _POSTCODE.match(compact):
                raise ValidationError(_l("Enter a real postcode, like SA1 1AA"))
            field.data = f"{compact[:-3]} {compact[-3:]}"

    def validate(self, extra_validators: Any = None) -> bool:
        """A venue is all four parts or none; the feed needs a public contact."""
        valid = super().validate(extra_validators)
        venue = [self.venue_name, self.venue_address, self.venue_town, self.venue_postcode]
        if any(f.data for f in venue):
            messages = {
                "venue_name": _l("Enter the venue's name"),
                "venue_address": _l("Enter the venue's address"),
                "venue_town": _l("Enter the venue's town or city"),
                "venue_postcode": _l("Enter the venue's postcode"),
            }
            for f in venue:
                if not f.data and not f.errors:
                    f.errors = [*f.errors, messages[f.name]]
                    valid = False
        if self.feed_consent.data and not (self.public_email.data or self.public_phone.data):
            self.public_email.errors = [
                *self.public_email.errors,
                _l("Enter a public email address or phone number to be in the feed"),
            ]
            valid = False
        return valid


class CareServiceForm(BaseForm):
    """A commissioner's service, needed when they are a secondary care team."""

    care_service = StringField(
        _l("Which service is your team?"),
        widget=GovTextInput(),
        filters=[strip],
        description=_l("For example, stroke rehabilitation ward, hospital discharge or mental health inpatient team"),
        validators=[Length(max=200, message=_l("Service must be 200 characters or fewer"))],
    )
    save = submit(_l("Save"))


class EmployerForm(BaseForm):
    """Who employs a link worker."""

    employer_kind = Radios(
        _l("Who employs you?"),
        choices=EMPLOYER_KINDS,
        missing=_l("Select who employs you"),
        invalid=_l("Choose an employer from the list"),
    )
    save = submit(_l("Save"))


def _time(text: str) -> time | None:
    match = _TIME.match(text.strip()) if text else None
    return time(int(match.group(1)), int(match.group(2))) if match else None


class OpenSessionForm(BaseForm):
    """A regular open session: weekly, or monthly on the first to fourth or last such day."""

    name = StringField(
        _l("Name of the session"),
        widget=GovTextInput(),
        filters=[strip],
        description=_l("For example, Singing for the brain drop-in"),
        validators=[
            required(_l("Enter the name of the session")),
            Length(max=200, message=_l("Name must be 200 characters or fewer")),
        ],
    )
    frequency = Radios(
        _l("How often does it run?"),
        choices=list(FREQUENCY_LABELS.items()),
        missing=_l("Select how often the session runs"),
        invalid=_l("Choose how often from the list"),
    )
    weekday = Radios(
        _l("On which day?"),
        choices=list(WEEKDAY_LABELS.items()),
        missing=_l("Select the day of the session"),
        invalid=_l("Choose a day from the list"),
    )
    week_of_month = Radios(
        _l("Which week of the month? (monthly sessions only)"),
        choices=list(WEEK_OF_MONTH_LABELS.items()),
        invalid=_l("Choose a week from the list"),
    )
    opens_at = StringField(
        _l("Starts at"),
        widget=GovTextInput(),
        filters=[strip],
        description=_l("UK time, in 24-hour format, like 14:30"),
        validators=[required(_l("Enter the time the session starts"))],
    )
    closes_at = StringField(
        _l("Ends at"),
        widget=GovTextInput(),
        filters=[strip],
        description=_l("UK time, in 24-hour format, like 16:00"),
        validators=[required(_l("Enter the time the session ends"))],
    )
    save = submit(_l("Add session"))

    def validate_opens_at(self, field: StringField) -> None:
        """A time of day."""
        if _time(field.data) is None:
            raise ValidationError(_l("Enter the start time in 24-hour format, like 14:30"))

    def validate_closes_at(self, field: StringField) -> None:
        """A time of day after the start."""
        closes = _time(field.data)
        if closes is None:
            raise ValidationError(_l("Enter the end time in 24-hour format, like 16:00"))
        opens = _time(self.opens_at.data)
        if opens is not None and closes <= opens:
            raise ValidationError(_l("The end time must be after the start time"))

    def validate_week_of_month(self, field: Radios) -> None:
        """Monthly sessions say which week."""
        if self.frequency.data == "monthly" and not field.data:
            raise ValidationError(_l("Select which week of the month the session runs"))

    def times(self) -> tuple[time, time]:
        """The validated start and end."""
        return _time(self.opens_at.data), _time(self.closes_at.data)  # type: ignore[return-value]


assert set(ACCESS_LABELS) == set(ACCESS_FEATURES) and tuple(WEEKDAY_LABELS) == WEEKDAYS
