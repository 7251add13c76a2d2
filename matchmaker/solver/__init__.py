"""The Cyswllt matchmaker solver: problem.json in, plan.json out (see docs/matching-contract.md).

Pure Python on top of OR-Tools CP-SAT; imports nothing from Flask, SQLAlchemy or the rest of
`matchmaker`. Command line::

    python -m matchmaker.solver solve PROBLEM.json [-o PLAN.json] [--time-limit S] [--workers N] [--seed N]
                                      [--deterministic]
    python -m matchmaker.solver check PROBLEM.json PLAN.json   # every violated rule; exit 1 if any
    python -m matchmaker.solver score PROBLEM.json PLAN.json   # the plan's integer score
    python -m matchmaker.solver generate --size S|M|L|XL --seed N [--history] [-o FILE]
    python -m matchmaker.solver bench [--help]

Bad input exits 2 with one line per problem naming the field path. The time limit is
wall-clock time (the search keeps back what finishing the plan takes). With
`--deterministic` (`solve(..., deterministic=True)`) it is spent with one worker on CP-SAT's
deterministic clock (half a deterministic second per second of limit, plus a per-variable
proxy for building models) instead, so the same input and seed give the same plan; a
wall-clock safety net at three times the limit ends a run that is far slower than expected
(only then is determinism lost). Problem documents of contract 1.1 add history, exclusions
(hard rule H11) and the missed-rounds, repeat, no-show and Welsh-medium score terms.

Library API (stable names):

- `parse_problem(data) -> Problem` (raises `ProblemError`, whose `.problems` lists one line
  per problem with its field path); `load_problem(path) -> Problem`.
- `solve(problem, *, time_limit=30, workers=2, seed=0, on_progress=None, should_stop=None,
  deterministic=False) -> Plan`.
  `on_progress(Progress)` is called with `score`, `bound`, `seconds` whenever the best plan
  improves; `should_stop()` returning True stops the search early and returns the best plan
  so far (polled about every 0.1 s). Both may be called from a CP-SAT search thread, so they
  should only hand data over (set a value, write a row with their own connection).
- `check_plan(problem, plan) -> list[Violation]` (hard rules, `Violation.rule` is "H1".."H11"
  or "plan" for unknown ids); `check_bookkeeping(problem, plan)` checks the plan's own lists,
  score and bound; `score_plan(problem, plan) -> int` (the single score function).
- `plan_to_dict(plan)`, `plan_from_dict(data, problem=None)` (validates, raises `ProblemError`).
- `greedy_plan(problem) -> Plan`, `generate_problem(size, seed, history=False) -> dict`.

Plan `status`: `optimal` only when CP-SAT proved the aggregated model optimal and the plan's true
score reaches that proven bound; `feasible` otherwise; `no_solution` when the plan holds nothing
beyond the fixed sessions and that is not proved best. `bound` is the smallest of CP-SAT's
objective bound on the whole-problem model (when that model is used), the LP relaxation of
that model proved by PDLP in a child process beside the windowed search on problems up to
L's size (`lp.py`, exact from the duals, valid even when PDLP is cut short) and the counting
bound in `bound.py`, never below the score.

How it works: `greedy.py` gives a valid plan at once; problems with up to 10,000 eligible
(participant, session type) pairs are solved whole with the aggregated model in `model.py`
(CP-SAT's `max_lp` worker); larger ones by a large-neighbourhood search over random sets of
slots (`solve.py`). Reason codes for `unassigned` and `unserved_bookings` are documented in
`explain.py`.
"""

from .check import Violation, check_bookkeeping, check_plan
from .explain import booking_blocker, complete_plan
from .generate import generate_problem
from .greedy import greedy_plan
from .plan import Plan, Session, Unassigned, UnservedBooking, plan_from_dict, plan_to_dict
from .problem import CONTRACT_VERSION, Problem, ProblemError, load_problem, parse_problem
from .score import score_plan
from .solve import Progress, solve

__all__ = [
    "CONTRACT_VERSION",
    "Plan", "Problem", "ProblemError", "Progress", "Session", "Unassigned", "UnservedBooking", "Violation",
    "booking_blocker", "check_bookkeeping", "check_plan", "complete_plan", "generate_problem", "greedy_plan",
    "load_problem",
    "parse_problem", "plan_from_dict", "plan_to_dict", "score_plan", "solve",
]
