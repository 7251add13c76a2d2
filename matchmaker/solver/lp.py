"""The LP relaxation of a CP-SAT model and a provably valid upper bound from any dual vector.

The relaxation keeps every variable's bounds but lets it take fractional values, keeps every
linear, `at_most_one`, `exactly_one` and `bool_or` constraint, and drops constraints with
enforcement literals (only the pair cuts use them) and any other kind. Dropping constraints
and relaxing integrality only enlarge the feasible set, so for a maximisation the relaxation's
optimum is at least the model's, which is at least the score of every plan (see model.py).

The bound does not trust the LP solver's objective value. For any multipliers `y` on the
rows `lo <= a.x <= hi`, Lagrangian duality gives, for every `x` within its bounds and the
rows, `c.x = (c - A'y).x + y.(Ax) <= sum_j max over x_j's bounds of (c - A'y)_j x_j + sum_i
(y_i hi_i if y_i > 0 else y_i lo_i)`, with `y_i` clipped to 0 on a side whose row bound is
infinite. That sum is evaluated in exact rational arithmetic after rounding `y` to a grid, so
floating-point error in the solver (a first-order one like PDLP stops at a tolerance) can
make the bound weaker, never wrong. The solver's duals are tried with both sign conventions
and the smaller valid result is kept.
"""

from __future__ import annotations

import math
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
from google.protobuf import text_format
from ortools.linear_solver import linear_solver_pb2, pywraplp
from ortools.pdlp import solvers_pb2
from ortools.pdlp.python import pdlp
from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model

BIG = 2**62  # CP-SAT's stand-in for an infinite domain end
PDLP_PARAMETERS = (
    "num_threads: 1 termination_criteria { simple_optimality_criteria { "
    "eps_optimal_relative: 1e-4 eps_optimal_absolute: 1e-4 } }"
)


@dataclass
class Relaxation:
    """The rows, bounds and objective of a maximisation model's LP relaxation (negated literals expanded)."""

    lo: np.ndarray  # per row; -inf / +inf where unbounded
    hi: np.ndarray
    row_of: np.ndarray  # per nonzero: its row
    col_of: np.ndarray  # per nonzero: its variable
    coef: np.ndarray  # per nonzero: its coefficient
    lb: np.ndarray  # per variable
    ub: np.ndarray
    c: np.ndarray  # objective coefficients (maximised)
    constant: float


def model_bytes(model: cp_model.CpModel) -> bytes:
    """The model's proto, serialised (through a file: the model's own proto object has no serialiser)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.pb"
        model.export_to_file(str(path))
        return path.read_bytes()


def relaxation(model: cp_model.CpModel | bytes) -> Relaxation | None:
    """The LP relaxation of a maximisation model (or its serialised proto), or None for anything else.

    It reads the proto as a plain protobuf message, which is about ten times faster to walk than
    the model's own proto object."""
    proto = cp_model_pb2.CpModelProto()
    proto.ParseFromString(model if isinstance(model, bytes) else model_bytes(model))
    obj = proto.objective
    scale = obj.scaling_factor or 1.0
    if scale >= 0 or not proto.HasField("objective"):
        return None  # CP-SAT keeps a maximisation as the minimisation of its negation (scale < 0)
    n = len(proto.variables)
    lb = np.array([float(v.domain[0]) for v in proto.variables])
    ub = np.array([float(v.domain[-1]) for v in proto.variables])
    lo_l, hi_l, rows, cols, coefs = [], [], [], [], []

    def add_row(lo: float, hi: float, refs: list[int], coeffs: list[int]) -> None:
        """lo <= sum(coeff * literal) <= hi, a negated ref meaning 1 - x."""
        shift = sum(coef for ref, coef in zip(refs, coeffs, strict=True) if ref < 0)
        i = len(lo_l)
        lo_l.append(-math.inf if lo <= -BIG else lo - shift)
        hi_l.append(math.inf if hi >= BIG else hi - shift)
        rows.extend([i] * len(refs))
        cols.extend(ref if ref >= 0 else -ref - 1 for ref in refs)
        coefs.extend(coef if ref >= 0 else -coef for ref, coef in zip(refs, coeffs, strict=True))

    for con in proto.constraints:
        if len(con.enforcement_literal):
            continue
        kind = con.WhichOneof("constraint")
        if kind == "linear":
            domain = con.linear.domain
            add_row(domain[0], domain[-1], list(con.linear.vars), list(con.linear.coeffs))
        elif kind in ("at_most_one", "exactly_one", "bool_or"):
            lits = list(getattr(con, kind).literals)
            lo, hi = {"at_most_one": (-BIG, 1), "exactly_one": (1, 1), "bool_or": (1, BIG)}[kind]
            add_row(lo, hi, lits, [1] * len(lits))
    c = np.zeros(n)
    constant = float(obj.offset)
    refs = np.array(list(obj.vars), dtype=np.int64)
    weights = np.array(list(obj.coeffs), dtype=float)
    negated = refs < 0  # a * (1 - x): a constant a and -a on x
    constant += float(weights[negated].sum())
    np.add.at(c, np.where(negated, -refs - 1, refs), np.where(negated, -weights, weights) * scale)
    return Relaxation(
        np.array(lo_l),
        np.array(hi_l),
        np.array(rows, dtype=np.int64),
        np.array(cols, dtype=np.int64),
        np.array(coefs, dtype=float),
        lb,
        ub,
        c,
        scale * constant,
    )


