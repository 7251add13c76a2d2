"""Registering interest in a round: what a person may choose, checking it, saving it, emailing it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from matchmaker.extensions import db
from matchmaker.mail.service import queue_templated_email
from matchmaker.models import (
    Condition,
    CreativeProfile,
    Registration,
    RegistrationCondition,
    Role,
    Round,
    RoundStatus,
    Slot,
    User,
    utcnow,
)
from matchmaker.profiles.service import Facts, facts_for
from matchmaker.web.forms import whole_number
from matchmaker.web.i18n import to_london

STRENGTHS = (1, 2, 3)
MAX_SESSIONS_LIMIT = 20
NOON = 12


@dataclass
class Choices:
    """What a person picked: condition id -> strength, slot ids, most sessions, people to meet."""

    conditions: dict[int, int] = field(default_factory=dict)
    slots: list[int] = field(default_factory=list)
    max_sessions: int | None = None
    wants: list[int] = field(default_factory=list)

    def to_session(self) -> dict[str, Any]:
        """A JSON-able form for the Flask session (between the form and check-your-answers)."""
        return {
            "conditions": {str(k): v for k, v in self.conditions.items()},
            "slots": self.slots,
            "max_sessions": self.max_sessions,
            "wants": self.wants,
        }

    @classmethod
    def from_session(cls, data: dict[str, Any]) -> Choices:
        """Back from the Flask session."""
        return cls(
            conditions={int(k): int(v) for k, v in (data.get("conditions") or {}).items()},
            slots=[int(s) for s in data.get("slots") or []],
            max_sessions=data.get("max_sessions"),
            wants=[int(w) for w in data.get("wants") or []],
        )


@dataclass
class Options:
    """What this person may choose in this round."""

    round: Round
    user: User
    facts: Facts
    conditions: list[Condition]
    slots: list[Slot]
    directory: list[CreativeProfile]

    @property
    def condition_ids(self) -> set[int]:
        """Ids of the conditions on offer."""
        return {c.id for c in self.conditions}

    @property
    def slot_ids(self) -> set[int]:
        """Ids of the round's slots."""
        return {s.id for s in self.slots}

    @property
    def directory_user_ids(self) -> set[int]:
        """User ids of the organisations on offer to meet."""
        return {p.user_id for p in self.directory}


def can_choose_whom_to_meet(user: User) -> bool:
    """Commissioners, link workers and organisers pick creative organisations to meet."""
    return user.role in (Role.COMMISSIONER, Role.LINK_WORKER, Role.ORGANISER)


def directory_choices(user: User) -> list[CreativeProfile]:
    """Creative organisations that agreed to be listed (not the person themselves)."""
    try:  # The directory feature owns "who is listed" when it is there.
        from matchmaker.directory.service import directory_entries
    except ImportError:
        query = (
            select(CreativeProfile)
            .join(User, User.id == CreativeProfile.user_id)
            .where(CreativeProfile.directory_consent.is_(True), User.deleted_at.is_(None))
        )
    else:
        query = directory_entries()
    profiles = list(db.session.scalars(query.order_by(CreativeProfile.organisation_name)))
    return [p for p in profiles if p.user_id != user.id]


def options_for(round_: Round, user: User) -> Options:
    """The conditions (profile within scope), slots and directory this person may choose from."""
    facts = facts_for(user)
    if user.role == Role.ORGANISER:
        conditions = list(round_.conditions)
    else:
        mine = set(facts.condition_ids)
        conditions = [c for c in round_.conditions if c.id in mine]
    directory = directory_choices(user) if can_choose_whom_to_meet(user) else []
    return Options(round_, user, facts, conditions, list(round_.slots), directory)


def registration_of(round_: Round, user: User) -> Registration | None:
    """This person's registration in this round, if any."""
    return db.session.scalar(
        select(Registration).where(Registration.round_id == round_.id, Registration.user_id == user.id)
    )


def own_registration(registration_id: int, user: User) -> Registration | None:
    """A registration only if it is this person's (else None: the route answers 404)."""
    registration = db.session.get(Registration, registration_id)
    return registration if registration is not None and registration.user_id == user.id else None


