"""Precomputed eligibility: who could join a session of each (condition, slot, language) under H1-H3 and H11."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .problem import ROLES, Participant, Problem

SessionType = tuple[str, str, str]  # (condition, slot, language)


@dataclass
class Index:
    problem: Problem
    eligible: dict[SessionType, dict[str, list[str]]]  # type -> role -> participant ids (H1-H3 hold)
    types: list[SessionType]  # types whose eligible counts reach every role minimum
    overlapping: dict[str, set[str]]  # slot -> slots sharing an instant with it (itself included)
    cover: dict[str, list[int]]  # slot -> indices of the start instants it covers
    n_points: int
    slot_order: dict[str, int]

    def fits(self, p: Participant, c: str, t: str, lang: str, session_id: str | None = None) -> bool:
        """H1-H3 and H11 for p in a session of this type (and with this id, for a fixed session)."""
        return (c in p.conditions and t in p.available and lang in p.languages
                and not self.problem.excluded(p.id, t, session_id))


def build_index(problem: Problem) -> Index:
    """Eligibility lists per session type plus the time structure of the slots."""
    eligible: dict[SessionType, dict[str, list[str]]] = defaultdict(lambda: {r: [] for r in ROLES})
    for p in problem.participants:
        if p.max_sessions <= 0:
            continue
        for c in sorted(p.conditions):
            for t in p.available:
                if (p.id, t) in problem.excluded_slots:  # H11
                    continue
                for lang in p.languages:
                    eligible[(c, t, lang)][p.role].append(p.id)
    slot_order = {s.id: i for i, s in enumerate(sorted(problem.slots, key=lambda s: (s.start, s.end, s.id)))}
    types = sorted(
        (k for k, by_role in eligible.items()
         if all(len(by_role[r]) >= lo for r, (lo, _hi) in problem.rules.counts.items())
         and any(by_role[r] and hi > 0 for r, (_lo, hi) in problem.rules.counts.items())),
        key=lambda k: (slot_order[k[1]], k[0], k[2]))
    points = problem.points()
    cover = {s.id: [i for i, q in enumerate(points) if s.start <= q < s.end] for s in problem.slots}
    overlapping = {s.id: {o.id for o in problem.slots if s.overlaps(o)} for s in problem.slots}
    return Index(problem, dict(eligible), types, overlapping, cover, len(points), slot_order)
