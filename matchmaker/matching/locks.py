"""Locked draft sessions: a full re-run keeps them exactly as they were, nobody added."""

from __future__ import annotations

from matchmaker.solver import Plan, Problem, Session, complete_plan


def keep_locked(problem: Problem, plan: Plan, locked: set[str]) -> Plan:
    """The plan with every locked session back to its locked members (the solver may fill fixed sessions)."""
    changed = False
    sessions = []
    for s in plan.sessions:
        members = list(s.participants)
        if s.id in locked and s.id in problem.fixed_by_id:
            keep = problem.fixed_by_id[s.id].participants
            members = [pid for pid in s.participants if pid in keep]
            changed |= len(members) != len(s.participants)
        sessions.append(Session(s.id, s.condition, s.slot, s.language, members, s.booking))
    if not changed:
        return plan
    return complete_plan(problem, sessions, status="feasible", bound=plan.bound, seconds=plan.solve_seconds)
