"""Profile logic: find a person's profile, save drafts, export and erase, derived matching priority."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import select
from wtforms import BooleanField

from matchmaker.accounts.service import EXPORTERS, register_personal_data
from matchmaker.extensions import db
from matchmaker.models import (
    ArtForm,
    CommissionerKind,
    CommissionerProfile,
    Condition,
    CreativeCondition,
    CreativeProfile,
    Experience,
    HealthBoard,
    Horizon,
    LinkWorkerProfile,
    OrganisationKind,
    PrescribingLink,
    Role,
    Round,
    User,
)
from matchmaker.models.profiles import LANGUAGE_CODES
from matchmaker.profiles.facts import Facts as Facts  # profile facts, for other features
from matchmaker.profiles.facts import facts_for as facts_for
from matchmaker.profiles.facts import facts_for_users as facts_for_users
from matchmaker.profiles.facts import listing_facts as listing_facts
from matchmaker.profiles.forms import (
    EXPERIENCE,
    CommissionerProfileForm,
    CreativeConditionsForm,
    CreativeProfileForm,
    LinkWorkerProfileForm,
    ProfileForm,
    creative_form,
    reference_choices,
)
from matchmaker.profiles.steps import Step, step_asking
from matchmaker.reference.service import active_rows
from matchmaker.web.fields import DateParts
from matchmaker.web.i18n import format_day

Profile = CreativeProfile | CommissionerProfile | LinkWorkerProfile

PROFILE_MODELS: dict[Role, type[Profile]] = {
    Role.CREATIVE: CreativeProfile,
    Role.COMMISSIONER: CommissionerProfile,
    Role.LINK_WORKER: LinkWorkerProfile,
}

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def organisation_key(name: str) -> str:
    """Normalise an organisation name so 'Côr y Cwm Ltd.' and 'cor y cwm ltd' are one organisation."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    folded = folded.replace("&", " and ")
    return _NOT_WORD.sub(" ", folded).strip()[:200]


def profile_model(role: Role) -> type[Profile] | None:
    """The profile class for a role (organisers have none)."""
    return PROFILE_MODELS.get(role)


def profile_for(user: User) -> Profile | None:
    """The user's own profile, if they have made one."""
    model = profile_model(user.role)
    if model is None:
        return None
    return db.session.scalar(select(model).where(model.user_id == user.id))


def derived_priority(profile: CreativeProfile | None, round_: Round) -> float:
    """Matching priority of a creative in a round: fewer links with social prescribing weigh more."""
    if profile is None:
        return round_.priority_no_link
    link = profile.prescribing_link
    if link == PrescribingLink.FORMAL:
        return round_.priority_formal
    if link == PrescribingLink.INFORMAL:
        return round_.priority_informal
    return round_.priority_no_link


def erase_profile(user: User) -> None:
    """Remove the person's profile (part of "delete my account")."""
    for model in PROFILE_MODELS.values():
        for profile in db.session.scalars(select(model).where(model.user_id == user.id)):
            db.session.delete(profile)  # through the ORM, so link tables are cleared on SQLite too


# -- forms: build, prefill, save ---------------------------------------------------------------


def build_form(user: User, language: str, step: Step | None = None, **kwargs: Any) -> Any:
    """The role's whole form, or one step of it, with today's choices; kwargs go to the form (formdata, meta)."""
    conditions = active_rows(Condition)
    if user.role == Role.CREATIVE:
        form = creative_form(conditions, language, base=step.form if step else CreativeProfileForm, **kwargs)
    elif user.role == Role.COMMISSIONER:
        form = (step.form if step else CommissionerProfileForm)(**kwargs)
    elif user.role == Role.LINK_WORKER:
        form = (step.form if step else LinkWorkerProfileForm)(**kwargs)
    else:
        raise ValueError("organisers have no profile")
    fill_choices(form, language, conditions)
    return form


def fill_choices(form: Any, language: str, conditions: list[Condition] | None = None) -> None:
    """Today's reference choices on whichever of these questions the form (or step) asks."""
    if "art_forms" in form:
        form.art_forms.choices = reference_choices(active_rows(ArtForm), language)
    if "health_boards" in form:
        form.health_boards.choices = reference_choices(active_rows(HealthBoard), language)
    if "health_board" in form:
        form.health_board.choices = reference_choices(active_rows(HealthBoard), language)
    if "conditions" in form and not isinstance(form, CreativeConditionsForm):
        form.conditions.choices = reference_choices(
            conditions if conditions is not None else active_rows(Condition), language
        )


