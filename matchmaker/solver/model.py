"""The aggregated CP-SAT model: people are assigned to session *types*, copies are counted.

A session type is (condition, slot, language). The model has an integer `copies[type]` of
sessions opened of that type and one Boolean `attends[person, type]` per person eligible for
it (H1-H3). The copies of a type are interchangeable, so instead of deciding which copy a
person joins, the model keeps per type and role `min*copies <= attending <= max*copies` (H6),
per organisation and type `attending creatives <= copies` (H8), and per booking a Boolean
`serves[booking, type]` with `bookings served <= copies` and the booking's commissioner in the
type (H10). `split_type` then deals the people of a type into its copies, which is always
possible: balanced role counts lie within [min, max], dealing creatives grouped by
organisation round-robin puts at most one of each organisation (<= copies members) per copy,
and each served booking gets its own copy with its own (distinct) commissioner.

Fixed sessions are explicit: their listed people stay, and `joins[person, fixed id]` Booleans
add people. Clashes (H4) are one constraint per person per start instant; H7 one per instant
on the copies.

The objective is the score exactly except for two terms that depend on the copy: wants-to-meet
pairs are credited when both are in the same type (`meets <= attends` of each) and region
bonuses when a same-region booking is served in the type. Both over-count only when a type has
two or more copies, so the model objective is an upper estimate of the plan's score and
CP-SAT's bound on it is a proven bound on the score of every plan. The repeat penalty of
contract 1.1 goes the other way (a charge, not a credit), so it is charged only where the
pair surely meets (`_add_repeats`): an under-charge, which keeps the estimate an upper one. The split then keeps pairs
and regions together where it can, and the plan's true score is computed by `score_plan`.

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
from .problem import Participant, Problem
from .score import repeats_in, score_plan

Var = cp_model.IntVar
Copies = cp_model.IntVar | int  # copies of a session: a model variable, or 1 for a single session
Where = SessionType | str  # a session type, or the id of a fixed session
Places = dict[str, list[tuple[str, Var]]]  # person -> (slot, Boolean for one place there)


@dataclass
class Built:
    """A model with its variables, for hints, reading solutions and cuts."""

    model: cp_model.CpModel
    index: Index
    window: set[str]
    frozen: list[Session]
    fixed_here: list[Session]  # fixed sessions inside the window, listed members only
    types: list[SessionType]
    copies: dict[SessionType, Var] = field(default_factory=dict)
    attends: dict[tuple[str, SessionType], Var] = field(default_factory=dict)
    joins: dict[tuple[str, str], Var] = field(default_factory=dict)  # (person, fixed session id)
    serves: dict[tuple[str, SessionType], Var] = field(default_factory=dict)  # (booking, type)
    served: dict[str, Var] = field(default_factory=dict)  # creative in at least one session
    meets: dict[tuple[str, str, Where], Var] = field(default_factory=dict)  # a pair credited in a type / fixed id
    pair_value: dict[tuple[str, str, Where], int] = field(default_factory=dict)
    regional: dict[tuple[str, SessionType], Var] = field(default_factory=dict)  # region bonus per type
    repeats: dict[tuple[str, str, Where], Var] = field(default_factory=dict)  # a repeat pair charged in a type
    constant: int = 0
    n_vars: int = 0
    window_is_all: bool = True


@dataclass
class _Taken:
    """What the frozen and fixed sessions already use: people's slots, sessions per instant, people, bookings."""

    index: Index
    slots_of: dict[str, list[str]]
    running: list[int]
    served: set[str]
    booked: set[str]

    @classmethod
    def tally(cls, index: Index, sessions: list[Session]) -> _Taken:
        """What the given sessions use."""
        slots_of: dict[str, list[str]] = defaultdict(list)
        running = [0] * index.n_points
        for session in sessions:
            for pid in session.participants:
                slots_of[pid].append(session.slot)
            for point in index.cover[session.slot]:
                running[point] += 1
        served = {pid for session in sessions for pid in session.participants}
        booked = {session.booking for session in sessions if session.booking}
        return cls(index, slots_of, running, served, booked)

    def is_free(self, pid: str, slot: str) -> bool:
        """pid has capacity left and no taken session overlapping slot."""
        used = self.slots_of.get(pid, ())
        return (len(used) < self.index.problem.person[pid].max_sessions
                and not any(other in self.index.overlapping[slot] for other in used))

    def room(self, slot: str) -> int:
        """Sessions that may still start at the slot under the parallel limit."""
        limit = self.index.problem.rules.max_parallel_sessions
        return min(limit - self.running[point] for point in self.index.cover[slot])


