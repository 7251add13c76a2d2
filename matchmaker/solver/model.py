"""The aggregated CP-SAT model: people are assigned to session *types*, copies are counted.

A session type is (condition, slot, language). The model has an integer n[k] of sessions
opened of type k and one Boolean x[p,k] per participant p eligible for k (H1-H3). The copies
of a type are interchangeable, so instead of deciding which copy p joins, the model keeps
per type and role `min*n <= sum x <= max*n` (H6), per organisation and type `sum x <= n`
(H8), and per booking a Boolean y[b,k] with `sum_b y <= n` and the booking's commissioner in
the type (H10). `split_type` then deals the people of a type into n copies, which is always
possible: balanced role counts lie within [min, max], dealing creatives grouped by
organisation round-robin puts at most one of each organisation (<= n members) per copy, and
each served booking gets its own copy with its own (distinct) commissioner.

Fixed sessions are explicit: their listed people stay, and a[p,f] Booleans add people.
Clashes (H4) are one constraint per person per start instant; H7 one per instant on n.

The objective is the score exactly except for two terms that depend on the copy: wants-to-meet
pairs are credited when both are in the same type (w <= x_p, w <= x_q) and region bonuses when
a same-region booking is served in the type. Both over-count only when a type has two or
more copies, so the model objective is an upper estimate of the plan's score and CP-SAT's
bound on it is a proven bound on the score of every plan. The split then keeps pairs and
regions together where it can, and the plan's true score is computed by `score_plan`.

The same builder solves a *window*: only sessions at the window's slots are re-decided and
every other session is frozen (its people keep their places, caps and clashes).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .index import Index, SessionType
from .plan import Plan, Session
from .problem import Problem
from .score import score_plan


@dataclass
class Built:
    model: cp_model.CpModel
    index: Index
    window: set[str]
    frozen: list[Session]
    fixed_here: list[Session]  # fixed sessions inside the window, listed members only
    types: list[SessionType]
    n: dict[SessionType, cp_model.IntVar] = field(default_factory=dict)
    x: dict[tuple[str, SessionType], cp_model.IntVar] = field(default_factory=dict)
    a: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)
    y: dict[tuple[str, SessionType], cp_model.IntVar] = field(default_factory=dict)
    s: dict[str, cp_model.IntVar] = field(default_factory=dict)  # served creatives
    w: dict[tuple[str, str, object], cp_model.IntVar] = field(default_factory=dict)  # pairs per type / fixed id
    z: dict[tuple[str, SessionType], cp_model.IntVar] = field(default_factory=dict)  # region bonus per type
    w_coef: dict[tuple[str, str, object], int] = field(default_factory=dict)
    constant: int = 0
    n_vars: int = 0
    window_is_all: bool = True


def build_model(index: Index, current: list[Session], window: set[str] | None = None) -> Built:
    """Model re-deciding the sessions at the window's slots (all slots when None) given the others."""
    pb = index.problem
    w = pb.weights
    window = set(pb.slot_by_id) if window is None else window
    frozen = [s for s in current if s.slot not in window]
    fixed_here = []
    for f in pb.fixed_sessions:
        if f.slot in window:
            fixed_here.append(Session(f.id, f.condition, f.slot, f.language, list(f.participants), f.booking))
    m = cp_model.CpModel()
    b = Built(m, index, window, frozen, fixed_here, [])
    b.window_is_all = not frozen and window >= set(pb.slot_by_id)

    base = frozen + fixed_here
    used: dict[str, list[str]] = defaultdict(list)
    running = [0] * index.n_points
    for s in base:
        for pid in s.participants:
            used[pid].append(s.slot)
        for i in index.cover[s.slot]:
            running[i] += 1
    served = {pid for s in base for pid in s.participants}
    booked = {s.booking for s in base if s.booking}
    b.constant = score_plan(pb, Plan(sessions=base))

    def free(pid: str, slot: str) -> bool:
        """pid has capacity left and no frozen session overlapping slot."""
        u = used.get(pid, ())
        return len(u) < pb.person[pid].max_sessions and not any(t in index.overlapping[slot] for t in u)

    lim = pb.rules.max_parallel_sessions
    b.types = [k for k in index.types if k[1] in window]
    obj = []
    per_person: dict[str, list[tuple[str, cp_model.IntVar]]] = defaultdict(list)  # pid -> (slot, var)
    for k in b.types:
        cond, slot, lang = k
        el = index.eligible[k]
        ids = {r: [q for q in el[r] if free(q, slot)] for r in el}
        ub = min([lim - running[i] for i in index.cover[slot]] + [
            len(ids[r]) // lo for r, (lo, _hi) in pb.rules.counts.items() if lo > 0])
        if ub <= 0:
            continue
        n = m.new_int_var(0, ub, f"n{k}")
        b.n[k] = n
        obj.append(-w["session"] * n)
        for role, (lo, hi) in pb.rules.counts.items():
            xs = []
            for q in ids[role]:
                v = m.new_bool_var(f"x{q}{k}")
                b.x[(q, k)] = v
                xs.append(v)
                m.add(v <= n)  # nobody in an unopened type; tightens the LP relaxation a lot
                per_person[q].append((slot, v))
                strength = pb.person[q].conditions[cond]
                obj.append((w["strength"] if role == "creative" else w["staff_strength"]) * strength * v)
            m.add(sum(xs) >= lo * n)
            m.add(sum(xs) <= hi * n)
        if pb.rules.one_per_organisation:
            orgs: dict[str, list] = defaultdict(list)
            for q in ids["creative"]:
                if pb.person[q].organisation is not None:
                    orgs[pb.person[q].organisation].append(b.x[(q, k)])
            for xs in orgs.values():
                if len(xs) > 1:
                    m.add(sum(xs) <= n)
    b.types = [k for k in b.types if k in b.n]

    for f in fixed_here:
        lim_role = {r: hi - sum(1 for q in f.participants if pb.person[q].role == r)
                    for r, (_lo, hi) in pb.rules.counts.items()}
        listed_orgs = {pb.person[q].organisation for q in f.participants if pb.person[q].role == "creative"}
        fb = pb.booking_by_id.get(f.booking) if f.booking else None
        adds: dict[str, list] = defaultdict(list)
        orgs: dict[str, list] = defaultdict(list)
        for p in pb.participants:
            if p.id in f.participants or not index.fits(p, f.condition, f.slot, f.language) or not free(p.id, f.slot):
                continue
            if (p.role == "creative" and pb.rules.one_per_organisation and p.organisation is not None
                    and p.organisation in listed_orgs):
                continue
            if lim_role[p.role] <= 0:
                continue
            v = m.new_bool_var(f"a{p.id}{f.id}")
            b.a[(p.id, f.id)] = v
            adds[p.role].append(v)
            per_person[p.id].append((f.slot, v))
            gain = (w["strength"] if p.role == "creative" else w["staff_strength"]) * p.conditions[f.condition]
            gain += w["wants"] * (sum(1 for q in p.wants_to_meet if q in f.participants)
                                  + sum(1 for q in f.participants if p.id in pb.person[q].wants_to_meet))
            if fb and fb.region is not None and p.role == "creative" and p.region == fb.region:
                gain += w["region"]
            obj.append(gain * v)
            if p.role == "creative" and pb.rules.one_per_organisation and p.organisation is not None:
                orgs[p.organisation].append(v)
        for role, vs in adds.items():
            m.add(sum(vs) <= lim_role[role])
        for vs in orgs.values():
            if len(vs) > 1:
                m.add(sum(vs) <= 1)

    for i in range(index.n_points):
        ns = [b.n[k] for k in b.types if i in index.cover[k[1]]]
        if ns:
            m.add(sum(ns) <= lim - running[i])

    for pid, items in per_person.items():
        p = pb.person[pid]
        m.add(sum(v for _t, v in items) <= p.max_sessions - len(used.get(pid, ())))
        by_point: dict[int, list] = defaultdict(list)
        for t, v in items:
            for i in index.cover[t]:
                by_point[i].append(v)
        for vs in by_point.values():
            if len(vs) > 1:
                m.add_at_most_one(vs)
        if p.role == "creative" and pid not in served:
            s = m.new_bool_var(f"s{pid}")
            b.s[pid] = s
            m.add(s <= sum(v for _t, v in items))
            obj.append(pb.served_value(p) * s)

    # Bookings (H10): one type each, one booking per copy, the commissioner in the type.
    ys_by_type: dict[SessionType, list] = defaultdict(list)
    ys_by_mk: dict[tuple[str, SessionType], list] = defaultdict(list)
    for bk in pb.bookings:
        if bk.id in booked:
            continue
        ys = []
        for k in b.types:
            if (k[0] == bk.condition and k[1] in bk.slots and (bk.language is None or bk.language == k[2])
                    and (bk.commissioner, k) in b.x):
                v = m.new_bool_var(f"y{bk.id}{k}")
                b.y[(bk.id, k)] = v
                ys.append(v)
                ys_by_type[k].append(v)
                ys_by_mk[(bk.commissioner, k)].append(v)
        if ys:
            m.add_at_most_one(ys)
            obj.append(w["booking"] * sum(ys))
    for k, ys in ys_by_type.items():
        if len(ys) > 1:
            m.add(sum(ys) <= b.n[k])
    for (mid, k), ys in ys_by_mk.items():
        m.add(sum(ys) <= b.x[(mid, k)])

    # Region bonus, credited per type (exact with one copy, an over-count otherwise).
    if w["region"]:
        for k in b.types:
            by_region: dict[str, list] = defaultdict(list)
            for (bid, kk), v in b.y.items():
                if kk == k and pb.booking_by_id[bid].region is not None:
                    by_region[pb.booking_by_id[bid].region].append(v)
            for region, ys in by_region.items():
                zs = []
                for q in index.eligible[k]["creative"]:
                    if (q, k) in b.x and pb.person[q].region == region:
                        z = m.new_bool_var(f"z{q}{k}")
                        b.z[(q, k)] = z
                        m.add(z <= b.x[(q, k)])
                        m.add(z <= sum(ys))
                        zs.append(z)
                if zs:
                    m.add(sum(zs) <= pb.rules.counts["creative"][1] * sum(ys))
                    obj.append(w["region"] * sum(zs))

    # Wants-to-meet pairs, credited per type (or per fixed session).
    if w["wants"]:
        pairs: dict[tuple[str, str], int] = defaultdict(int)
        for p in pb.participants:
            for q in p.wants_to_meet:
                pairs[tuple(sorted((p.id, q)))] += w["wants"]
        partners: dict[tuple[str, SessionType, str], list] = defaultdict(list)
        for (p1, p2), coef in pairs.items():
            if not _can_share(pb, p1, p2):
                continue
            for k in b.types:
                if (p1, k) in b.x and (p2, k) in b.x:
                    v = m.new_bool_var(f"w{p1}{p2}{k}")
                    b.w[(p1, p2, k)] = v
                    b.w_coef[(p1, p2, k)] = coef
                    m.add(v <= b.x[(p1, k)])
                    m.add(v <= b.x[(p2, k)])
                    obj.append(coef * v)
                    partners[(p1, k, pb.person[p2].role)].append(v)
                    partners[(p2, k, pb.person[p1].role)].append(v)
        # In one copy p meets at most `max` people of a role (one fewer of its own role).
        for (pid, k, role), vs in partners.items():
            cap = pb.rules.counts[role][1] - (pb.person[pid].role == role)
            if len(vs) > cap:
                m.add(sum(vs) <= cap * b.x[(pid, k)])
        # A pair both added to a fixed session (a pair with a listed member is in the addition's gain).
        for (p1, p2), coef in pairs.items():
            for f in fixed_here:
                if (p1, f.id) in b.a and (p2, f.id) in b.a:
                    v = m.new_bool_var(f"w{p1}{p2}{f.id}")
                    b.w[(p1, p2, f.id)] = v
                    b.w_coef[(p1, p2, f.id)] = coef
                    m.add(v <= b.a[(p1, f.id)])
                    m.add(v <= b.a[(p2, f.id)])
                    obj.append(coef * v)
    m.maximize(sum(obj) + b.constant)
    b.n_vars = len(m.proto.variables)
    return b


def _can_share(pb: Problem, p1: str, p2: str) -> bool:
    """Whether two people may sit in one session at all (role maxima, one creative per organisation)."""
    a, c = pb.person[p1], pb.person[p2]
    if a.role == c.role and pb.rules.counts[a.role][1] < 2:
        return False
    return not (a.role == c.role == "creative" and pb.rules.one_per_organisation
                and a.organisation is not None and a.organisation == c.organisation)


def add_hint(b: Built, sessions: list[Session]) -> None:
    """Hint the model with the window part of a plan (a full, consistent hint where the plan is valid)."""
    pb = b.index.problem
    counts: dict[SessionType, int] = defaultdict(int)
    member: set[tuple[str, SessionType]] = set()
    adds: set[tuple[str, str]] = set()
    bookings: set[tuple[str, SessionType]] = set()
    for s in sessions:
        if s.slot not in b.window:
            continue
        if s.id in pb.fixed_by_id:
            f = pb.fixed_by_id[s.id]
            adds.update((q, s.id) for q in s.participants if q not in f.participants)
            continue
        k = (s.condition, s.slot, s.language)
        counts[k] += 1
        member.update((q, k) for q in s.participants)
        if s.booking:
            bookings.add((s.booking, k))
    for k, v in b.n.items():
        b.model.add_hint(v, counts.get(k, 0))
    for key, v in b.x.items():
        b.model.add_hint(v, key in member)
    for key, v in b.a.items():
        b.model.add_hint(v, key in adds)
    for key, v in b.y.items():
        b.model.add_hint(v, key in bookings)
    window = [s for s in sessions if s.slot in b.window]
    seated = {q for s in window for q in s.participants}
    for pid, v in b.s.items():
        b.model.add_hint(v, pid in seated)
    together = set()
    regional = set()
    for s in window:
        where = s.id if s.id in pb.fixed_by_id else (s.condition, s.slot, s.language)
        together.update((p1, p2, where) for p1 in s.participants for p2 in s.participants if p1 < p2)
        region = pb.booking_by_id[s.booking].region if s.booking else None
        if region is not None:
            regional.update((q, where) for q in s.participants if pb.person[q].region == region)
    for key, v in b.w.items():
        b.model.add_hint(v, key in together)
    for key, v in b.z.items():
        b.model.add_hint(v, key in regional)


def extract(b: Built, value: Callable[[cp_model.IntVar], int]) -> list[Session]:
    """The plan's sessions from a solution (value: a callable from variable to its value)."""
    pb = b.index.problem
    sessions = list(b.frozen)
    for f in b.fixed_here:
        extra = [q for (q, fid), v in b.a.items() if fid == f.id and value(v)]
        sessions.append(Session(f.id, f.condition, f.slot, f.language, list(f.participants) + sorted(extra), f.booking))
    members: dict[SessionType, list[str]] = defaultdict(list)
    for (q, k), v in b.x.items():
        if value(v):
            members[k].append(q)
    served: dict[SessionType, list[str]] = defaultdict(list)
    for (bid, k), v in b.y.items():
        if value(v):
            served[k].append(bid)
    taken = {s.id for s in sessions} | set(pb.fixed_by_id)
    counter = 0
    for k in b.types:
        n = int(value(b.n[k]))
        if n <= 0:
            continue
        for copy in split_type(pb, k, n, members[k], served[k]):
            counter += 1
            while f"S{counter}" in taken:
                counter += 1
            sid = f"S{counter}"
            taken.add(sid)
            sessions.append(Session(sid, k[0], k[1], k[2], copy[0], copy[1]))
    return sessions


def add_pair_cuts(b: Built, value: Callable[[cp_model.IntVar], int]) -> int:
    """Cut off over-credited pairs: for each type whose credited pairs exceed the best split of its members,
    add `pairs(k) <= best` conditioned on the same members and copy count. Valid for every plan (the best
    split is exact), so the model's bound stays proven. Returns the number of cuts added."""
    pb, m = b.index.problem, b.model
    by_type: dict[SessionType, list] = defaultdict(list)
    for key, v in b.w.items():
        if not isinstance(key[2], str):
            by_type[key[2]].append((b.w_coef[key], v))
    added = 0
    for k, ws in by_type.items():
        n0 = int(value(b.n[k]))
        credited = sum(c for c, v in ws if value(v))
        if n0 < 2 or credited == 0:
            continue
        members = [q for r in ("creative", "commissioner", "link_worker") for q in b.index.eligible[k][r]
                   if (q, k) in b.x and value(b.x[(q, k)])]
        best = _best_pairs(pb, members, n0)
        if best is None or best >= credited:
            continue
        same_n = m.new_bool_var("")
        m.add(b.n[k] == n0).only_enforce_if(same_n)
        m.add(b.n[k] != n0).only_enforce_if(~same_n)
        inside = set(members)
        present = [b.x[(q, k)] for q in inside]
        others = [v for (q, kk), v in b.x.items() if kk == k and q not in inside]
        big = sum(c for c, _v in ws)
        # sum(1 - x over members) + sum(x over others) + [n != n0] is 0 only for exactly this aggregate choice.
        differ = len(present) - sum(present) + (1 - same_n) + sum(others)
        m.add(sum(c * v for c, v in ws) <= best + big * differ)
        added += 1
    return added


def _best_pairs(pb: Problem, members: list[str], n: int) -> int | None:
    """Most wants-to-meet value over valid splits of members into n copies (None if not proved in time)."""
    m = cp_model.CpModel()
    c = {(q, i): m.new_bool_var("") for q in members for i in range(n)}
    for q in members:
        m.add_exactly_one(c[(q, i)] for i in range(n))
    for i in range(n):
        for role, (lo, hi) in pb.rules.counts.items():
            vs = [c[(q, i)] for q in members if pb.person[q].role == role]
            m.add(sum(vs) >= lo)
            m.add(sum(vs) <= hi)
        if pb.rules.one_per_organisation:
            orgs: dict[str, list] = defaultdict(list)
            for q in members:
                if pb.person[q].role == "creative" and pb.person[q].organisation is not None:
                    orgs[pb.person[q].organisation].append(c[(q, i)])
            for vs in orgs.values():
                m.add_at_most_one(vs)
    obj = []
    inside = set(members)
    for q in members:
        for r in pb.person[q].wants_to_meet:
            if r in inside:
                for i in range(n):
                    t = m.new_bool_var("")
                    m.add(t <= c[(q, i)])
                    m.add(t <= c[(r, i)])
                    obj.append(pb.weights["wants"] * t)
    m.maximize(sum(obj))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 2.0
    if solver.solve(m) != cp_model.OPTIMAL:
        return None
    return int(round(solver.objective_value))


def split_type(pb: Problem, k: SessionType, n: int, people: list[str], bookings: list[str]
               ) -> list[tuple[list[str], str | None]]:
    """Deal the people of one type into n valid copies, then swap to keep pairs and regions together."""
    people = sorted(people)
    if n == 1:
        return [(people, bookings[0] if bookings else None)]
    copies: list[list[str]] = [[] for _ in range(n)]
    names: list[str | None] = [None] * n
    pinned: set[str] = set()
    for i, bid in enumerate(sorted(bookings)):
        names[i] = bid
        com = pb.booking_by_id[bid].commissioner
        copies[i].append(com)
        pinned.add(com)
    for role in pb.rules.counts:
        mine = [q for q in people if pb.person[q].role == role and q not in pinned]
        if role == "creative":
            groups: dict[str, list[str]] = defaultdict(list)
            for q in mine:
                groups[pb.person[q].organisation or f"\0{q}"].append(q)
            mine = [q for _o, g in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])) for q in g]
        if role == "creative":
            # Strict round-robin over organisation runs: counts stay balanced (so within [min, max]) and a run
            # of at most n members of one organisation (H8 in the model) lands in n different copies.
            for j, q in enumerate(mine):
                copies[j % n].append(q)
            continue
        for q in mine:
            counts = [sum(1 for r in c if pb.person[r].role == role) for c in copies]
            copies[min(range(n), key=lambda i: (counts[i], i))].append(q)
    if _copy_terms_possible(pb, copies, names):
        if not _exact_split(pb, copies, names, pinned):
            _improve_split(pb, k, copies, names, pinned)
    return [(sorted(c), names[i]) for i, c in enumerate(copies)]


