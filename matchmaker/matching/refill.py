"""Refills after publishing: keep published sessions, fill only their free places, move nobody.

The solver is run with the published sessions fixed; a refill then keeps only those
sessions (no new ones), drops anyone put back into a session they declined or were removed
from, and tops up the remaining free places with whoever fits best.
"""

from __future__ import annotations

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.invites.service import excluded_pairs
from matchmaker.matching.candidates import fits, gain, sessions_by_person
from matchmaker.matching.ids import participant_id
from matchmaker.models import ConsultationSession, Round
from matchmaker.solver import Plan, Problem, Session, complete_plan


def forbidden_pairs(round_: Round) -> set[tuple[str, str]]:
    """(participant, session plan_key) pairs never to fill again: the stored 'not again' exclusions
    (declined, removed, booking cancelled, account closed) that an organiser has not lifted."""
    pairs, _whole = excluded_pairs(round_.id)
    if not pairs:
        return set()
    keys = dict(
        db.session.execute(
            select(ConsultationSession.id, ConsultationSession.plan_key).where(
                ConsultationSession.id.in_({session_id for _, session_id in pairs})
            )
        ).all()
    )
    return {(participant_id(user_id), keys[session_id]) for user_id, session_id in pairs if session_id in keys}


def refill_forbidden(problem: Problem, forbidden: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """For a refill: someone kept out of one session is not moved into another either.

    A refill only tops up free places and moves nobody, so a person who has just declined (or was
    taken off) is not offered a different session by it; a full re-run, which the organiser starts
    on purpose, may still place them elsewhere.
    """
    people = {pid for pid, _session in forbidden}
    return forbidden | {(pid, f.id) for pid in people for f in problem.fixed_sessions}


def _copy(sessions: list[Session]) -> list[Session]:
    """Sessions with their own participant lists."""
    return [Session(s.id, s.condition, s.slot, s.language, list(s.participants), s.booking) for s in sessions]


def _without_forbidden(problem: Problem, sessions: list[Session], forbidden: set[tuple[str, str]]) -> bool:
    """Take out people the solver put back into a fixed session they left; True if anyone was."""
    changed = False
    for s in sessions:
        fixed = problem.fixed_by_id.get(s.id)
        if fixed is None:
            continue
        keep = [pid for pid in s.participants if pid in fixed.participants or (pid, s.id) not in forbidden]
        changed |= len(keep) != len(s.participants)
        s.participants = keep
    return changed


def drop_forbidden(problem: Problem, plan: Plan, forbidden: set[tuple[str, str]]) -> Plan:
    """The plan without anyone back in a session they declined or were removed from."""
    sessions = _copy(plan.sessions)
    if not _without_forbidden(problem, sessions, forbidden):
        return plan
    return complete_plan(problem, sessions, status="feasible", bound=plan.bound, seconds=plan.solve_seconds)


def top_up(problem: Problem, sessions: list[Session], forbidden: set[tuple[str, str]]) -> None:
    """Fill free places in the given sessions, each with whoever fits and adds most, one place at a time."""
    mine = sessions_by_person(sessions)
    by_condition: dict[str, list] = {}
    for p in problem.participants:
        for c in p.conditions:
            by_condition.setdefault(c, []).append(p)
    for s in sessions:
        while True:
            options = [p for p in by_condition.get(s.condition, []) if fits(problem, s, p, mine, forbidden)]
            if not options:
                break
            chosen = max(options, key=lambda p: (gain(problem, s, p, mine), p.id))
            s.participants.append(chosen.id)
            mine.setdefault(chosen.id, []).append(s)


def refill_only(problem: Problem, plan: Plan, forbidden: set[tuple[str, str]]) -> Plan:
    """Only the published (fixed) sessions, their free places filled; nobody moved, nothing new opened."""
    sessions = _copy([s for s in plan.sessions if s.id in problem.fixed_by_id])
    _without_forbidden(problem, sessions, forbidden)
    top_up(problem, sessions, forbidden)
    return complete_plan(problem, sessions, status="feasible", bound=plan.bound, seconds=plan.solve_seconds)
