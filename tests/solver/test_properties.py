"""Property tests on random small problems: valid plans, exact scores, optimum equal to brute force."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

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

from .helpers import brute_force, independent_score, small_problems


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
