"""Contract 1.1: history, exclusions (H11) and the cross-round score terms; the bound against brute force and GLOP."""

from __future__ import annotations

import contextlib
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaker.solver import (
    ProblemError,
    check_bookkeeping,
    check_plan,
    generate_problem,
    greedy_plan,
    parse_problem,
    plan_to_dict,
    score_plan,
    solve,
)
from matchmaker.solver.cli import main
from matchmaker.solver.greedy import greedy_sessions
from matchmaker.solver.index import build_index
from matchmaker.solver.lp import lp_bound
from matchmaker.solver.model import build_model
from matchmaker.solver.plan import Plan, Session

from .helpers import brute_force, independent_score, person, problem, small_problems, staffed


def newer(doc: dict, **extra) -> dict:
    """The document as contract 1.1 with the given extra top-level keys."""
    return dict(doc, version=1.1, **extra)


def valid(doc: dict, plan) -> None:
    pb = parse_problem(doc)
    assert check_plan(pb, plan) == [] and check_bookkeeping(pb, plan) == []
    assert plan.score == score_plan(pb, plan) == independent_score(doc, plan_to_dict(plan))


def seated(plan) -> set[str]:
    return {pid for s in plan.sessions for pid in s.participants}


# ---- version handling ----


def test_a_version_1_document_ignores_history_and_keeps_the_old_weights():
    doc = staffed(extra=[person("c4", "creative", {"dem": 1}, ["t1"], languages=["cy", "en"], organisation="o4")])
    old = parse_problem(doc)
    assert {old.weights[k] for k in ("missed", "repeat", "no_show", "welsh")} == {0}
    with_history = dict(
        doc,
        history={"participants": {"c4": {"rounds_registered": 3}}},
        exclusions=[{"participant": "c1", "slot": "t1"}],
    )
    pb = parse_problem(with_history)
    assert pb.history == {} and pb.excluded_slots == set()
    plan_old = solve(old, time_limit=3, deterministic=True)
    plan_new = solve(pb, time_limit=3, deterministic=True)
    assert plan_to_dict(plan_old)["sessions"] == plan_to_dict(plan_new)["sessions"]
    assert plan_old.score == plan_new.score
    try:
        parse_problem(dict(doc, weights={"welsh": 3}))
    except ProblemError as error:
        assert error.problems[0].startswith("weights.welsh: unknown weight")
    else:
        raise AssertionError("a version 1 document must not take the 1.1 weights")


def test_bad_history_and_exclusions_name_their_field(tmp_path):
    doc = newer(
        staffed(
            fixed=[{"id": "S1", "condition": "dem", "slot": "t1", "language": "en", "participants": ["c2", "m1", "l1"]}]
        ),
        history={
            "participants": {"zz": {"rounds_registered": 1}, "c1": {"rounds_registered": 1, "rounds_matched": 2}},
            "met": [{"participants": ["c1", "c1"], "rounds_ago": 1}, {"participants": ["c1", "m1"], "rounds_ago": 0}],
        },
        exclusions=[
            {"participant": "c1", "slot": "t1", "session": "S1"},
            {"participant": "c1", "session": "S9"},
            {"participant": "c2", "session": "S1"},
        ],
    )
    path = tmp_path / "p.json"
    path.write_text(json.dumps(doc))
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["solve", str(path)]) == 2
    lines = err.getvalue().splitlines()
    assert 'history.participants.zz: unknown participant "zz"' in lines
    assert "history.participants.c1.rounds_matched: more than rounds_registered" in lines
    assert "history.met[0].participants: expected two different participant ids" in lines
    assert "history.met[1].rounds_ago: must be >= 1, got 0" in lines
    assert "exclusions[0]: give exactly one of session and slot" in lines
    assert 'exclusions[1].session: unknown fixed session "S9"' in lines
    assert "Traceback" not in err.getvalue()
    # Only once the rest is valid: a listed member of a fixed session excluded from it cannot be kept.
    doc["history"] = {}
    doc["exclusions"] = [{"participant": "c2", "session": "S1"}]
    try:
        parse_problem(doc)
    except ProblemError as error:
        assert error.problems == [
            'fixed_sessions[0].participants: "c2" is excluded from this session or its slot (H11)'
        ]
    else:
        raise AssertionError("expected H11 on a fixed session's member")


# ---- H11 ----


def test_h11_solve_never_places_someone_at_an_excluded_slot_and_says_why():
    doc = newer(staffed(), exclusions=[{"participant": "c2", "slot": "t1"}, {"participant": "l1", "slot": "t2"}])
    plan = solve(parse_problem(doc), time_limit=3, deterministic=True)
    valid(doc, plan)
    assert all(s.slot == "t1" for s in plan.sessions if "l1" in s.participants)
    assert "c2" not in seated(plan)
    assert {u.participant: u.reason for u in plan.unassigned}["c2"] == "excluded"
    assert plan.score == brute_force(doc)


