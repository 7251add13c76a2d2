"""Finishing a plan: score, short sessions, and a precise reason for everyone and every booking left out.

Reasons for a participant in no session (`unassigned[].reason`), checked in this order:

- `no_sessions_allowed`: their `max_sessions` is 0.
- `no_available_slots`: they listed no slots.
- `excluded`: every slot they listed is excluded for them (H11, contract 1.1).
- `no_condition_in_scope`: for none of their conditions are there enough people of every
  role (at least each role's minimum) listing it at all.
- `no_common_language`: the conditions are covered, but not by enough people who speak one
  of their languages.
- `no_common_slot`: no slot of theirs has, for one of their conditions and languages, the
  commissioner(s) and link worker(s) a session needs.
- `too_few_creatives`: staff could meet them, but fewer than the minimum number of
  creatives share any such slot, condition and language.
- then, looking at the plan, for each session they could have been in:
  `not_selected` (a session they fit had room, or a new one could have been opened: the
  search stopped before using it; a longer time limit may help), `outranked` (the sessions
  they fit are full, or their would-be fellow participants are all placed elsewhere, by
  people the score favours: higher priority or stronger interest), `organisation_clash`
  (the sessions they fit already have a creative of their organisation), `staff_busy` (the
  commissioners or link workers they need are at their cap or busy at that time),
  `slots_full` (every slot they could use is at the parallel-session limit); `excluded`
  (after `organisation_clash`: the sessions they fit are ones they are excluded from, H11).

Reasons for a booking no session names (`unserved_bookings[].reason`):

- `commissioner_lacks_condition`, `no_commissioner_language`, `no_commissioner_slot`: the
  booking's commissioner does not list the condition, does not speak the booking's
  language, or is not available at any of its slots.
- `no_link_worker`: no link worker with the condition (and language) is available at any
  of the booking's slots the commissioner can attend.
- `too_few_creatives`: fewer creatives than the minimum could join at any of those slots.
- `excluded`: the commissioner is excluded (H11) from every booking slot they can attend.
- `cap_reached`: the commissioner is already in `max_sessions` sessions.
- `commissioner_busy`: the commissioner is in other sessions at every usable booking slot.
- `slots_full`, `staff_busy`, `outranked`, `not_selected`, `organisation_clash`: as for participants.
"""

from __future__ import annotations

from .bound import counting_bound
from .check import short_sessions
from .greedy import State
from .index import Index, SessionType, build_index
from .plan import Plan, Session, Unassigned, UnservedBooking
from .problem import Participant, Problem
from .score import score_plan

ROLE_NAMES = {"creative": "creative", "commissioner": "commissioner", "link_worker": "link worker"}


def complete_plan(problem: Problem, sessions: list[Session], *, status: str, bound: int | None = None,
                  seconds: float = 0.0, index: Index | None = None) -> Plan:
    """Wrap sessions into a full Plan: score, bound (never below the score), explanations, short sessions."""
    index = index or build_index(problem)
    sessions = sorted(sessions, key=lambda s: (s.id not in problem.fixed_by_id, index.slot_order[s.slot],
                                               s.condition, s.language, s.id))
    plan = Plan(sessions=sessions, status=status, solve_seconds=seconds)
    plan.score = score_plan(problem, plan)
    if bound is None:
        bound = counting_bound(index)
    plan.bound = max(int(bound), plan.score)
    if plan.status == "optimal" and plan.bound != plan.score:
        plan.status = "feasible"
    plan.short_sessions = short_sessions(problem, plan)
    st = State(index)
    for s in sessions:
        st.add_session(s)
    plan.unassigned = [explain_participant(st, p) for p in problem.participants if p.id not in st.served]
    plan.unserved_bookings = [explain_booking(st, b.id) for b in problem.bookings if b.id not in st.booked]
    return plan


def _langs(codes: list[str] | tuple[str, ...]) -> str:
    """Language codes as a phrase."""
    return " or ".join(codes)


