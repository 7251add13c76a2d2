"""The registration form's CSRF carrier (its fields are checked in service.read_choices)."""

from __future__ import annotations

from matchmaker.web.forms import BaseForm


class InterestForm(BaseForm):
    """Carries the CSRF token; the choices depend on the round and the person, so the service reads them."""
