"""A fast greedy plan: repeatedly open the most valuable session that can still be staffed, then top up.

Used as the benchmark baseline, as the CP-SAT hint and as the starting point of the
large-neighbourhood search. Session values only fall as people and places get used, so a
lazy priority queue (re-evaluate the top, accept it if it still beats the next) is exact
for this greedy rule and fast on thousands of types.
"""

from __future__ import annotations

import heapq
from collections import defaultdict

from .index import Index, SessionType, build_index
from .plan import Plan, Session
from .problem import Problem
from .score import repeats_in


class State:
    """Who is where in a plan under construction, for the checks the greedy needs."""

    def __init__(self, index: Index):
        self.index = index
        self.pb = index.problem
        self.slots_of: dict[str, list[str]] = defaultdict(list)
        self.blocked: dict[str, set[str]] = defaultdict(set)  # slots overlapping one of the person's sessions
        self.cap = {p.id: p.max_sessions for p in self.pb.participants}
        self.served: set[str] = set()
        self.running = [0] * index.n_points
        self.booked: set[str] = set()
        self.sessions: list[Session] = []
        self.by_type: dict[SessionType, list[Session]] = defaultdict(list)
        self.bookings_on: dict[str, list] = defaultdict(list)  # condition -> bookings
        for b in self.pb.bookings:
            self.bookings_on[b.condition].append(b)

    def add_session(self, s: Session) -> None:
        """Record a session and its members."""
        self.sessions.append(s)
        self.by_type[(s.condition, s.slot, s.language)].append(s)
        for i in self.index.cover[s.slot]:
            self.running[i] += 1
        for pid in s.participants:
            self.seat(pid, s)
        if s.booking:
            self.booked.add(s.booking)

    def seat(self, pid: str, s: Session) -> None:
        """Record pid as a member of s (the caller appends to s.participants when needed)."""
        self.slots_of[pid].append(s.slot)
        self.blocked[pid] |= self.index.overlapping[s.slot]
        self.served.add(pid)

    def free(self, pid: str, slot: str) -> bool:
        """pid has a session left under max_sessions and nothing overlapping slot."""
        used = self.slots_of.get(pid)
        return not used or (len(used) < self.cap[pid] and slot not in self.blocked[pid])

    def room(self, slot: str) -> bool:
        """Another session at slot stays within the parallel limit."""
        lim = self.pb.rules.max_parallel_sessions
        return all(self.running[i] < lim for i in self.index.cover[slot])

    def gain(self, pid: str, condition: str, language: str = "") -> int:
        """Score gained by adding pid to a session on condition in language (ignoring pairs and regions)."""
        p = self.pb.person[pid]
        value = self.pb.place_value(p, condition, language)
        if p.role == "creative" and pid not in self.served:
            value += self.pb.served_value(p)
        return value


def _pick_creatives(st: State, ids: list[str], cond: str, limit: int, taken_orgs: set[str], lang: str = ""
                    ) -> list[str]:
    """The most valuable creatives up to limit, one per organisation when the rules say so."""
    pb = st.pb
    chosen = []
    orgs = set(taken_orgs)
    for pid in sorted(ids, key=lambda q: (-st.gain(q, cond, lang), q)):
        if len(chosen) >= limit:
            break
        org = pb.person[pid].organisation
        if pb.rules.one_per_organisation and org is not None and org in orgs:
            continue
        chosen.append(pid)
        if org is not None:
            orgs.add(org)
    return chosen


def _evaluate(st: State, k: SessionType, pending: dict[str, int]) -> tuple[int, list[str], str | None] | None:
    """Best new session of type k now: (value, members, booking) or None when it cannot open."""
    cond, slot, lang = k
    pb = st.pb
    if not st.room(slot):
        return None
    el = st.index.eligible[k]
    (c_lo, c_hi), (m_lo, m_hi), (l_lo, _l_hi) = (pb.rules.counts[r]
                                                 for r in ("creative", "commissioner", "link_worker"))
    free_c = [q for q in el["creative"] if st.free(q, slot)]
    creatives = _pick_creatives(st, free_c, cond, c_hi, set(), lang)
    if len(creatives) < c_lo:
        return None
    booking = None
    coms: list[str] = []
    best_b = None
    if m_hi > 0:
        for b in st.bookings_on.get(cond, ()):
            if (b.id not in st.booked and slot in b.slots
                    and (b.language is None or b.language == lang)
                    and b.commissioner in el["commissioner"] and st.free(b.commissioner, slot)):
                regional = sum(1 for q in creatives if b.region is not None and pb.person[q].region == b.region)
                if best_b is None or regional > best_b[0]:
                    best_b = (regional, b)
    if best_b is not None:
        booking = best_b[1].id
        coms.append(best_b[1].commissioner)
    free_m = [q for q in el["commissioner"] if q not in coms and st.free(q, slot)]
    # Spare commissioners first: those whose remaining sessions exceed their unserved bookings.
    free_m.sort(key=lambda q: (-(pb.person[q].max_sessions - len(st.slots_of.get(q, ())) - pending.get(q, 0)),
                               -pb.person[q].conditions[cond], q))
    coms += free_m[: max(0, m_lo - len(coms))]
    free_l = [q for q in el["link_worker"] if st.free(q, slot)]
    free_l.sort(key=lambda q: (-(pb.person[q].max_sessions - len(st.slots_of.get(q, ()))),
                               -pb.person[q].conditions[cond], q))
    links = free_l[:l_lo]
    if len(coms) < m_lo or len(links) < l_lo:
        return None
    members = creatives + coms + links
    value = _session_value(st, cond, members, booking, lang)
    return value, members, booking


