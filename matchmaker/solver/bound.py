"""A counting upper bound on the score that needs no search (valid for every plan).

Every session needs at least `min` people of each role, so the number of sessions is at
most the parallel-limit packing of the slots and at most each role's total capacity
divided by its minimum. Each participant's sessions are worth at most their best strength
plus every wants-to-meet, region and Welsh-medium bonus they could collect (a creative's
first place also its served and missed-rounds bonus; repeat and no-show penalties are left
out, which only raises the bound), and the session cost is at
least 5 per `max creatives` creative places. Taking the most valuable places up to those
totals (a fractional knapsack with unit sizes) bounds the score from above.
"""

from __future__ import annotations

import math

from .index import Index
from .problem import WELSH


def _independent(index: Index, slots: list[str]) -> int:
    """Most pairwise non-overlapping slots among the given ones (earliest end first)."""
    pb = index.problem
    count, last_end = 0, None
    for s in sorted((pb.slot_by_id[t] for t in slots), key=lambda s: s.end):
        if last_end is None or s.start >= last_end:
            count, last_end = count + 1, s.end
    return count


def max_sessions_total(index: Index, slots: set[str]) -> int:
    """Most sessions that fit the parallel limit using only the given slots (greedy by end, exact on intervals)."""
    pb = index.problem
    lim = pb.rules.max_parallel_sessions
    running = [0] * index.n_points
    total = 0
    for s in sorted((pb.slot_by_id[t] for t in slots), key=lambda s: (s.end, s.start)):
        k = min((lim - running[i] for i in index.cover[s.id]), default=0)
        for i in index.cover[s.id]:
            running[i] += k
        total += k
    return total


def counting_bound(index: Index) -> int:
    """A proven upper bound on the score of any valid plan."""
    pb = index.problem
    w = pb.weights
    fixed_slots = {f.slot for f in pb.fixed_sessions}
    usable = {k[1] for k in index.types} | fixed_slots
    sessions = max_sessions_total(index, usable)
    role_slots: dict[str, dict[str, list[str]]] = {r: {} for r in pb.rules.counts}
    for k in index.types:
        for role, ids in index.eligible[k].items():
            for pid in ids:
                role_slots[role].setdefault(pid, []).append(k[1])
    for f in pb.fixed_sessions:
        for pid in f.participants:
            role_slots[pb.person[pid].role].setdefault(pid, []).append(f.slot)
    units: dict[str, dict[str, int]] = {}
    for role, per in role_slots.items():
        units[role] = {pid: min(pb.person[pid].max_sessions, _independent(index, sorted(set(ts))))
                       for pid, ts in per.items()}
        lo = pb.rules.counts[role][0]
        if lo > 0:
            sessions = min(sessions, sum(units[role].values()) // lo)
    region_ok = {b.region for b in pb.bookings if b.region is not None}
    total = 0.0
    for role, (_lo, hi) in pb.rules.counts.items():
        values: list[float] = []
        share = w["session"] / hi if role == "creative" and hi > 0 else 0.0
        for pid, u in units[role].items():
            p = pb.person[pid]
            per = (w["strength"] if role == "creative" else w["staff_strength"]) * max(p.conditions.values(), default=0)
            per += w["wants"] * len(p.wants_to_meet) - share
            if WELSH in p.languages:
                per += w["welsh"]
            if role == "creative" and p.region in region_ok:
                per += w["region"]
            for j in range(u):
                values.append(per + (pb.served_value(p) if role == "creative" and j == 0 else 0))
        values.sort(reverse=True)
        total += sum(v for v in values[: hi * sessions] if v > 0)
    servable = sum(1 for b in pb.bookings if any(
        k[0] == b.condition and k[1] in b.slots and (b.language is None or k[2] == b.language)
        and b.commissioner in index.eligible[k]["commissioner"] for k in index.types) or any(
        f.booking == b.id for f in pb.fixed_sessions))
    total += w["booking"] * min(servable, sessions)
    return math.floor(total + 1e-6)
