"""The profile in short steps: which small form each role answers, in which order, under which title.

A step is a slug (its address, /profile/edit/<slug>), a title (the page's heading) and its form class
(profiles/forms.py). The whole profile is checked, on the check-your-answers page, with the role's
full form, which is its steps put together. To add a question to a step, add its field to the step's
form class; to add a step, write its form class, add it to the role's full form and one line here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms.fields.core import UnboundField

from matchmaker.models import Role
from matchmaker.profiles import forms
from matchmaker.web.forms import BaseForm


@dataclass(frozen=True)
class Step:
    """One page of the profile form."""

    slug: str
    title: Any  # a lazy string, shown in the person's language
    form: type[BaseForm]

    def field_names(self, form: BaseForm) -> list[str]:
        """The answers this step asks for, in a built form of it (condition questions included)."""
        return [name for name in form._fields if name not in ("csrf_token", "save")]

    def asks(self, name: str) -> bool:
        """Does this step ask the question with this field name?"""
        if name.startswith("condition_"):
            return issubclass(self.form, forms.CreativeConditionsForm)
        return name not in ("save", "csrf_token") and isinstance(getattr(self.form, name, None), UnboundField)


STEPS: dict[Role, list[Step]] = {
    Role.CREATIVE: [
        Step("about", _l("About your organisation"), forms.CreativeAboutForm),
        Step("conditions", _l("Health conditions"), forms.CreativeConditionsForm),
        Step("art-forms", _l("Art forms and sessions"), forms.CreativeArtFormsForm),
        Step("where", _l("Where you work and languages"), forms.CreativeWhereForm),
        Step("work", _l("Your work and access needs"), forms.CreativeWorkForm),
        Step("description", _l("Describe your work"), forms.CreativeDescriptionForm),
        Step("directory", _l("The directory"), forms.CreativeConsentForm),
    ],
    Role.COMMISSIONER: [
        Step("about", _l("About you and your organisation"), forms.CommissionerAboutForm),
        Step("conditions", _l("Health conditions"), forms.CommissionerConditionsForm),
        Step("where", _l("Where you work and languages"), forms.CommissionerWhereForm),
    ],
    Role.LINK_WORKER: [
        Step("about", _l("About you and your employer"), forms.LinkWorkerAboutForm),
        Step("where", _l("Where you work and languages"), forms.LinkWorkerWhereForm),
        Step("conditions", _l("Health conditions"), forms.LinkWorkerConditionsForm),
        Step("sessions", _l("How many sessions"), forms.LinkWorkerCapacityForm),
    ],
}


def steps_for(role: Role) -> list[Step]:
    """The role's steps in order (organisers have none)."""
    return STEPS.get(role, [])


def step_named(role: Role, slug: str) -> Step | None:
    """The role's step with this slug, or None."""
    return next((step for step in steps_for(role) if step.slug == slug), None)


def step_asking(role: Role, name: str) -> Step | None:
    """The role's step that asks the question with this field name."""
    return next((step for step in steps_for(role) if step.asks(name)), None)