def answers_of(form: Any) -> dict[str, list[str]]:
    """A built (prefilled) form's answers as posted form data: what a draft keeps for each question."""
    answers: dict[str, list[str]] = {}
    for name, field in form._fields.items():
        if name in ("csrf_token", "save"):
            continue
        if isinstance(field, DateParts):
            answers[name] = list(field.parts)
        elif isinstance(field, BooleanField):
            answers[name] = ["y"] if field.data else []
        elif isinstance(field.data, list):
            answers[name] = [str(value) for value in field.data]
        else:
            answers[name] = [] if field.data in (None, "") else [str(field.data)]
    return answers


def prefill(form: ProfileForm, profile: Profile) -> None:
    """Put a saved profile into its form (choices that are no longer offered are dropped)."""
    form.languages.data = list(profile.languages)
    if isinstance(profile, CreativeProfile):
        assert isinstance(form, CreativeProfileForm)
        form.organisation_name.data = profile.organisation_name
        form.organisation_kind.data = profile.organisation_kind.value
        form.description_en.data = profile.description_en
        form.description_cy.data = profile.description_cy
        form.website.data = profile.website
        form.art_forms.data = [str(a.id) for a in profile.art_forms]
        form.health_boards.data = [str(b.id) for b in profile.health_boards]
        form.delivery.data = [v for v, on in (("online", profile.online), ("in_person", profile.in_person)) if on]
        form.prescribing_link.data = profile.prescribing_link.value
        form.horizon.data = profile.horizon.value
        form.project_ends_on.data = profile.project_ends_on
        form.access.data = [
            v
            for v, on in (
                ("captions", profile.access_captions),
                ("bsl", profile.access_bsl),
                ("breaks", profile.access_breaks),
            )
            if on
        ]
        form.access_other.data = profile.access_other
        form.directory_consent.data = profile.directory_consent
        for item in profile.conditions:
            field = getattr(form, f"condition_{item.condition_id}", None)
            if field is not None:
                field.data = item.experience.value
    elif isinstance(profile, CommissionerProfile):
        assert isinstance(form, CommissionerProfileForm)
        form.organisation.data = profile.organisation
        form.organisation_kind.data = profile.organisation_kind.value
        form.job_title.data = profile.job_title
        form.conditions.data = [str(c.id) for c in profile.conditions]
        form.health_boards.data = [str(b.id) for b in profile.health_boards]
    else:
        assert isinstance(form, LinkWorkerProfileForm)
        form.employer.data = profile.employer
        form.health_board.data = str(profile.health_board_id) if profile.health_board_id else None
        form.gp_cluster.data = profile.gp_cluster
        form.conditions.data = [str(c.id) for c in profile.conditions]
        form.capacity.data = str(profile.capacity)


def _rows(model: type, ids: list[str]) -> list:
    """Reference rows by id, in their list order."""
    wanted = [int(i) for i in ids]
    return list(db.session.scalars(select(model).where(model.id.in_(wanted)).order_by(model.position, model.id)))


def save(user: User, form: ProfileForm) -> Profile:
    """Create or update the person's profile from a validated form (caller commits)."""
    profile = profile_for(user)
    if profile is None:
        model = PROFILE_MODELS[user.role]
        profile = model(user_id=user.id)
        db.session.add(profile)
    languages = [code for code in LANGUAGE_CODES if code in form.languages.data]
    profile.languages = languages
    if isinstance(profile, CreativeProfile):
        assert isinstance(form, CreativeProfileForm)
        _save_creative(profile, form)
    elif isinstance(profile, CommissionerProfile):
        assert isinstance(form, CommissionerProfileForm)
        profile.organisation = form.organisation.data.strip()
        profile.organisation_kind = CommissionerKind(form.organisation_kind.data)
        profile.job_title = form.job_title.data.strip()
        profile.conditions = _rows(Condition, form.conditions.data)
        profile.health_boards = _rows(HealthBoard, form.health_boards.data)
    else:
        assert isinstance(form, LinkWorkerProfileForm)
        profile.employer = form.employer.data.strip()
        profile.health_board_id = int(form.health_board.data)
        profile.gp_cluster = (form.gp_cluster.data or "").strip()
        profile.conditions = _rows(Condition, form.conditions.data)
        profile.capacity = int(form.capacity.data.strip())
    return profile