def choices_from_registration(registration: Registration) -> Choices:
    """A stored registration as choices (to fill the form when editing)."""
    return Choices(
        conditions={rc.condition_id: rc.strength for rc in registration.conditions},
        slots=[s.id for s in registration.slots],
        max_sessions=registration.max_sessions,
        wants=[u.id for u in registration.wants_to_meet],
    )


def default_choices(options: Options) -> Choices:
    """What the form starts with for a first registration."""
    capacity = options.facts.capacity if options.user.role == Role.LINK_WORKER else None
    return Choices(max_sessions=capacity or (2 if options.user.role == Role.CREATIVE else 3))


def _ints(values: list[str]) -> list[int] | None:
    """Whole numbers from form values, or None if any is not one (a tampered form)."""
    numbers = [whole_number(v) for v in values]
    return None if None in numbers else [n for n in numbers if n is not None]


def read_choices(form: Any, options: Options) -> tuple[Choices, list[tuple[str, str]]]:
    """Check posted choices against what this person may choose; (choices, [(field id, message)])."""
    errors: list[tuple[str, str]] = []
    choices = Choices()
    condition_ids = _ints(form.getlist("conditions"))
    if condition_ids is None or any(c not in options.condition_ids for c in condition_ids):
        errors.append(
            (
                "conditions",
                _("Choose conditions from the list. Only conditions in your profile and in this round can be chosen"),
            )
        )
        condition_ids = [c for c in (condition_ids or []) if c in options.condition_ids]
    if not condition_ids and not errors:
        errors.append(("conditions", _("Choose at least one condition you would like to discuss")))
    names = {c.id: c for c in options.conditions}
    for condition_id in dict.fromkeys(condition_ids):
        raw = form.get(f"strength-{condition_id}", "")
        if raw not in {str(s) for s in STRENGTHS}:
            errors.append(
                (
                    f"strength-{condition_id}",
                    _(
                        "Choose how interested you are in %(condition)s: open to it, interested, or main interest",
                        condition=names[condition_id].name(_language()),
                    ),
                )
            )
            continue
        choices.conditions[condition_id] = int(raw)
    slot_ids = _ints(form.getlist("slots"))
    if slot_ids is None or any(s not in options.slot_ids for s in slot_ids):
        errors.append(("slots", _("Choose times from this round's list")))
        slot_ids = [s for s in (slot_ids or []) if s in options.slot_ids]
    elif not slot_ids:
        errors.append(("slots", _("Choose at least one time you can attend")))
    choices.slots = sorted(set(slot_ids), key=[s.id for s in options.slots].index)
    raw_max = (form.get("max_sessions") or "").strip()
    max_sessions = whole_number(raw_max, maximum=MAX_SESSIONS_LIMIT)
    if max_sessions is None or max_sessions < 1:
        errors.append(
            (
                "max_sessions",
                _("Enter the most sessions you want, a whole number from 1 to %(n)d", n=MAX_SESSIONS_LIMIT),
            )
        )
    else:
        choices.max_sessions = max_sessions
    wants = _ints(form.getlist("wants"))
    if wants and not can_choose_whom_to_meet(options.user):
        wants = None
    if wants is None or any(w not in options.directory_user_ids for w in wants):
        errors.append(("wants", _("Choose organisations from the list")))
        wants = [w for w in (wants or []) if w in options.directory_user_ids]
    choices.wants = sorted(set(wants))
    return choices, errors


def _language() -> str:
    """The current page language."""
    from matchmaker.web.i18n import current_language

    return current_language()


def round_problem(round_: Round | None, user: User) -> str | None:
    """Why this person cannot register in this round now ('closed', 'not_open', 'no_profile'), or None."""
    if round_ is None or round_.status == RoundStatus.DRAFT:
        return "not_open"
    if round_.status == RoundStatus.CLOSED:
        return "closed"
    if user.role != Role.ORGANISER and not facts_for(user).has_profile:
        return "no_profile"
    return None