def _session_value(st: State, cond: str, members: list[str], booking: str | None, lang: str = "") -> int:
    """Score a new session with these members would add now."""
    pb, w = st.pb, st.pb.weights
    value = sum(st.gain(q, cond, lang) for q in members) - w["session"]
    if w["repeat"] and pb.repeat_pairs:
        value -= w["repeat"] * repeats_in(pb, members)
    mset = set(members)
    value += w["wants"] * sum(1 for q in members for r in pb.person[q].wants_to_meet if r in mset)
    if booking:
        b = pb.booking_by_id[booking]
        value += w["booking"] + w["region"] * sum(
            1 for q in members if pb.person[q].role == "creative" and b.region is not None
            and pb.person[q].region == b.region)
    return value


def new_session_id(taken: set[str]) -> str:
    """The next free id of the form S<n>."""
    n = len(taken) + 1
    while f"S{n}" in taken:
        n += 1
    return f"S{n}"


def top_up(st: State) -> None:
    """Name unserved bookings where a matching session allows, then add people with positive gain up to maxima."""
    pb = st.pb
    for b in pb.bookings:
        if b.id in st.booked:
            continue
        for s in st.sessions:
            if (s.booking is None and s.condition == b.condition and s.slot in b.slots
                    and (b.language is None or b.language == s.language) and s.id not in pb.fixed_by_id):
                if b.commissioner in s.participants:
                    s.booking = b.id
                elif (st.index.fits(pb.person[b.commissioner], s.condition, s.slot, s.language, s.id)
                      and st.free(b.commissioner, s.slot) and _count(st, s, "commissioner")
                      < pb.rules.counts["commissioner"][1]):
                    s.participants.append(b.commissioner)
                    st.seat(b.commissioner, s)
                    s.booking = b.id
                if s.booking == b.id:
                    st.booked.add(b.id)
                    break
    for role in ("creative", "link_worker", "commissioner"):
        hi = pb.rules.counts[role][1]
        for s in sorted(st.sessions, key=lambda s: (st.index.slot_order[s.slot], s.id)):
            el = st.index.eligible.get((s.condition, s.slot, s.language), {}).get(role, [])
            n = _count(st, s, role)
            if n >= hi:
                continue
            orgs = {pb.person[q].organisation for q in s.participants
                    if pb.person[q].role == "creative" and pb.person[q].organisation is not None}
            cands = [q for q in el if q not in s.participants and st.free(q, s.slot)
                     and not pb.excluded(q, s.slot, s.id) and st.gain(q, s.condition, s.language) > 0]
            if role == "creative":
                cands = _pick_creatives(st, cands, s.condition, hi - n, orgs, s.language)
            else:
                cands = sorted(cands, key=lambda q: (-st.gain(q, s.condition, s.language), q))[: hi - n]
            for q in cands:
                s.participants.append(q)
                st.seat(q, s)


def _count(st: State, s: Session, role: str) -> int:
    """Members of session s with the given role."""
    return sum(1 for q in s.participants if st.pb.person[q].role == role)


def greedy_sessions(problem: Problem, index: Index | None = None) -> list[Session]:
    """The greedy plan's sessions (fixed sessions first, kept as given)."""
    index = index or build_index(problem)
    st = State(index)
    for f in problem.fixed_sessions:
        st.add_session(Session(f.id, f.condition, f.slot, f.language, list(f.participants), f.booking))
    taken = {f.id for f in problem.fixed_sessions}
    pending: dict[str, int] = defaultdict(int)
    for b in problem.bookings:
        if b.id not in st.booked:
            pending[b.commissioner] += 1
    heap = []
    for k in index.types:
        ev = _evaluate(st, k, pending)
        if ev and ev[0] > 0:
            heap.append((-ev[0], index.slot_order[k[1]], k))
    heapq.heapify(heap)
    while heap:
        _neg, order, k = heapq.heappop(heap)
        ev = _evaluate(st, k, pending)
        if not ev or ev[0] <= 0:
            continue
        if heap and -heap[0][0] > ev[0]:
            heapq.heappush(heap, (-ev[0], order, k))
            continue
        value, members, booking = ev
        sid = new_session_id(taken)
        taken.add(sid)
        st.add_session(Session(sid, k[0], k[1], k[2], members, booking))
        if booking:
            pending[problem.booking_by_id[booking].commissioner] -= 1
        heapq.heappush(heap, (-value, order, k))
    top_up(st)
    return st.sessions


def greedy_plan(problem: Problem) -> Plan:
    """A complete, valid plan from the greedy heuristic, with explanations and score."""
    from .explain import complete_plan

    index = build_index(problem)
    return complete_plan(problem, greedy_sessions(problem, index), status="feasible", index=index)
