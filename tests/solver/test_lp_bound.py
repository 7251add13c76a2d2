"""The LP bound of lp.py (exact sums, PDLP stopped early, the child process) against GLOP and brute force."""

from __future__ import annotations

import json

import numpy as np
from hypothesis import HealthCheck, given, settings

from matchmaker.solver import generate_problem, parse_problem
from matchmaker.solver.greedy import greedy_sessions
from matchmaker.solver.index import build_index
from matchmaker.solver.lp import _fraction_bound, _integer_bound, lagrangian_bound, lp_bound, lp_bound_in_process
from matchmaker.solver.lp import relaxation as lp_relaxation
from matchmaker.solver.model import build_model

from .helpers import brute_force, small_problems


def _s_models():
    for doc in (json.loads(open("bench/problems/S.json").read()), generate_problem("S", 0, history=True)):
        pb = parse_problem(doc)
        index = build_index(pb)
        yield build_model(index, greedy_sessions(pb, index)).model


def test_the_integer_sum_is_the_fraction_sum():
    """The fast exact sum (integers scaled by the grid) gives the Fraction sum's bound, for any multipliers."""
    rng = np.random.default_rng(0)
    for model in _s_models():
        lp = lp_relaxation(model)
        for scale in (0.01, 1, 30):
            y = np.round(rng.normal(size=len(lp.lo)) * scale * 2**20) / 2**20
            y = np.where((y > 0) & np.isinf(lp.hi), 0.0, y)
            y = np.where((y < 0) & np.isinf(lp.lo), 0.0, y)
            fast = _integer_bound(lp, y)
            assert fast is not None
            assert fast == _fraction_bound(lp, y)
        assert lagrangian_bound(lp, np.zeros(len(lp.lo))) == _fraction_bound(lp, np.zeros(len(lp.lo)))


def test_pdlp_stopped_early_and_in_a_child_process_stays_above_the_lp_optimum():
    """Any multipliers bound the LP from above: PDLP cut short gives a weaker bound, never one below GLOP's
    exact LP optimum; the child process gives what PDLP gives in this process."""
    for model in _s_models():
        exact = lp_bound(model)
        assert exact is not None
        for seconds in (0.01, 0.2):
            early = lp_bound(model, seconds, "PDLP")
            assert early is None or early >= exact
        here = lp_bound(model, 20, "PDLP")
        process, result = lp_bound_in_process(model, 20)
        there = result()
        assert process.returncode == 0
        assert there is not None and exact <= there <= exact * 1.001
        assert here is not None and abs(here - there) <= exact * 0.001


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems(max_people=5, max_slots=2))
def test_on_tiny_problems_the_child_process_bound_is_above_brute_force(doc):
    pb = parse_problem(doc)
    index = build_index(pb)
    model = build_model(index, greedy_sessions(pb, index)).model
    process, result = lp_bound_in_process(model, 5)
    bound = result()
    assert process is not None and process.returncode == 0
    assert (bound is None) == (lp_relaxation(model) is None)  # (None: an empty objective, nothing to relax)
    assert bound is None or bound >= brute_force(doc)
