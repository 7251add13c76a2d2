"""The matching feature's front door: what the command line, the job queue and other features may call.

Problem building (problem.py), runs (runs.py), drafts (drafts.py), publishing (publish.py) and
refills (refill.py) stay behind it; the feature's own pages use those modules directly.
"""

from matchmaker.matching.drafts import latest_draft, published_draft
from matchmaker.matching.problem import build_problem, problem_for
from matchmaker.matching.publish import PublishError, publish, publish_error_lines
from matchmaker.matching.runs import (
    RunError,
    execute_run,
    fail_run,
    has_published,
    latest_locked,
    matchable_rounds,
    request_cancel,
    start_run,
    sweep_stale,
)

__all__ = [
    "PublishError",
    "RunError",
    "build_problem",
    "execute_run",
    "fail_run",
    "has_published",
    "latest_draft",
    "latest_locked",
    "matchable_rounds",
    "problem_for",
    "publish",
    "publish_error_lines",
    "published_draft",
    "request_cancel",
    "start_run",
    "sweep_stale",
]
