"""Builders for small problems and an independent re-implementation of the contract's score."""

from __future__ import annotations

import copy
import math
from typing import Any

DAY = "2027-03-01"


def slot(sid: str, start: str, end: str) -> dict:
    return {"id": sid, "start": f"{DAY}T{start}:00+00:00", "end": f"{DAY}T{end}:00+00:00"}


def person(pid: str, role: str, conditions: dict, available: list, **extra: Any) -> dict:
    d = {"id": pid, "role": role, "conditions": conditions, "available": available, "max_sessions": 1,
         "languages": ["en"]}
    d.update(extra)
    return d


def problem(participants: list, *, slots: list | None = None, conditions: list | None = None,
            bookings: list | None = None, fixed: list | None = None, rules: dict | None = None) -> dict:
    """A small problem document; default rules are creatives [1,3], one commissioner, one link worker."""
    base_rules = {"creatives": [1, 3], "commissioners": [1, 1], "link_workers": [1, 1],
                  "max_parallel_sessions": 2, "one_per_organisation": True}
    base_rules.update(rules or {})
    return {
        "version": 1,
        "timezone": "Europe/London",
        "slots": slots if slots is not None else [slot("t1", "10:00", "11:30"), slot("t2", "14:00", "15:30")],
        "conditions": conditions if conditions is not None else [{"id": "dem", "name": "Dementia"},
                                                                 {"id": "str", "name": "Stroke"}],
        "participants": participants,
        "bookings": bookings or [],
        "fixed_sessions": fixed or [],
        "rules": base_rules,
    }


def staffed(extra: list | None = None, **kw: Any) -> dict:
    """Three creatives, a commissioner and a link worker on dementia at t1 and t2."""
    people = [
        person("c1", "creative", {"dem": 3}, ["t1", "t2"], priority=2, organisation="o1", region="r1"),
        person("c2", "creative", {"dem": 2}, ["t1"], organisation="o2", region="r2"),
        person("c3", "creative", {"dem": 1, "str": 3}, ["t1", "t2"], organisation="o3"),
        person("m1", "commissioner", {"dem": 2}, ["t1", "t2"], max_sessions=2),
        person("l1", "link_worker", {"dem": 3}, ["t1", "t2"], max_sessions=2),
    ]
    return problem(people + (extra or []), **kw)


def independent_score(doc: dict, plan: dict) -> int:
    """The score formula written from the contract text, sharing no code with the solver."""
    w = {"booking": 1000, "served": 100, "strength": 10, "staff_strength": 2, "wants": 5, "region": 3, "session": 5}
    w.update(doc.get("weights") or {})
    people = {p["id"]: p for p in doc["participants"]}
    bookings = {b["id"]: b for b in doc.get("bookings") or []}
    served_bookings = {s["booking"] for s in plan["sessions"] if s.get("booking")}
    total = w["booking"] * len(served_bookings)
    in_any = {pid for s in plan["sessions"] for pid in s["participants"]}
    for pid in in_any:
        if people[pid]["role"] == "creative":
            total += math.floor(w["served"] * people[pid].get("priority", 1) + 0.5)
    for s in plan["sessions"]:
        b = bookings.get(s.get("booking")) if s.get("booking") else None
        for pid in s["participants"]:
            p = people[pid]
            st = p["conditions"].get(s["condition"], 0)
            total += (w["strength"] if p["role"] == "creative" else w["staff_strength"]) * st
            for q in p.get("wants_to_meet", []):
                if q in s["participants"]:
                    total += w["wants"]
            if p["role"] == "creative" and b and b.get("region") and b.get("region") == p.get("region"):
                total += w["region"]
        total -= w["session"]
    return total


def clone(doc: dict) -> dict:
    return copy.deepcopy(doc)
