"""Matching forms: start a run, add a person to a draft session, move a session."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovTextInput
from wtforms import RadioField, SelectField

from matchmaker.matching.runs import MAX_TIME_LIMIT, MIN_TIME_LIMIT
from matchmaker.web.fields import WholeNumberField
from matchmaker.web.forms import BaseForm, required


class StartRunForm(BaseForm):
    """How long the solver may search, and whether to refill published sessions only."""

    time_limit = WholeNumberField(
        _l("Time limit in seconds"),
        minimum=MIN_TIME_LIMIT,
        maximum=MAX_TIME_LIMIT,
        message=_l("Enter a time limit between 1 and 3600 seconds, like 30"),
        widget=GovTextInput(),
        description=_l("The matching keeps the best plan found when the time is up. 30 seconds is usually enough."),
        default=30,
    )
    kind = RadioField(
        _l("What should the run do?"),
        choices=[
            ("full", _l("Match everyone: published sessions stay as they are, new sessions may be added")),
            ("refill", _l("Refill: only fill free places in published sessions")),
        ],
        default="full",
        validators=[required(_l("Select what the run should do"))],
        widget=GovRadioInput(),
    )


class AddPersonForm(BaseForm):
    """Someone who can join the session (the choices are only people who fit)."""

    participant = SelectField(
        _l("Person to add"),
        validators=[required(_l("Select the person to add"))],
        widget=GovSelect(),
    )


class OverrideChoiceForm(BaseForm):
    """Someone who could join only against a rule (the next page names the rule and asks to confirm)."""

    class Meta:
        csrf = False  # a GET form: it only opens the confirmation page

    person = SelectField(
        _l("Person to add against a rule"),
        validators=[required(_l("Select the person to add"))],
        widget=GovSelect(),
    )


class MoveForm(BaseForm):
    """Another slot for the session (the choices are only slots where every rule still holds)."""

    slot = SelectField(
        _l("Move to"),
        validators=[required(_l("Select the slot to move the session to"))],
        widget=GovSelect(),
    )
