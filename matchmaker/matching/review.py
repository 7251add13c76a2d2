"""What the draft review shows: people's details, sessions by date or condition, and the reach summary."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaker.extensions import db
from matchmaker.matching.ids import booking_id, parse_booking_id, parse_participant_id, participant_id
from matchmaker.matching.overrides import rule_names
from matchmaker.matching.reasons import booking_reason, participant_reason
from matchmaker.models import (
    Booking,
    CommissionerProfile,
    Condition,
    CreativeProfile,
    HealthBoard,
    LinkWorkerProfile,
    PrescribingLink,
    User,
)
from matchmaker.solver import Plan, Problem, Session
from matchmaker.web.i18n import to_london
from matchmaker.web.labels import language_name


@dataclass
class Person:
    """One participant as the organiser sees them."""

    pid: str
    name: str
    role: str
    organisation: str = ""
    board: str = ""
    languages: list[str] = field(default_factory=list)
    access: list[str] = field(default_factory=list)
    no_link: bool = False


def people_for(problem: Problem, language: str, detailed: set[str] | None = None) -> dict[str, Person]:
    """Every participant of the problem with name, organisation, health board, languages and access needs.

    Plain columns, not account and profile objects, and each label translated once: an L-sized
    round has 2,400 people and every draft page shows some of them. With `detailed`, only those
    participants get their organisation and access needs (the others: name, role, board, languages).
    """
    ids = [parse_participant_id(p.id) for p in problem.participants]
    profiled = ids if detailed is None else [i for i in map(parse_participant_id, detailed) if i is not None]
    deleted = _("Deleted user")
    names = {
        user_id: deleted if deleted_at is not None else name
        for user_id, name, deleted_at in db.session.execute(
            select(User.id, User.stored_name, User.deleted_at).where(User.id.in_(ids or [0]))
        )
    }
    boards = {b.slug: b.name(language) for b in db.session.scalars(select(HealthBoard))}
    language_names: dict[str, str] = {}
    people: dict[str, Person] = {}
    for p in problem.participants:
        for code in p.languages:
            if code not in language_names:
                language_names[code] = language_name(code)
        people[p.id] = Person(
            pid=p.id,
            name=names.get(parse_participant_id(p.id), p.id),
            role=p.role,
            board=boards.get(p.region or "", ""),
            languages=[language_names[code] for code in p.languages],
        )
    captions, bsl, breaks = _("Captions"), _("BSL interpreter"), _("Breaks")
    for user_id, organisation, link, wants_captions, wants_bsl, wants_breaks, other in db.session.execute(
        select(
            CreativeProfile.user_id,
            CreativeProfile.organisation_name,
            CreativeProfile.prescribing_link,
            CreativeProfile.access_captions,
            CreativeProfile.access_bsl,
            CreativeProfile.access_breaks,
            CreativeProfile.access_other,
        ).where(CreativeProfile.user_id.in_(profiled or [0]))
    ):
        person = people.get(participant_id(user_id))
        if person is None:
            continue
        person.organisation = organisation
        person.no_link = link == PrescribingLink.NONE
        person.access = [
            text for wanted, text in ((wants_captions, captions), (wants_bsl, bsl), (wants_breaks, breaks)) if wanted
        ] + ([other] if other else [])
    for user_id, organisation in db.session.execute(
        select(CommissionerProfile.user_id, CommissionerProfile.organisation).where(
            CommissionerProfile.user_id.in_(profiled or [0])
        )
    ):
        if participant_id(user_id) in people:
            people[participant_id(user_id)].organisation = organisation
    for user_id, employer in db.session.execute(
        select(LinkWorkerProfile.user_id, LinkWorkerProfile.employer).where(
            LinkWorkerProfile.user_id.in_(profiled or [0])
        )
    ):
        if participant_id(user_id) in people:
            people[participant_id(user_id)].organisation = employer
    return people


def names_for(pids: set[str]) -> dict[str, Person]:
    """Only these participants, with their names and roles (a comparison names the people whose places change)."""
    deleted = _("Deleted user")
    ids = [user_id for user_id in map(parse_participant_id, pids) if user_id is not None]
    return {
        participant_id(user_id): Person(
            pid=participant_id(user_id), name=deleted if deleted_at is not None else name, role=role.value
        )
        for user_id, name, role, deleted_at in db.session.execute(
            select(User.id, User.stored_name, User.role, User.deleted_at).where(User.id.in_(ids or [0]))
        )
    }


@dataclass
class SessionView:
    """A plan session ready to show."""

    id: str
    condition: str
    starts_at: datetime
    ends_at: datetime
    language: str
    people: list[Person]
    booking: Booking | None
    fixed: bool
    locked: bool
    short: bool
    language_code: str = "en"
    overrides: dict[str, list[str]] = field(default_factory=dict)  # person id -> the rules they were added against


def condition_names(language: str) -> dict[str, str]:
    """Condition names by slug in this language."""
    return {c.slug: c.name(language) for c in db.session.scalars(select(Condition))}


def bookings_for(problem: Problem, only: set[str] | None = None) -> dict[str, Booking]:
    """The problem's bookings (or only these of them) from the database, by problem id."""
    ids = [parse_booking_id(b.id) for b in problem.bookings if only is None or b.id in only]
    query = (
        select(Booking)
        .where(Booking.id.in_(ids or [0]))
        .options(selectinload(Booking.commissioner), selectinload(Booking.condition))
    )
    return {booking_id(b.id): b for b in db.session.scalars(query)}


