"""Drafts: read them, adjust them (each change a new version, checked by the solver), compare two.

Every change goes through `adjust`: apply it to a copy of the plan, run the solver's
`check_plan`, refuse with the rules it would break, else recompute score and reasons with
the solver's own functions and store the result as the next version.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.matching.candidates import candidates
from matchmaker.matching.overrides import excused, rules_against
from matchmaker.matching.reasons import rule_broken
from matchmaker.matching.runs import add_draft
from matchmaker.models import MatchDraft, MatchRun, Round, User
from matchmaker.solver import (
    Plan,
    Problem,
    Session,
    check_plan,
    complete_plan,
    parse_problem,
    plan_from_dict,
    plan_to_dict,
)

ACTIONS = ("remove", "add", "override", "move", "delete", "lock", "unlock", "keep_short", "welsh")


class AdjustError(ValueError):
    """A change refused; messages are translated, one per broken rule (with the solver's detail)."""

    def __init__(self, messages: list[str]) -> None:
        """Keep every message."""
        super().__init__("; ".join(messages))
        self.messages = messages


def drafts_of(round_: Round) -> list[MatchDraft]:
    """The round's drafts, newest first."""
    return list(
        db.session.scalars(
            select(MatchDraft).where(MatchDraft.round_id == round_.id).order_by(MatchDraft.version.desc())
        )
    )


def latest_draft(round_: Round) -> MatchDraft | None:
    """The round's newest draft."""
    return db.session.scalar(
        select(MatchDraft).where(MatchDraft.round_id == round_.id).order_by(MatchDraft.version.desc()).limit(1)
    )


def draft_of(round_: Round, version: int) -> MatchDraft | None:
    """A version of this round's draft."""
    return db.session.scalar(select(MatchDraft).where(MatchDraft.round_id == round_.id, MatchDraft.version == version))


# Parsed problems of recent runs, per process: a run's problem never changes once it has a draft, and
# parsing an L-sized one (2,400 people) took a third of a second on every draft page.
_PROBLEMS: OrderedDict[tuple[Any, ...], Problem] = OrderedDict()
_KEEP_PROBLEMS = 4


def problem_of_run(run_id: int) -> Problem:
    """The run's problem, parsed by the solver (kept for the next page that shows a draft of the same run)."""
    created, started = db.session.execute(
        select(MatchRun.created_at, MatchRun.started_at).where(MatchRun.id == run_id)
    ).one()
    key = (str(db.engine.url), run_id, created, started)  # ids come back in a fresh database: not the key alone
    problem = _PROBLEMS.get(key)
    if problem is None:
        problem = parse_problem(db.session.scalar(select(MatchRun.problem).where(MatchRun.id == run_id)))
        _PROBLEMS[key] = problem
        while len(_PROBLEMS) > _KEEP_PROBLEMS:
            _PROBLEMS.popitem(last=False)
    else:
        _PROBLEMS.move_to_end(key)
    return problem


def loaded(draft: MatchDraft) -> tuple[Problem, Plan]:
    """The draft's problem (its run's) and plan, parsed by the solver."""
    problem = problem_of_run(draft.run_id)
    return problem, plan_from_dict(draft.plan, problem)


def published_draft(round_: Round) -> MatchDraft | None:
    """The most recently published draft of the round."""
    return db.session.scalar(
        select(MatchDraft)
        .where(MatchDraft.round_id == round_.id, MatchDraft.published_at.is_not(None))
        .order_by(MatchDraft.published_at.desc(), MatchDraft.id.desc())
        .limit(1)
    )


def superseded_reason(draft: MatchDraft) -> str | None:
    """Why this draft may never be published (again): a newer version exists. None when it is the latest."""
    round_ = db.session.get(Round, draft.round_id)
    assert round_ is not None
    latest = latest_draft(round_)
    if latest is not None and latest.id != draft.id:
        return _("This is an earlier version. Only the latest version can be changed or published.")
    return None


def stale_reason(draft: MatchDraft) -> str | None:
    """Why this draft can no longer be changed or published, or None."""
    round_ = db.session.get(Round, draft.round_id)
    assert round_ is not None
    latest = latest_draft(round_)
    if latest is not None and latest.id != draft.id:
        return _("This is an earlier version. Only the latest version can be changed or published.")
    if draft.published_at is not None:
        return _("This draft has been published. Run a refill or the matching again to change the sessions.")
    published = published_draft(round_)
    if published is not None and (published.run_id == draft.run_id or published.published_at > draft.run.created_at):
        return _("Sessions were published after this run started. Run a refill or the matching again.")
    return None


def _copy(plan: Plan) -> list[Session]:
    """The plan's sessions with their own participant lists."""
    return [Session(s.id, s.condition, s.slot, s.language, list(s.participants), s.booking) for s in plan.sessions]


def _session(sessions: list[Session], session_id: str) -> Session:
    """A session of the plan by id, or a refusal."""
    found = next((s for s in sessions if s.id == session_id), None)
    if found is None:
        raise AdjustError([_("That session is not in this draft.")])
    return found


def _apply(problem: Problem, plan: Plan, sessions: list[Session], change: dict[str, Any]) -> None:
    """Make the change on the copied sessions (plain refusals for impossible requests)."""
    action = change["action"]
    session = _session(sessions, change["session"])
    person = change.get("participant")
    if action == "remove":
        if person not in session.participants:
            raise AdjustError([_("That person is not in this session.")])
        session.participants.remove(person)
        if session.booking and problem.booking_by_id[session.booking].commissioner == person:
            session.booking = None  # the booking's commissioner left: the session no longer serves it
    elif action == "add":
        if person not in problem.person:
            raise AdjustError([_("Choose someone registered in this round.")])
        if person not in candidates(problem, plan, session.id):
            raise AdjustError([_("That person cannot join this session. Choose someone from the list.")])
        session.participants.append(person)
    elif action == "override":  # against a rule: the organiser has confirmed which (adjust checks the rest)
        if person not in problem.person:
            raise AdjustError([_("Choose someone registered in this round.")])
        if person in session.participants:
            raise AdjustError([_("That person is already in this session.")])
        session.participants.append(person)
    elif action == "move":
        if change.get("slot") not in problem.slot_by_id:
            raise AdjustError([_("Choose a slot of this round.")])
        session.slot = change["slot"]
    elif action == "delete":
        sessions.remove(session)
    elif action == "welsh":
        if session.language == "cy":
            raise AdjustError([_("This session is already in Welsh.")])
        session.language = "cy"


def adjust(draft: MatchDraft, user: User | None, change: dict[str, Any]) -> MatchDraft:
    """Apply one change to the latest draft and store the result as a new version (the caller commits)."""
    if change.get("action") not in ACTIONS:
        raise AdjustError([_("That change is not possible.")])
    stale = stale_reason(draft)
    if stale:
        raise AdjustError([stale])
    problem, plan = loaded(draft)
    sessions = _copy(plan)
    _session(sessions, change["session"])
    user_id = user.id if user is not None else None
    if change["action"] in ("lock", "unlock", "keep_short"):
        new = add_draft(draft.round_id, draft.run_id, draft.plan, change=change, user_id=user_id, parent=draft)
        sid = change["session"]
        if change["action"] == "lock":
            new.locked = sorted(set(new.locked) | {sid})
        elif change["action"] == "unlock":
            new.locked = sorted(set(new.locked) - {sid})
        else:
            new.kept_short = sorted(set(new.kept_short) | {sid})
        return new
    if change["session"] in draft.locked:
        raise AdjustError([_("This session is locked. Unlock it to change it.")])
    overrides = list(draft.overrides or [])
    if change["action"] == "override":
        rules, never = rules_against(problem, plan, change["session"], change.get("participant", ""))
        if never:
            raise AdjustError([f"{rule_broken(v.rule)} ({v.message})" for v in never])
        change = {**change, "rules": rules}
        overrides.append(
            {
                "session": change["session"],
                "participant": change.get("participant"),
                "rules": rules,
                "run": draft.run_id,
            }
        )
    _apply(problem, plan, sessions, change)
    violations = excused(check_plan(problem, Plan(sessions=sessions)), overrides)
    if violations:
        raise AdjustError([f"{rule_broken(v.rule)} ({v.message})" for v in violations])
    status = plan.status if plan.status != "optimal" else "feasible"
    new_plan = complete_plan(problem, sessions, status=status, bound=plan.bound, seconds=plan.solve_seconds)
    new = add_draft(draft.round_id, draft.run_id, plan_to_dict(new_plan), change=change, user_id=user_id, parent=draft)
    fixed = change["session"] in problem.fixed_by_id  # published: a new run keeps it anyway
    if change["action"] == "welsh" or (change["action"] == "override" and not fixed):
        new.locked = sorted(set(new.locked) | {change["session"]})  # a new run keeps it (in Welsh; with the person)
    if change["action"] == "override" and change["rules"]:
        new.overrides = [*new.overrides, overrides[-1]]
    return new


def move_choices(problem: Problem, plan: Plan, session_id: str, overrides: list[dict[str, Any]] = ()) -> list[str]:  # type: ignore[assignment]
    """Slots the session could move to without breaking a rule (checked by the solver for each)."""
    sessions = _copy(plan)
    session = next((s for s in sessions if s.id == session_id), None)
    if session is None or session_id in problem.fixed_by_id:
        return []
    here = session.slot
    found = []
    for slot in problem.slots:
        if slot.id == here:
            continue
        members = [problem.person[pid] for pid in session.participants]
        if any(slot.id not in p.available for p in members):
            continue
        session.slot = slot.id
        if not excused(check_plan(problem, Plan(sessions=sessions)), list(overrides)):
            found.append(slot.id)
    session.slot = here
    return found


# --- comparing ----------------------------------------------------------------------------


@dataclass
class Comparison:
    """Who gains and who loses going from draft a to draft b, and the totals."""

    gains: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)  # person, [(condition, slot)]
    losses: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    score: tuple[int, int] = (0, 0)
    sessions: tuple[int, int] = (0, 0)
    bookings: tuple[int, int] = (0, 0)
    reached: tuple[int, int] = (0, 0)


