"""Fixed sessions on a re-solve, short sessions, and every unassigned / unserved reason where it belongs."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from matchmaker.solver import (
    check_bookkeeping,
    check_plan,
    complete_plan,
    parse_problem,
    plan_to_dict,
    score_plan,
    solve,
)
from matchmaker.solver.index import build_index
from matchmaker.solver.model import build_model, extract
from matchmaker.solver.plan import Plan, Session

from .helpers import brute_force, independent_score, person, problem, slot, staffed


def solved(doc: dict, time_limit: float = 3):
    pb = parse_problem(doc)
    plan = solve(pb, time_limit=time_limit, workers=1)
    assert check_plan(pb, plan) == [] and check_bookkeeping(pb, plan) == []
    return plan


def reasons(plan) -> dict[str, str]:
    out = {u.participant: u.reason for u in plan.unassigned}
    out.update({u.booking: u.reason for u in plan.unserved_bookings})
    return out


def test_resolve_keeps_fixed_sessions_and_only_adds_people():
    doc = staffed(fixed=[{"id": "S1", "condition": "dem", "slot": "t1", "language": "en",
                          "participants": ["c2", "m1", "l1"]}])
    for p in doc["participants"]:
        p["max_sessions"] = 1  # no second session at t2, so c1 and c3 can only join S1
    plan = solved(doc)
    fixed = next(s for s in plan.sessions if s.id == "S1")
    assert (fixed.condition, fixed.slot, fixed.language) == ("dem", "t1", "en")
    assert {"c2", "m1", "l1"} <= set(fixed.participants) and {"c1", "c3"} <= set(fixed.participants)
    assert len({s.id for s in plan.sessions}) == len(plan.sessions)
    assert plan.short_sessions == []


def test_resolve_of_a_generated_plan_with_declines():
    from matchmaker.solver import generate_problem

    doc = generate_problem("S", 3)
    first = solved(doc, time_limit=1)
    fixed = []
    for s in first.sessions[:6]:
        creatives = [p for p in s.participants if p.startswith("c")]
        kept = [p for p in s.participants if not p.startswith("c")] + creatives[:1]
        fixed.append({"id": s.id, "condition": s.condition, "slot": s.slot, "language": s.language,
                      "participants": kept, "booking": s.booking})
    doc["fixed_sessions"] = fixed
    second = solved(doc, time_limit=1)
    by_id = {s.id: s for s in second.sessions}
    for f in fixed:
        s = by_id[f["id"]]
        assert (s.condition, s.slot, s.language, s.booking) == (f["condition"], f["slot"], f["language"], f["booking"])
        assert set(f["participants"]) <= set(s.participants)


def test_short_fixed_session_is_reported_not_infeasible():
    doc = staffed(fixed=[{"id": "F1", "condition": "dem", "slot": "t1", "language": "en",
                          "participants": ["c1", "m1"]}])
    doc["participants"][4]["available"] = ["t2"]  # the only link worker cannot come at t1
    doc["participants"][0]["available"] = ["t2"]  # listed people are exempt from H1-H3 in their fixed session
    plan = solved(doc)
    assert plan.short_sessions == ["F1"]
    assert "F1" in {s.id for s in plan.sessions}


def test_static_reasons():
    people = [
        person("c1", "creative", {"dem": 3}, ["t1"], priority=2, organisation="o1"),
        person("c2", "creative", {"dem": 2}, ["t1"], organisation="o2"),
        person("m1", "commissioner", {"dem": 2}, ["t1"]),
        person("l1", "link_worker", {"dem": 3}, ["t1"]),
        person("zero", "creative", {"dem": 3}, ["t1"], max_sessions=0),
        person("noslots", "creative", {"dem": 3}, []),
        person("scope", "creative", {"str": 3}, ["t1"]),
        person("welsh", "creative", {"dem": 3}, ["t1"], languages=["cy"]),
        person("late", "creative", {"dem": 3}, ["t2"]),
    ]
    got = reasons(solved(problem(people)))
    assert got == {"zero": "no_sessions_allowed", "noslots": "no_available_slots", "scope": "no_condition_in_scope",
                   "welsh": "no_common_language", "late": "no_common_slot"}
    people[-1] = person("late", "creative", {"dem": 3}, ["t2"])
    people[2] = person("m1", "commissioner", {"dem": 2}, ["t1", "t2"], max_sessions=2)
    people[3] = person("l1", "link_worker", {"dem": 3}, ["t1", "t2"], max_sessions=2)
    got = reasons(solved(problem(people, rules={"creatives": [2, 3]})))
    assert got["late"] == "too_few_creatives"


def test_plan_dependent_reasons():
    people = [
        person("c1", "creative", {"dem": 3}, ["t1"], priority=2, organisation="o1"),
        person("c2", "creative", {"dem": 3}, ["t1"], priority=2, organisation="o2"),
        person("low", "creative", {"dem": 1}, ["t1"], organisation="o3"),
        person("same", "creative", {"dem": 3}, ["t1", "t2"], organisation="o1"),
        person("other", "creative", {"str": 3}, ["t1"]),
        person("m1", "commissioner", {"dem": 2, "str": 1}, ["t1", "t2"]),
        person("l1", "link_worker", {"dem": 3, "str": 1}, ["t1", "t2"]),
    ]
    doc = problem(people, slots=[slot("t1", "10:00", "11:30"), slot("t2", "14:00", "15:30")],
                  rules={"creatives": [1, 2], "max_parallel_sessions": 1})
    got = reasons(solved(doc))
    # One session at t1 (c1, c2, full); m1 and l1 are then at their cap; t1 is at the parallel limit.
    assert got == {"low": "outranked", "same": "outranked", "other": "slots_full"}
    doc["participants"][3]["available"] = ["t2"]
    assert reasons(solved(doc))["same"] == "staff_busy"
    doc["participants"][3]["available"] = ["t1"]
    doc["participants"][2]["available"] = []
    doc["rules"]["creatives"] = [1, 3]
    got = reasons(solved(doc))
    assert got["same"] == "organisation_clash"


def test_not_selected_when_a_plan_leaves_room():
    doc = staffed()
    pb = parse_problem(doc)
    plan = complete_plan(pb, [Session("S1", "dem", "t1", "en", ["c1", "c2", "m1", "l1"])], status="feasible")
    assert {u.participant: u.reason for u in plan.unassigned} == {"c3": "not_selected"}
    assert plan.bound >= plan.score


def test_booking_reasons():
    people = [
        person("c1", "creative", {"dem": 3, "str": 3}, ["t1", "t2", "t3"], max_sessions=3, organisation="o1"),
        person("c2", "creative", {"dem": 2, "str": 2}, ["t1", "t2", "t3"], max_sessions=3, organisation="o2"),
        person("m1", "commissioner", {"dem": 2}, ["t1", "t2"], max_sessions=1),
        person("l1", "link_worker", {"dem": 3, "str": 1}, ["t1", "t3"], max_sessions=3),
    ]
    slots = [slot("t1", "10:00", "11:30"), slot("t2", "14:00", "15:30"), slot("t3", "11:00", "12:30")]
    bookings = [
        {"id": "lacks", "commissioner": "m1", "condition": "str", "slots": ["t1"]},
        {"id": "lang", "commissioner": "m1", "condition": "dem", "slots": ["t1"], "language": "cy"},
        {"id": "noslot", "commissioner": "m1", "condition": "dem", "slots": ["t3"]},
        {"id": "nolw", "commissioner": "m1", "condition": "dem", "slots": ["t2"]},
        {"id": "served", "commissioner": "m1", "condition": "dem", "slots": ["t1"]},
        {"id": "cap", "commissioner": "m1", "condition": "dem", "slots": ["t1"]},
    ]
    doc = problem(people, slots=slots, bookings=bookings, rules={"max_parallel_sessions": 3})
    got = reasons(solved(doc))
    assert got["lacks"] == "commissioner_lacks_condition"
    assert got["lang"] == "no_commissioner_language"
    assert got["noslot"] == "no_commissioner_slot"
    assert got["nolw"] == "no_link_worker"
    assert {got.get("served"), got.get("cap")} == {None, "cap_reached"}
    doc["rules"]["creatives"] = [3, 3]
    assert reasons(solved(doc))["served"] == "too_few_creatives"


def test_booking_commissioner_busy():
    people = [
        person("c1", "creative", {"dem": 3}, ["t1"]),
        person("c2", "creative", {"str": 3}, ["t3"]),
        person("m2", "commissioner", {"dem": 2, "str": 1}, ["t1", "t3"], max_sessions=2),
        person("l1", "link_worker", {"dem": 3}, ["t1"]),
        person("l2", "link_worker", {"str": 3}, ["t3"]),
    ]
    bookings = [{"id": "a", "commissioner": "m2", "condition": "str", "slots": ["t3"], "region": "r1"},
                {"id": "b", "commissioner": "m2", "condition": "dem", "slots": ["t1"]}]
    doc = problem(people, slots=[slot("t1", "10:00", "11:30"), slot("t3", "11:00", "12:30")], bookings=bookings)
    got = reasons(solved(doc))
    assert len([b for b in "ab" if b in got]) == 1 and got.get("a", got.get("b")) == "commissioner_busy"


def test_booking_slots_full():
    people = [
        person("c1", "creative", {"dem": 3}, ["t1"], priority=2),
        person("c2", "creative", {"str": 1}, ["t1"]),
        person("m1", "commissioner", {"dem": 2}, ["t1"]),
        person("m2", "commissioner", {"str": 2}, ["t1"]),
        person("l1", "link_worker", {"dem": 3, "str": 3}, ["t1"]),
        person("l2", "link_worker", {"str": 3}, ["t1"]),
    ]
    bookings = [{"id": "b1", "commissioner": "m1", "condition": "dem", "slots": ["t1"]},
                {"id": "b2", "commissioner": "m2", "condition": "str", "slots": ["t1"]}]
    doc = problem(people, slots=[slot("t1", "10:00", "11:30")], bookings=bookings, rules={"max_parallel_sessions": 1})
    assert reasons(solved(doc))["b2"] == "slots_full"


def test_progress_callback_and_cancel_return_the_best_plan_so_far():
    import time

    from matchmaker.solver import generate_problem

    pb = parse_problem(generate_problem("M", 2))
    seen = []
    start = time.monotonic()
    plan = solve(pb, time_limit=60, workers=1, on_progress=seen.append, should_stop=lambda: bool(seen))
    assert time.monotonic() - start < 30  # stopped long before the 60 s limit
    assert seen and all(p.bound >= p.score for p in seen)
    assert check_plan(pb, plan) == [] and plan.score >= seen[0].score and plan.status == "feasible"


def test_no_feasible_session_is_a_plan_not_an_error():
    doc = staffed()
    doc["participants"] = [p for p in doc["participants"] if p["role"] != "commissioner"]
    plan = solved(doc)
    assert plan.sessions == [] and plan.score == 0 == plan.bound and plan.status == "optimal"
    assert {u.participant for u in plan.unassigned} == {p["id"] for p in doc["participants"]}
    assert {u.reason for u in plan.unassigned} == {"no_condition_in_scope"}
    empty = problem([], slots=[], conditions=[])
    assert solved(empty).sessions == []


@pytest.mark.parametrize("other_slot", [False, True], ids=["fixed-only", "with-a-new-session"])
def test_pairs_added_together_to_a_fixed_session_are_credited(other_slot):
    # F1 has one free place per role. c2 wants to meet m2 and c3 wants l2 (5 points each); m3 and l3 are
    # one point stronger (2 points each), so the best plan adds both pairs only if the model credits them.
    people = [
        person("c1", "creative", {"dem": 3}, ["t1"], organisation="o1"),
        person("c2", "creative", {"dem": 2}, ["t1"], organisation="o2", wants_to_meet=["m2"]),
        person("c3", "creative", {"dem": 2}, ["t1"], organisation="o3", wants_to_meet=["l2"]),
        person("m1", "commissioner", {"dem": 2}, ["t1"]),
        person("m2", "commissioner", {"dem": 2}, ["t1"]),
        person("m3", "commissioner", {"dem": 3}, ["t1"]),
        person("l1", "link_worker", {"dem": 2}, ["t1"]),
        person("l2", "link_worker", {"dem": 2}, ["t1"]),
        person("l3", "link_worker", {"dem": 3}, ["t1"]),
    ]
    if other_slot:  # a new session at t2 with a pair of its own, listed first
        people[:0] = [person("c5", "creative", {"dem": 1}, ["t2"], wants_to_meet=["l5"]),
                      person("m5", "commissioner", {"dem": 1}, ["t2"]),
                      person("l5", "link_worker", {"dem": 1}, ["t2"])]
    doc = problem(people, slots=[slot("t1", "10:00", "11:30")] + [slot("t2", "14:00", "15:30")] * other_slot,
                  fixed=[{"id": "F1", "condition": "dem", "slot": "t1", "language": "en",
                          "participants": ["c1", "m1", "l1"]}],
                  rules={"commissioners": [1, 2], "link_workers": [1, 2], "max_parallel_sessions": 1})
    pb = parse_problem(doc)
    seen = []
    plan = solve(pb, time_limit=5, workers=1, on_progress=seen.append)
    assert check_plan(pb, plan) == [] and check_bookkeeping(pb, plan) == []
    fixed = next(s for s in plan.sessions if s.id == "F1")
    assert {"c2", "m2", "c3", "l2"} <= set(fixed.participants)
    best = brute_force(doc)
    assert plan.score == score_plan(pb, plan) == independent_score(doc, plan_to_dict(plan)) == best
    assert seen[-1].score == plan.score and plan.status == "optimal" and plan.bound == plan.score

    # The model's own objective is the score exactly here (every type has at most one copy).
    built = build_model(build_index(pb), [])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(built.model) == cp_model.OPTIMAL
    assert solver.objective_value == score_plan(pb, Plan(sessions=extract(built, solver.value))) == best
