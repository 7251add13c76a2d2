"""Checking a plan against the hard rules H1-H11 and the plan's own bookkeeping."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from .plan import Plan
from .problem import RULE_KEYS, Problem
from .score import score_plan


@dataclass(frozen=True)
class Violation:
    rule: str  # "H1".."H11", or "plan" for bookkeeping (unassigned lists, score field)
    message: str

    def __str__(self) -> str:
        """The line printed by the check command."""
        return f"{self.rule}: {self.message}"


def check_plan(problem: Problem, plan: Plan) -> list[Violation]:
    """Every hard-rule violation in the plan, one per broken rule instance."""
    out: list[Violation] = []
    pb = problem
    sessions = []
    for s in plan.sessions:
        unknown = [x for x in (s.slot,) if x not in pb.slot_by_id] + [
            x for x in s.participants if x not in pb.person]
        if s.condition not in pb.condition_by_id:
            unknown.append(s.condition)
        if unknown:
            out.append(Violation("plan", f'session "{s.id}" refers to unknown id(s) {", ".join(unknown)}'))
            continue
        sessions.append(s)
    ids = Counter(s.id for s in plan.sessions)
    for sid, n in ids.items():
        if n > 1:
            out.append(Violation("plan", f'session id "{sid}" is used by {n} sessions'))
    for s in sessions:
        fixed = pb.fixed_by_id.get(s.id)
        exempt = set(fixed.participants) if fixed else set()
        for pid in s.participants:
            if pid in exempt:
                continue
            p = pb.person[pid]
            if s.slot not in p.available:
                out.append(Violation("H1", f'{pid} is in session "{s.id}" at {s.slot}, not one of their slots'))
            if s.condition not in p.conditions:
                out.append(Violation("H2", f'{pid} is in session "{s.id}" on {s.condition}, '
                                           "not one of their conditions"))
            if s.language not in p.languages:
                out.append(Violation("H3", f'{pid} is in session "{s.id}" held in {s.language}, '
                                           "not one of their languages"))
        for pid in s.participants:
            if (pid, s.slot) in pb.excluded_slots:
                out.append(Violation("H11", f'{pid} is in session "{s.id}" at {s.slot}, a slot they are excluded from'))
            elif (pid, s.id) in pb.excluded_sessions:
                out.append(Violation("H11", f'{pid} is in session "{s.id}", which they are excluded from'))
        for role, (lo, hi) in pb.rules.counts.items():
            n = sum(1 for pid in s.participants if pb.person[pid].role == role)
            if n > hi or (n < lo and not fixed):
                out.append(Violation("H6", f'session "{s.id}" has {n} {RULE_KEYS[role]}, outside [{lo}, {hi}]'))
        if pb.rules.one_per_organisation:
            orgs = Counter(pb.person[pid].organisation for pid in s.participants
                           if pb.person[pid].role == "creative" and pb.person[pid].organisation is not None)
            for org, n in sorted(orgs.items()):
                if n > 1:
                    out.append(Violation("H8", f'session "{s.id}" has {n} creatives of organisation "{org}"'))
    by_person: dict[str, list] = defaultdict(list)
    for s in sessions:
        for pid in s.participants:
            by_person[pid].append(s)
    for pid, ss in by_person.items():
        for i, a in enumerate(ss):
            for b in ss[i + 1:]:
                if pb.slot_by_id[a.slot].overlaps(pb.slot_by_id[b.slot]):
                    out.append(Violation("H4", f'{pid} is in sessions "{a.id}" ({a.slot}) and "{b.id}" ({b.slot}) '
                                               "which overlap in time"))
        if len(ss) > pb.person[pid].max_sessions:
            out.append(Violation("H5", f"{pid} is in {len(ss)} sessions, more than max_sessions "
                                       f"{pb.person[pid].max_sessions}"))
    for q in pb.points():
        running = [s.id for s in sessions if pb.slot_by_id[s.slot].start <= q < pb.slot_by_id[s.slot].end]
        if len(running) > pb.rules.max_parallel_sessions:
            out.append(Violation("H7", f"{len(running)} sessions run at {q.isoformat()}, more than "
                                       f"{pb.rules.max_parallel_sessions}: {', '.join(running)}"))
    present = {s.id: s for s in sessions}
    for f in pb.fixed_sessions:
        s = present.get(f.id)
        if s is None:
            out.append(Violation("H9", f'fixed session "{f.id}" is missing'))
            continue
        changed = [k for k in ("condition", "slot", "language", "booking") if getattr(s, k) != getattr(f, k)]
        if changed:
            out.append(Violation("H9", f'fixed session "{f.id}" changed its {", ".join(changed)}'))
        missing = [pid for pid in f.participants if pid not in s.participants]
        if missing:
            out.append(Violation("H9", f'fixed session "{f.id}" lost {", ".join(missing)}'))
    named: dict[str, list[str]] = defaultdict(list)
    for s in sessions:
        if s.booking is None:
            continue
        b = pb.booking_by_id.get(s.booking)
        if b is None:
            out.append(Violation("H10", f'session "{s.id}" names unknown booking "{s.booking}"'))
            continue
        named[b.id].append(s.id)
        if b.commissioner not in s.participants:
            out.append(Violation("H10", f'session "{s.id}" serves booking "{b.id}" without its commissioner '
                                        f"{b.commissioner}"))
        if s.condition != b.condition:
            out.append(Violation("H10", f'session "{s.id}" is on {s.condition} but booking "{b.id}" asks for '
                                        f"{b.condition}"))
        if s.slot not in b.slots:
            out.append(Violation("H10", f'session "{s.id}" is at {s.slot}, not one of booking "{b.id}"\'s slots'))
        if b.language is not None and s.language != b.language:
            out.append(Violation("H10", f'session "{s.id}" is in {s.language} but booking "{b.id}" asks for '
                                        f"{b.language}"))
    for bid, sids in named.items():
        if len(sids) > 1:
            out.append(Violation("H10", f'booking "{bid}" is named by {len(sids)} sessions: {", ".join(sids)}'))
    return out


def check_bookkeeping(problem: Problem, plan: Plan) -> list[Violation]:
    """Consistency of the plan's own lists and score with its sessions (code "plan")."""
    out: list[Violation] = []
    seated = {pid for s in plan.sessions for pid in s.participants}
    listed = Counter(u.participant for u in plan.unassigned)
    for p in problem.participants:
        if p.id not in seated and p.id not in listed:
            out.append(Violation("plan", f"{p.id} is in no session but not listed in unassigned"))
    for pid, n in listed.items():
        if pid in seated:
            out.append(Violation("plan", f"{pid} is listed in unassigned but is in a session"))
        elif n > 1:
            out.append(Violation("plan", f"{pid} is listed {n} times in unassigned"))
    served = {s.booking for s in plan.sessions if s.booking}
    unserved = Counter(u.booking for u in plan.unserved_bookings)
    for b in problem.bookings:
        if b.id not in served and b.id not in unserved:
            out.append(Violation("plan", f'booking "{b.id}" is not served but not listed in unserved_bookings'))
    for bid in unserved:
        if bid in served:
            out.append(Violation("plan", f'booking "{bid}" is listed in unserved_bookings but is served'))
    expected_short = sorted(short_sessions(problem, plan))
    if sorted(plan.short_sessions) != expected_short:
        out.append(Violation("plan", f"short_sessions is {sorted(plan.short_sessions)}, expected {expected_short}"))
    actual = score_plan(problem, plan)
    if plan.score != actual:
        out.append(Violation("plan", f"score field is {plan.score} but the plan scores {actual}"))
    if plan.bound < plan.score:
        out.append(Violation("plan", f"bound {plan.bound} is below the score {plan.score}"))
    if plan.status == "optimal" and plan.bound != plan.score:
        out.append(Violation("plan", f"status is optimal but bound {plan.bound} differs from score {plan.score}"))
    return out


def short_sessions(problem: Problem, plan: Plan) -> list[str]:
    """Ids of fixed sessions in the plan below some role minimum."""
    out = []
    for s in plan.sessions:
        if s.id in problem.fixed_by_id:
            for role, (lo, _hi) in problem.rules.counts.items():
                if sum(1 for pid in s.participants if pid in problem.person and problem.person[pid].role == role) < lo:
                    out.append(s.id)
                    break
    return out