def build_model(index: Index, current: list[Session], window: set[str] | None = None) -> Built:
    """Model re-deciding the sessions at the window's slots (all slots when None) given the others."""
    problem = index.problem
    window = set(problem.slot_by_id) if window is None else window
    frozen = [s for s in current if s.slot not in window]
    fixed_here = [Session(f.id, f.condition, f.slot, f.language, list(f.participants), f.booking)
                  for f in problem.fixed_sessions if f.slot in window]
    built = Built(cp_model.CpModel(), index, window, frozen, fixed_here,
                  [stype for stype in index.types if stype[1] in window])
    built.window_is_all = not frozen and window >= set(problem.slot_by_id)
    taken = _Taken.tally(index, frozen + fixed_here)
    built.constant = score_plan(problem, Plan(sessions=frozen + fixed_here))

    places: Places = defaultdict(list)
    objective = _add_session_types(built, taken, places)
    objective += _add_fixed_additions(built, taken, places)
    _add_parallel_limit(built, taken)
    objective += _add_person_rules(built, taken, places)
    objective += _add_bookings(built, taken)
    objective += _add_region_bonus(built)
    objective += _add_wants_to_meet(built)
    objective += _add_repeats(built)
    built.model.maximize(sum(objective) + built.constant)
    built.n_vars = len(built.model.proto.variables)
    return built


def _strength_value(problem: Problem, person: Participant, condition: str, language: str) -> int:
    """Score for the person's place in one session on the condition in the language."""
    return problem.place_value(person, condition, language)


def _add_role_count(model: cp_model.CpModel, members: list[Var], counts: tuple[int, int], copies: Copies) -> None:
    """H6 over `copies` copies: between the role's min and max members per copy."""
    low, high = counts
    model.add(sum(members) >= low * copies)
    model.add(sum(members) <= high * copies)


def _add_one_per_organisation(model: cp_model.CpModel, problem: Problem, members: list[tuple[str, Var]],
                              copies: Copies) -> None:
    """H8 over `copies` copies: at most one creative of an organisation per copy."""
    if not problem.rules.one_per_organisation:
        return
    by_organisation: dict[str, list[Var]] = defaultdict(list)
    for pid, place in members:
        person = problem.person[pid]
        if person.role == "creative" and person.organisation is not None:
            by_organisation[person.organisation].append(place)
    for places in by_organisation.values():
        if len(places) > 1:
            model.add(sum(places) <= copies)


def _add_session_types(built: Built, taken: _Taken, places: Places) -> list:
    """Copies opened per session type, who attends them (H1-H3) and the copy rules (H6, H8)."""
    problem, model = built.index.problem, built.model
    objective = []
    for stype in built.types:
        condition, slot, _language = stype
        candidates = {role: [pid for pid in ids if taken.is_free(pid, slot)]
                      for role, ids in built.index.eligible[stype].items()}
        most = min([taken.room(slot)] + [len(candidates[role]) // low
                                         for role, (low, _high) in problem.rules.counts.items() if low > 0])
        if most <= 0:
            continue
        copies = model.new_int_var(0, most, f"n{stype}")
        built.copies[stype] = copies
        objective.append(-problem.weights["session"] * copies)
        for role, counts in problem.rules.counts.items():
            attending = []
            for pid in candidates[role]:
                attends = model.new_bool_var(f"x{pid}{stype}")
                built.attends[(pid, stype)] = attends
                attending.append(attends)
                model.add(attends <= copies)  # nobody in an unopened type; tightens the LP relaxation a lot
                places[pid].append((slot, attends))
                objective.append(_strength_value(problem, problem.person[pid], condition, stype[2]) * attends)
            _add_role_count(model, attending, counts, copies)
        _add_one_per_organisation(
            model, problem, [(pid, built.attends[(pid, stype)]) for pid in candidates["creative"]], copies)
    built.types = [stype for stype in built.types if stype in built.copies]
    return objective