GRID = 2**20  # multipliers are rounded to multiples of 1/GRID before the exact sum


def lagrangian_bound(lp: Relaxation, y: np.ndarray) -> float:
    """A proven upper bound on the relaxation (so on the model) from multipliers y, one per row (see above)."""
    y = np.nan_to_num(np.asarray(y, dtype=float), nan=0.0, posinf=0.0, neginf=0.0)
    y = np.round(y * GRID) / GRID  # a grid, so the exact sum below stays small
    y = np.where((y > 0) & np.isinf(lp.hi), 0.0, y)
    y = np.where((y < 0) & np.isinf(lp.lo), 0.0, y)
    exact = _integer_bound(lp, y)
    return exact if exact is not None else _fraction_bound(lp, y)


def _integral(a: np.ndarray) -> bool:
    finite = a[np.isfinite(a)]
    return bool(np.all(finite == np.round(finite)) and np.all(np.abs(finite) < 2**40))


def _integer_bound(lp: Relaxation, y: np.ndarray) -> float | None:
    """The bound of `_fraction_bound` in exact integer arithmetic (scaled by GRID), or None when the data are not
    small integers or an int64 sum could overflow (then the Fraction version runs)."""
    if not all(_integral(a) for a in (lp.coef, lp.c, lp.lb, lp.ub, lp.lo, lp.hi)) or lp.constant != round(lp.constant):
        return None
    yi = np.round(y * GRID).astype(np.int64)
    if np.any(np.abs(yi) > 2**40):
        return None
    coef = lp.coef.astype(np.int64)
    per_col = np.bincount(lp.col_of, minlength=len(lp.c)).max(initial=0)
    if 2**40 * int(np.abs(coef).max(initial=0)) * int(per_col + 1) >= 2**62:
        return None
    # reduced = GRID * (c - A'y), exactly, in int64
    reduced = lp.c.astype(np.int64) * GRID
    np.subtract.at(reduced, lp.col_of, coef * yi[lp.row_of])
    if np.any((reduced > 0) & np.isinf(lp.ub)) or np.any((reduced < 0) & np.isinf(lp.lb)):
        return math.inf
    ub = np.where(np.isinf(lp.ub), 0, lp.ub).astype(np.int64)
    lb = np.where(np.isinf(lp.lb), 0, lp.lb).astype(np.int64)
    hi = np.where(np.isinf(lp.hi), 0, lp.hi).astype(np.int64)
    lo = np.where(np.isinf(lp.lo), 0, lp.lo).astype(np.int64)
    # Python integers from here (no overflow): each product below fits in int64, their sum may not.
    terms = np.where(reduced > 0, reduced * ub, reduced * lb).astype(object).sum()
    terms += np.where(yi > 0, yi * hi, yi * lo).astype(object).sum()
    total = Fraction(int(terms), GRID) + int(round(lp.constant))
    return math.floor(total)