def _missing_roles(index: Index, k: SessionType, extra: Participant | None = None) -> list[str]:
    """Roles whose eligible count at type k is below the minimum."""
    pb = index.problem
    el = index.eligible.get(k)
    out = []
    for role, (lo, _hi) in pb.rules.counts.items():
        n = len(el[role]) if el else 0
        if extra is not None and extra.role == role and (el is None or extra.id not in el[role]):
            n += 1
        if n < lo:
            out.append(role)
    return out


def _role_list(roles: list[str]) -> str:
    """Role names as a phrase for a sentence."""
    names = [ROLE_NAMES[r] + "s" if r == "creative" else ROLE_NAMES[r] for r in roles]
    return " and ".join(names)


def explain_participant(st: State, p: Participant) -> Unassigned:
    """Why participant p is in no session of the plan held by st."""
    pb, index = st.pb, st.index
    name = lambda c: pb.condition_by_id[c].name  # noqa: E731
    if p.max_sessions <= 0:
        return Unassigned(p.id, "no_sessions_allowed", f"{p.id} has max_sessions 0; raise it to include them.")
    if not p.available:
        return Unassigned(p.id, "no_available_slots", f"{p.id} listed no available slots; ask for their availability.")
    open_slots = [t for t in p.available if (p.id, t) not in pb.excluded_slots]
    if not open_slots:
        return Unassigned(p.id, "excluded", f"{p.id} is excluded from every slot they listed (they declined or an "
                                            "organiser removed them); lift an exclusion to include them.")
    counts, spoken_counts = _by_condition(st)  # p itself is counted: it has max_sessions > 0
    scoped = [c for c in sorted(p.conditions) if all(
        len(counts[r].get(c, ())) >= lo for r, (lo, _h) in pb.rules.counts.items())]
    if not scoped:
        if not p.conditions:
            return Unassigned(p.id, "no_condition_in_scope", f"{p.id} listed no conditions; ask which they work on.")
        cs = ", ".join(name(c) for c in sorted(p.conditions))
        return Unassigned(p.id, "no_condition_in_scope",
                          f"Not enough people of every role list {cs}; recruit a commissioner and link worker for "
                          f"{'it' if len(p.conditions) == 1 else 'one of them'}, or ask {p.id} about other conditions.")
    spoken = [(c, lang) for c in scoped for lang in p.languages if all(
        spoken_counts.get((r, c, lang), 0) >= lo for r, (lo, _h) in pb.rules.counts.items())]
    if not spoken:
        return Unassigned(p.id, "no_common_language",
                          f"Nobody covering {', '.join(name(c) for c in scoped)} in every role speaks "
                          f"{_langs(p.languages)}, the language(s) {p.id} listed.")
    candidates = [(c, t, lang) for c, lang in spoken for t in open_slots]
    feasible = [k for k in candidates if not _missing_roles(index, k, p)]
    if not feasible:
        staff_ok = [k for k in candidates if _missing_roles(index, k, p) == ["creative"]]
        if staff_ok:
            return Unassigned(p.id, "too_few_creatives",
                              f"Fewer than {pb.rules.counts['creative'][0]} creatives share a slot with {p.id} and "
                              f"staff for {name(staff_ok[0][0])}; invite more creatives or widen availability.")
        missing = sorted({r for k in candidates for r in _missing_roles(index, k, p) if r != "creative"})
        conds = ", ".join(sorted({name(c) for c, _l in spoken}))
        return Unassigned(p.id, "no_common_slot",
                          f"No {_role_list(missing) or 'staff'} for {conds} share any of {p.id}'s "
                          f"{len(p.available)} slots; ask for more availability.")
    causes = {_cause(st, p, k) for k in feasible}
    order = ["not_selected", "outranked", "organisation_clash", "excluded", "staff_busy", "slots_full"]
    cause = next(c for c in order if c in causes)
    detail = {
        "not_selected": f"A session {p.id} fits had room or could have been opened but the search stopped first; "
                        "re-run with a longer time limit.",
        "outranked": f"The sessions {p.id} fits are full, or their would-be fellow participants are placed elsewhere, "
                     f"with people the score favours; raise {p.id}'s priority to favour them.",
        "organisation_clash": f"Every session {p.id} fits already has a creative of organisation "
                              f"{p.organisation}; allow two per organisation or add a session.",
        "staff_busy": f"The commissioners and link workers {p.id} needs are busy or at their cap at {p.id}'s slots; "
                      "recruit staff or raise their max_sessions.",
        "slots_full": f"All {len({k[1] for k in feasible})} slots {p.id} could use already run the maximum of "
                      f"{pb.rules.max_parallel_sessions} parallel sessions; raise the limit or add slots.",
        "excluded": f"The sessions {p.id} fits are ones they declined or were removed from; lift the exclusion "
                    "or open another session.",
    }[cause]
    return Unassigned(p.id, cause, detail)


