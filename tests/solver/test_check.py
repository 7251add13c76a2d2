"""Each hard rule H1-H10: a plan breaking it is caught, and the unbroken plan passes."""

from __future__ import annotations

from matchmaker.solver import CONTRACT_VERSION, check_bookkeeping, check_plan, parse_problem, plan_from_dict, score_plan

from .helpers import clone, independent_score, person, slot, staffed


def plan_doc(sessions: list[dict], doc: dict) -> dict:
    seated = {p for s in sessions for p in s["participants"]}
    return {"version": CONTRACT_VERSION, "status": "feasible", "score": 0, "bound": 0, "solve_seconds": 0,
            "sessions": sessions,
            "unassigned": [{"participant": p["id"], "reason": "x", "detail": ""} for p in doc["participants"]
                           if p["id"] not in seated],
            "unserved_bookings": [], "short_sessions": []}


def session(sid: str, members: list[str], cond: str = "dem", slot_id: str = "t1", lang: str = "en",
            booking: str | None = None) -> dict:
    return {"id": sid, "condition": cond, "slot": slot_id, "language": lang, "participants": members,
            "booking": booking}


def rules_broken(doc: dict, sessions: list[dict]) -> set[str]:
    pb = parse_problem(doc)
    return {v.rule for v in check_plan(pb, plan_from_dict(plan_doc(sessions, doc), pb))}


GOOD = [session("S1", ["c1", "c2", "c3", "m1", "l1"])]


def test_valid_plan_passes_and_scores_as_recomputed():
    doc = staffed()
    assert rules_broken(doc, GOOD) == set()
    pb = parse_problem(doc)
    pd = plan_doc(GOOD, doc)
    plan = plan_from_dict(pd, pb)
    assert score_plan(pb, plan) == independent_score(doc, pd) == 200 + 100 + 100 + 10 * 6 + 2 * 5 - 5
    plan.score = plan.bound = score_plan(pb, plan)
    assert check_bookkeeping(pb, plan) == []


def test_h1_availability():
    assert "H1" in rules_broken(staffed(), [session("S1", ["c1", "c2", "c3", "m1", "l1"], slot_id="t2")])


def test_h2_condition():
    assert "H2" in rules_broken(staffed(), [session("S1", ["c3", "m1", "l1"], cond="str")])


def test_h3_language():
    assert "H3" in rules_broken(staffed(), [session("S1", ["c1", "m1", "l1"], lang="cy")])


def test_h4_overlapping_slots_compared_by_time_not_id():
    doc = staffed(slots=[slot("t1", "10:00", "11:30"), slot("t2", "14:00", "15:30"), slot("t3", "11:00", "12:30")])
    for p in doc["participants"]:
        p["available"].append("t3")
        p["max_sessions"] = 2
    doc["participants"].append(person("m2", "commissioner", {"dem": 1}, ["t2", "t3"]))
    doc["participants"].append(person("l2", "link_worker", {"dem": 1}, ["t2", "t3"]))
    two = [session("S1", ["c1", "m1", "l1"]), session("S2", ["c1", "m2", "l2"], slot_id="t3")]
    assert rules_broken(doc, two) == {"H4"}
    apart = [session("S1", ["c1", "m1", "l1"]), session("S2", ["c1", "m2", "l2"], slot_id="t2")]
    assert rules_broken(doc, apart) == set()


def test_h5_cap():
    doc = staffed()
    two = [session("S1", ["c1", "m1", "l1"]), session("S2", ["c1", "m1", "l1"], slot_id="t2")]
    assert rules_broken(doc, two) == {"H5"}


def test_h6_mix_counts_per_role():
    assert rules_broken(staffed(), [session("S1", ["c1", "c2", "c3", "m1"])]) == {"H6"}
    doc = staffed(extra=[person("c4", "creative", {"dem": 1}, ["t1"])])
    assert rules_broken(doc, [session("S1", ["c1", "c2", "c3", "c4", "m1", "l1"])]) == {"H6"}


def test_h7_parallel_limit_over_overlapping_slots():
    doc = staffed(slots=[slot("t1", "10:00", "11:30"), slot("t2", "11:00", "12:30")],
                  rules={"max_parallel_sessions": 1})
    doc["participants"] += [person("m2", "commissioner", {"dem": 1}, ["t2"]), person("l2", "link_worker", {"dem": 1},
                                                                                    ["t2"])]
    two = [session("S1", ["c2", "m1", "l1"]), session("S2", ["c1", "m2", "l2"], slot_id="t2")]
    assert rules_broken(doc, two) == {"H7"}


def test_h8_one_creative_per_organisation():
    doc = staffed()
    doc["participants"][1]["organisation"] = "o1"
    assert rules_broken(doc, GOOD) == {"H8"}
    doc["rules"]["one_per_organisation"] = False
    assert rules_broken(doc, GOOD) == set()


def test_h9_fixed_session_kept():
    doc = staffed(fixed=[{"id": "F1", "condition": "dem", "slot": "t1", "language": "en",
                          "participants": ["c1", "c2", "m1", "l1"]}])
    assert rules_broken(doc, [session("F1", ["c1", "c2", "c3", "m1", "l1"])]) == set()
    assert rules_broken(doc, []) == {"H9"}
    assert rules_broken(doc, [session("F1", ["c1", "c3", "m1", "l1"])]) == {"H9"}
    assert "H9" in rules_broken(doc, [session("F1", ["c1", "c2", "m1", "l1"], slot_id="t2")])


def test_h10_bookings():
    doc = staffed(extra=[person("m2", "commissioner", {"dem": 1}, ["t1", "t2"])],
                  bookings=[{"id": "b1", "commissioner": "m1", "condition": "dem", "slots": ["t1"]}])
    assert rules_broken(doc, [session("S1", ["c1", "m1", "l1"], booking="b1")]) == set()
    assert rules_broken(doc, [session("S1", ["c1", "m2", "l1"], booking="b1")]) == {"H10"}
    assert rules_broken(doc, [session("S1", ["c1", "m1", "l1"], slot_id="t2", booking="b1")]) == {"H10"}
    d2 = clone(doc)
    d2["participants"][3]["max_sessions"] = 2
    twice = [session("S1", ["c2", "m1", "l1"], booking="b1"), session("S2", ["c3", "m2", "l1"], booking="b1")]
    d2["participants"][4]["max_sessions"] = 1
    assert "H10" in rules_broken(d2, twice)
    d3 = clone(doc)
    d3["bookings"][0]["language"] = "cy"
    assert rules_broken(d3, [session("S1", ["c1", "m1", "l1"], booking="b1")]) == {"H10"}


def test_bookkeeping_catches_wrong_score_and_missing_unassigned():
    doc = staffed()
    pb = parse_problem(doc)
    pd = plan_doc([session("S1", ["c1", "m1", "l1"])], doc)
    pd["unassigned"] = pd["unassigned"][1:]
    plan = plan_from_dict(pd, pb)
    messages = [v.message for v in check_bookkeeping(pb, plan)]
    assert any("not listed in unassigned" in m for m in messages)
    assert any("score field" in m for m in messages)