def test_h11_check_reports_both_kinds_of_exclusion():
    doc = newer(
        staffed(
            fixed=[{"id": "S1", "condition": "dem", "slot": "t1", "language": "en", "participants": ["c2", "m1", "l1"]}]
        ),
        exclusions=[{"participant": "c1", "session": "S1"}, {"participant": "c3", "slot": "t1"}],
    )
    pb = parse_problem(doc)
    plan = Plan(sessions=[Session("S1", "dem", "t1", "en", ["c2", "m1", "l1", "c1", "c3"], None)])
    rules = [(v.rule, v.message) for v in check_plan(pb, plan)]
    assert ("H11", 'c1 is in session "S1", which they are excluded from') in rules
    assert ("H11", 'c3 is in session "S1" at t1, a slot they are excluded from') in rules
    assert [r for r, _m in rules] == ["H11", "H11"]


def test_h11_solve_and_greedy_do_not_put_someone_back_into_a_fixed_session():
    doc = newer(
        staffed(
            fixed=[
                {"id": "S1", "condition": "dem", "slot": "t1", "language": "en", "participants": ["c2", "m1", "l1"]}
            ],
            rules={"max_parallel_sessions": 1},
        ),
        exclusions=[{"participant": "c1", "session": "S1"}],
    )
    doc["participants"][0]["available"] = ["t1"]  # c1 could only be in S1
    pb = parse_problem(doc)
    for plan in (greedy_plan(pb), solve(pb, time_limit=3, deterministic=True)):
        valid(doc, plan)
        assert "c1" not in next(s for s in plan.sessions if s.id == "S1").participants
    # Without the exclusion c1 (strongest, priority 2) would be added.
    plain = solve(parse_problem(dict(doc, exclusions=[])), time_limit=3, deterministic=True)
    assert "c1" in next(s for s in plain.sessions if s.id == "S1").participants


# ---- score terms ----


def test_someone_left_out_before_is_preferred_and_the_bonus_grows_with_rounds_missed():
    people = [
        person("new", "creative", {"dem": 3}, ["t1"], organisation="o1", priority=1.8),
        person("old", "creative", {"dem": 1}, ["t1"], organisation="o2"),
        person("m1", "commissioner", {"dem": 1}, ["t1"]),
        person("l1", "link_worker", {"dem": 1}, ["t1"]),
    ]
    base = problem(people, rules={"creatives": [1, 1]})
    assert seated(solve(parse_problem(newer(base)), time_limit=3, deterministic=True)) >= {"new"}
    once = newer(base, history={"participants": {"old": {"rounds_registered": 1}}})
    assert "new" in seated(solve(parse_problem(once), time_limit=3, deterministic=True))  # 100+10+60 < 180+30
    twice = newer(base, history={"participants": {"old": {"rounds_registered": 2}}})
    plan = solve(parse_problem(twice), time_limit=3, deterministic=True)
    valid(twice, plan)
    assert "old" in seated(plan) and "new" not in seated(plan)  # 100+10+120 > 180+30
    matched_before = newer(base, history={"participants": {"old": {"rounds_registered": 2, "rounds_matched": 1}}})
    assert "new" in seated(solve(parse_problem(matched_before), time_limit=3, deterministic=True))


def test_a_pair_that_met_recently_is_not_repeated_while_an_alternative_exists():
    people = [
        person("c1", "creative", {"dem": 3}, ["t1"]),
        person("m1", "commissioner", {"dem": 3}, ["t1"]),
        person("m2", "commissioner", {"dem": 2}, ["t1"]),
        person("l1", "link_worker", {"dem": 1}, ["t1"]),
    ]
    base = problem(people, rules={"creatives": [1, 1], "max_parallel_sessions": 1})
    assert "m1" in seated(solve(parse_problem(newer(base)), time_limit=3, deterministic=True))
    met = {"participants": ["c1", "m1"], "rounds_ago": 1, "round": "spring"}
    doc = newer(base, history={"met": [met]})
    plan = solve(parse_problem(doc), time_limit=3, deterministic=True)
    valid(doc, plan)
    assert "m2" in seated(plan) and "m1" not in seated(plan)
    # Outside the window (met 3 rounds ago, repeat_rounds 2) it is no repeat.
    old = newer(base, history={"met": [dict(met, rounds_ago=3)]})
    assert "m1" in seated(solve(parse_problem(old), time_limit=3, deterministic=True))
    # With no alternative the repeat is still better than no session.
    alone = newer(problem(people[:2] + people[3:], rules={"creatives": [1, 1]}), history={"met": [met]})
    plan = solve(parse_problem(alone), time_limit=3, deterministic=True)
    assert {"c1", "m1"} <= seated(plan)
    assert plan.score == independent_score(alone, plan_to_dict(plan))