def _by_condition(st: State) -> tuple[dict[str, dict[str, set[str]]], dict[tuple[str, str, str], int]]:
    """Participants with max_sessions > 0 by role and condition, and counts by (role, condition, language)."""
    if not hasattr(st, "by_condition"):
        counts: dict[str, dict[str, set[str]]] = {r: {} for r in st.pb.rules.counts}
        spoken: dict[tuple[str, str, str], int] = {}
        for q in st.pb.participants:
            if q.max_sessions > 0:
                for c in q.conditions:
                    counts[q.role].setdefault(c, set()).add(q.id)
                    for lang in q.languages:
                        spoken[(q.role, c, lang)] = spoken.get((q.role, c, lang), 0) + 1
        st.by_condition = (counts, spoken)
    return st.by_condition


def _cause(st: State, p: Participant, k: SessionType) -> str:
    """Why p is not in a session of type k (p statically fits k)."""
    pb = st.pb
    cond, slot, lang = k
    lo, hi = pb.rules.counts[p.role]
    same = st.by_type.get(k, [])
    org_blocked = excluded = False
    for s in same:
        if pb.excluded(p.id, slot, s.id):
            excluded = True
            continue
        n = sum(1 for q in s.participants if pb.person[q].role == p.role)
        if n >= hi:
            continue
        if (p.role == "creative" and pb.rules.one_per_organisation and p.organisation is not None
                and any(pb.person[q].organisation == p.organisation and pb.person[q].role == "creative"
                        for q in s.participants)):
            org_blocked = True
            continue
        return "not_selected"
    if org_blocked:
        return "organisation_clash"
    if excluded and all(pb.excluded(p.id, slot, s.id) for s in same):
        return "excluded"
    if same:
        return "outranked"
    if not st.room(slot):
        return "slots_full"
    el = st.index.eligible[k]
    for role in ("commissioner", "link_worker", "creative"):
        rlo = pb.rules.counts[role][0]
        free = sum(1 for q in el[role] if q != p.id and st.free(q, slot)) + (1 if role == p.role else 0)
        if free < rlo:
            return "outranked" if role == "creative" else "staff_busy"
    return "not_selected"