def _add_fixed_additions(built: Built, taken: _Taken, places: Places) -> list:
    """People who may join each fixed session in the window, within its role maxima (H6) and H8."""
    problem, model, weights = built.index.problem, built.model, built.index.problem.weights
    objective = []
    for fixed in built.fixed_here:
        listed = [problem.person[pid] for pid in fixed.participants]
        places_left = {role: high - sum(1 for person in listed if person.role == role)
                       for role, (_low, high) in problem.rules.counts.items()}
        listed_organisations = {person.organisation for person in listed if person.role == "creative"}
        booking = problem.booking_by_id.get(fixed.booking) if fixed.booking else None
        joining: dict[str, list[Var]] = defaultdict(list)
        joiners: list[tuple[str, Var]] = []
        for person in problem.participants:
            if (person.id in fixed.participants
                    or not built.index.fits(person, fixed.condition, fixed.slot, fixed.language, fixed.id)
                    or not taken.is_free(person.id, fixed.slot)):
                continue
            if (person.role == "creative" and problem.rules.one_per_organisation and person.organisation is not None
                    and person.organisation in listed_organisations):
                continue
            if places_left[person.role] <= 0:
                continue
            joins = model.new_bool_var(f"a{person.id}{fixed.id}")
            built.joins[(person.id, fixed.id)] = joins
            joining[person.role].append(joins)
            joiners.append((person.id, joins))
            places[person.id].append((fixed.slot, joins))
            # Everything the person adds, including pairs with listed members (pairs of two joiners come later).
            gain = _strength_value(problem, person, fixed.condition, fixed.language)
            gain += weights["wants"] * (sum(1 for pid in person.wants_to_meet if pid in fixed.participants)
                                        + sum(1 for other in listed if person.id in other.wants_to_meet))
            gain -= weights["repeat"] * sum(1 for other in listed if problem.is_repeat(person.id, other.id))
            if booking and booking.region is not None and person.role == "creative" and person.region == booking.region:
                gain += weights["region"]
            objective.append(gain * joins)
        for role, joins_of_role in joining.items():
            model.add(sum(joins_of_role) <= places_left[role])
        _add_one_per_organisation(model, problem, joiners, 1)
    return objective


def _add_parallel_limit(built: Built, taken: _Taken) -> None:
    """H7: at every start instant, the copies running there fit the parallel limit."""
    index = built.index
    limit = index.problem.rules.max_parallel_sessions
    for point in range(index.n_points):
        running = [built.copies[stype] for stype in built.types if point in index.cover[stype[1]]]
        if running:
            built.model.add(sum(running) <= limit - taken.running[point])


def _add_person_rules(built: Built, taken: _Taken, places: Places) -> list:
    """Per person: the cap (H5), no overlapping places (H4), and the served bonus for a creative not yet seated."""
    index, model = built.index, built.model
    problem = index.problem
    objective = []
    for pid, person_places in places.items():
        person = problem.person[pid]
        model.add(sum(place for _slot, place in person_places)
                  <= person.max_sessions - len(taken.slots_of.get(pid, ())))
        by_point: dict[int, list[Var]] = defaultdict(list)
        for slot, place in person_places:
            for point in index.cover[slot]:
                by_point[point].append(place)
        for at_once in by_point.values():
            if len(at_once) > 1:
                model.add_at_most_one(at_once)
        if person.role == "creative" and pid not in taken.served:
            served = model.new_bool_var(f"s{pid}")
            built.served[pid] = served
            model.add(served <= sum(place for _slot, place in person_places))
            objective.append(problem.served_value(person) * served)
    return objective