def test_welsh_speakers_who_can_meet_get_a_welsh_session():
    cy = ["cy", "en"]
    people = [
        person("c1", "creative", {"dem": 2}, ["t1"], languages=cy, organisation="o1"),
        person("c2", "creative", {"dem": 2}, ["t1"], languages=cy, organisation="o2"),
        person("c3", "creative", {"dem": 2}, ["t1"], languages=cy, organisation="o3"),
        person("m1", "commissioner", {"dem": 2}, ["t1"], languages=cy),
        person("l1", "link_worker", {"dem": 2}, ["t1"], languages=cy),
    ]
    doc = newer(problem(people))
    plan = solve(parse_problem(doc), time_limit=3, deterministic=True)
    valid(doc, plan)
    assert [s.language for s in plan.sessions] == ["cy"]
    assert plan.score == brute_force(doc)


def test_no_show_weight_is_zero_by_default_and_counts_when_set():
    people = [
        person("c1", "creative", {"dem": 2}, ["t1"], organisation="o1"),
        person("c2", "creative", {"dem": 2}, ["t1"], organisation="o2"),
        person("m1", "commissioner", {"dem": 2}, ["t1"]),
        person("l1", "link_worker", {"dem": 2}, ["t1"]),
    ]
    history = {"participants": {"c1": {"rounds_registered": 2, "rounds_matched": 2, "no_shows": 2, "last_matched": 1}}}
    base = problem(people, rules={"creatives": [1, 1]})
    doc = newer(base, history=history)
    plan = solve(parse_problem(doc), time_limit=3, deterministic=True)
    valid(doc, plan)
    weighted = newer(base, history=history, weights={"no_show": 30})
    plan = solve(parse_problem(weighted), time_limit=3, deterministic=True)
    valid(weighted, plan)
    assert "c2" in seated(plan) and "c1" not in seated(plan)


# ---- the bound ----


@st.composite
def with_history(draw) -> dict:
    doc = draw(small_problems(max_people=5, max_slots=2, langs=("en", "cy")))
    ids = [p["id"] for p in doc["participants"]]
    slots = [s["id"] for s in doc["slots"]]
    records = {}
    for pid in draw(st.lists(st.sampled_from(ids), unique=True)):
        registered = draw(st.integers(0, 3))
        matched = draw(st.integers(0, registered))
        records[pid] = {
            "rounds_registered": registered,
            "rounds_matched": matched,
            "no_shows": draw(st.integers(0, matched)),
        }
    met = [
        {"participants": list(pair), "rounds_ago": draw(st.integers(1, 3))}
        for pair in draw(st.lists(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True), max_size=4))
    ]
    exclusions = [
        {"participant": pid, "slot": draw(st.sampled_from(slots))}
        for pid in draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))
    ]
    weights = {"no_show": draw(st.sampled_from([0, 7])), "repeat": draw(st.sampled_from([40, 200]))}
    return newer(doc, history={"participants": records, "met": met}, exclusions=exclusions, weights=weights)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(with_history())
def test_on_tiny_1_1_problems_the_optimum_is_brute_force_and_the_bound_holds(doc):
    pb = parse_problem(doc)
    greedy = greedy_plan(pb)
    valid(doc, greedy)
    plan = solve(pb, time_limit=5, deterministic=True)
    valid(doc, plan)
    best = brute_force(doc)
    assert plan.bound >= best >= plan.score
    assert greedy.bound >= best
    index = build_index(pb)
    built = build_model(index, greedy_sessions(pb, index))
    for solver_name in ("GLOP", "PDLP"):  # the LP relaxation's bound, re-derived exactly from the duals
        relaxed = lp_bound(built.model, 5, solver_name)
        assert relaxed is None or relaxed >= best
    if plan.status == "optimal":
        assert plan.score == best


def test_on_s_the_bound_is_between_the_plan_and_the_lp_relaxation():
    """GLOP's LP relaxation of the whole S model is a second, independent proof of an upper bound (and PDLP's,
    re-derived from its looser duals, is a little above it, never below)."""
    for doc in (json.loads(open("bench/problems/S.json").read()), generate_problem("S", 0, history=True)):
        pb = parse_problem(doc)
        index = build_index(pb)
        built = build_model(index, greedy_sessions(pb, index))
        relaxed = lp_bound(built.model)
        assert relaxed is not None
        first_order = lp_bound(built.model, 30, "PDLP")
        assert relaxed <= first_order <= relaxed * 1.001  # any multipliers bound the LP from above
        plan = solve(pb, time_limit=10)
        assert check_plan(pb, plan) == [] and check_bookkeeping(pb, plan) == []
        assert plan.score <= plan.bound <= relaxed + 1e-6


def test_generate_with_history_is_1_1_and_reproducible():
    doc = generate_problem("S", 3, history=True)
    assert doc["version"] == 1.1 and doc["history"]["met"] and doc["exclusions"]
    assert doc == generate_problem("S", 3, history=True)
    plain = generate_problem("S", 3)
    assert plain["participants"] == doc["participants"]
    pb = parse_problem(doc)
    assert any(r.rounds_missed for r in pb.history.values())
