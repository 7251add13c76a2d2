"""Could this request ever be met? Checked when it is made, with what would make it possible.

First the commissioner's own profile (it must exist, list the condition and the language),
then the solver's own first checks (`matchmaker.solver.booking_blocker`) on the round's
problem with this request in it: the same rules that would later leave it unscheduled.
The round's problem is built by the matching feature, which sits above this one, so the
app factory hands its builder over with `use_request_blocker`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Booking, CommissionerProfile, Condition, Registration, Role, Round, User
from matchmaker.profiles.service import step_asking
from matchmaker.web.i18n import current_language, format_day
from matchmaker.web.labels import language_name

BLOCKER_KEY = "cyswllt.request_blocker"
RequestBlocker = Callable[..., "tuple[str, str] | None"]


@dataclass
class Refusal:
    """Why a request cannot be met: the form field it belongs to, the reason, and what would make it possible."""

    field: str
    reason: str
    fix: str
    fix_endpoint: str | None = None  # the page that fixes it (the route builds the link)
    fix_label: str | None = None
    fix_values: dict[str, Any] = field(default_factory=dict)


def _profile_step(question: str) -> dict[str, str]:
    """profiles.edit?step=...: the step of the commissioner's profile that asks this question."""
    step = step_asking(Role.COMMISSIONER, question)
    return {"step": step.slug} if step is not None else {}


def use_request_blocker(app: object, blocker: RequestBlocker) -> None:
    """Register the matching feature's check (called by the app factory)."""
    app.extensions[BLOCKER_KEY] = blocker  # type: ignore[attr-defined]


def profile_of(user: User) -> CommissionerProfile | None:
    """The commissioner's profile, if they have written one."""
    return db.session.scalar(select(CommissionerProfile).where(CommissionerProfile.user_id == user.id))


def registration_of(round_: Round, user: User) -> Registration | None:
    """The commissioner's registration of interest in this round, if any."""
    return db.session.scalar(
        select(Registration).where(Registration.round_id == round_.id, Registration.user_id == user.id)
    )


def missing_profile(user: User) -> Refusal | None:
    """A refusal when the commissioner has no profile yet (checked before the form is even shown)."""
    if profile_of(user) is not None:
        return None
    return Refusal(
        field="condition",
        reason=_("You need a profile before you can request a session."),
        fix=_(
            "Your profile says which conditions you commission for and which languages you speak. "
            "The matching uses it to find the right people."
        ),
        fix_endpoint="profiles.edit",
        fix_label=_("Create your profile"),
    )


def refusal(
    round_: Round,
    commissioner: User,
    condition_id: int,
    slot_ids: list[int],
    language: str | None,
    health_board_id: int | None,
    booking: Booking | None = None,
) -> Refusal | None:
    """Why this request can never be met as it stands, or None when it can be."""
    no_profile = missing_profile(commissioner)
    if no_profile is not None:
        return no_profile
    profile = profile_of(commissioner)
    assert profile is not None
    condition = db.session.get(Condition, condition_id)
    condition_name = condition.name(current_language()) if condition else ""
    profile_url, profile_label = "profiles.edit", _("Change your profile")
    if condition is not None and condition.id not in {c.id for c in profile.conditions}:
        return Refusal(
            "condition",
            _("Your profile does not list this condition: %(condition)s.", condition=condition_name),
            _("Add it to the conditions you commission for in your profile, then send your request again."),
            profile_url,
            profile_label,
            _profile_step("conditions"),
        )
    if language is not None and language not in (profile.languages or []):
        return Refusal(
            "language",
            _("Your profile does not list this language: %(language)s.", language=language_name(language)),
            _("Add it to your languages in your profile, or choose \u201cEither Welsh or English\u201d."),
            profile_url,
            profile_label,
            _profile_step("languages"),
        )
    blocker = current_app.extensions.get(BLOCKER_KEY)
    if blocker is None:
        return None
    found = blocker(
        round_,
        commissioner.id,
        condition_id,
        slot_ids,
        language,
        health_board_id,
        replacing=booking.id if booking is not None and booking.id else None,
    )
    return _from_solver(found[0], round_, commissioner, condition_name, language) if found else None


def _from_solver(code: str, round_: Round, commissioner: User, condition: str, language: str | None) -> Refusal:
    """The solver's reason code in the commissioner's words."""
    registration = registration_of(round_, commissioner)
    registration_url = "interest.registration" if registration is not None else None
    registration_values = {"registration_id": registration.id} if registration is not None else {}
    closes = _("Registration for this round closes on %(day)s.", day=format_day(round_.registration_closes_at))
    if code == "commissioner_lacks_condition":
        return Refusal(
            "condition",
            _(
                "Your registration of interest in this round does not include this condition: %(condition)s.",
                condition=condition,
            ),
            _("Add it to your registration of interest, then send your request again."),
            registration_url,
            _("Change your registration of interest"),
            registration_values,
        )
    if code == "no_commissioner_language":
        return Refusal(
            "language",
            _("Your profile does not list this language: %(language)s.", language=language_name(language or "")),
            _("Add it to your languages in your profile, or choose \u201cEither Welsh or English\u201d."),
            "profiles.edit",
            _("Change your profile"),
            _profile_step("languages"),
        )
    if code == "no_commissioner_slot":
        return Refusal(
            "slots",
            _("In your registration of interest you are not free at any of the slots you chose."),
            _("Choose slots you registered as free, or add these slots to your registration of interest."),
            registration_url,
            _("Change your registration of interest"),
            registration_values,
        )
    if code == "cap_reached":
        return Refusal(
            "slots",
            _("Your registration of interest says you can attend no sessions in this round."),
            _("Raise the number of sessions you can attend in your registration of interest."),
            registration_url,
            _("Change your registration of interest"),
            registration_values,
        )
    if code == "no_link_worker":
        reason = (
            _("No link worker who works with this condition and speaks Welsh is free at the slots you chose.")
            if language == "cy"
            else _("No link worker who works with this condition is free at the slots you chose.")
        )
        fix = (
            _("Choose more slots or other weeks, or choose \u201cEither Welsh or English\u201d.")
            if language == "cy"
            else _("Choose more slots or other weeks.")
        )
        return Refusal("slots", reason, f"{fix} {closes}")
    reason = (
        _(
            "Too few creative professionals who work with this condition and speak Welsh "
            "are free at the slots you chose."
        )
        if language == "cy"
        else _("Too few creative professionals who work with this condition are free at the slots you chose.")
    )
    fix = (
        _("Choose more slots or other weeks, or choose \u201cEither Welsh or English\u201d.")
        if language == "cy"
        else _("Choose more slots or other weeks.")
    )
    return Refusal("slots", reason, f"{fix} {closes}")