def _copy_terms_possible(pb: Problem, copies: list[list[str]], names: list) -> bool:
    """Whether the split can change the score at all (some pair or a regional booking)."""
    members = {q for c in copies for q in c}
    return any(r in members for q in members for r in pb.person[q].wants_to_meet) or any(
        nm and pb.booking_by_id[nm].region for nm in names)


def _exact_split(pb: Problem, copies: list[list[str]], names: list, pinned: set[str]) -> bool:
    """Re-deal the copies to maximise pairs and region bonuses exactly (tiny CP-SAT); False if not proved."""
    n = len(copies)
    where = {q: i for i, c in enumerate(copies) for q in c}
    people = sorted(where)
    m = cp_model.CpModel()
    c = {(q, i): m.new_bool_var(f"c{q}_{i}") for q in people for i in range(n)}
    for q in people:
        m.add_exactly_one(c[(q, i)] for i in range(n))
        if q in pinned:
            m.add(c[(q, where[q])] == 1)
        m.add_hint(c[(q, where[q])], 1)
    for i in range(n):
        for role, (lo, hi) in pb.rules.counts.items():
            vs = [c[(q, i)] for q in people if pb.person[q].role == role]
            m.add(sum(vs) >= lo)
            m.add(sum(vs) <= hi)
        if pb.rules.one_per_organisation:
            orgs: dict[str, list] = defaultdict(list)
            for q in people:
                if pb.person[q].role == "creative" and pb.person[q].organisation is not None:
                    orgs[pb.person[q].organisation].append(c[(q, i)])
            for vs in orgs.values():
                if len(vs) > 1:
                    m.add_at_most_one(vs)
    obj = []
    w = pb.weights
    for q in people:
        for r in pb.person[q].wants_to_meet:
            if r in where:
                for i in range(n):
                    t = m.new_bool_var("")
                    m.add(t <= c[(q, i)])
                    m.add(t <= c[(r, i)])
                    obj.append(w["wants"] * t)
        if pb.person[q].role == "creative":
            for i, nm in enumerate(names):
                region = pb.booking_by_id[nm].region if nm else None
                if region is not None and region == pb.person[q].region:
                    obj.append(w["region"] * c[(q, i)])
    m.maximize(sum(obj))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 1.0
    if solver.solve(m) != cp_model.OPTIMAL:
        return False
    for i in range(n):
        copies[i][:] = [q for q in people if solver.value(c[(q, i)])]
    return True


