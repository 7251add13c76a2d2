"""The solver: greedy start, then the aggregated CP-SAT model (whole problem, or windows of slots when large)."""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .bound import counting_bound
from .explain import complete_plan
from .greedy import greedy_sessions
from .index import Index, build_index
from .lp import lp_bound, lp_bound_in_process
from .model import Built, add_hint, add_pair_cuts, build_model, extract
from .plan import Plan, Session
from .problem import Problem
from .score import score_plan

DETERMINISTIC_RATE = 0.5  # deterministic seconds per wall-clock second of --time-limit with one worker
PYTHON_SECONDS_PER_VARIABLE = 3e-5  # measured CPU to build a window model and extract a plan, per variable
FULL_MODEL_LIMIT = 10_000  # eligible (person, type) pairs above which the search works on windows of slots
WINDOW_MODE = "random"  # slot sets: "random" (measured best on M and L), "consecutive" or "mixed"
WINDOW_SUBSOLVERS: tuple[str, ...] = ("max_lp",)
LP_BOUND_LIMIT = 200_000  # eligible pairs up to which the windowed search also proves an LP bound (M and L)
LP_BOUND_MIN_SECONDS = 5  # shortest time limit with which that LP is tried
LP_REPORT_SECONDS = 2.0  # the LP child is told to finish this long before the search stops
LP_CHILD_FROM = 40_000  # eligible pairs from which that LP runs in a child process (below, in a thread: M)
FINISH_SECONDS_PER_PAIR = 2e-5  # wall-clock kept back per eligible pair to extract and explain the final plan


@dataclass(frozen=True)
class Progress:
    score: int
    bound: int
    seconds: float


class _Search:
    """Best plan so far, the best proven bound, progress reports and cancellation."""

    def __init__(
        self,
        problem: Problem,
        index: Index,
        on_progress: Callable[[Progress], None] | None,
        should_stop: Callable[[], bool] | None,
        start: float,
    ):
        self.problem, self.index = problem, index
        self.on_progress, self.should_stop = on_progress, should_stop
        self.start = start
        self.sessions: list[Session] = []
        self.closed = False  # set when solve() returns: a late side thread then reports nothing
        self.children: list = []  # processes proving a bound, killed when solve() returns
        self.score = -math.inf
        self.bound = counting_bound(index)

    def seconds(self) -> float:
        """Seconds since the solve started."""
        return time.monotonic() - self.start

    def offer(self, sessions: list[Session], score: int | None = None) -> bool:
        """Keep sessions if they beat the best plan; report progress when they do."""
        score = score_plan(self.problem, Plan(sessions=sessions)) if score is None else score
        if score <= self.score:
            return False
        self.sessions, self.score = sessions, score
        self.report()
        return True

    def tighten(self, bound: float) -> None:
        """Record a proven upper bound."""
        if math.isfinite(bound):
            self.bound = min(self.bound, math.floor(bound + 1e-6))

    def report(self) -> None:
        """Send the current best score and bound to the progress callback."""
        if self.on_progress is not None:
            self.on_progress(Progress(int(self.score), int(max(self.bound, self.score)), round(self.seconds(), 3)))

    def stopped(self) -> bool:
        """Whether the caller asked to stop."""
        return bool(self.should_stop and self.should_stop())


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, search: _Search, built: Built):
        super().__init__()
        self.search, self.built = search, built
        self.best_objective = -math.inf

    def on_solution_callback(self) -> None:
        """Turn an improving model solution into a plan and offer it; honour cancellation."""
        obj = self.ObjectiveValue()
        if obj > self.best_objective:
            self.best_objective = obj
            if self.built.window_is_all:
                self.search.tighten(self.BestObjectiveBound())
            self.search.offer(extract(self.built, self.Value))
        if self.search.stopped():
            self.StopSearch()


def _run(
    search: _Search,
    built: Built,
    time_limit: float,
    workers: int,
    seed: int,
    subsolvers: tuple[str, ...] = (),
    deterministic: bool = False,
) -> tuple[int, cp_model.CpSolver]:
    """Solve a built model within the time limit, watching for cancellation."""
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = max(1, workers)
    p.random_seed = seed
    p.subsolvers.extend(subsolvers)
    if deterministic:
        # Deterministic: stop on CP-SAT's deterministic clock, which runs about half as fast as the wall clock
        # here; the wall-clock limit at three times is only a safety net (hitting it loses determinism).
        p.max_deterministic_time = max(0.01, DETERMINISTIC_RATE * time_limit)
        p.max_time_in_seconds = max(0.05, 3 * time_limit + 1)
    else:
        p.max_time_in_seconds = max(0.05, time_limit)
    done = threading.Event()

    def watch() -> None:
        """Stop the search as soon as the caller asks."""
        while not done.wait(0.1):
            if search.stopped():
                solver.stop_search()
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        status = solver.solve(built.model, _Callback(search, built))
    finally:
        done.set()
        watcher.join()
    return status, solver


