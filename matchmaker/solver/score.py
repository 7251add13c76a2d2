"""The contract's score formula: the one function every caller uses."""

from __future__ import annotations

from collections.abc import Iterable

from .plan import Plan, Session
from .problem import Problem


def session_score(problem: Problem, session: Session) -> int:
    """Score terms local to one session: places (strength, Welsh, no-shows), pairs (wants, repeats), region, cost."""
    w = problem.weights
    members = set(session.participants)
    booking = problem.booking_by_id.get(session.booking) if session.booking else None
    total = -w["session"] + (w["booking"] if booking else 0)
    people = [problem.person[pid] for pid in session.participants if pid in problem.person]
    for p in people:
        total += problem.place_value(p, session.condition, session.language)
        if p.role == "creative" and booking and booking.region is not None and booking.region == p.region:
            total += w["region"]
        total += w["wants"] * sum(1 for q in p.wants_to_meet if q in members)
    if w["repeat"] and problem.repeat_pairs:
        total -= w["repeat"] * repeats_in(problem, [p.id for p in people])
    return total


def repeats_in(problem: Problem, members: list[str]) -> int:
    """Pairs among the members who met within the last `rules.repeat_rounds` rounds."""
    if not problem.repeat_partners:
        return 0
    inside = set(members)
    return sum(len(problem.repeat_partners.get(pid, _NONE) & inside) for pid in inside) // 2


def served_score(problem: Problem, served: Iterable[str]) -> int:
    """The priority term for the given set of participant ids that are in at least one session."""
    total = 0
    for pid in set(served):
        p = problem.person.get(pid)
        if p is not None and p.role == "creative":
            total += problem.served_value(p)
    return total


def score_plan(problem: Problem, plan: Plan) -> int:
    """The plan's integer score under the problem's weights (a booking counts once however often named)."""
    total = sum(session_score(problem, s) for s in plan.sessions)
    named = [s.booking for s in plan.sessions if s.booking in problem.booking_by_id]
    total -= problem.weights["booking"] * (len(named) - len(set(named)))
    return total + served_score(problem, (pid for s in plan.sessions for pid in s.participants))


_NONE: frozenset[str] = frozenset()
