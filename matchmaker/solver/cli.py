"""Command line: solve, check, score, generate, bench (see the package docstring)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .check import check_bookkeeping, check_plan
from .plan import Plan, plan_from_dict, plan_to_dict
from .problem import Problem, ProblemError, load_problem, parse_json
from .score import score_plan
from .solve import Progress, solve


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:
        """Exit 2 with a single line, as for bad input."""
        self.exit(2, f"{self.prog}: {message}\n")


def _parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    ap = _Parser(prog="python -m matchmaker.solver", description="Cyswllt matchmaker solver")
    sub = ap.add_subparsers(dest="command", required=True, parser_class=_Parser)
    s = sub.add_parser("solve", help="solve a problem and write the plan")
    s.add_argument("problem")
    s.add_argument("-o", "--output")
    s.add_argument("--time-limit", type=float, default=30.0)
    s.add_argument("--workers", type=int, default=2)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--deterministic", action="store_true",
                   help="count the limit on CP-SAT's deterministic clock, one worker: same input, same plan")
    for name in ("check", "score"):
        c = sub.add_parser(name, help=f"{name} a plan against its problem")
        c.add_argument("problem")
        c.add_argument("plan")
    g = sub.add_parser("generate", help="write a synthetic problem")
    g.add_argument("--size", choices=["S", "M", "L", "XL"], required=True)
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--history", action="store_true", help="a contract 1.1 problem with history and exclusions")
    g.add_argument("-o", "--output")
    b = sub.add_parser("bench", help="run the benchmark (see bench/README.md)")
    b.add_argument("args", nargs=argparse.REMAINDER)
    return ap


def _load_plan(path: str, problem: Problem) -> Plan:
    """Read and validate a plan file against its problem."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProblemError([f"{path}: cannot read file ({exc.__class__.__name__})"]) from None
    return plan_from_dict(parse_json(text, path), problem)


def _write(text: str, output: str | None) -> None:
    """Write text to the output file, or to standard output when none is given."""
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["bench"]:
        from .bench import main as bench_main

        return bench_main(argv[1:])
    args = _parser().parse_args(argv)
    try:
        if args.command == "solve":
            if args.time_limit < 0 or args.workers < 1:
                raise ProblemError(["--time-limit must be >= 0 and --workers >= 1"])
            problem = load_problem(args.problem)

            def progress(p: Progress) -> None:
                """One progress line per improving plan on standard error."""
                print(f"objective {p.score} bound {p.bound} seconds {p.seconds:.2f}", file=sys.stderr, flush=True)

            plan = solve(problem, time_limit=args.time_limit, workers=args.workers, seed=args.seed,
                         on_progress=progress, deterministic=args.deterministic)
            _write(json.dumps(plan_to_dict(plan), indent=2) + "\n", args.output)
            print(f"{plan.status}: score {plan.score} bound {plan.bound} in {plan.solve_seconds:.1f}s, "
                  f"{len(plan.sessions)} sessions, {len(plan.unassigned)} unassigned", file=sys.stderr)
            return 0
        if args.command in ("check", "score"):
            problem = load_problem(args.problem)
            plan = _load_plan(args.plan, problem)
            if args.command == "score":
                print(score_plan(problem, plan))
                return 0
            violations = check_plan(problem, plan) + check_bookkeeping(problem, plan)
            for v in violations:
                print(v)
            return 1 if violations else 0
        if args.command == "generate":
            from .generate import generate_problem

            _write(json.dumps(generate_problem(args.size, args.seed, args.history), indent=1) + "\n", args.output)
            return 0
    except ProblemError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"cannot write output: {exc.strerror}", file=sys.stderr)
        return 2
    return 2
