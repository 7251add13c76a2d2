"""The plan document: dataclasses and conversion to and from JSON (docs/matching-contract.md)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .problem import CONTRACT_VERSION, Problem, ProblemError, _Reader

STATUSES = ("optimal", "feasible", "no_solution")


@dataclass
class Session:
    id: str
    condition: str
    slot: str
    language: str
    participants: list[str]
    booking: str | None = None


@dataclass(frozen=True)
class Unassigned:
    participant: str
    reason: str
    detail: str


@dataclass(frozen=True)
class UnservedBooking:
    booking: str
    reason: str
    detail: str


@dataclass
class Plan:
    sessions: list[Session]
    status: str = "feasible"
    score: int = 0
    bound: int = 0
    solve_seconds: float = 0.0
    unassigned: list[Unassigned] = field(default_factory=list)
    unserved_bookings: list[UnservedBooking] = field(default_factory=list)
    short_sessions: list[str] = field(default_factory=list)


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as a JSON-ready dict in contract order."""
    return {
        "version": CONTRACT_VERSION,
        "status": plan.status,
        "score": int(plan.score),
        "bound": int(plan.bound),
        "solve_seconds": round(float(plan.solve_seconds), 3),
        "sessions": [
            {"id": s.id, "condition": s.condition, "slot": s.slot, "language": s.language,
             "participants": list(s.participants), "booking": s.booking}
            for s in plan.sessions
        ],
        "unassigned": [{"participant": u.participant, "reason": u.reason, "detail": u.detail} for u in plan.unassigned],
        "unserved_bookings": [{"booking": u.booking, "reason": u.reason, "detail": u.detail}
                              for u in plan.unserved_bookings],
        "short_sessions": list(plan.short_sessions),
    }


def plan_from_dict(data: Any, problem: Problem | None = None) -> Plan:
    """Validate a plan document (ids against `problem` when given); raises ProblemError with field paths."""
    r = _Reader()
    top = r.obj(data, "plan")
    if top is None:
        raise ProblemError(r.errors)
    version = r.get(top, "version", "", "int")
    if version is not None and version != CONTRACT_VERSION:
        r.err("version", f"unsupported version {version} (expected {CONTRACT_VERSION})")
    status = r.get(top, "status", "", "str")
    if status is not None and status not in STATUSES:
        r.err("status", f'unknown status "{status}" (expected one of {", ".join(STATUSES)})')
    score = r.get(top, "score", "", "int")
    bound = r.get(top, "bound", "", "int")
    secs = r.get(top, "solve_seconds", "", "number", required=False, default=0.0)
    sessions: list[Session] = []
    raw_sessions = r.get(top, "sessions", "", "list") or []
    r.ids(raw_sessions, "sessions")
    for i, s in enumerate(raw_sessions):
        p = f"sessions[{i}]"
        if r.obj(s, p) is None:
            continue
        sid, cond = r.get(s, "id", p, "str"), r.get(s, "condition", p, "str")
        slot, lang = r.get(s, "slot", p, "str"), r.get(s, "language", p, "str")
        members = r.get(s, "participants", p, "list") or []
        bk = r.get(s, "booking", p, "str?", required=False)
        ok_members: list[str] = []
        for j, m in enumerate(members):
            if not isinstance(m, str):
                r.err(f"{p}.participants[{j}]", "expected a string")
            elif problem is not None and m not in problem.person:
                r.err(f"{p}.participants[{j}]", f'unknown participant "{m}"')
            elif m in ok_members:
                r.err(f"{p}.participants[{j}]", f'"{m}" listed twice')
            else:
                ok_members.append(m)
        if problem is not None:
            if cond is not None and cond not in problem.condition_by_id:
                r.err(f"{p}.condition", f'unknown condition "{cond}"')
            if slot is not None and slot not in problem.slot_by_id:
                r.err(f"{p}.slot", f'unknown slot "{slot}"')
            if bk is not None and bk not in problem.booking_by_id:
                r.err(f"{p}.booking", f'unknown booking "{bk}"')
        if sid and cond and slot and lang:
            sessions.append(Session(sid, cond, slot, lang, ok_members, bk))
    unassigned = [Unassigned(*v) for v in _entries(r, top, "unassigned", "participant")]
    unserved = [UnservedBooking(*v) for v in _entries(r, top, "unserved_bookings", "booking")]
    short = []
    for i, v in enumerate(r.get(top, "short_sessions", "", "list", required=False, default=[]) or []):
        if isinstance(v, str):
            short.append(v)
        else:
            r.err(f"short_sessions[{i}]", "expected a session id string")
    if r.errors:
        raise ProblemError(r.errors)
    return Plan(sessions, status, score, bound, float(secs) if secs is not None and math.isfinite(secs) else 0.0,
                unassigned, unserved, short)


def _entries(r: _Reader, top: dict, key: str, idkey: str) -> list[tuple[str, str, str]]:
    """Validated (id, reason, detail) triples of an unassigned or unserved list."""
    out = []
    for i, u in enumerate(r.get(top, key, "", "list", required=False, default=[]) or []):
        p = f"{key}[{i}]"
        if r.obj(u, p) is None:
            continue
        detail = u.get("detail", "")
        if not isinstance(detail, str):
            r.err(f"{p}.detail", "expected a string")
        vals = (r.get(u, idkey, p, "str"), r.get(u, "reason", p, "str"))
        if vals[0] and vals[1] and isinstance(detail, str):
            out.append((vals[0], vals[1], detail))
    return out