def _save_creative(profile: CreativeProfile, form: CreativeProfileForm) -> None:
    """The creative's answers onto their profile; conditions updated in place (their key is the pair)."""
    profile.organisation_name = form.organisation_name.data.strip()
    profile.organisation_key = organisation_key(profile.organisation_name)
    profile.organisation_kind = OrganisationKind(form.organisation_kind.data)
    profile.description_en = (form.description_en.data or "").strip()
    profile.description_cy = (form.description_cy.data or "").strip()
    profile.website = (form.website.data or "").strip()
    profile.art_forms = _rows(ArtForm, form.art_forms.data)
    profile.health_boards = _rows(HealthBoard, form.health_boards.data)
    profile.online = "online" in form.delivery.data
    profile.in_person = "in_person" in form.delivery.data
    profile.prescribing_link = PrescribingLink(form.prescribing_link.data)
    profile.horizon = Horizon(form.horizon.data)
    profile.project_ends_on = form.project_ends_on.data if profile.horizon == Horizon.SHORT_TERM else None
    access = form.access.data or []
    profile.access_captions = "captions" in access
    profile.access_bsl = "bsl" in access
    profile.access_breaks = "breaks" in access
    profile.access_other = (form.access_other.data or "").strip()
    profile.directory_consent = bool(form.directory_consent.data)
    chosen = form.conditions()
    for item in list(profile.conditions):
        if item.condition_id in chosen:
            item.experience = Experience(chosen.pop(item.condition_id))
        else:
            profile.conditions.remove(item)
    for condition_id, experience in chosen.items():
        profile.conditions.append(CreativeCondition(condition_id=condition_id, experience=Experience(experience)))


# -- the check-your-answers summary ---------------------------------------------------------------


@dataclass
class SummaryRow:
    """One answer: its question, its value (lines) and the form field the Change link goes to."""

    label: str
    lines: list[str]
    anchor: str
    step: str = ""  # the slug of the step that asks it

    @property
    def html(self) -> Markup:
        """The lines, escaped, one per line."""
        return Markup("<br>").join(escape(line) for line in self.lines)


def _labels(field: Any) -> list[str]:
    """The labels of the chosen options, in the form's order."""
    chosen = field.data if isinstance(field.data, list) else [field.data]
    return [str(label) for value, label in field.choices if value in chosen]


def summary(form: ProfileForm) -> list[SummaryRow]:
    """The answers in a validated (or prefilled) form, ready for a summary list."""
    none = _("None")
    rows: list[SummaryRow] = []

    def add(field: Any, lines: list[str] | str, label: Any = None) -> None:
        values = [lines] if isinstance(lines, str) else lines
        rows.append(SummaryRow(str(label or field.label.text), [v for v in values if v] or [none], field.id))

    if isinstance(form, CreativeProfileForm):
        add(form.organisation_name, form.organisation_name.data or "")
        add(form.organisation_kind, _labels(form.organisation_kind), _("Kind of organisation"))
        add(form.description_en, form.description_en.data or _("Not given"), _("Description in English"))
        add(form.description_cy, form.description_cy.data or _("Not given"), _("Description in Welsh"))
        add(form.website, form.website.data or _("Not given"), _("Website"))
        add(form.art_forms, _labels(form.art_forms), _("Art forms"))
        experience = dict(EXPERIENCE)
        lines = [
            _("%(condition)s: %(experience)s", condition=getattr(form, name).label.text,
              experience=experience[getattr(form, name).data])
            for name in form.condition_fields
            if getattr(form, name).data not in (None, "", "none")
        ]  # fmt: skip
        if form.condition_fields:
            rows.append(SummaryRow(_("Conditions and experience"), lines or [none], form.condition_fields[0]))
        add(form.health_boards, _labels(form.health_boards), _("Health board areas"))
        add(form.languages, _labels(form.languages), _("Languages"))
        add(form.delivery, _labels(form.delivery), _("Sessions"))
        add(form.prescribing_link, _labels(form.prescribing_link), _("Link with social prescribing"))
        if form.horizon.data == "short_term" and form.project_ends_on.data:
            horizon = _("Short-term project ending on %(day)s", day=format_day(form.project_ends_on.data))
        else:
            horizon = " ".join(_labels(form.horizon))
        add(form.horizon, horizon, _("Project horizon"))
        access = _labels(form.access) + ([form.access_other.data] if form.access_other.data else [])
        add(form.access, access, _("Access needs for meetings"))
        add(form.directory_consent, _("Yes") if form.directory_consent.data else _("No"), _("Shown in the directory"))
    elif isinstance(form, CommissionerProfileForm):
        add(form.organisation, form.organisation.data or "")
        add(form.organisation_kind, _labels(form.organisation_kind), _("Kind of organisation"))
        add(form.job_title, form.job_title.data or "")
        add(form.conditions, _labels(form.conditions), _("Conditions and groups"))
        add(form.health_boards, _labels(form.health_boards), _("Health board areas"))
        add(form.languages, _labels(form.languages), _("Languages"))
    else:
        add(form.employer, form.employer.data or "")
        add(form.health_board, _labels(form.health_board), _("Health board area"))
        add(form.gp_cluster, form.gp_cluster.data or _("Not given"), _("GP cluster"))
        add(form.conditions, _labels(form.conditions), _("Conditions and groups"))
        add(form.languages, _labels(form.languages), _("Languages"))
        add(form.capacity, form.capacity.data or "", _("Most sessions in a round"))
    # A question added to a step and not summarised above still shows, under its own label.
    shown = {row.anchor for row in rows} | {"access_other", "project_ends_on", "csrf_token", "save"}
    for name, field in form._fields.items():
        if name in shown or name.startswith("condition_"):
            continue
        if isinstance(field, BooleanField):
            add(field, _("Yes") if field.data else _("No"))
        elif isinstance(field, DateParts):
            add(field, format_day(field.data) if field.data else _("Not given"))
        elif getattr(field, "choices", None):
            add(field, _labels(field))
        else:
            add(field, str(field.data or "") or _("Not given"))
    role = (
        Role.CREATIVE
        if isinstance(form, CreativeProfileForm)
        else Role.COMMISSIONER
        if isinstance(form, CommissionerProfileForm)
        else Role.LINK_WORKER
    )
    for row in rows:
        step = step_asking(role, row.anchor)
        row.step = step.slug if step else ""
    return rows


