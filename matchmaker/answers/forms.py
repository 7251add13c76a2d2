"""The organiser's choice of how declines reach the organiser mailbox."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import InputRequired

from matchmaker.web.fields import Radios
from matchmaker.web.forms import BaseForm


class DigestForm(BaseForm):
    """One email per decline, or one a day."""

    digest = Radios(
        _l("Email the organiser mailbox about declines"),
        validators=[InputRequired(message=_l("Choose how often to hear about declines"))],
        choices=[("each", _l("At once, one email for each decline")), ("daily", _l("Once a day, in one email"))],
        invalid=_l("Choose how often to hear about declines"),
    )
