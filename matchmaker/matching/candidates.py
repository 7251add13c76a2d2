"""Who could join a session of a plan without breaking a hard rule of the contract."""

from __future__ import annotations

from collections import defaultdict

from matchmaker.solver import Plan, Problem, Session
from matchmaker.solver.problem import Participant


def sessions_by_person(sessions: list[Session]) -> dict[str, list[Session]]:
    """Each participant's sessions in the plan."""
    mine: dict[str, list[Session]] = defaultdict(list)
    for s in sessions:
        for pid in s.participants:
            mine[pid].append(s)
    return mine


def fits(
    problem: Problem,
    session: Session,
    person: Participant,
    mine: dict[str, list[Session]],
    forbidden: set[tuple[str, str]] = frozenset(),  # type: ignore[assignment]
) -> bool:
    """Can this person join this session: H1-H6, H8 and H11 (adding a person never breaks H7, H9 or H10)?"""
    if person.id in session.participants or (person.id, session.id) in forbidden:
        return False
    if problem.excluded(person.id, session.slot, session.id):
        return False
    _low, high = problem.rules.counts[person.role]
    if sum(1 for pid in session.participants if problem.person[pid].role == person.role) >= high:
        return False
    if session.slot not in person.available or session.condition not in person.conditions:
        return False
    if session.language not in person.languages:
        return False
    theirs = mine.get(person.id, [])
    if len(theirs) >= person.max_sessions:
        return False
    slot = problem.slot_by_id[session.slot]
    if any(problem.slot_by_id[s.slot].overlaps(slot) for s in theirs if s.id != session.id):
        return False
    if problem.rules.one_per_organisation and person.role == "creative" and person.organisation is not None:
        if any(
            problem.person[pid].role == "creative" and problem.person[pid].organisation == person.organisation
            for pid in session.participants
        ):
            return False
    return True


def gain(problem: Problem, session: Session, person: Participant, mine: dict[str, list[Session]]) -> int:
    """Roughly what adding this person adds to the score (to offer and fill the best first)."""
    w = problem.weights
    strength = person.conditions.get(session.condition, 0)
    if person.role == "creative":
        value = w["strength"] * strength + (problem.served_value(person) if not mine.get(person.id) else 0)
    else:
        value = w["staff_strength"] * strength
    wanted = sum(1 for pid in session.participants if pid in person.wants_to_meet)
    wanted += sum(1 for pid in session.participants if person.id in problem.person[pid].wants_to_meet)
    return value + w["wants"] * wanted


def candidates(
    problem: Problem,
    plan: Plan,
    session_id: str,
    forbidden: set[tuple[str, str]] = frozenset(),  # type: ignore[assignment]
) -> list[str]:
    """Participant ids who may join this session, best first."""
    session = next((s for s in plan.sessions if s.id == session_id), None)
    if session is None:
        return []
    mine = sessions_by_person(plan.sessions)
    found = [p for p in problem.participants if fits(problem, session, p, mine, forbidden)]
    found.sort(key=lambda p: (-gain(problem, session, p, mine), p.id))
    return [p.id for p in found]