ROLE_ORDER = {"commissioner": 0, "link_worker": 1, "creative": 2}


def session_views(
    problem: Problem,
    plan: Plan,
    people: dict[str, Person],
    locked: list[str],
    language: str,
    overrides: list[dict[str, Any]] | None = None,
    only: str | None = None,
) -> list[SessionView]:
    """The plan's sessions (or the one with id `only`) in time order, with their people and bookings."""
    names = condition_names(language)
    chosen = [s for s in plan.sessions if only is None or s.id == only]
    bookings = bookings_for(problem, None if only is None else {s.booking for s in chosen if s.booking})
    views = []
    for s in chosen:
        slot = problem.slot_by_id[s.slot]
        members = sorted((people[pid] for pid in s.participants), key=lambda p: (ROLE_ORDER[p.role], p.name))
        views.append(
            SessionView(
                id=s.id,
                condition=names.get(s.condition, s.condition),
                starts_at=slot.start,
                ends_at=slot.end,
                language=language_name(s.language),
                people=members,
                booking=bookings.get(s.booking or ""),
                fixed=s.id in problem.fixed_by_id,
                locked=s.id in locked,
                short=s.id in plan.short_sessions,
                language_code=s.language,
                overrides={
                    o["participant"]: rule_names(o["rules"])
                    for o in overrides or []
                    if o["session"] == s.id and o["participant"] in s.participants
                },
            )
        )
    views.sort(key=lambda v: (v.starts_at, v.condition, v.id))
    return views


def grouped(views: list[SessionView], by: str) -> list[tuple[str, list[SessionView]]]:
    """Sessions grouped by day (in Wales) or by condition."""
    groups: dict[str, list[SessionView]] = defaultdict(list)
    for v in views:
        key = v.condition if by == "condition" else to_london(v.starts_at).date().isoformat()
        groups[key].append(v)
    return sorted(groups.items())


@dataclass
class Reach:
    """Reached out of registered, for one group."""

    label: str
    reached: int
    total: int

    @property
    def percent(self) -> int:
        """Share reached, rounded."""
        return round(100 * self.reached / self.total) if self.total else 0


@dataclass
class Summary:
    """The draft's reach, bookings, link workers' load and sessions per slot."""

    overall: Reach
    no_link: Reach
    by_condition: list[Reach]
    by_board: list[Reach]
    bookings: Reach
    link_workers: list[tuple[Person, int, int]]
    per_slot: list[tuple[datetime, int]]


def summary(problem: Problem, plan: Plan, people: dict[str, Person], language: str) -> Summary:
    """Creative professionals reached (overall, by condition, board, with no link yet), bookings, loads, slots."""
    names = condition_names(language)
    creatives = [p for p in problem.participants if p.role == "creative"]
    count: Counter[str] = Counter(pid for s in plan.sessions for pid in s.participants)
    reached = {p.id for p in creatives if count[p.id]}
    by_condition = []
    for c in problem.conditions:
        group = [p for p in creatives if c.id in p.conditions]
        hit = {pid for s in plan.sessions if s.condition == c.id for pid in s.participants}
        if group:
            by_condition.append(Reach(names.get(c.id, c.name), sum(1 for p in group if p.id in hit), len(group)))
    by_board: dict[str, list[str]] = defaultdict(list)
    for p in creatives:
        by_board[people[p.id].board or _("No health board given")].append(p.id)
    no_link = [p.id for p in creatives if people[p.id].no_link]
    served = sum(1 for s in plan.sessions if s.booking)
    per_slot = Counter(s.slot for s in plan.sessions)
    return Summary(
        overall=Reach(_("All creative professionals"), len(reached), len(creatives)),
        no_link=Reach(
            _("With no link to social prescribing yet"), sum(1 for pid in no_link if pid in reached), len(no_link)
        ),
        by_condition=by_condition,
        by_board=[
            Reach(board, sum(1 for pid in ids if pid in reached), len(ids)) for board, ids in sorted(by_board.items())
        ],
        bookings=Reach(_("Bookings served"), served, len(problem.bookings)),
        link_workers=[
            (people[p.id], count[p.id], p.max_sessions) for p in problem.participants if p.role == "link_worker"
        ],
        per_slot=[(slot.start, per_slot.get(slot.id, 0)) for slot in problem.slots],
    )


