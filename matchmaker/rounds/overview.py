"""The organiser's view of a round's registrations: rows, filters, counts, warnings, CSV."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, noload

from matchmaker.extensions import db
from matchmaker.models import Condition, HealthBoard, Registration, RegistrationCondition, Round, Slot, User
from matchmaker.models.rounds import registration_slots, registration_wants
from matchmaker.profiles.service import listing_facts
from matchmaker.rounds import warnings
from matchmaker.web.csv_export import csv_text as spreadsheet_text
from matchmaker.web.forms import whole_number
from matchmaker.web.i18n import to_london
from matchmaker.web.labels import PROFILE_LABELS, label, language_name, role_name

ROLES = ("creative", "commissioner", "link_worker", "organiser")
LANGUAGES = ("en", "cy", "bsl")


@dataclass
class Row:
    """One registration with the profile facts the overview shows.

    Read as plain columns for everyone in the round; `registration` (with its account) and `wants`
    are loaded only for the rows shown or written (`attach`).
    """

    registration_id: int
    user_id: int
    name: str
    role: str
    organisation: str
    organisation_key: str
    languages: list[str]
    health_boards: list[HealthBoard]
    conditions: list[tuple[Condition, int]]
    slots: list[Slot]
    slot_ids: tuple[int, ...] = ()  # in time order, as `slots`
    condition_ids: frozenset[int] = frozenset()
    wants: list[str] = field(default_factory=list)  # names of the people they would like to meet
    kind: str = ""
    kind_group: str = ""
    registration: Registration | None = None

    @property
    def kind_name(self) -> str:
        """The kind of organisation, in the page's language ("" when not known)."""
        return label(PROFILE_LABELS[self.kind_group], self.kind) if self.kind_group else ""


def registration_count(round_: Round) -> int:
    """How many people registered."""
    return db.session.scalar(select(func.count()).select_from(Registration).where(Registration.round_id == round_.id))


def registration_rows(round_: Round) -> list[Row]:
    """Every registration of the round with its person's profile facts, by role then name.

    Everything is read as plain rows (an L-sized round has 2,400 registrations and 42,000 slot links,
    too many to load as objects): registrations with their account's name and role, the profile facts
    as columns, and (registration, condition) and (registration, slot) pairs mapped onto the round's
    own conditions and slots. `attach` loads the objects of the rows a page shows.
    """
    people = db.session.execute(
        select(Registration.id, Registration.user_id, User.name, User.role, User.language)
        .join(User, User.id == Registration.user_id)
        .where(Registration.round_id == round_.id)
    ).all()
    facts = listing_facts([(user_id, role) for _id, user_id, _name, role, _language in people])
    conditions = {c.id: c for c in db.session.scalars(select(Condition))}
    placed = {c.id: (c.position, c.id) for c in conditions.values()}
    slots = {s.id: s for s in round_.slots}
    rank = {s.id: i for i, s in enumerate(sorted(slots.values(), key=lambda slot: (slot.starts_at, slot.id)))}
    in_round = select(Registration.id).where(Registration.round_id == round_.id).scalar_subquery()
    chosen: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for registration_id, condition_id, strength in db.session.execute(
        select(
            RegistrationCondition.registration_id, RegistrationCondition.condition_id, RegistrationCondition.strength
        ).where(RegistrationCondition.registration_id.in_(in_round))
    ):
        chosen[registration_id].append((condition_id, strength))
    free = _slots_of(in_round, rank)
    rows = []
    for registration_id, user_id, name, role, language in people:
        fact = facts.get(user_id)
        slot_ids = sorted(free[registration_id], key=rank.__getitem__)
        strengths = sorted(chosen[registration_id], key=lambda pair: placed[pair[0]])
        rows.append(
            Row(
                registration_id=registration_id,
                user_id=user_id,
                name=name,
                role=role.value,
                organisation=fact.organisation if fact else "",
                organisation_key=fact.organisation_key if fact else "",
                languages=fact.languages if fact and fact.languages else [language],
                health_boards=fact.health_boards if fact else [],
                conditions=[(conditions[condition_id], strength) for condition_id, strength in strengths],
                condition_ids=frozenset(condition_id for condition_id, _strength in strengths),
                slots=[slots[slot_id] for slot_id in slot_ids],
                slot_ids=tuple(slot_ids),
                kind=fact.kind if fact else "",
                kind_group=fact.kind_group if fact else "",
            )
        )
    rows.sort(key=lambda r: (ROLES.index(r.role) if r.role in ROLES else 9, r.name.lower(), r.registration_id))
    return rows