def _add_bookings(built: Built, taken: _Taken) -> list:
    """H10: each booking served in at most one type, one booking per copy, its commissioner attending the type."""
    problem, model = built.index.problem, built.model
    objective = []
    serving_type: dict[SessionType, list[Var]] = defaultdict(list)
    serving_commissioner: dict[tuple[str, SessionType], list[Var]] = defaultdict(list)
    for booking in problem.bookings:
        if booking.id in taken.booked:
            continue
        options = []
        for stype in built.types:
            condition, slot, language = stype
            if (condition == booking.condition and slot in booking.slots
                    and (booking.language is None or booking.language == language)
                    and (booking.commissioner, stype) in built.attends):
                serves = model.new_bool_var(f"y{booking.id}{stype}")
                built.serves[(booking.id, stype)] = serves
                options.append(serves)
                serving_type[stype].append(serves)
                serving_commissioner[(booking.commissioner, stype)].append(serves)
        if options:
            model.add_at_most_one(options)
            objective.append(problem.weights["booking"] * sum(options))
    for stype, serving in serving_type.items():
        if len(serving) > 1:
            model.add(sum(serving) <= built.copies[stype])
    for (commissioner, stype), serving in serving_commissioner.items():
        model.add(sum(serving) <= built.attends[(commissioner, stype)])
    return objective


def _add_region_bonus(built: Built) -> list:
    """Region bonus, credited per type: exact with one copy, an over-count otherwise."""
    problem, model, index = built.index.problem, built.model, built.index
    if not problem.weights["region"]:
        return []
    objective = []
    serving_by_type: dict[SessionType, list[tuple[str, Var]]] = defaultdict(list)
    for (booking_id, stype), serves in built.serves.items():
        serving_by_type[stype].append((booking_id, serves))
    most_creatives = problem.rules.counts["creative"][1]
    for stype in built.types:
        by_region: dict[str, list[Var]] = defaultdict(list)
        for booking_id, serves in serving_by_type[stype]:
            region = problem.booking_by_id[booking_id].region
            if region is not None:
                by_region[region].append(serves)
        for region, serving in by_region.items():
            bonuses = []
            for pid in index.eligible[stype]["creative"]:
                if (pid, stype) in built.attends and problem.person[pid].region == region:
                    bonus = model.new_bool_var(f"z{pid}{stype}")
                    built.regional[(pid, stype)] = bonus
                    model.add(bonus <= built.attends[(pid, stype)])
                    model.add(bonus <= sum(serving))
                    bonuses.append(bonus)
            if bonuses:
                model.add(sum(bonuses) <= most_creatives * sum(serving))
                objective.append(problem.weights["region"] * sum(bonuses))
    return objective


def _pair_values(problem: Problem) -> dict[tuple[str, str], int]:
    """Score of each unordered wants-to-meet pair sharing a session (both directions counted)."""
    values: dict[tuple[str, str], int] = defaultdict(int)
    for person in problem.participants:
        for other in person.wants_to_meet:
            values[tuple(sorted((person.id, other)))] += problem.weights["wants"]
    return values


def _add_wants_to_meet(built: Built) -> list:
    """Wants-to-meet pairs, credited per type (an over-count with several copies) and per fixed session."""
    problem, model = built.index.problem, built.model
    if not problem.weights["wants"]:
        return []
    objective = []
    types_of: dict[str, list[SessionType]] = defaultdict(list)  # in the order of built.types
    for pid, stype in built.attends:
        types_of[pid].append(stype)
    values = _pair_values(problem)
    partners: dict[tuple[str, SessionType, str], list[Var]] = defaultdict(list)
    for (p1, p2), value in values.items():
        if not _can_share(problem, p1, p2):
            continue
        for stype in types_of.get(p1, ()):
            if (p2, stype) in built.attends:
                meets = _add_meeting(built, p1, p2, stype, value, built.attends)
                objective.append(value * meets)
                partners[(p1, stype, problem.person[p2].role)].append(meets)
                partners[(p2, stype, problem.person[p1].role)].append(meets)
    # In one copy a person meets at most `max` people of a role (one fewer of their own role).
    for (pid, stype, role), meetings in partners.items():
        cap = problem.rules.counts[role][1] - (problem.person[pid].role == role)
        if len(meetings) > cap:
            model.add(sum(meetings) <= cap * built.attends[(pid, stype)])
    # Pairs of two people joining a fixed session (a pair with a listed member is in the joiner's gain).
    for (p1, p2), value in values.items():
        for fixed in built.fixed_here:
            if (p1, fixed.id) in built.joins and (p2, fixed.id) in built.joins:
                objective.append(value * _add_meeting(built, p1, p2, fixed.id, value, built.joins))
    return objective