class _Budget:
    """Time left: wall-clock seconds (less what finishing the plan will take), or, when deterministic,
    CP-SAT's deterministic time so that runs repeat."""

    def __init__(self, search: _Search, time_limit: float, deterministic: bool, reserve: float = 0.0):
        self.search, self.limit, self.deterministic = search, time_limit, deterministic
        self.used = 0.0  # deterministic seconds spent in CP-SAT
        self.reserve = reserve  # wall-clock seconds kept back for extracting and explaining the plan

    def left(self) -> float:
        """Seconds left, in the units `_run` takes."""
        if self.search.stopped():
            return 0.0
        if self.deterministic:
            if self.search.seconds() > 3 * self.limit + 1:  # safety net; determinism is lost only here
                return 0.0
            return self.limit - self.used / DETERMINISTIC_RATE
        return self.limit - self.reserve - self.search.seconds()

    def spend(self, solver: cp_model.CpSolver, built: Built) -> None:
        """Count CP-SAT's deterministic time plus a per-variable proxy for building and reading the model."""
        self.used += solver.deterministic_time + PYTHON_SECONDS_PER_VARIABLE * DETERMINISTIC_RATE * built.n_vars


def solve(
    problem: Problem,
    *,
    time_limit: float = 30,
    workers: int = 2,
    seed: int = 0,
    on_progress: Callable[[Progress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    deterministic: bool = False,
) -> Plan:
    """Best plan found within time_limit seconds; see the package docstring for the options.

    The limit is wall-clock time unless `deterministic` (then one worker on CP-SAT's deterministic clock)."""
    start = time.monotonic()
    index = build_index(problem)
    search = _Search(problem, index, on_progress, should_stop, start)
    search.offer(greedy_sessions(problem, index))
    if deterministic:
        workers = 1
    size = sum(len(ids) for k in index.types for ids in index.eligible[k].values())
    # Explaining the plan and building the last window take time after the search: keep it back.
    reserve = min(0.25 * time_limit, FINISH_SECONDS_PER_PAIR * size)
    budget = _Budget(search, time_limit, deterministic, reserve)
    optimal = False
    if size <= FULL_MODEL_LIMIT and not search.stopped():
        optimal = _solve_full(search, budget, workers, seed, deterministic)
    elif not search.stopped():
        lp = None
        if size <= LP_BOUND_LIMIT and not deterministic and time_limit >= LP_BOUND_MIN_SECONDS:
            lp = _start_lp_bound(search, budget, size)
        _solve_windows(search, budget, workers, seed, deterministic)
        if lp is not None:
            lp.join(timeout=max(0.0, budget.left()))  # never into the time kept back for finishing
    search.closed = True
    for child in search.children:
        if child.poll() is None:
            child.kill()
    extra = [s for s in search.sessions if s.id not in problem.fixed_by_id]
    status = "optimal" if optimal else ("feasible" if extra else "no_solution")
    return complete_plan(
        problem,
        search.sessions,
        status=status,
        bound=max(search.bound, search.score),
        seconds=search.seconds(),
        index=index,
    )


def _solve_full(search: _Search, budget: _Budget, workers: int, seed: int, deterministic: bool) -> bool:
    """One model over all slots; True when the plan is proved optimal."""
    built = build_model(search.index, search.sessions)
    while True:
        built.model.clear_hints()
        add_hint(built, search.sessions)
        # max_lp (linearization level 2 with all cuts) proves S optimal in seconds where the default LP worker's
        # bound stays 17% above; with two workers the second runs the interleaved LNS subsolvers.
        status, solver = _run(
            search, built, max(0.0, budget.left()), workers, seed, subsolvers=("max_lp",), deterministic=deterministic
        )
        budget.spend(solver, built)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            search.tighten(solver.best_objective_bound)
            search.offer(extract(built, solver.value))
        elif status == cp_model.INFEASIBLE:
            # The model contains the greedy plan, so this cannot happen unless the model is wrong.
            raise RuntimeError("CP-SAT reported the aggregated model infeasible")
        if status == cp_model.OPTIMAL and search.score >= search.bound:
            return True
        # Optimal for the model but the split lost pairs: cut those aggregate choices off and solve again.
        if status != cp_model.OPTIMAL or budget.left() < 0.05 or add_pair_cuts(built, solver.value) == 0:
            break
    search.report()
    return False


def _start_lp_bound(search: _Search, budget: _Budget, size: int) -> threading.Thread | None:
    """Start proving a bound from the LP relaxation of the whole model (lp.py); a thread records it.

    The windowed search never solves the whole model, so without this its bound is the
    counting bound alone (3-4 % above the plans on M and L). PDLP with one thread proves the LP
    relaxation of the whole M model in about 4 s and of L in about 13 s, L's in a child process (PDLP
    holds Python's lock) given the time until the search stops, less a margin to report; when
    the limit stops PDLP early its last duals still give a valid, weaker bound, re-derived exactly.
    For L the whole model is built here, before the search (4 s): built in a thread beside the
    search it took three times as long, competing for Python's lock, and the LP then often
    missed the limit. M (below LP_CHILD_FROM pairs) builds it and runs PDLP in a thread."""
    if size < LP_CHILD_FROM:
        # M: the model is built and PDLP run in a thread beside the search (as before the child process):
        # PDLP takes a few seconds, less than a child costs to start on a loaded machine.
        return _in_thread(search, budget)
    try:
        built = build_model(search.index, search.sessions)
        seconds = budget.left() - LP_REPORT_SECONDS
        if seconds < 2:
            return None
        process, result = lp_bound_in_process(built.model, seconds)
    except Exception:  # noqa: BLE001  (a bound that cannot be had must never cost the plan)
        return None
    if process is None:
        return None
    search.children.append(process)

    def wait() -> None:
        """Record the child's bound, unless solve() has returned."""
        try:
            bound = result()
        except Exception:  # noqa: BLE001
            return
        if bound is not None and not search.closed:
            search.tighten(bound)
            search.report()

    thread = threading.Thread(target=wait, daemon=True)
    thread.start()
    return thread


def _in_thread(search: _Search, budget: _Budget) -> threading.Thread:
    """The LP bound of the whole model built and proved in a thread of this process (for M-sized models)."""

    def work() -> None:
        """Prove and record the bound, unless solve() has returned."""
        try:
            built = build_model(search.index, search.sessions)
            bound = lp_bound(built.model, max(0.5, budget.left() - LP_REPORT_SECONDS), "PDLP")
        except Exception:  # noqa: BLE001  (a bound that cannot be had must never cost the plan)
            return
        if bound is not None and not search.closed:
            search.tighten(bound)
            search.report()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def _solve_windows(search: _Search, budget: _Budget, workers: int, seed: int, deterministic: bool) -> None:
    """Large-neighbourhood search: re-solve random sets of slots, keeping the rest, while the true score rises."""
    pb, index = search.problem, search.index
    order = sorted(pb.slot_by_id, key=lambda t: index.slot_order[t])
    rng = random.Random(seed)
    # Slots per window by eligible pairs per slot: measured 5 best on M (500/slot), 3 on L (1,850/slot).
    per_slot = sum(len(ids) for k in index.types for ids in index.eligible[k].values()) / max(1, len(order))
    width = 5 if per_slot < 1000 else 3 if per_slot < 3000 else 2
    rounds = 0
    build_seconds = 0.0  # the slowest window build so far: a window is only started if it can finish
    while budget.left() > 0.5 + (0 if deterministic else build_seconds):
        rounds += 1
        if WINDOW_MODE == "consecutive" or (WINDOW_MODE == "mixed" and rounds % 2):
            first = rng.randrange(len(order))
            window = set(order[first : first + width])
        else:
            window = set(rng.sample(order, min(width, len(order))))
        began = time.monotonic()
        built = build_model(index, search.sessions, window)
        add_hint(built, search.sessions)
        build_seconds = max(build_seconds, time.monotonic() - began)
        left = budget.left()
        if left <= 0.05:
            break
        # While the LP child runs it takes one core: the search then keeps to one worker less.
        busy = sum(1 for child in search.children if child.poll() is None)
        status, solver = _run(
            search,
            built,
            min(5.0, left),
            max(1, workers - busy),
            seed,
            subsolvers=WINDOW_SUBSOLVERS,
            deterministic=deterministic,
        )
        budget.spend(solver, built)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            search.offer(extract(built, solver.value))
