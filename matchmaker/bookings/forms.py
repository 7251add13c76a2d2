"""Booking forms: the request itself, the organiser's choice of commissioner, the list filters."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextArea
from wtforms import SelectField, TextAreaField
from wtforms.validators import ValidationError

from matchmaker.bookings.service import EITHER, BookingRequest
from matchmaker.web.fields import Checkboxes, Radios
from matchmaker.web.forms import BaseForm, submit


class BoardSelect(SelectField):
    """An optional select whose blank choice means none; a tampered value gets our message."""

    widget = GovSelect()

    def __init__(self, label: Any = None, *, invalid: Any, **kwargs: Any) -> None:
        """invalid: the message for a value that was not offered."""
        super().__init__(label, coerce=str, validate_choice=False, **kwargs)
        self.invalid = invalid

    def pre_validate(self, form: Any) -> None:
        """Blank, or one of the choices."""
        allowed = {str(value) for value, *_ in self.choices or []}
        if self.data not in allowed:
            raise ValidationError(str(self.invalid))


class BookingForm(BaseForm):
    """Request (or change) a session: condition, slots, language, health board, purpose, whom to meet."""

    condition = Radios(
        _l("Which condition or group is the session about?"),
        missing=_l("Select the condition the session is about"),
        invalid=_l("Select a condition from this round's list"),
    )
    slots = Checkboxes(_l("When could you attend?"), invalid=_l("Select slots from this round's list"))
    weeks = Checkboxes(_l("Any slot in this week"), invalid=_l("Select weeks from this round's list"))
    language = Radios(
        _l("Which language should the session be in?"),
        choices=[("cy", _l("Welsh")), ("en", _l("English")), (EITHER, _l("Either Welsh or English"))],
        missing=_l("Select Welsh, English or either"),
        invalid=_l("Select Welsh, English or either"),
    )
    health_board = BoardSelect(
        _l("Health board focus (optional)"),
        description=_l("Creative professionals who work in this area are preferred."),
        invalid=_l("Select a health board from the list, or no particular health board"),
    )
    purpose = TextAreaField(
        _l("What do you want to learn or discuss?"),
        widget=GovTextArea(),
        description=_l("The people in the session will see this, so they can come prepared."),
    )
    organisations = Checkboxes(
        _l("Organisations you would particularly like to meet (optional)"),
        description=_l("From the directory. We will try to include them, but cannot promise."),
        invalid=_l("Select organisations from the directory list"),
    )
    submit = submit(_l("Continue"))

    def validate(self, extra_validators: Any = None) -> bool:
        """Field checks, then: at least one slot or week."""
        ok = super().validate(extra_validators)
        if not self.slots.errors and not self.weeks.errors and not self.slots.data and not self.weeks.data:
            self.slots.errors = [
                *self.slots.errors,
                str(_l("Select at least one slot that suits you, or a whole week")),
            ]
            ok = False
        if not (self.purpose.data or "").strip():
            self.purpose.errors = [*self.purpose.errors, str(_l("Enter what you want to learn or discuss"))]
            ok = False
        elif len(self.purpose.data.strip()) > 2000:
            self.purpose.errors = [
                *self.purpose.errors,
                str(_l("What you want to learn or discuss must be 2000 characters or fewer")),
            ]
            ok = False
        return ok

    def chosen_weeks(self) -> list[date]:
        """The weeks ticked as "any slot in this week"."""
        return [date.fromisoformat(value) for value in self.weeks.data or []]

    def to_request(self, slot_ids: list[int]) -> BookingRequest:
        """The validated answers as a request (slot_ids already include whole weeks)."""
        return BookingRequest(
            condition_id=int(self.condition.data),
            slot_ids=slot_ids,
            language=None if self.language.data == EITHER else self.language.data,
            health_board_id=int(self.health_board.data) if self.health_board.data else None,
            purpose=(self.purpose.data or "").strip(),
            organisation_keys=list(self.organisations.data or []),
        )

    def fill(self, request: BookingRequest) -> None:
        """Show a request (a stored booking or a draft) in the fields."""
        self.condition.process(None, str(request.condition_id) if request.condition_id else None)
        self.slots.process(None, [str(s) for s in request.slot_ids])
        self.weeks.process(None, [])
        self.language.process(None, request.language or EITHER)
        self.health_board.process(None, str(request.health_board_id) if request.health_board_id else "")
        self.purpose.process(None, request.purpose)
        self.organisations.process(None, list(request.organisation_keys))

    def add_errors(self, errors: dict[str, str]) -> None:
        """Put the service's errors by their fields (one message per field)."""
        for name, message in errors.items():
            field = getattr(self, name, None)
            if field is not None and not field.errors:
                field.errors = [message]


class CommissionerForm(BaseForm):
    """The organiser chooses whom to book for."""

    commissioner = Radios(
        _l("Who is the booking for?"),
        widget=GovSelect(),
        missing=_l("Select the commissioner you are booking for"),
        invalid=_l("Select a commissioner from the list"),
    )
    submit = submit(_l("Continue"))