def _add_repeats(built: Built) -> list:
    """Repeat pairs (met within `rules.repeat_rounds`), charged where they surely meet.

    In a type with one copy both attending means they meet: `repeat >= a1 + a2 - copies`
    forces the charge then and never with two or more copies, so the model charges no more
    than the plan pays and its bound stays an upper bound on the true score. The split keeps
    such pairs apart in types with several copies. Two people joining one fixed session are
    charged exactly (a joiner with a listed member is in the joiner's gain).
    """
    problem, model = built.index.problem, built.model
    weight = problem.weights["repeat"]
    if not weight or not problem.repeat_pairs:
        return []
    objective = []
    for p1, p2 in sorted(problem.repeat_pairs):
        if not _can_share(problem, p1, p2):
            continue
        for stype in built.types:
            first, second = built.attends.get((p1, stype)), built.attends.get((p2, stype))
            if first is None or second is None:
                continue
            charged = model.new_bool_var(f"r{p1}{p2}{stype}")
            built.repeats[(p1, p2, stype)] = charged
            model.add(charged >= first + second - built.copies[stype])
            objective.append(-weight * charged)
        for fixed in built.fixed_here:
            first, second = built.joins.get((p1, fixed.id)), built.joins.get((p2, fixed.id))
            if first is None or second is None:
                continue
            charged = model.new_bool_var(f"r{p1}{p2}{fixed.id}")
            built.repeats[(p1, p2, fixed.id)] = charged
            model.add(charged >= first + second - 1)
            objective.append(-weight * charged)
    return objective


def _add_meeting(built: Built, p1: str, p2: str, where: Where, value: int, places: dict) -> Var:
    """A Boolean that may be true only when both people have their place at `where`."""
    meets = built.model.new_bool_var(f"w{p1}{p2}{where}")
    built.meets[(p1, p2, where)] = meets
    built.pair_value[(p1, p2, where)] = value
    built.model.add(meets <= places[(p1, where)])
    built.model.add(meets <= places[(p2, where)])
    return meets


def _can_share(problem: Problem, p1: str, p2: str) -> bool:
    """Whether two people may sit in one session at all (role maxima, one creative per organisation)."""
    first, second = problem.person[p1], problem.person[p2]
    if first.role == second.role and problem.rules.counts[first.role][1] < 2:
        return False
    return not (first.role == second.role == "creative" and problem.rules.one_per_organisation
                and first.organisation is not None and first.organisation == second.organisation)


def add_hint(built: Built, sessions: list[Session]) -> None:
    """Hint the model with the window part of a plan (a full, consistent hint where the plan is valid)."""
    problem, model = built.index.problem, built.model
    counts: dict[SessionType, int] = defaultdict(int)
    attending: set[tuple[str, SessionType]] = set()
    joining: set[tuple[str, str]] = set()
    serving: set[tuple[str, SessionType]] = set()
    window = [s for s in sessions if s.slot in built.window]
    for session in window:
        if session.id in problem.fixed_by_id:
            listed = problem.fixed_by_id[session.id].participants
            joining.update((pid, session.id) for pid in session.participants if pid not in listed)
            continue
        stype = (session.condition, session.slot, session.language)
        counts[stype] += 1
        attending.update((pid, stype) for pid in session.participants)
        if session.booking:
            serving.add((session.booking, stype))
    for stype, copies in built.copies.items():
        model.add_hint(copies, counts.get(stype, 0))
    for key, attends in built.attends.items():
        model.add_hint(attends, key in attending)
    for key, joins in built.joins.items():
        model.add_hint(joins, key in joining)
    for key, serves in built.serves.items():
        model.add_hint(serves, key in serving)
    seated = {pid for session in window for pid in session.participants}
    for pid, served in built.served.items():
        model.add_hint(served, pid in seated)
    together: set[tuple[str, str, Where]] = set()
    regional: set[tuple[str, Where]] = set()
    for session in window:
        where = session.id if session.id in problem.fixed_by_id else (session.condition, session.slot,
                                                                         session.language)
        together.update((p1, p2, where) for p1 in session.participants for p2 in session.participants if p1 < p2)
        region = problem.booking_by_id[session.booking].region if session.booking else None
        if region is not None:
            regional.update((pid, where) for pid in session.participants if problem.person[pid].region == region)
    for key, meets in built.meets.items():
        model.add_hint(meets, key in together)
    for key, bonus in built.regional.items():
        model.add_hint(bonus, key in regional)
    for key, charged in built.repeats.items():
        model.add_hint(charged, key in together)