def _slots_of(in_round: Any, rank: dict[int, int]) -> dict[int, list[int]]:
    """The round's slot ids each registration is free at (one array a registration on PostgreSQL)."""
    free: dict[int, list[int]] = defaultdict(list)
    column = registration_slots.c.registration_id
    if db.session.get_bind().dialect.name == "postgresql":
        gathered = func.array_agg(registration_slots.c.slot_id)
        query = select(column, gathered).where(column.in_(in_round)).group_by(column)
        for registration_id, slot_ids in db.session.execute(query):
            free[registration_id] = [slot_id for slot_id in slot_ids if slot_id in rank]
        return free
    for registration_id, slot_id in db.session.execute(
        select(column, registration_slots.c.slot_id).where(column.in_(in_round))
    ):
        if slot_id in rank:
            free[registration_id].append(slot_id)
    return free


def attach(rows: list[Row], wants: bool = False) -> list[Row]:
    """Load the registrations (with their accounts) of these rows, and who each would like to meet."""
    ids = [row.registration_id for row in rows]
    if not ids:
        return rows
    loaded = {
        r.id: r
        for r in db.session.scalars(
            select(Registration).where(Registration.id.in_(ids)).options(joinedload(Registration.user), noload("*"))
        )
    }
    named: dict[int, list[str]] = defaultdict(list)
    if wants:
        for registration_id, name in db.session.execute(
            select(registration_wants.c.registration_id, User.name)
            .join(User, User.id == registration_wants.c.user_id)
            .where(registration_wants.c.registration_id.in_(ids))
            .order_by(User.id)
        ):
            named[registration_id].append(name)
    for row in rows:
        row.registration = loaded.get(row.registration_id)
        row.wants = named[row.registration_id]
    return rows


@dataclass
class Filters:
    """The list's filters; unknown or tampered values are ignored."""

    role: str = ""
    condition: int | None = None
    health_board: int | None = None
    language: str = ""

    @classmethod
    def from_args(cls, args: Any) -> Filters:
        """Read the filters from the query string."""
        role = args.get("role", "")
        language = args.get("language", "")
        return cls(
            role=role if role in ROLES else "",
            condition=_int_or_none(args.get("condition")),
            health_board=_int_or_none(args.get("health_board")),
            language=language if language in LANGUAGES else "",
        )

    @property
    def active(self) -> bool:
        """Is any filter set?"""
        return bool(self.role or self.condition or self.health_board or self.language)

    def match(self, row: Row) -> bool:
        """Does a row pass every filter that is set?"""
        if self.role and row.role != self.role:
            return False
        if self.condition and self.condition not in row.condition_ids:
            return False
        if self.health_board and self.health_board not in {b.id for b in row.health_boards}:
            return False
        return not (self.language and self.language not in row.languages)


def _int_or_none(value: str | None) -> int | None:
    """A positive int from a query value, else None."""
    return whole_number(value)


def filter_options(round_: Round) -> dict[str, list]:
    """What the filter selects offer."""
    boards = list(db.session.scalars(select(HealthBoard).order_by(HealthBoard.position)))
    return {"conditions": list(round_.conditions), "health_boards": boards}


def counts(rows: list[Row]) -> dict[str, Counter]:
    """Registrations by role x condition, role x health board and role x language."""
    by_condition: Counter = Counter()
    by_board: Counter = Counter()
    by_language: Counter = Counter()
    by_role: Counter = Counter()
    for row in rows:
        by_role[row.role] += 1
        for condition, _strength in row.conditions:
            by_condition[(condition.id, row.role)] += 1
        for board in row.health_boards:
            by_board[(board.id, row.role)] += 1
        for language in row.languages:
            by_language[(language, row.role)] += 1
    return {"condition": by_condition, "health_board": by_board, "language": by_language, "role": by_role}


def breakdown(rows: list[Row]) -> list[tuple[str, Condition, HealthBoard | None, str, int]]:
    """Registrations by role x condition x health board x language (only combinations that occur)."""
    counter: Counter = Counter()
    keep: dict[tuple, tuple] = {}
    for row in rows:
        boards = row.health_boards or [None]
        for condition, _strength in row.conditions:
            for board in boards:
                for language in row.languages:
                    key = (row.role, condition.id, board.id if board else 0, language)
                    counter[key] += 1
                    keep[key] = (row.role, condition, board, language)
    ordered = sorted(
        counter,
        key=lambda k: (
            ROLES.index(k[0]) if k[0] in ROLES else 9,
            keep[k][1].position,
            keep[k][2].position if keep[k][2] else 99,
            k[3],
        ),
    )
    return [(*keep[k], counter[k]) for k in ordered]


