"""Benchmark: solve bench/problems (and generated problems) one per subprocess, print a table, draw charts.

    python -m matchmaker.solver bench [--dir bench/problems] [--problems S,M,L,XL,S-history,M-history,L-history]
                                      [--generated S,M] [--time-limit SECONDS] [--workers 2] [--deterministic]
                                      [--out bench/out]

Each problem runs in its own subprocess so that peak memory (ru_maxrss) is per problem.
Every plan is checked with `check_plan` and `check_bookkeeping`; an invalid one is reported loudly.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIMITS = {"S": 10.0, "M": 30.0, "L": 30.0, "XL": 120.0}  # by size; "M-history" is an M problem


def limit_for(name: str) -> float:
    """The default time limit of a problem from its name (gen-M, M-history, ...)."""
    return LIMITS.get(name.removeprefix("gen-").split("-")[0], 30.0)


def best_known(directory: Path) -> dict[str, int]:
    """Best-known scores from the table in the problems folder's README (file name -> score)."""
    out = {}
    readme = directory / "README.md"
    if readme.exists():
        for line in readme.read_text(encoding="utf-8").splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) >= 7 and cells[0].endswith(".json") and re.fullmatch(r"[\d,]+", cells[6]):
                out[cells[0][:-5]] = int(cells[6].replace(",", ""))
    return out


def run_one(path: str, time_limit: float, workers: int, seed: int, deterministic: bool = False) -> dict:
    """Solve one problem in this process and return the figures (called in the child)."""
    from .check import check_bookkeeping, check_plan
    from .greedy import greedy_plan
    from .index import build_index
    from .problem import load_problem
    from .solve import solve

    t0 = time.monotonic()
    problem = load_problem(path)
    index = build_index(problem)
    pairs = sum(len(ids) for k in index.types for ids in index.eligible[k].values())
    g0 = time.monotonic()
    greedy = greedy_plan(problem)
    greedy_s = time.monotonic() - g0
    trace: list[tuple[float, int, int]] = []
    s0 = time.monotonic()
    plan = solve(problem, time_limit=time_limit, workers=workers, seed=seed, deterministic=deterministic,
                 on_progress=lambda p: trace.append((p.seconds, p.score, p.bound)))
    wall = time.monotonic() - s0
    invalid = [str(v) for v in check_plan(problem, plan) + check_bookkeeping(problem, plan)]
    return {
        "participants": len(problem.participants), "variables": pairs + len(index.types),
        "first_plan_s": trace[0][0] if trace else None, "score": plan.score, "bound": plan.bound,
        "status": plan.status, "seconds": plan.solve_seconds, "greedy": greedy.score, "greedy_s": greedy_s,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "invalid": invalid,
        # the LP bound's child process (lp.py), when one ran and was waited for: its own peak
        "child_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "trace": trace, "load_s": g0 - t0, "wall_s": wall,
    }


