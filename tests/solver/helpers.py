"""Builders for small problems, an independent re-implementation of the contract's score, and brute force."""

from __future__ import annotations

import copy
import itertools
import math
from typing import Any

from hypothesis import strategies as st

from matchmaker.solver import CONTRACT_VERSION, parse_problem

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
        "version": CONTRACT_VERSION,
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
    newer = doc.get("version") == 1.1
    w.update({"missed": 60, "repeat": 40, "no_show": 0, "welsh": 15} if newer else
             {"missed": 0, "repeat": 0, "no_show": 0, "welsh": 0})
    w.update(doc.get("weights") or {})
    records = (doc.get("history") or {}).get("participants", {}) if newer else {}
    window = doc["rules"].get("repeat_rounds", 2) if newer else 0
    met = [set(m["participants"]) for m in (doc.get("history") or {}).get("met", []) if m["rounds_ago"] <= window]
    people = {p["id"]: p for p in doc["participants"]}
    bookings = {b["id"]: b for b in doc.get("bookings") or []}
    served_bookings = {s["booking"] for s in plan["sessions"] if s.get("booking")}
    total = w["booking"] * len(served_bookings)
    in_any = {pid for s in plan["sessions"] for pid in s["participants"]}
    for pid in in_any:
        if people[pid]["role"] == "creative":
            total += math.floor(w["served"] * people[pid].get("priority", 1) + 0.5)
            record = records.get(pid, {})
            if record.get("rounds_matched", 0) == 0:
                total += w["missed"] * record.get("rounds_registered", 0)
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
            if s["language"] == "cy" and "cy" in p["languages"]:
                total += w["welsh"]
            total -= w["no_show"] * records.get(pid, {}).get("no_shows", 0)
        total -= w["repeat"] * len({frozenset(pair) for pair in map(frozenset, met)
                                    if pair <= set(s["participants"])})
        total -= w["session"]
    return total


def clone(doc: dict) -> dict:
    return copy.deepcopy(doc)


ROLE_KEYS = {"creative": "creatives", "commissioner": "commissioners", "link_worker": "link_workers"}


def _group_ok(doc: dict, group: list, *, fixed: bool) -> bool:
    """Role counts within the rules (a fixed session only up to the maxima) and one creative per organisation."""
    for role, key in ROLE_KEYS.items():
        n = sum(1 for p in group if p["role"] == role)
        lo, hi = doc["rules"][key]
        if n > hi or (n < lo and not fixed):
            return False
    orgs = [p["organisation"] for p in group if p["role"] == "creative" and p.get("organisation")]
    return not (doc["rules"]["one_per_organisation"] and len(orgs) != len(set(orgs)))


def brute_force(doc: dict) -> int:
    """Best score over every set of sessions (each fixed session once, plus any others who fit it)."""
    pb = parse_problem(doc)
    people = doc["participants"]
    by_id = {p["id"]: p for p in people}
    langs = sorted({lang for p in people for lang in p["languages"]})

    excluded = {(e["participant"], e.get("slot") or e.get("session")) for e in doc.get("exclusions") or []}

    def fits(p: dict, cond: str, slot_id: str, lang: str, session_id: str = "") -> bool:
        """H1-H3 and H11."""
        return (cond in p["conditions"] and slot_id in p["available"] and lang in p["languages"]
                and (p["id"], slot_id) not in excluded and (p["id"], session_id) not in excluded)

    choices: list[list] = []  # one list per decision: a fixed session's versions, or [None, a new session]
    for f in doc.get("fixed_sessions") or []:
        listed = [by_id[q] for q in f["participants"]]
        others = [p for p in people if p["id"] not in f["participants"] and p["max_sessions"] > 0
                  and fits(p, f["condition"], f["slot"], f["language"], f["id"])]
        versions = []
        for r in range(len(others) + 1):
            for extra in itertools.combinations(others, r):
                if _group_ok(doc, listed + list(extra), fixed=True):
                    versions.append(dict(f, participants=list(f["participants"]) + [p["id"] for p in extra],
                                         booking=f.get("booking")))
        choices.append(versions)
    for cond, s, lang in itertools.product([c["id"] for c in doc["conditions"]], doc["slots"], langs):
        ok = [p for p in people if fits(p, cond, s["id"], lang)]
        for r in range(1, len(ok) + 1):
            for group in itertools.combinations(ok, r):
                if not _group_ok(doc, list(group), fixed=False):
                    continue
                ids = [p["id"] for p in group]
                names = [None] + [b["id"] for b in doc["bookings"]
                                  if b["commissioner"] in ids and b["condition"] == cond
                                  and s["id"] in b["slots"] and b.get("language") in (None, lang)]
                for b in names:
                    choices.append([None, {"id": "", "condition": cond, "slot": s["id"], "language": lang,
                                           "participants": ids, "booking": b}])
    best = -math.inf
    limit = doc["rules"]["max_parallel_sessions"]
    sl = {s["id"]: s for s in doc["slots"]}

    def allowed(trial: list, c: dict) -> bool:
        """H4, H5, H7 and one session per booking once c joins the trial."""
        for pid in c["participants"]:
            mine = [x for x in trial if pid in x["participants"]]
            if len(mine) > pb.person[pid].max_sessions:
                return False
            if any(pb.slot_by_id[a["slot"]].overlaps(pb.slot_by_id[b["slot"]])
                   for a, b in itertools.combinations(mine, 2)):
                return False
        if c["booking"] and sum(1 for x in trial if x["booking"] == c["booking"]) > 1:
            return False
        return all(sum(1 for x in trial if sl[x["slot"]]["start"] <= s["start"] < sl[x["slot"]]["end"]) <= limit
                   for s in doc["slots"])

    def search(i: int, chosen: list) -> None:
        """Try every choice from decision i on."""
        nonlocal best
        if i == len(choices):
            plan = {"sessions": [dict(c, id=c["id"] or f"S{j}") for j, c in enumerate(chosen)]}
            best = max(best, independent_score(doc, plan))
            return
        for c in choices[i]:
            if c is None:
                search(i + 1, chosen)
            elif allowed(chosen + [c], c):
                search(i + 1, chosen + [c])

    search(0, [])
    return int(best)