def left_out(problem: Problem, plan: Plan, people: dict[str, Person]) -> list[tuple[Person, str, str]]:
    """Everyone in no session: the person, the reason in words, the solver's detail."""
    return [(people[u.participant], participant_reason(u.reason), u.detail) for u in plan.unassigned]


def left_out_before(problem: Problem, plan: Plan, people: dict[str, Person]) -> list[tuple[Person, int, bool]]:
    """Everyone registered in earlier rounds but never matched (contract 1.1 history): the person, how many
    earlier rounds they registered for, and whether this draft puts them in a session. Most rounds missed first."""
    seated = {pid for s in plan.sessions for pid in s.participants}
    rows = [
        (people[p.id], problem.record(p.id).rounds_missed, p.id in seated)
        for p in problem.participants
        if problem.record(p.id).rounds_missed > 0 and p.id in people
    ]
    return sorted(rows, key=lambda row: (-row[1], row[2], row[0].name))


def unserved(problem: Problem, plan: Plan) -> list[tuple[Booking | None, str, str]]:
    """Every booking not served: the booking, the reason in words, the solver's detail."""
    bookings = bookings_for(problem)
    return [(bookings.get(u.booking), booking_reason(u.reason), u.detail) for u in plan.unserved_bookings]


def session_of(plan: Plan, session_id: str) -> Session | None:
    """A plan session by id."""
    return next((s for s in plan.sessions if s.id == session_id), None)


def chart(points: list[Any], width: int = 600, height: int = 200) -> dict[str, Any]:
    """Score and bound over time as SVG polyline points (the JS draws the same from the JSON)."""
    if not points:
        return {"score": "", "bound": "", "low": None, "high": None, "seconds": 0, "width": width, "height": height}
    seconds = max(float(p[0]) for p in points) or 1.0
    low = min(int(p[1]) for p in points)
    high = max(int(p[2]) for p in points)
    span = (high - low) or 1

    def xy(p: Any, index: int) -> str:
        x = 10 + (width - 20) * float(p[0]) / seconds
        y = height - 10 - (height - 20) * (int(p[index]) - low) / span
        return f"{x:.1f},{y:.1f}"

    def line(index: int) -> str:
        return " ".join(xy(p, index) for p in points)

    return {
        "score": line(1),
        "bound": line(2),
        "low": low,
        "high": high,
        "seconds": seconds,
        "width": width,
        "height": height,
    }


@dataclass
class OutcomeRow:
    """One condition's result of a run: sessions built, people and bookings placed out of those asking."""

    condition: str
    sessions: int
    people: int
    registered: int
    bookings: int
    booked: int


def outcome(problem: dict[str, Any] | None, plan: dict[str, Any] | None, language: str) -> list[OutcomeRow]:
    """A run's plan in people's terms, by condition (stored problem and plan documents), then the totals."""
    if not problem or not plan:
        return []
    names = condition_names(language)
    rows = []
    everyone: set[str] = set()
    for condition in problem.get("conditions", []):
        cid = condition["id"]
        asking = {p["id"] for p in problem.get("participants", []) if cid in p.get("conditions", {})}
        sessions = [s for s in plan.get("sessions", []) if s["condition"] == cid]
        placed = {pid for s in sessions for pid in s["participants"]}
        everyone |= placed
        bookings = [b for b in problem.get("bookings", []) if b["condition"] == cid]
        if not asking and not sessions and not bookings:
            continue
        rows.append(
            OutcomeRow(
                names.get(cid, condition.get("name", cid)),
                len(sessions),
                len(placed),
                len(asking),
                sum(1 for s in sessions if s.get("booking")),
                len(bookings),
            )
        )
    rows.append(
        OutcomeRow(
            _("All conditions"),
            len(plan.get("sessions", [])),
            len(everyone),
            len(problem.get("participants", [])),
            sum(1 for s in plan.get("sessions", []) if s.get("booking")),
            len(problem.get("bookings", [])),
        )
    )
    return rows


def chart_summary(points: list[Any]) -> str:
    """The chart in words: how the score rose, over how long, and the best still possible."""
    if not points:
        return _("No plan found yet.")
    first, last = points[0], points[-1]
    return ngettext(
        "%(num)d better plan found in %(seconds)s seconds: the score rose from %(low)d to %(high)d; "
        "the best still possible is %(bound)d.",
        "%(num)d better plans found in %(seconds)s seconds: the score rose from %(low)d to %(high)d; "
        "the best still possible is %(bound)d.",
        len(points),
        seconds=f"{float(last[0]):g}",
        low=int(first[1]),
        high=int(last[1]),
        bound=int(last[2]),
    )