def static_booking_reason(index: Index, bid: str) -> UnservedBooking | None:
    """Why booking bid could be served by no plan at all (the problem's own facts), or None if some plan might.

    These are the first checks of explain_booking; the site also asks them when a
    commissioner requests a session, so a request that can never be met is refused at once.
    """
    pb = index.problem
    b = pb.booking_by_id[bid]
    m = pb.person[b.commissioner]
    cname = pb.condition_by_id[b.condition].name
    if b.condition not in m.conditions:
        return UnservedBooking(bid, "commissioner_lacks_condition",
                               f"{m.id} does not list {cname}; add it to their conditions.")
    langs = [b.language] if b.language else list(m.languages)
    if b.language and b.language not in m.languages:
        return UnservedBooking(bid, "no_commissioner_language",
                               f"{m.id} does not list {b.language}, the booking's language.")
    slots = [t for t in b.slots if t in m.available and (m.id, t) not in pb.excluded_slots]
    if not slots and any(t in m.available for t in b.slots):
        return UnservedBooking(bid, "excluded", f"{m.id} is excluded from every slot of the booking they can "
                                                "attend; lift the exclusion or offer other slots.")
    if not slots:
        return UnservedBooking(bid, "no_commissioner_slot",
                               f"{m.id} is available at none of the booking's {len(b.slots)} slots; "
                               "ask them for availability or add slots to the booking.")
    if m.max_sessions <= 0:
        return UnservedBooking(bid, "cap_reached", f"{m.id} has max_sessions 0; raise it.")
    cands = [(b.condition, t, lang) for t in slots for lang in langs]
    feasible = [k for k in cands if not _missing_roles(index, k, m)]
    if not feasible:
        if any("link_worker" in _missing_roles(index, k, m) for k in cands) and all(
                "link_worker" in _missing_roles(index, k, m) or _missing_roles(index, k, m) == [] for k in cands):
            return UnservedBooking(bid, "no_link_worker",
                                   f"No link worker for {cname} speaking {_langs(langs)} is available at the "
                                   f"booking's slots that {m.id} can attend; recruit one or widen the slots.")
        missing = sorted({r for k in cands for r in _missing_roles(index, k, m)})
        if missing == ["creative"]:
            return UnservedBooking(bid, "too_few_creatives",
                                   f"Fewer than {pb.rules.counts['creative'][0]} creatives for {cname} are free at "
                                   "the booking's slots; widen the slots or invite creatives.")
        return UnservedBooking(bid, "no_link_worker" if "link_worker" in missing else "too_few_creatives",
                               f"No slot of the booking has the {_role_list(missing)} a session on {cname} needs.")
    return None


def booking_blocker(problem: Problem, bid: str) -> UnservedBooking | None:
    """static_booking_reason on a problem (builds its index)."""
    return static_booking_reason(build_index(problem), bid)


def explain_booking(st: State, bid: str) -> UnservedBooking:
    """Why booking bid is named by no session of the plan held by st."""
    pb, index = st.pb, st.index
    fixed = static_booking_reason(index, bid)
    if fixed is not None:
        return fixed
    b = pb.booking_by_id[bid]
    m = pb.person[b.commissioner]
    cname = pb.condition_by_id[b.condition].name
    langs = [b.language] if b.language else list(m.languages)
    slots = [t for t in b.slots if t in m.available and (m.id, t) not in pb.excluded_slots]
    cands = [(b.condition, t, lang) for t in slots for lang in langs]
    feasible = [k for k in cands if not _missing_roles(index, k, m)]
    if len(st.slots_of.get(m.id, ())) >= m.max_sessions:
        return UnservedBooking(bid, "cap_reached", f"{m.id} is already in {m.max_sessions} sessions, their maximum; "
                                                   "raise max_sessions or free one of them.")
    causes = set()
    for k in feasible:
        cond, slot, lang = k
        if any(s.booking is None and s.id not in pb.fixed_by_id and m.id in s.participants
               for s in st.by_type.get((cond, slot, lang), [])):
            causes.add("not_selected")
        elif not st.free(m.id, slot):
            causes.add("commissioner_busy")
        else:
            causes.add(_cause(st, m, k))
    order = ["not_selected", "outranked", "staff_busy", "slots_full", "commissioner_busy", "organisation_clash",
             "excluded"]
    cause = next(c for c in order if c in causes)
    detail = {
        "not_selected": "A session could have served it but the search stopped first; re-run with a longer time limit.",
        "outranked": f"The creatives for {cname} at the booking's slots are placed in sessions the score favours.",
        "staff_busy": f"The link workers for {cname} at the booking's slots are busy or at their cap; recruit one.",
        "slots_full": f"The booking's slots already run the maximum of {pb.rules.max_parallel_sessions} sessions; "
                      "offer other slots.",
        "commissioner_busy": f"{m.id} is in other sessions at every slot of the booking; offer other slots.",
        "organisation_clash": "The creatives who could join belong to organisations already present.",
        "excluded": f"{m.id} is excluded from the sessions that could have served it; lift the exclusion.",
    }[cause]
    return UnservedBooking(bid, cause, detail)

