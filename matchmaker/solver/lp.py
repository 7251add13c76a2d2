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
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from ortools.linear_solver import pywraplp
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


def relaxation(model: cp_model.CpModel) -> Relaxation | None:
    """The LP relaxation of a maximisation model, or None for anything else."""
    proto = model.proto
    obj = proto.objective
    scale = obj.scaling_factor or 1.0
    if scale >= 0:
        return None  # CP-SAT keeps a maximisation as the minimisation of its negation (scale < 0)
    n = len(proto.variables)
    # (The proto's repeated fields do not take negative indices.)
    lb = np.array([float(v.domain[0]) for v in proto.variables])
    ub = np.array([float(v.domain[len(v.domain) - 1]) for v in proto.variables])
    lo_l, hi_l, rows, cols, coefs = [], [], [], [], []

    def add_row(lo: float, hi: float, refs: list[int], coeffs: list[int]) -> None:
        """lo <= sum(coeff * literal) <= hi, a negated ref meaning 1 - x."""
        shift = sum(coef for ref, coef in zip(refs, coeffs, strict=True) if ref < 0)
        i = len(lo_l)
        lo_l.append(-math.inf if lo <= -BIG else lo - shift)
        hi_l.append(math.inf if hi >= BIG else hi - shift)
        for ref, coef in zip(refs, coeffs, strict=True):
            rows.append(i)
            cols.append(ref if ref >= 0 else -ref - 1)
            coefs.append(coef if ref >= 0 else -coef)

    for con in proto.constraints:
        if len(con.enforcement_literal):
            continue
        if con.has_linear():
            domain = con.linear.domain
            add_row(domain[0], domain[len(domain) - 1], list(con.linear.vars), list(con.linear.coeffs))
        elif con.has_at_most_one():
            lits = list(con.at_most_one.literals)
            add_row(-BIG, 1, lits, [1] * len(lits))
        elif con.has_exactly_one():
            lits = list(con.exactly_one.literals)
            add_row(1, 1, lits, [1] * len(lits))
        elif con.has_bool_or():
            lits = list(con.bool_or.literals)
            add_row(1, BIG, lits, [1] * len(lits))
    c = np.zeros(n)
    np.add.at(c, np.array(list(obj.vars), dtype=np.int64), scale * np.array(list(obj.coeffs), dtype=float))
    return Relaxation(
        np.array(lo_l),
        np.array(hi_l),
        np.array(rows, dtype=np.int64),
        np.array(cols, dtype=np.int64),
        np.array(coefs, dtype=float),
        lb,
        ub,
        c,
        scale * obj.offset,
    )


def lagrangian_bound(lp: Relaxation, y: np.ndarray) -> float:
    """A proven upper bound on the relaxation (so on the model) from multipliers y, one per row (see above)."""
    y = np.round(np.asarray(y, dtype=float) * 2**20) / 2**20  # a grid, so the exact sum below stays small
    y = np.where((y > 0) & np.isinf(lp.hi), 0.0, y)
    y = np.where((y < 0) & np.isinf(lp.lo), 0.0, y)
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


def lp_bound(model: cp_model.CpModel, time_limit: float = 60.0, solver_name: str = "GLOP") -> float | None:
    """A proven upper bound on a maximisation model from its LP relaxation (GLOP or PDLP), or None."""
    lp = relaxation(model)
    if lp is None:
        return None
    solver = pywraplp.Solver.CreateSolver(solver_name)
    if solver is None:  # pragma: no cover  (both ship with OR-Tools)
        return None
    solver.SetTimeLimit(int(max(0.1, time_limit) * 1000))
    if solver_name == "PDLP":
        # A loose tolerance is enough: the bound is re-derived exactly from the duals, only a little weaker.
        solver.SetSolverSpecificParametersAsString(PDLP_PARAMETERS)
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
    status = solver.Solve()
    if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return None  # no duals to read
    duals = np.array([row.dual_value() for row in rows])
    bounds = [lagrangian_bound(lp, duals), lagrangian_bound(lp, -duals)]
    best = min(bounds)
    return None if math.isinf(best) else float(best)