def extract(built: Built, value: Callable[[Var], int]) -> list[Session]:
    """The plan's sessions from a solution (value: a callable from variable to its value)."""
    problem = built.index.problem
    sessions = list(built.frozen)
    for fixed in built.fixed_here:
        extra = [pid for (pid, fixed_id), joins in built.joins.items() if fixed_id == fixed.id and value(joins)]
        sessions.append(Session(fixed.id, fixed.condition, fixed.slot, fixed.language,
                                list(fixed.participants) + sorted(extra), fixed.booking))
    members: dict[SessionType, list[str]] = defaultdict(list)
    for (pid, stype), attends in built.attends.items():
        if value(attends):
            members[stype].append(pid)
    served: dict[SessionType, list[str]] = defaultdict(list)
    for (booking_id, stype), serves in built.serves.items():
        if value(serves):
            served[stype].append(booking_id)
    taken_ids = {s.id for s in sessions} | set(problem.fixed_by_id)
    counter = 0
    for stype in built.types:
        copies = int(value(built.copies[stype]))
        if copies <= 0:
            continue
        for people, booking_id in split_type(problem, stype, copies, members[stype], served[stype]):
            counter += 1
            while f"S{counter}" in taken_ids:
                counter += 1
            session_id = f"S{counter}"
            taken_ids.add(session_id)
            sessions.append(Session(session_id, stype[0], stype[1], stype[2], people, booking_id))
    return sessions


def add_pair_cuts(built: Built, value: Callable[[Var], int]) -> int:
    """Cut off over-credited pairs: for each type whose credited pairs exceed the best split of its members,
    add `pairs(type) <= best` conditioned on the same members and copy count. Valid for every plan (the best
    split is exact), so the model's bound stays proven. Returns the number of cuts added."""
    problem, model = built.index.problem, built.model
    by_type: dict[SessionType, list[tuple[int, Var]]] = defaultdict(list)
    for key, meets in built.meets.items():
        if not isinstance(key[2], str):  # fixed sessions are exact
            by_type[key[2]].append((built.pair_value[key], meets))
    added = 0
    for stype, meetings in by_type.items():
        copies = int(value(built.copies[stype]))
        credited = sum(pair_value for pair_value, meets in meetings if value(meets))
        if copies < 2 or credited == 0:
            continue
        members = [pid for role in ("creative", "commissioner", "link_worker")
                   for pid in built.index.eligible[stype][role]
                   if (pid, stype) in built.attends and value(built.attends[(pid, stype)])]
        best = _best_pairs(problem, members, copies)
        if best is None or best >= credited:
            continue
        same_copies = model.new_bool_var("")
        model.add(built.copies[stype] == copies).only_enforce_if(same_copies)
        model.add(built.copies[stype] != copies).only_enforce_if(~same_copies)
        inside = set(members)
        present = [built.attends[(pid, stype)] for pid in inside]
        others = [attends for (pid, other_type), attends in built.attends.items()
                  if other_type == stype and pid not in inside]
        big = sum(pair_value for pair_value, _meets in meetings)
        # sum(1 - attends over members) + sum(attends over others) + [copies differ] is 0 only for this choice.
        differ = len(present) - sum(present) + (1 - same_copies) + sum(others)
        model.add(sum(pair_value * meets for pair_value, meets in meetings) <= best + big * differ)
        added += 1
    return added