def _copy_value(pb: Problem, copy: list[str], booking: str | None) -> int:
    """Copy-dependent score terms: wants pairs and region bonus."""
    members = set(copy)
    v = pb.weights["wants"] * sum(1 for q in copy for r in pb.person[q].wants_to_meet if r in members)
    if booking:
        region = pb.booking_by_id[booking].region
        if region is not None:
            v += pb.weights["region"] * sum(
                1 for q in copy if pb.person[q].role == "creative" and pb.person[q].region == region)
    return v


def _valid_copy(pb: Problem, copy: list[str]) -> bool:
    """H6 counts and H8 for one copy."""
    for role, (lo, hi) in pb.rules.counts.items():
        if not lo <= sum(1 for q in copy if pb.person[q].role == role) <= hi:
            return False
    if pb.rules.one_per_organisation:
        orgs = [pb.person[q].organisation for q in copy if pb.person[q].role == "creative"
                and pb.person[q].organisation is not None]
        if len(orgs) != len(set(orgs)):
            return False
    return True


def _improve_split(pb: Problem, k: SessionType, copies: list[list[str]], names: list, pinned: set[str]) -> None:
    """First-improvement swaps and moves of one person between two copies while the copy terms improve."""
    if not any(pb.person[q].wants_to_meet for c in copies for q in c) and not any(
            nm and pb.booking_by_id[nm].region for nm in names):
        return
    improved, rounds = True, 0
    while improved and rounds < 50:
        improved, rounds = False, rounds + 1
        for i in range(len(copies)):
            for j in range(len(copies)):
                if i == j:
                    continue
                before = _copy_value(pb, copies[i], names[i]) + _copy_value(pb, copies[j], names[j])
                for q in list(copies[i]):
                    if q in pinned:
                        continue
                    role = pb.person[q].role
                    options = [None] + [r for r in copies[j] if r not in pinned and pb.person[r].role == role]
                    for r in options:
                        ci = [x for x in copies[i] if x != q] + ([r] if r else [])
                        cj = [x for x in copies[j] if x != r] + [q]
                        if not (_valid_copy(pb, ci) and _valid_copy(pb, cj)):
                            continue
                        if _copy_value(pb, ci, names[i]) + _copy_value(pb, cj, names[j]) > before:
                            copies[i][:], copies[j][:] = ci, cj
                            improved = True
                            break
                    if improved:
                        break
                if improved:
                    break
            if improved:
                break
