"""How a creative organisation evidences its impact: its own small page, apart from the main profile form.

Optional, and shown in the directory. The names of the measures only: the site never ships the text of a
licensed questionnaire (WEMWBS and SWEMWBS are used under the organisation's own licence).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import StringField
from wtforms.validators import Length, ValidationError

from matchmaker.models import CreativeProfile
from matchmaker.web.fields import Checkboxes, web_address
from matchmaker.web.forms import BaseForm, submit
from matchmaker.web.labels import IMPACT_MEASURES


def _strip(value: str | None) -> str | None:
    """Trim what people paste around a link."""
    return value.strip() if isinstance(value, str) else value


class ImpactForm(BaseForm):
    """The measures an organisation uses, and a link to a published evaluation."""

    measures = Checkboxes(
        _l("Which ways of measuring impact do you use?"),
        description=_l("Select all that apply. Leave them all empty if you would rather not say."),
        choices=IMPACT_MEASURES,
        invalid=_l("Select from the options shown"),
    )
    evaluation_url = StringField(
        _l("Link to a published evaluation of your work (optional)"),
        widget=GovTextInput(),
        description=_l("A report, a case study or a peer-reviewed paper, on your website or elsewhere."),
        filters=[_strip],
        validators=[Length(max=300, message=_l("The link must be 300 characters or fewer")), web_address],
    )
    submit = submit(_l("Save"))

    def validate_measures(self, field: Any) -> None:
        """'None yet' stands alone."""
        chosen = field.data or []
        if "none_yet" in chosen and len(chosen) > 1:
            raise ValidationError(str(_l("'None yet' cannot be chosen with a measure")))


def form_for(profile: CreativeProfile, **kwargs: Any) -> ImpactForm:
    """The form, filled from the profile."""
    return ImpactForm(
        data={"measures": list(profile.impact_measures or []), "evaluation_url": profile.evaluation_url}, **kwargs
    )


def save(profile: CreativeProfile, form: ImpactForm) -> None:
    """Store the answers (caller commits); the order is the list's, whatever the order ticked."""
    chosen = set(form.measures.data or [])
    profile.impact_measures = [code for code, _label in IMPACT_MEASURES if code in chosen]
    profile.evaluation_url = form.evaluation_url.data or ""