def _split_model(problem: Problem, people: list[str], copies: int, name: str = ""
                 ) -> tuple[cp_model.CpModel, dict[tuple[str, int], Var], list]:
    """A small model dealing people into copies (each in one, H6 and H8 per copy) and its wants-to-meet terms."""
    model = cp_model.CpModel()
    place = {(pid, i): model.new_bool_var(f"{name}{pid}_{i}" if name else "")
             for pid in people for i in range(copies)}
    for pid in people:
        model.add_exactly_one(place[(pid, i)] for i in range(copies))
    for i in range(copies):
        for role, counts in problem.rules.counts.items():
            _add_role_count(model, [place[(pid, i)] for pid in people if problem.person[pid].role == role], counts, 1)
        _add_one_per_organisation(model, problem, [(pid, place[(pid, i)]) for pid in people], 1)
    pairs = []
    inside = set(people)
    for pid in people:
        for other in problem.person[pid].wants_to_meet:
            if other in inside:
                for i in range(copies):
                    both = model.new_bool_var("")
                    model.add(both <= place[(pid, i)])
                    model.add(both <= place[(other, i)])
                    pairs.append(problem.weights["wants"] * both)
    return model, place, pairs


def _split_repeats(problem: Problem, model: cp_model.CpModel, place: dict[tuple[str, int], Var], people: list[str],
                   copies: int) -> list:
    """Negative terms for repeat pairs sharing a copy."""
    terms = []
    if not problem.weights["repeat"]:
        return terms
    inside = set(people)
    for p1, p2 in problem.repeat_pairs:
        if p1 in inside and p2 in inside:
            for i in range(copies):
                both = model.new_bool_var("")
                model.add(both >= place[(p1, i)] + place[(p2, i)] - 1)
                terms.append(-problem.weights["repeat"] * both)
    return terms


def _best_pairs(problem: Problem, members: list[str], copies: int) -> int | None:
    """Most wants-to-meet value over valid splits of members into copies (None if not proved in time)."""
    model, _place, pairs = _split_model(problem, members, copies)
    model.maximize(sum(pairs))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 2.0
    if solver.solve(model) != cp_model.OPTIMAL:
        return None
    return int(round(solver.objective_value))


def split_type(problem: Problem, stype: SessionType, copies: int, people: list[str], bookings: list[str]
               ) -> list[tuple[list[str], str | None]]:
    """Deal the people of one type into valid copies, then swap to keep pairs and regions together."""
    people = sorted(people)
    if copies == 1:
        return [(people, bookings[0] if bookings else None)]
    dealt: list[list[str]] = [[] for _ in range(copies)]
    names: list[str | None] = [None] * copies
    pinned: set[str] = set()
    for i, booking_id in enumerate(sorted(bookings)):
        names[i] = booking_id
        commissioner = problem.booking_by_id[booking_id].commissioner
        dealt[i].append(commissioner)
        pinned.add(commissioner)
    for role in problem.rules.counts:
        mine = [pid for pid in people if problem.person[pid].role == role and pid not in pinned]
        if role == "creative":
            groups: dict[str, list[str]] = defaultdict(list)
            for pid in mine:
                groups[problem.person[pid].organisation or f"\0{pid}"].append(pid)
            mine = [pid for _org, group in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
                    for pid in group]
            # Strict round-robin over organisation runs: counts stay balanced (so within [min, max]) and a run
            # of at most `copies` members of one organisation (H8 in the model) lands in different copies.
            for j, pid in enumerate(mine):
                dealt[j % copies].append(pid)
            continue
        for pid in mine:
            counts = [sum(1 for other in copy if problem.person[other].role == role) for copy in dealt]
            dealt[min(range(copies), key=lambda i: (counts[i], i))].append(pid)
    if _copy_terms_possible(problem, dealt, names):
        if not _exact_split(problem, dealt, names, pinned):
            _improve_split(problem, dealt, names, pinned)
    return [(sorted(copy), names[i]) for i, copy in enumerate(dealt)]