def save(options: Options, choices: Choices) -> Registration:
    """Create or replace this person's registration (re-checked by the caller) and queue the email."""
    round_, user = options.round, options.user
    registration = registration_of(round_, user)
    created = registration is None
    if registration is None:
        registration = Registration(round_id=round_.id, user_id=user.id)
        db.session.add(registration)
    registration.max_sessions = choices.max_sessions or 1
    registration.updated_at = utcnow()
    existing = {rc.condition_id: rc for rc in registration.conditions}
    registration.conditions = [
        _condition_row(existing.get(cid), cid, strength) for cid, strength in choices.conditions.items()
    ]
    slots = {s.id: s for s in options.slots}
    registration.slots = [slots[s] for s in choices.slots]
    registration.wants_to_meet = (
        list(db.session.scalars(select(User).where(User.id.in_(choices.wants)))) if choices.wants else []
    )
    db.session.flush()
    send_confirmation(registration, options, created)
    return registration


def _condition_row(row: RegistrationCondition | None, condition_id: int, strength: int) -> RegistrationCondition:
    """Reuse a stored condition row (same primary key) or make one."""
    if row is None:
        return RegistrationCondition(condition_id=condition_id, strength=strength)
    row.strength = strength
    return row


def send_confirmation(registration: Registration, options: Options, created: bool) -> None:
    """Email what was registered, in the person's language (one message per save)."""
    from matchmaker.web.urls import external_url

    by_id = {c.id: c for c in options.conditions}
    conditions = sorted(
        ((by_id[rc.condition_id], rc.strength) for rc in registration.conditions if rc.condition_id in by_id),
        key=lambda item: item[0].position,
    )
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    queue_templated_email(
        "registration_confirmed",
        key=f"registration:{registration.id}:{stamp}",
        user=options.user,
        reply_to=options.round.organiser_mailbox,
        round=options.round,
        registration=registration,
        conditions=conditions,
        slots=list(registration.slots),
        created=created,
        wants=[
            p.organisation_name for p in options.directory if p.user_id in {u.id for u in registration.wants_to_meet}
        ],
        link=external_url("interest.registration", registration_id=registration.id),
    )


def withdraw(registration: Registration) -> None:
    """Remove a registration (while the round is open)."""
    db.session.delete(registration)


@dataclass
class Day:
    """One day of the availability grid."""

    day: date
    slots: list[Slot]


@dataclass
class Week:
    """One week (Monday to Sunday) of the availability grid."""

    key: str
    monday: date
    days: list[Day]


def weeks(slots: list[Slot]) -> list[Week]:
    """Slots grouped by week and day in Wales, for the availability grid."""
    grouped: dict[date, dict[date, list[Slot]]] = {}
    for slot in sorted(slots, key=lambda s: s.starts_at):
        day = to_london(slot.starts_at).date()
        monday = day - timedelta(days=day.weekday())
        grouped.setdefault(monday, {}).setdefault(day, []).append(slot)
    return [
        Week(key=f"week-{monday.isoformat()}", monday=monday, days=[Day(d, s) for d, s in days.items()])
        for monday, days in grouped.items()
    ]


def is_morning(slot: Slot) -> bool:
    """Does the slot start before noon in Wales?"""
    return to_london(slot.starts_at).hour < NOON


# Personal data: what a person registered, for "download my data" and "delete my account".


def export_registrations(user: User) -> dict[str, Any]:
    """Every registration of this person, as plain data."""
    rows = db.session.scalars(
        select(Registration)
        .where(Registration.user_id == user.id)
        .options(selectinload(Registration.conditions), selectinload(Registration.slots))
        .order_by(Registration.id)
    )
    return {
        "registrations": [
            {
                "round": r.round.title_en,
                "conditions": {rc.condition.slug: rc.strength for rc in r.conditions},
                "slots": [_iso(s.starts_at) for s in r.slots],
                "max_sessions": r.max_sessions,
                "wants_to_meet": [u.name for u in r.wants_to_meet],
                "created_at": _iso(r.created_at),
                "updated_at": _iso(r.updated_at),
            }
            for r in rows
        ]
    }


def erase_registrations(user: User) -> None:
    """Delete this person's registrations and remove them from others' wish lists."""
    from matchmaker.models.rounds import registration_wants

    for registration in db.session.scalars(select(Registration).where(Registration.user_id == user.id)):
        db.session.delete(registration)
    db.session.flush()
    db.session.execute(delete(registration_wants).where(registration_wants.c.user_id == user.id))


def _iso(value: datetime) -> str:
    """ISO 8601 in UTC."""
    return value.isoformat()
