"""The command line: exit codes, one line per input problem with its field path, determinism, generate."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaker.solver import CONTRACT_VERSION, ProblemError, generate_problem, parse_problem, plan_from_dict
from matchmaker.solver.cli import main
from matchmaker.solver.generate import SIZES

from .helpers import staffed

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "matchmaker.solver", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def call(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_solve_check_score_round_trip(tmp_path):
    prob = tmp_path / "p.json"
    prob.write_text(json.dumps(staffed()))
    plan_path = tmp_path / "plan.json"
    r = run("solve", str(prob), "-o", str(plan_path), "--time-limit", "2", "--workers", "1", "--seed", "3")
    assert r.returncode == 0, r.stderr
    assert "objective" in r.stderr and "bound" in r.stderr and "Traceback" not in r.stderr
    plan = json.loads(plan_path.read_text())
    assert plan["status"] == "optimal" and plan["score"] == plan["bound"]
    r = run("check", str(prob), str(plan_path))
    assert (r.returncode, r.stdout) == (0, "")
    r = run("score", str(prob), str(plan_path))
    assert r.returncode == 0 and int(r.stdout) == plan["score"]
    plan["sessions"][0]["participants"].remove("l1")
    plan_path.write_text(json.dumps(plan))
    r = run("check", str(prob), str(plan_path))
    assert r.returncode == 1
    assert any(line.startswith("H6:") for line in r.stdout.splitlines())


def test_bad_input_exits_2_with_field_paths(tmp_path):
    doc = staffed()
    doc["participants"][1]["available"] = ["t1", "t99"]
    doc["slots"][1]["end"] = doc["slots"][1]["start"]
    doc["rules"]["creatives"] = [4, 2]
    doc["participants"][2]["max_sessions"] = "two"
    del doc["participants"][3]["role"]
    prob = tmp_path / "p.json"
    prob.write_text(json.dumps(doc))
    r = run("solve", str(prob))
    assert r.returncode == 2 and r.stdout == ""
    lines = r.stderr.splitlines()
    assert 'participants[1].available[1]: unknown slot "t99"' in lines
    assert "slots[1].end: must be after start" in lines
    assert any(line.startswith("rules.creatives: min 4") for line in lines)
    assert any(line.startswith("participants[2].max_sessions: expected an integer") for line in lines)
    assert "participants[3].role: missing" in lines
    assert "Traceback" not in r.stderr
    prob.write_text("{not json")
    r = run("check", str(prob), str(prob))
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1 and "not valid JSON" in r.stderr


def test_bad_plan_and_missing_file_exit_2(tmp_path):
    prob = tmp_path / "p.json"
    prob.write_text(json.dumps(staffed()))
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"version": CONTRACT_VERSION, "status": "done", "score": 1, "bound": 1,
                                "sessions": [{"id": "S1", "condition": "dem", "slot": "t1", "language": "en",
                                              "participants": ["nobody"]}]}))
    code, out, err = call("check", str(prob), str(plan))
    assert code == 2
    assert 'status: unknown status "done" (expected one of optimal, feasible, no_solution)' in err.splitlines()
    assert 'sessions[0].participants[0]: unknown participant "nobody"' in err.splitlines()
    code, out, err = call("score", str(tmp_path / "missing.json"), str(plan))
    assert code == 2 and "cannot read file" in err
    code, out, err = call("solve", str(prob), "--workers", "0")
    assert code == 2 and len(err.splitlines()) == 1
    r = run("solve", str(prob), "--time-limit", "soon")
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1 and "--time-limit" in r.stderr


def test_same_seed_and_deterministic_give_the_same_plan(tmp_path):
    doc = generate_problem("S", 5)
    prob = tmp_path / "p.json"
    prob.write_text(json.dumps(doc))
    outs = []
    for i in range(2):
        code, _out, _err = call("solve", str(prob), "-o", str(tmp_path / f"{i}.json"), "--time-limit", "0.6",
                                "--deterministic", "--seed", "7")
        assert code == 0
        outs.append(json.loads((tmp_path / f"{i}.json").read_text()))
    assert outs[0]["sessions"] == outs[1]["sessions"]
    assert outs[0]["score"] == outs[1]["score"]


def test_generate_every_size(tmp_path):
    for size in ("S", "M", "L"):
        out = tmp_path / f"{size}.json"
        assert call("generate", "--size", size, "--seed", "1", "-o", str(out))[0] == 0
        doc = json.loads(out.read_text())
        pb = parse_problem(doc)
        n_cre, n_lw, n_com, n_slots, n_book = SIZES[size]
        assert [sum(1 for p in pb.participants if p.role == r) for r in ("creative", "link_worker", "commissioner")] \
            == [n_cre, n_lw, n_com]
        assert (len(pb.slots), len(pb.bookings)) == (n_slots, n_book)
        assert any(a.overlaps(b) for a in pb.slots for b in pb.slots if a is not b)
        welsh = sum(1 for p in pb.participants if "cy" in p.languages) / len(pb.participants)
        assert 0.15 < welsh < 0.4
    assert generate_problem("S", 1) == generate_problem("S", 1) != generate_problem("S", 2)
    xl = generate_problem("XL", 1)  # shape only: XL is not solved here
    assert len(xl["participants"]) == sum(SIZES["XL"][:3]) and len(xl["slots"]) == 120


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
                    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4),
                    max_leaves=20)


def mutate(doc: dict, path: list, value) -> dict:
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return doc


PATHS = [["version"], ["slots"], ["slots", 0], ["slots", 0, "start"], ["slots", 0, "id"], ["participants", 0],
         ["participants", 0, "conditions"], ["participants", 1, "available"], ["participants", 2, "priority"],
         ["participants", 0, "wants_to_meet"], ["bookings"], ["fixed_sessions"], ["rules"],
         ["rules", "creatives"], ["rules", "max_parallel_sessions"], ["conditions", 0], ["weights"]]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PATHS), JSON)
def test_fuzzed_problems_give_field_errors_never_tracebacks(path, value):
    doc = mutate(staffed(), path, value)
    try:
        parse_problem(doc)
    except ProblemError as exc:
        assert exc.problems and all(isinstance(line, str) and ": " in line and "\n" not in line
                                    for line in exc.problems)


@settings(max_examples=100, deadline=None)
@given(JSON)
def test_fuzzed_documents_and_plans_never_crash(value):
    for parse in (parse_problem, plan_from_dict):
        try:
            parse(value)
        except ProblemError as exc:
            assert exc.problems


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.text(max_size=40) | JSON.map(json.dumps))
def test_cli_on_fuzzed_files_exits_0_or_2_without_traceback(tmp_path, text):
    f = tmp_path / "fuzz.json"
    f.write_text(text)
    code, out, err = call("score", str(f), str(f))
    assert code == 2 and err.strip() and "Traceback" not in err