def _fraction_bound(lp: Relaxation, y: np.ndarray) -> float:
    """The Lagrangian bound summed in Fractions (any data)."""
    # Reduced costs c - A'y and the row terms, exactly (Fractions of dyadic rationals and integers).
    yf = [Fraction(v) for v in y.tolist()]
    reduced = [Fraction(v) for v in lp.c.tolist()]
    for i, j, a in zip(lp.row_of.tolist(), lp.col_of.tolist(), lp.coef.tolist(), strict=True):
        if yf[i]:
            reduced[j] -= yf[i] * Fraction(a)
    total = Fraction(lp.constant)
    for j, r in enumerate(reduced):
        if r > 0:
            if math.isinf(lp.ub[j]):
                return math.inf
            total += r * Fraction(lp.ub[j])
        elif r < 0:
            if math.isinf(lp.lb[j]):
                return math.inf
            total += r * Fraction(lp.lb[j])
    for i, v in enumerate(yf):
        if v > 0:
            total += v * Fraction(lp.hi[i])
        elif v < 0:
            total += v * Fraction(lp.lo[i])
    return math.floor(total) if total.denominator != 1 else int(total)


def _solver(lp: Relaxation, solver_name: str) -> tuple[pywraplp.Solver, list]:
    """The relaxation as a linear_solver model (maximised), with its rows in the relaxation's order."""
    solver = pywraplp.Solver.CreateSolver(solver_name)
    if solver is None:  # pragma: no cover  (both ship with OR-Tools)
        raise RuntimeError(f"no {solver_name} solver")
    xs = [solver.NumVar(float(lo), float(hi), "") for lo, hi in zip(lp.lb, lp.ub, strict=True)]
    infinity = solver.infinity()
    rows = [
        solver.Constraint(-infinity if math.isinf(lo) else float(lo), infinity if math.isinf(hi) else float(hi))
        for lo, hi in zip(lp.lo, lp.hi, strict=True)
    ]
    for i, j, a in zip(lp.row_of.tolist(), lp.col_of.tolist(), lp.coef.tolist(), strict=True):
        rows[i].SetCoefficient(xs[j], rows[i].GetCoefficient(xs[j]) + a)
    objective = solver.Objective()
    for j, value in enumerate(lp.c.tolist()):
        if value:
            objective.SetCoefficient(xs[j], value)
    objective.SetMaximization()
    return solver, rows


def _best(lp: Relaxation, duals: np.ndarray) -> float | None:
    """The smaller valid bound from the duals under either sign convention, or None."""
    best = min(lagrangian_bound(lp, duals), lagrangian_bound(lp, -duals))
    return None if math.isinf(best) else float(best)


def lp_bound(model: cp_model.CpModel, time_limit: float = 60.0, solver_name: str = "GLOP") -> float | None:
    """A proven upper bound on a maximisation model from its LP relaxation (GLOP or PDLP), or None.

    PDLP runs through its own API, so that when the time limit stops it before the tolerance its
    current duals still give a bound (weaker, never wrong: any multipliers do)."""
    lp = relaxation(model)
    if lp is None:
        return None
    if solver_name == "PDLP":
        return _pdlp_bound(lp, time_limit)
    solver, rows = _solver(lp, solver_name)
    solver.SetTimeLimit(int(max(0.1, time_limit) * 1000))
    status = solver.Solve()
    if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return None  # no duals to read
    return _best(lp, np.array([row.dual_value() for row in rows]))


