"""People an organiser adds to a draft session against a rule, after a confirmation that names it.

An override is stored on the draft as {"session", "participant", "rules", "run"}: the hard rules
(codes of the matching contract) the addition breaks. The solver's check still finds those
breaches; `excused` leaves out exactly the ones an override accepted (the person's own, or the
session's for the role and organisation rules), so later changes and publishing still refuse
anything else. The session is locked, so a re-run keeps it (as a fixed session) and the override
goes with it; publishing invites the person like anyone else.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from matchmaker.solver import Plan, Problem, Session, check_plan
from matchmaker.solver.check import Violation

# The rules an organiser may knowingly break by adding someone, in the words of the tag and the
# confirmation. Others (parallel sessions, published sessions, bookings) are never overridden.
RULES: dict[str, Any] = {
    "H1": _l("not free at this time"),
    "H2": _l("has not chosen this condition"),
    "H3": _l("does not speak the session's language"),
    "H4": _l("already in another session at this time"),
    "H5": _l("over the number of sessions they can attend"),
    "H6": _l("more people of this role than a session may have"),
    "H8": _l("a second creative professional from the same organisation"),
}
PERSON_RULES = ("H1", "H2", "H3", "H4", "H5")  # the violation names the person
SESSION_RULES = ("H6", "H8")  # the violation names the session


def rule_names(codes: list[str]) -> list[str]:
    """The rules' names in the current language, in code order."""
    return [str(RULES[code]) for code in sorted(codes, key=lambda c: int(c[1:])) if code in RULES]


def _mine(violation: Violation, override: dict[str, Any]) -> bool:
    """Is this breach one the override accepted?"""
    if violation.rule not in override.get("rules", []):
        return False
    if violation.rule in PERSON_RULES:
        return violation.message.startswith(f"{override['participant']} ")
    return f'session "{override["session"]}"' in violation.message


def excused(violations: list[Violation], overrides: list[dict[str, Any]]) -> list[Violation]:
    """The breaches no override accepted (these still refuse a change or publishing)."""
    return [v for v in violations if not any(_mine(v, o) for o in overrides)]


def _copy(plan: Plan) -> list[Session]:
    return [Session(s.id, s.condition, s.slot, s.language, list(s.participants), s.booking) for s in plan.sessions]


def rules_against(problem: Problem, plan: Plan, session_id: str, participant: str) -> tuple[list[str], list[Violation]]:
    """Adding this person here: the overridable rules it breaks, and any breach that cannot be overridden."""
    before = {(v.rule, v.message) for v in check_plan(problem, plan)}
    sessions = _copy(plan)
    session = next((s for s in sessions if s.id == session_id), None)
    if session is None or participant not in problem.person or participant in session.participants:
        return [], []
    session.participants.append(participant)
    new = [v for v in check_plan(problem, Plan(sessions=sessions)) if (v.rule, v.message) not in before]
    codes = sorted({v.rule for v in new if v.rule in RULES}, key=lambda c: int(c[1:]))
    return codes, [v for v in new if v.rule not in RULES]


def others(problem: Problem, plan: Plan, session_id: str, addable: list[str]) -> list[str]:
    """Registered people who are not in the session and could join it only against a rule."""
    session = next((s for s in plan.sessions if s.id == session_id), None)
    if session is None:
        return []
    skip = set(addable) | set(session.participants)
    return [p.id for p in problem.participants if p.id not in skip]


def carried(overrides: list[dict[str, Any]], plan: dict[str, Any]) -> list[dict[str, Any]]:
    """The overrides still true of this plan document (the session is there, with the person in it).

    A session published from an earlier run is a fixed session under its published key
    ("R<run>.<id>"), so an override is found under either id.
    """
    members = {s["id"]: set(s["participants"]) for s in plan.get("sessions", [])}
    kept = []
    for override in overrides:
        for sid in (override["session"], f"R{override.get('run')}.{override['session']}"):
            if override["participant"] in members.get(sid, set()):
                kept.append({**override, "session": sid})
                break
    return kept