TIMES = [("10:00", "11:30"), ("11:00", "12:30"), ("14:00", "15:30")]


@st.composite
def small_problems(draw, max_people: int = 8, max_slots: int = 3, langs: tuple = ("en", "cy")) -> dict:
    n_slots = draw(st.integers(1, max_slots))
    slots = [slot(f"t{i}", *TIMES[i]) for i in range(n_slots)]
    slot_ids = [s["id"] for s in slots]
    conds = draw(st.sampled_from([["a"], ["a", "b"]]))
    n = draw(st.integers(2, max_people))
    people = []
    for i in range(n):
        role = draw(st.sampled_from(["creative", "creative", "creative", "commissioner", "link_worker"]))
        cs = draw(st.lists(st.sampled_from(conds), min_size=1, unique=True))
        p = {"id": f"p{i}", "role": role, "conditions": {c: draw(st.integers(1, 3)) for c in cs},
             "available": draw(st.lists(st.sampled_from(slot_ids), min_size=1, unique=True)),
             "max_sessions": draw(st.integers(1, 2)),
             "languages": draw(st.sampled_from([["en"], ["en"], ["en", "cy"], ["cy"]][: 1 + 3 * (len(langs) > 1)])),
             "region": draw(st.sampled_from([None, "r1", "r2"])),
             "organisation": draw(st.sampled_from([None, "o1", "o2", "o3"])),
             "priority": draw(st.sampled_from([1, 1.5, 2, 2.25]))}
        people.append(p)
    for p in people:
        others = [q["id"] for q in people if q["id"] != p["id"]]
        p["wants_to_meet"] = draw(st.lists(st.sampled_from(others), max_size=2, unique=True))
    coms = [p["id"] for p in people if p["role"] == "commissioner"]
    bookings = []
    if coms:
        for j in range(draw(st.integers(0, 2))):
            bookings.append({"id": f"b{j}", "commissioner": draw(st.sampled_from(coms)),
                             "condition": draw(st.sampled_from(conds)),
                             "slots": draw(st.lists(st.sampled_from(slot_ids), min_size=1, unique=True)),
                             "language": draw(st.sampled_from([None, "en"])),
                             "region": draw(st.sampled_from([None, "r1", "r2"]))})
    c_lo = draw(st.integers(0, 2))
    rules = {"creatives": [c_lo, c_lo + draw(st.integers(0, 2))],
             "commissioners": [draw(st.integers(0, 1)), draw(st.integers(1, 2))],
             "link_workers": [draw(st.integers(0, 1)), draw(st.integers(1, 2))],
             "max_parallel_sessions": draw(st.integers(1, 2)),
             "one_per_organisation": draw(st.booleans())}
    return problem(people, slots=slots, conditions=[{"id": c, "name": c.upper()} for c in conds],
                   bookings=bookings, rules=rules)