def _mp_model(lp: Relaxation) -> linear_solver_pb2.MPModelProto:
    """The relaxation as a linear_solver proto (maximised), rows in order, repeated entries of a row merged."""
    proto = linear_solver_pb2.MPModelProto(maximize=True, objective_offset=lp.constant)
    for lo, hi, c in zip(lp.lb.tolist(), lp.ub.tolist(), lp.c.tolist(), strict=True):
        proto.variable.add(lower_bound=lo, upper_bound=hi, objective_coefficient=c)
    key = lp.row_of * len(lp.c) + lp.col_of
    keys, where = np.unique(key, return_inverse=True)
    coef = np.zeros(len(keys))
    np.add.at(coef, where, lp.coef)
    row, col = keys // len(lp.c), keys % len(lp.c)
    ends = np.searchsorted(row, np.arange(len(lp.lo) + 1))
    col_l, coef_l, ends_l = col.tolist(), coef.tolist(), ends.tolist()
    for i, (lo, hi) in enumerate(zip(lp.lo.tolist(), lp.hi.tolist(), strict=True)):
        a, b = ends_l[i], ends_l[i + 1]
        proto.constraint.add(lower_bound=lo, upper_bound=hi, var_index=col_l[a:b], coefficient=coef_l[a:b])
    return proto


def _pdlp_bound(lp: Relaxation, time_limit: float) -> float | None:
    """PDLP (one thread) on the relaxation, all within about time_limit seconds; the bound from its last duals."""
    began = time.monotonic()
    qp = pdlp.qp_from_mpmodel_proto(_mp_model(lp), relax_integer_variables=True)
    params = solvers_pb2.PrimalDualHybridGradientParams()
    text_format.Parse(PDLP_PARAMETERS, params)
    params.termination_criteria.time_sec_limit = max(0.1, time_limit - (time.monotonic() - began))
    result = pdlp.primal_dual_hybrid_gradient(qp, params)
    duals = np.asarray(result.dual_solution, dtype=float)
    if duals.shape != lp.lo.shape:
        return None
    return _best(lp, duals)


CHILD_MARGIN = 1.0  # seconds the child keeps back after PDLP for the exact bound and its exit


def lp_bound_in_process(
    model: cp_model.CpModel, seconds: float
) -> tuple[subprocess.Popen | None, Callable[[], float | None]]:
    """Start proving the PDLP bound of a model in a child process that returns within `seconds`.

    PDLP holds Python's global lock while it runs, which would stall the search's own Python (its
    callbacks and window builds) for as long; in a child process it only takes a core. The child
    gets the serialised model and relaxes it itself. Returns the process (to kill it early; None
    when the model cannot be serialised) and a function that waits for it and gives the bound, or None."""
    began = time.monotonic()
    try:
        data = model_bytes(model)
    except OSError:
        return None, lambda: None
    left = seconds - (time.monotonic() - began)
    # This file run as a script: it imports numpy and OR-Tools only, not the solver package (a second saved).
    process = subprocess.Popen(  # noqa: S603  (our own interpreter and module)
        [sys.executable, str(Path(__file__).resolve()), repr(float(left))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )

    def result() -> float | None:
        """Wait for the child (at most the time it was given, plus a little) and read its bound."""
        try:
            out, _ = process.communicate(data, timeout=max(0.0, left) + 5)
        except (subprocess.TimeoutExpired, OSError, ValueError):
            process.kill()
            return None
        if process.returncode != 0:
            return None
        text = out.decode().strip()
        return None if text in ("", "None") else float(text)

    return process, result


def _child() -> None:
    """The child process of `lp_bound_in_process`: a serialised CpModelProto on stdin, the bound (or None) on stdout."""
    began = time.monotonic()
    seconds = float(sys.argv[1])
    lp = relaxation(sys.stdin.buffer.read())
    bound = None
    left = seconds - (time.monotonic() - began) - CHILD_MARGIN
    if lp is not None and left > 0.2:
        bound = _pdlp_bound(lp, left)
    sys.stdout.write(f"{bound!r}\n")


if __name__ == "__main__":
    _child()