# -- "download my data" and "delete my account" ---------------------------------------------------


def export_profile(user: User) -> dict[str, Any]:
    """The person's profile as JSON-able data (reference data by slug and English name)."""
    profile = profile_for(user)
    if profile is None:
        return {"profile": None}
    data: dict[str, Any] = {"languages": list(profile.languages), "updated_at": profile.updated_at.isoformat()}
    if isinstance(profile, CreativeProfile):
        data.update(
            organisation_name=profile.organisation_name,
            organisation_kind=profile.organisation_kind.value,
            description_en=profile.description_en,
            description_cy=profile.description_cy,
            website=profile.website,
            art_forms=[a.slug for a in profile.art_forms],
            conditions={c.condition.slug: c.experience.value for c in profile.conditions},
            health_boards=[b.slug for b in profile.health_boards],
            online=profile.online,
            in_person=profile.in_person,
            prescribing_link=profile.prescribing_link.value,
            horizon=profile.horizon.value,
            project_ends_on=profile.project_ends_on.isoformat() if profile.project_ends_on else None,
            access_captions=profile.access_captions,
            access_bsl=profile.access_bsl,
            access_breaks=profile.access_breaks,
            access_other=profile.access_other,
            directory_consent=profile.directory_consent,
            impact_measures=list(profile.impact_measures or []),
            evaluation_url=profile.evaluation_url,
        )
    elif isinstance(profile, CommissionerProfile):
        data.update(
            organisation=profile.organisation,
            organisation_kind=profile.organisation_kind.value,
            job_title=profile.job_title,
            conditions=[c.slug for c in profile.conditions],
            health_boards=[b.slug for b in profile.health_boards],
        )
    else:
        data.update(
            employer=profile.employer,
            health_board=profile.health_board.slug if profile.health_board else None,
            gp_cluster=profile.gp_cluster,
            conditions=[c.slug for c in profile.conditions],
            capacity=profile.capacity,
        )
    return {"profile": data}


def organisation_names(user: User) -> list[str]:
    """The organisation or employer named on this person's profile (shown to others in invitations)."""
    profile = profile_for(user)
    if profile is None:
        return []
    name = getattr(profile, "organisation_name", None) or getattr(profile, "organisation", None)
    return [n for n in (name, getattr(profile, "employer", None)) if n]


def register() -> None:
    """Add profiles to "download my data" and "delete my account" (once)."""
    if export_profile not in EXPORTERS:
        register_personal_data(export_profile, erase_profile, organisation_names)