def _places(plan: dict[str, Any]) -> dict[str, set[tuple[str, str]]]:
    """Each person's (condition, slot) places in a plan document."""
    places: dict[str, set[tuple[str, str]]] = {}
    for s in plan["sessions"]:
        for pid in s["participants"]:
            places.setdefault(pid, set()).add((s["condition"], s["slot"]))
    return places


def compare(a: MatchDraft, b: MatchDraft) -> Comparison:
    """What changes for each person from a to b (sessions compared by condition and slot)."""
    pa, pb = _places(a.plan), _places(b.plan)
    result = Comparison()
    for pid in sorted(set(pa) | set(pb), key=lambda p: (len(p), p)):
        gained = sorted(pb.get(pid, set()) - pa.get(pid, set()))
        lost = sorted(pa.get(pid, set()) - pb.get(pid, set()))
        if gained:
            result.gains.append((pid, gained))
        if lost:
            result.losses.append((pid, lost))
    problem_a, problem_b = a.run.problem or {}, b.run.problem or {}

    def reached(plan: dict[str, Any], problem: dict[str, Any]) -> int:
        creatives = {p["id"] for p in problem.get("participants", []) if p["role"] == "creative"}
        return len({pid for s in plan["sessions"] for pid in s["participants"] if pid in creatives})

    result.score = (a.plan["score"], b.plan["score"])
    result.sessions = (len(a.plan["sessions"]), len(b.plan["sessions"]))
    result.bookings = (
        sum(1 for s in a.plan["sessions"] if s.get("booking")),
        sum(1 for s in b.plan["sessions"] if s.get("booking")),
    )
    result.reached = (reached(a.plan, problem_a), reached(b.plan, problem_b))
    return result
