"""Property tests on random small problems: valid plans, exact scores, optimum equal to brute force."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaker.solver import (
    check_bookkeeping,
    check_plan,
    greedy_plan,
    parse_problem,
    plan_from_dict,
    plan_to_dict,
    score_plan,
    solve,
)

from .helpers import brute_force, independent_score, problem, slot

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


def assert_valid(doc: dict, plan) -> None:
    pb = parse_problem(doc)
    assert check_plan(pb, plan) == []
    assert check_bookkeeping(pb, plan) == []
    as_dict = plan_to_dict(plan)
    assert plan.score == score_plan(pb, plan) == independent_score(doc, as_dict)
    assert plan_to_dict(plan_from_dict(as_dict, pb)) == as_dict
    assert plan.bound >= plan.score


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_greedy_and_solver_plans_are_valid_and_scored_exactly(doc):
    pb = parse_problem(doc)
    greedy = greedy_plan(pb)
    assert_valid(doc, greedy)
    plan = solve(pb, time_limit=2, workers=1)
    assert_valid(doc, plan)
    assert plan.score >= greedy.score


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems(max_people=5, max_slots=2, langs=("en",)))
def test_optimum_equals_brute_force_on_tiny_problems(doc):
    plan = solve(parse_problem(doc), time_limit=5, workers=1)
    assert plan.score == brute_force(doc)
    assert plan.bound >= plan.score
    if plan.status == "optimal":
        assert plan.bound == plan.score
    if not any(p["wants_to_meet"] for p in doc["participants"]):
        assert plan.status == "optimal" or plan.score == 0  # the aggregated model is exact without pairs
