"""The LP relaxation of a CP-SAT model, solved with GLOP: an independent, provably valid upper bound.

Every variable keeps its bounds but may take fractional values, every linear constraint,
`at_most_one` and `exactly_one` is kept, and constraints with enforcement literals (only the
pair cuts use them) are dropped. Dropping constraints and relaxing integrality only enlarge
the feasible set, so for a maximisation the LP optimum is at least the model's optimum, and
the model's optimum is at least the score of every plan (see model.py). GLOP returns a dual
feasible objective only at optimality, so a bound is reported only when GLOP proves the LP
optimal.
"""

from __future__ import annotations

import math

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model


def lp_bound(model: cp_model.CpModel, time_limit: float = 60.0) -> float | None:
    """Optimum of the LP relaxation of a maximisation model, or None if GLOP did not prove it in time."""
    proto = model.proto
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:  # pragma: no cover  (GLOP ships with OR-Tools)
        return None
    solver.SetTimeLimit(int(max(0.1, time_limit) * 1000))
    infinity = solver.infinity()
    # (the proto's repeated fields do not take negative indices)
    xs = [solver.NumVar(float(v.domain[0]), float(v.domain[len(v.domain) - 1]), "") for v in proto.variables]
    big = 2**62

    def add_row(lo: float, hi: float, refs: list[int], coeffs: list[int]) -> None:
        """lo <= sum(coeff * ref) <= hi, a negated literal ref being 1 - x."""
        shift = sum(coef for ref, coef in zip(refs, coeffs, strict=True) if ref < 0)
        row = solver.Constraint(-infinity if lo <= -big else lo - shift, infinity if hi >= big else hi - shift)
        for ref, coef in zip(refs, coeffs, strict=True):
            var = xs[ref] if ref >= 0 else xs[-ref - 1]
            row.SetCoefficient(var, row.GetCoefficient(var) + (coef if ref >= 0 else -coef))

    for c in proto.constraints:
        if len(c.enforcement_literal):
            continue  # dropping a constraint only relaxes the model
        if c.has_linear():
            domain = c.linear.domain
            add_row(domain[0], domain[len(domain) - 1], list(c.linear.vars), list(c.linear.coeffs))
        elif c.has_at_most_one():
            lits = list(c.at_most_one.literals)
            add_row(-big, 1, lits, [1] * len(lits))
        elif c.has_exactly_one():
            lits = list(c.exactly_one.literals)
            add_row(1, 1, lits, [1] * len(lits))
        elif c.has_bool_or():
            lits = list(c.bool_or.literals)
            add_row(1, big, lits, [1] * len(lits))
        # any other constraint kind is dropped, which only relaxes the model
    obj = proto.objective
    if obj.scaling_factor >= 0 and len(obj.vars):
        return None  # CP-SAT stores a maximisation with a negative scaling factor; only those are bounded here
    scale = obj.scaling_factor or -1.0
    objective = solver.Objective()
    for ref, coef in zip(obj.vars, obj.coeffs, strict=True):
        objective.SetCoefficient(xs[ref], -coef)  # maximise -(sum) = the model's objective / -scale
    objective.SetMaximization()
    status = solver.Solve()
    if status != pywraplp.Solver.OPTIMAL:
        return None
    value = -scale * (objective.Value() - obj.offset)
    return value if math.isfinite(value) else None