def people_for_warnings(rows: list[Row]) -> list[warnings.Person]:
    """Rows reduced to what the warnings analysis reads."""
    return [
        warnings.Person(
            key=row.registration_id,
            role=row.role,
            conditions=frozenset(row.condition_ids),
            slots=frozenset(row.slot_ids),
            languages=frozenset(row.languages),
            organisation=row.organisation_key or row.organisation.strip().lower(),
        )
        for row in rows
    ]


def round_warnings(round_: Round, rows: list[Row]) -> list[tuple[Condition, warnings.Warning]]:
    """Warnings for every condition in scope, each with its condition."""
    rules = warnings.Rules(
        creatives_min=round_.creatives_min,
        commissioners_min=round_.commissioners_min,
        link_workers_min=round_.link_workers_min,
        one_per_organisation=round_.one_per_organisation,
    )
    by_id = {c.id: c for c in round_.conditions}
    found = warnings.round_warnings(list(by_id), people_for_warnings(rows), rules)
    return [(by_id[w.condition], w) for w in found]


def _local(value: datetime) -> str:
    """A UTC time as 'YYYY-MM-DD HH:MM' in Europe/London (sortable in a spreadsheet)."""
    return to_london(value).strftime("%Y-%m-%d %H:%M")


CSV_BATCH = 500


def csv_header() -> list[object]:
    """The CSV's first line."""
    return [
        _("Registration"),
        _("Name"),
        _("Email address"),
        _("Role"),
        _("Organisation"),
        _("Health boards"),
        _("Languages"),
        _("Conditions and strength (1 to 3)"),
        _("Slots (time in Wales)"),
        _("Most sessions"),
        _("Would like to meet"),
        _("Last changed (time in Wales)"),
    ]


def _csv_columns(ids: list[int]) -> dict[int, tuple[str, int, datetime]]:
    """(email address, most sessions, last changed) of these registrations, as plain columns."""
    return {
        registration_id: (email or "", max_sessions, updated_at)
        for registration_id, email, max_sessions, updated_at in db.session.execute(
            select(Registration.id, User.email, Registration.max_sessions, Registration.updated_at)
            .join(User, User.id == Registration.user_id)
            .where(Registration.id.in_(ids))
        )
    }


def _wishes(ids: list[int]) -> dict[int, list[str]]:
    """The names of the people each of these registrations would like to meet."""
    named: dict[int, list[str]] = defaultdict(list)
    for registration_id, name in db.session.execute(
        select(registration_wants.c.registration_id, User.name)
        .join(User, User.id == registration_wants.c.user_id)
        .where(registration_wants.c.registration_id.in_(ids))
        .order_by(User.id)
    ):
        named[registration_id].append(name)
    return named


def csv_chunks(rows: list[Row], language: str) -> Iterator[str]:
    """The CSV text in pieces: the header, then batches of rows, each batch's columns read in two statements.

    Names of roles, languages, boards and conditions and the slots' times are worked out once each.
    """
    yield spreadsheet_text([csv_header()])
    roles = {code: role_name(code) for code in ROLES}
    languages: dict[str, str] = {}
    boards: dict[int, str] = {}
    conditions: dict[int, str] = {}
    times: dict[int, str] = {}
    for start in range(0, len(rows), CSV_BATCH):
        batch = rows[start : start + CSV_BATCH]
        ids = [row.registration_id for row in batch]
        columns, wishes = _csv_columns(ids), _wishes(ids)
        lines: list[list[object]] = []
        for row in batch:
            email, max_sessions, updated_at = columns.get(row.registration_id, ("", None, None))
            for code in row.languages:
                if code not in languages:
                    languages[code] = language_name(code)
            for board in row.health_boards:
                if board.id not in boards:
                    boards[board.id] = board.name(language)
            for condition, _strength in row.conditions:
                if condition.id not in conditions:
                    conditions[condition.id] = condition.name(language)
            for slot_id, slot in zip(row.slot_ids, row.slots, strict=True):
                if slot_id not in times:
                    times[slot_id] = _local(slot.starts_at)
            lines.append(
                [
                    row.registration_id,
                    row.name,
                    email,
                    roles.get(row.role) or role_name(row.role),
                    row.organisation,
                    "; ".join(boards[b.id] for b in row.health_boards),
                    "; ".join(languages[code] for code in row.languages),
                    "; ".join(f"{conditions[c.id]} ({strength})" for c, strength in row.conditions),
                    "; ".join(times[slot_id] for slot_id in row.slot_ids),
                    max_sessions,
                    "; ".join(wishes[row.registration_id]),
                    _local(updated_at) if updated_at else "",
                ]
            )
        yield spreadsheet_text(lines)


def csv_text(rows: list[Row], language: str) -> str:
    """One line per registration; times in Europe/London; names in the organiser's language."""
    return "".join(csv_chunks(rows, language))