def svg_chart(name: str, trace: list, best: int | None, path: Path) -> None:
    """Score and bound over time as a hand-written SVG line chart."""
    w, h, pad = 640, 360, 60
    if not trace:
        return
    ts = [t for t, _s, _b in trace]
    vals = [v for _t, s, b in trace for v in (s, b)] + ([best] if best else [])
    t_max = max(ts) * 1.05 or 1
    lo, hi = min(vals), max(vals)
    lo, hi = lo - 0.02 * (hi - lo + 1), hi + 0.02 * (hi - lo + 1)
    x = lambda t: pad + (w - 2 * pad) * t / t_max  # noqa: E731
    y = lambda v: h - pad - (h - 2 * pad) * (v - lo) / (hi - lo)  # noqa: E731

    def steps(idx: int) -> str:
        """Polyline points of a step chart for column idx of the trace."""
        pts = []
        for i, row in enumerate(trace):
            if i:
                pts.append(f"{x(row[0]):.1f},{y(trace[i - 1][idx]):.1f}")
            pts.append(f"{x(row[0]):.1f},{y(row[idx]):.1f}")
        pts.append(f"{x(t_max):.1f},{y(trace[-1][idx]):.1f}")
        return " ".join(pts)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" '
             f'font-size="12"><rect width="100%" height="100%" fill="white"/>',
             f'<text x="{w / 2}" y="20" text-anchor="middle" font-size="14">{name}: score and proven bound</text>',
             f'<line x1="{pad}" y1="{h - pad}" x2="{w - pad}" y2="{h - pad}" stroke="black"/>',
             f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{h - pad}" stroke="black"/>',
             f'<text x="{w / 2}" y="{h - 20}" text-anchor="middle">seconds (0 to {t_max:.1f})</text>']
    for v in (lo, (lo + hi) / 2, hi):
        parts.append(f'<text x="{pad - 5}" y="{y(v) + 4:.1f}" text-anchor="end">{v:,.0f}</text>')
    parts.append(f'<polyline fill="none" stroke="#d4351c" stroke-width="2" points="{steps(2)}"/>')
    parts.append(f'<polyline fill="none" stroke="#1d70b8" stroke-width="2" points="{steps(1)}"/>')
    if best:
        parts.append(f'<line x1="{pad}" y1="{y(best):.1f}" x2="{w - pad}" y2="{y(best):.1f}" stroke="#505a5f" '
                     'stroke-dasharray="4 4"/>')
        parts.append(f'<text x="{w - pad}" y="{y(best) - 4:.1f}" text-anchor="end" fill="#505a5f">best known</text>')
    parts.append(f'<text x="{w - pad}" y="{pad - 10}" text-anchor="end"><tspan fill="#1d70b8">score</tspan> '
                 '<tspan fill="#d4351c">bound</tspan></text></svg>')
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table; exit 1 if any plan was invalid."""
    ap = argparse.ArgumentParser(prog="python -m matchmaker.solver bench")
    ap.add_argument("--dir", default=str(ROOT / "bench" / "problems"))
    ap.add_argument("--problems", default="S,M,L,XL,S-history,M-history,L-history")
    ap.add_argument("--generated", default="", help="generated sizes to add, e.g. S,M")
    ap.add_argument("--time-limit", type=float, help="seconds per problem (default S 10, M 30, L 30, XL 120)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--deterministic", action="store_true", help="one worker on CP-SAT's deterministic clock")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(ROOT / "bench" / "out"))
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, args.time_limit, args.workers, args.seed, args.deterministic)))
        return 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    directory = Path(args.dir)
    known = best_known(directory)
    jobs = [(n, directory / f"{n}.json") for n in args.problems.split(",") if n]
    for size in filter(None, args.generated.split(",")):
        from .generate import generate_problem

        path = out / f"gen-{size}-{args.seed}.json"
        path.write_text(json.dumps(generate_problem(size, args.seed)), encoding="utf-8")
        jobs.append((f"gen-{size}", path))
    head = (f"{'problem':<11}{'people':>7}{'vars':>9}{'first s':>8}{'score':>9}{'bound':>9}{'gap %':>7}"
            f"{'greedy':>9}{'vs best':>8}{'peak MB':>8}{'LP MB':>7}{'wall s':>8}  status")
    print(head)
    print("-" * len(head))
    failed = False
    for name, path in jobs:
        limit = args.time_limit or limit_for(name)
        cmd = [sys.executable, "-m", "matchmaker.solver", "bench", "--one", str(path), "--time-limit", str(limit),
               "--workers", str(args.workers), "--seed", str(args.seed)] + (
                   ["--deterministic"] if args.deterministic else [])
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            print(f"{name:<11} FAILED: {proc.stderr.strip().splitlines()[-1:]}")
            failed = True
            continue
        r = json.loads(proc.stdout)
        gap = 100 * (r["bound"] - r["score"]) / max(1, abs(r["bound"]))
        best = known.get(name)
        ratio = f"{r['score'] / best:.3f}" if best else "-"
        print(f"{name:<11}{r['participants']:>7}{r['variables']:>9}{r['first_plan_s']:>8.2f}{r['score']:>9}"
              f"{r['bound']:>9}{gap:>7.2f}{r['greedy']:>9}{ratio:>8}{r['peak_mb']:>8.0f}"
              f"{r.get('child_mb', 0):>7.0f}{r['wall_s']:>8.1f}"
              f"  {r['status']}")
        if r["invalid"]:
            failed = True
            print(f"!!! INVALID PLAN for {name}: " + "; ".join(r["invalid"][:5]))
        svg_chart(name, r["trace"], best, out / f"{name}.svg")
        (out / f"{name}.json").write_text(json.dumps(r, indent=1), encoding="utf-8")
    print(f"charts and raw figures in {out}")
    return 1 if failed else 0