def _copy_terms_possible(problem: Problem, dealt: list[list[str]], names: list[str | None]) -> bool:
    """Whether the split can change the score at all (some pair or a regional booking)."""
    members = {pid for copy in dealt for pid in copy}
    return any(other in members for pid in members for other in problem.person[pid].wants_to_meet) or any(
        name and problem.booking_by_id[name].region for name in names) or (
        problem.weights["repeat"] > 0 and repeats_in(problem, list(members)) > 0)


def _exact_split(problem: Problem, dealt: list[list[str]], names: list[str | None], pinned: set[str]) -> bool:
    """Re-deal the copies to maximise pairs and region bonuses exactly (tiny CP-SAT); False if not proved."""
    where = {pid: i for i, copy in enumerate(dealt) for pid in copy}
    people = sorted(where)
    model, place, objective = _split_model(problem, people, len(dealt), name="c")
    objective += _split_repeats(problem, model, place, people, len(dealt))
    for pid in people:
        if pid in pinned:
            model.add(place[(pid, where[pid])] == 1)
        model.add_hint(place[(pid, where[pid])], 1)
    for pid in people:
        if problem.person[pid].role == "creative":
            for i, name in enumerate(names):
                region = problem.booking_by_id[name].region if name else None
                if region is not None and region == problem.person[pid].region:
                    objective.append(problem.weights["region"] * place[(pid, i)])
    model.maximize(sum(objective))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 1.0
    if solver.solve(model) != cp_model.OPTIMAL:
        return False
    for i, copy in enumerate(dealt):
        copy[:] = [pid for pid in people if solver.value(place[(pid, i)])]
    return True


def _copy_value(problem: Problem, copy: list[str], booking_id: str | None) -> int:
    """Copy-dependent score terms: wants pairs and region bonus."""
    members = set(copy)
    value = problem.weights["wants"] * sum(1 for pid in copy for other in problem.person[pid].wants_to_meet
                                           if other in members)
    if booking_id:
        region = problem.booking_by_id[booking_id].region
        if region is not None:
            value += problem.weights["region"] * sum(
                1 for pid in copy if problem.person[pid].role == "creative" and problem.person[pid].region == region)
    if problem.weights["repeat"] and problem.repeat_pairs:
        value -= problem.weights["repeat"] * repeats_in(problem, copy)
    return value


def _valid_copy(problem: Problem, copy: list[str]) -> bool:
    """H6 counts and H8 for one copy."""
    for role, (low, high) in problem.rules.counts.items():
        if not low <= sum(1 for pid in copy if problem.person[pid].role == role) <= high:
            return False
    if problem.rules.one_per_organisation:
        organisations = [problem.person[pid].organisation for pid in copy if problem.person[pid].role == "creative"
                         and problem.person[pid].organisation is not None]
        if len(organisations) != len(set(organisations)):
            return False
    return True


def _improve_split(problem: Problem, dealt: list[list[str]], names: list[str | None], pinned: set[str]) -> None:
    """First-improvement swaps and moves of one person between two copies while the copy terms improve."""
    for _round in range(50):
        if not _improve_once(problem, dealt, names, pinned):
            return


def _improve_once(problem: Problem, dealt: list[list[str]], names: list[str | None], pinned: set[str]) -> bool:
    """Apply the first move or swap between two copies that raises their copy terms; False if there is none."""
    for i, j in ((i, j) for i in range(len(dealt)) for j in range(len(dealt)) if i != j):
        before = _copy_value(problem, dealt[i], names[i]) + _copy_value(problem, dealt[j], names[j])
        for pid in dealt[i]:
            if pid in pinned:
                continue
            role = problem.person[pid].role
            swaps = [None] + [other for other in dealt[j] if other not in pinned and problem.person[other].role == role]
            for other in swaps:
                copy_i = [q for q in dealt[i] if q != pid] + ([other] if other else [])
                copy_j = [q for q in dealt[j] if q != other] + [pid]
                if not (_valid_copy(problem, copy_i) and _valid_copy(problem, copy_j)):
                    continue
                if _copy_value(problem, copy_i, names[i]) + _copy_value(problem, copy_j, names[j]) > before:
                    dealt[i][:], dealt[j][:] = copy_i, copy_j
                    return True
    return False
