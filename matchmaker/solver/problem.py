"""The problem document: dataclasses, parsing and validation (docs/matching-contract.md)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

CONTRACT_VERSION = 1  # the "version" of plan.json, and of problem.json documents of the first contract
LATEST_VERSION = 1.1  # problem.json with history, exclusions and the cross-round score terms
PROBLEM_VERSIONS = (1, 1.1)
WELSH = "cy"
ROLES = ("creative", "commissioner", "link_worker")
RULE_KEYS = {"creative": "creatives", "commissioner": "commissioners", "link_worker": "link_workers"}
DEFAULT_WEIGHTS = {
    "booking": 1000,
    "served": 100,
    "strength": 10,
    "staff_strength": 2,
    "wants": 5,
    "region": 3,
    "session": 5,
}
# Contract 1.1 terms (docs/matching-contract.md, "Score"); all 0 for a version 1 document so it solves as before.
HISTORY_WEIGHTS = {
    "missed": 60,
    "repeat": 40,
    "no_show": 0,
    "welsh": 15,
}
DEFAULT_REPEAT_ROUNDS = 2


class ProblemError(ValueError):
    """Invalid input; `problems` holds one line per problem, each naming the field path."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Slot:
    id: str
    start: datetime
    end: datetime

    def overlaps(self, other: Slot) -> bool:
        """True when the two slots share an instant."""
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Condition:
    id: str
    name: str


@dataclass(frozen=True)
class Participant:
    id: str
    role: str
    conditions: dict[str, int]
    available: tuple[str, ...]
    max_sessions: int
    languages: tuple[str, ...]
    region: str | None = None
    organisation: str | None = None
    priority: float = 1
    wants_to_meet: tuple[str, ...] = ()


@dataclass(frozen=True)
class Booking:
    id: str
    commissioner: str
    condition: str
    slots: tuple[str, ...]
    language: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class FixedSession:
    id: str
    condition: str
    slot: str
    language: str
    participants: tuple[str, ...]
    booking: str | None = None


@dataclass(frozen=True)
class Rules:
    counts: dict[str, tuple[int, int]]  # role -> (min, max) per session
    max_parallel_sessions: int
    one_per_organisation: bool
    repeat_rounds: int = DEFAULT_REPEAT_ROUNDS  # a pair that met this many rounds ago or fewer is a repeat


@dataclass(frozen=True)
class Record:
    """A participant's past rounds (contract 1.1 `history.participants`)."""

    rounds_registered: int = 0
    rounds_matched: int = 0
    rounds_attended: int = 0
    no_shows: int = 0
    last_matched: int | None = None  # rounds ago (1 = the previous round), None if never

    @property
    def rounds_missed(self) -> int:
        """Earlier rounds they registered for without being matched, when they were never matched at all."""
        return self.rounds_registered if self.rounds_matched == 0 else 0


@dataclass(frozen=True)
class Met:
    """Two participants who shared a session `rounds_ago` rounds ago (1 = the previous round)."""

    pair: tuple[str, str]  # sorted
    rounds_ago: int
    round: str | None = None


@dataclass
class Problem:
    slots: list[Slot]
    conditions: list[Condition]
    participants: list[Participant]
    bookings: list[Booking]
    fixed_sessions: list[FixedSession]
    rules: Rules
    weights: dict[str, int]
    timezone: str = "Europe/London"
    version: float = CONTRACT_VERSION
    history: dict[str, Record] = field(default_factory=dict)
    met: list[Met] = field(default_factory=list)
    excluded_sessions: set[tuple[str, str]] = field(default_factory=set)  # (participant, fixed session id)
    excluded_slots: set[tuple[str, str]] = field(default_factory=set)  # (participant, slot id)
    slot_by_id: dict[str, Slot] = field(init=False, repr=False)
    person: dict[str, Participant] = field(init=False, repr=False)
    booking_by_id: dict[str, Booking] = field(init=False, repr=False)
    condition_by_id: dict[str, Condition] = field(init=False, repr=False)
    fixed_by_id: dict[str, FixedSession] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.slot_by_id = {s.id: s for s in self.slots}
        self.person = {p.id: p for p in self.participants}
        self.booking_by_id = {b.id: b for b in self.bookings}
        self.condition_by_id = {c.id: c for c in self.conditions}
        self.fixed_by_id = {f.id: f for f in self.fixed_sessions}
        self.repeat_pairs: set[tuple[str, str]] = {
            m.pair for m in self.met if m.rounds_ago <= self.rules.repeat_rounds}
        self._place_cache: dict[tuple[str, str, str], int] = {}
        self._served_cache: dict[str, int] = {}
        self.repeat_partners: dict[str, set[str]] = {}
        for a, b in self.repeat_pairs:
            self.repeat_partners.setdefault(a, set()).add(b)
            self.repeat_partners.setdefault(b, set()).add(a)

    def excluded(self, pid: str, slot: str, session_id: str | None = None) -> bool:
        """H11: pid must never be in a session at this slot (or in this session)."""
        return (pid, slot) in self.excluded_slots or (
            session_id is not None and (pid, session_id) in self.excluded_sessions)

    def record(self, pid: str) -> Record:
        """The participant's history (empty when the problem has none)."""
        return self.history.get(pid, _NO_RECORD)

    def is_repeat(self, p1: str, p2: str) -> bool:
        """Whether the two met within the last `rules.repeat_rounds` rounds."""
        return (p1, p2) in self.repeat_pairs or (p2, p1) in self.repeat_pairs

    def place_value(self, p: Participant, condition: str, language: str) -> int:
        """Score for one person's place in one session: strength, Welsh-medium bonus, no-show penalty (memoised)."""
        key = (p.id, condition, language)
        value = self._place_cache.get(key)
        if value is None:
            value = self._place_cache[key] = self._place_value(p, condition, language)
        return value

    def _place_value(self, p: Participant, condition: str, language: str) -> int:
        """place_value, computed."""
        w = self.weights
        value = (w["strength"] if p.role == "creative" else w["staff_strength"]) * p.conditions.get(condition, 0)
        if language == WELSH and WELSH in p.languages:
            value += w["welsh"]
        return value - w["no_show"] * self.record(p.id).no_shows

    def points(self) -> list[datetime]:
        """Distinct slot start instants: the parallel limit and clashes only need checking there."""
        return sorted({s.start for s in self.slots})

    def covers(self, slot_id: str) -> list[datetime]:
        """Start instants lying inside the given slot."""
        s = self.slot_by_id[slot_id]
        return [q for q in self.points() if s.start <= q < s.end]

    def served_value(self, p: Participant) -> int:
        """Score for a creative being in at least one session (rounded half up), with the missed-rounds bonus."""
        value = self._served_cache.get(p.id)
        if value is None:
            value = self._served_cache[p.id] = self._served_value(p)
        return value

    def _served_value(self, p: Participant) -> int:
        """served_value, computed."""
        return (math.floor(self.weights["served"] * p.priority + 0.5)
                + self.weights["missed"] * self.record(p.id).rounds_missed)


_NO_RECORD = Record()


def load_problem(path: str | Path) -> Problem:
    """Read and parse a problem JSON file; raises ProblemError on any bad input."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProblemError([f"{path}: cannot read file ({exc.__class__.__name__})"]) from None
    return parse_problem(parse_json(text, str(path)))


def parse_json(text: str, where: str) -> Any:
    """json.loads with a one-line ProblemError instead of an exception trace."""
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        msg = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
        line = f" at line {exc.lineno} column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise ProblemError([f"{where}: not valid JSON: {msg}{line}"]) from None


class _Reader:
    """Collects validation errors with field paths while reading untrusted JSON."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def err(self, path: str, msg: str) -> None:
        """Record one problem at a field path."""
        self.errors.append(f"{path}: {msg}")

    def obj(self, value: Any, path: str) -> dict | None:
        """value if it is an object, else None after recording an error."""
        if not isinstance(value, dict):
            self.err(path, f"expected an object, got {_kind(value)}")
            return None
        return value

    def lst(self, value: Any, path: str) -> list | None:
        """value if it is a list, else None after recording an error."""
        if not isinstance(value, list):
            self.err(path, f"expected a list, got {_kind(value)}")
            return None
        return value

    def get(self, d: dict, key: str, path: str, kind: str, *, required: bool = True, default: Any = None) -> Any:
        """Fetch d[key] checked against kind: str, int, number, bool, list, object, str?."""
        p = f"{path}.{key}" if path else key
        if key not in d or (d[key] is None and kind.endswith("?")):
            if required and not kind.endswith("?"):
                self.err(p, "missing")
            return default
        v = d[key]
        base = kind.rstrip("?")
        ok = {
            "str": isinstance(v, str),
            "int": isinstance(v, int) and not isinstance(v, bool),
            "number": isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v),
            "bool": isinstance(v, bool),
            "list": isinstance(v, list),
            "object": isinstance(v, dict),
        }[base]
        if not ok:
            self.err(p, f"expected {_article(base)}, got {_kind(v)}")
            return default
        if base == "str" and not v.strip():
            self.err(p, "must not be empty")
            return default
        return v

    def ids(self, items: list, path: str, key: str = "id") -> None:
        """Record duplicate ids among the items of a list."""
        seen: set[str] = set()
        for i, it in enumerate(items):
            v = it.get(key) if isinstance(it, dict) else None
            if isinstance(v, str):
                if v in seen:
                    self.err(f"{path}[{i}].{key}", f'duplicate id "{v}"')
                seen.add(v)


def _kind(v: Any) -> str:
    """A JSON value kind for error messages."""
    if v is None:
        return "null"
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "a list", dict: "an object"}
    return names.get(
        type(v), type(v).__name__
    )


def _key(key: str) -> str:
    """An object key for a field path: as it is when plain, else quoted (never a line break in a message)."""
    return key if key.replace("-", "_").isidentifier() else json.dumps(key)


def _article(kind: str) -> str:
    """A type name with its article for error messages."""
    return {"int": "an integer", "object": "an object", "number": "a number"}.get(kind, f"a {kind}")


def _datetime(r: _Reader, d: dict, key: str, path: str) -> datetime | None:
    """An ISO 8601 date-time with a UTC offset, or None after recording an error."""
    s = r.get(d, key, path, "str")
    if s is None:
        return None
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        r.err(f"{path}.{key}", f'not an ISO 8601 date-time: "{s}"')
        return None
    if dt.tzinfo is None:
        r.err(f"{path}.{key}", f'needs a UTC offset, e.g. "{s}+00:00"')
        return None
    return dt


def _id_list(r: _Reader, d: dict, key: str, path: str, known: dict | set, what: str, *,
             required: bool = True) -> tuple[str, ...]:
    """A list of known, distinct ids, recording an error for each bad entry."""
    lst = r.get(d, key, path, "list", required=required, default=[])
    out: list[str] = []
    for i, v in enumerate(lst or []):
        p = f"{path}.{key}[{i}]"
        if not isinstance(v, str):
            r.err(p, f"expected a string, got {_kind(v)}")
        elif v not in known:
            r.err(p, f'unknown {what} "{v}"')
        elif v in out:
            r.err(p, f'"{v}" listed twice')
        else:
            out.append(v)
    return tuple(out)


def parse_problem(data: Any) -> Problem:
    """Validate a problem document and build a Problem; raises ProblemError listing every problem."""
    r = _Reader()
    top = r.obj(data, "problem")
    if top is None:
        raise ProblemError(r.errors)
    version = r.get(top, "version", "", "number")
    if version is not None and version not in PROBLEM_VERSIONS:
        r.err("version", f"unsupported version {version} (expected 1 or 1.1)")
    newer = version == LATEST_VERSION
    timezone = r.get(top, "timezone", "", "str", required=False, default="Europe/London")

    slots: list[Slot] = []
    for i, s in enumerate(r.get(top, "slots", "", "list") or []):
        p = f"slots[{i}]"
        if r.obj(s, p) is None:
            continue
        sid = r.get(s, "id", p, "str")
        start, end = _datetime(r, s, "start", p), _datetime(r, s, "end", p)
        if start and end and end <= start:
            r.err(f"{p}.end", "must be after start")
        if sid and start and end and end > start:
            slots.append(Slot(sid, start, end))
    r.ids(top.get("slots") if isinstance(top.get("slots"), list) else [], "slots")
    slot_ids = {s.id for s in slots}

    conditions: list[Condition] = []
    for i, c in enumerate(r.get(top, "conditions", "", "list") or []):
        p = f"conditions[{i}]"
        if r.obj(c, p) is None:
            continue
        cid, name = r.get(c, "id", p, "str"), r.get(c, "name", p, "str")
        if cid and name:
            conditions.append(Condition(cid, name))
    r.ids(top.get("conditions") if isinstance(top.get("conditions"), list) else [], "conditions")
    cond_ids = {c.id for c in conditions}

    raw_people = r.get(top, "participants", "", "list") or []
    r.ids(raw_people, "participants")
    person_ids = {q.get("id") for q in raw_people if isinstance(q, dict) and isinstance(q.get("id"), str)}
    people: list[Participant] = []
    for i, q in enumerate(raw_people):
        person = _participant(r, q, f"participants[{i}]", slot_ids, cond_ids, person_ids)
        if person:
            people.append(person)
    by_id = {q.id: q for q in people}

    bookings: list[Booking] = []
    raw_bookings = r.get(top, "bookings", "", "list", required=False, default=[]) or []
    r.ids(raw_bookings, "bookings")
    for i, b in enumerate(raw_bookings):
        p = f"bookings[{i}]"
        if r.obj(b, p) is None:
            continue
        bid = r.get(b, "id", p, "str")
        com = r.get(b, "commissioner", p, "str")
        if com is not None and com not in person_ids:
            r.err(f"{p}.commissioner", f'unknown participant "{com}"')
        elif com in by_id and by_id[com].role != "commissioner":
            r.err(f"{p}.commissioner", f'"{com}" is a {by_id[com].role}, not a commissioner')
        cond = r.get(b, "condition", p, "str")
        if cond is not None and cond not in cond_ids:
            r.err(f"{p}.condition", f'unknown condition "{cond}"')
        bslots = _id_list(r, b, "slots", p, slot_ids, "slot")
        if isinstance(b.get("slots"), list) and not b["slots"]:
            r.err(f"{p}.slots", "must list at least one slot")
        lang = r.get(b, "language", p, "str?")
        region = r.get(b, "region", p, "str?")
        if bid and com and cond:
            bookings.append(Booking(bid, com, cond, bslots, lang, region))
    booking_ids = {b.id for b in bookings}

    fixed: list[FixedSession] = []
    raw_fixed = r.get(top, "fixed_sessions", "", "list", required=False, default=[]) or []
    r.ids(raw_fixed, "fixed_sessions")
    for i, f in enumerate(raw_fixed):
        p = f"fixed_sessions[{i}]"
        if r.obj(f, p) is None:
            continue
        fid = r.get(f, "id", p, "str")
        cond = r.get(f, "condition", p, "str")
        if cond is not None and cond not in cond_ids:
            r.err(f"{p}.condition", f'unknown condition "{cond}"')
        slot = r.get(f, "slot", p, "str")
        if slot is not None and slot not in slot_ids:
            r.err(f"{p}.slot", f'unknown slot "{slot}"')
        lang = r.get(f, "language", p, "str")
        members = _id_list(r, f, "participants", p, person_ids, "participant")
        bk = r.get(f, "booking", p, "str?")
        if bk is not None and bk not in booking_ids:
            r.err(f"{p}.booking", f'unknown booking "{bk}"')
        if fid and cond and slot and lang:
            fixed.append(FixedSession(fid, cond, slot, lang, members, bk))

    rules = _rules(r, top, newer)
    known_weights = {**DEFAULT_WEIGHTS, **HISTORY_WEIGHTS} if newer else DEFAULT_WEIGHTS
    weights = {**DEFAULT_WEIGHTS, **(HISTORY_WEIGHTS if newer else dict.fromkeys(HISTORY_WEIGHTS, 0))}
    w = r.get(top, "weights", "", "object", required=False, default={}) or {}
    for k, v in w.items():
        if k not in known_weights:
            r.err(f"weights.{_key(k)}", f"unknown weight (expected one of {', '.join(known_weights)})")
        elif not isinstance(v, int) or isinstance(v, bool) or v < 0:
            r.err(f"weights.{k}", f"expected a whole number >= 0, got {_kind(v) if not isinstance(v, int) else v}")
        else:
            weights[k] = v
    history: dict[str, Record] = {}
    met: list[Met] = []
    ex_sessions: set[tuple[str, str]] = set()
    ex_slots: set[tuple[str, str]] = set()
    if newer:
        history, met = _history(r, top, person_ids)
        ex_sessions, ex_slots = _exclusions(r, top, person_ids, slot_ids, {f.id for f in fixed})
    if r.errors:
        raise ProblemError(r.errors)
    problem = Problem(slots, conditions, people, bookings, fixed, rules, weights, timezone, version or 1,
                      history, met, ex_sessions, ex_slots)
    _check_fixed(r, problem)
    if r.errors:
        raise ProblemError(r.errors)
    return problem


def _participant(r: _Reader, q: Any, p: str, slot_ids: set, cond_ids: set, person_ids: set) -> Participant | None:
    """One validated participant, or None after recording its errors."""
    if r.obj(q, p) is None:
        return None
    n_err = len(r.errors)
    pid = r.get(q, "id", p, "str")
    role = r.get(q, "role", p, "str")
    if role is not None and role not in ROLES:
        r.err(f"{p}.role", f'unknown role "{role}" (expected creative, commissioner or link_worker)')
    conds: dict[str, int] = {}
    for cid, strength in (r.get(q, "conditions", p, "object") or {}).items():
        cp = f"{p}.conditions.{cid}"
        if cid not in cond_ids:
            r.err(cp, f'unknown condition "{cid}"')
        elif not isinstance(strength, int) or isinstance(strength, bool) or strength not in (1, 2, 3):
            r.err(cp, f"strength must be 1, 2 or 3, got {json.dumps(strength)}")
        else:
            conds[cid] = strength
    available = _id_list(r, q, "available", p, slot_ids, "slot")
    max_sessions = r.get(q, "max_sessions", p, "int")
    if max_sessions is not None and max_sessions < 0:
        r.err(f"{p}.max_sessions", f"must be >= 0, got {max_sessions}")
    langs: list[str] = []
    for i, lang in enumerate(r.get(q, "languages", p, "list") or []):
        if not isinstance(lang, str) or not lang.strip():
            r.err(f"{p}.languages[{i}]", f"expected a language code, got {json.dumps(lang)}")
        elif lang not in langs:
            langs.append(lang)
    region = r.get(q, "region", p, "str?", required=False)
    org = r.get(q, "organisation", p, "str?", required=False)
    priority = r.get(q, "priority", p, "number?", required=False, default=1)
    if priority is not None and priority < 1:
        r.err(f"{p}.priority", f"must be >= 1, got {priority}")
    elif priority is not None and priority > 1e6:
        r.err(f"{p}.priority", f"must be <= 1000000, got {priority}")
    wants = _id_list(r, q, "wants_to_meet", p, person_ids, "participant", required=False)
    if pid in wants:
        r.err(f"{p}.wants_to_meet", f'"{pid}" lists itself')
    if len(r.errors) > n_err:
        return None
    return Participant(pid, role, conds, available, max_sessions, tuple(langs), region, org, priority, wants)


def _history(r: _Reader, top: dict, person_ids: set) -> tuple[dict[str, Record], list[Met]]:
    """The optional `history` block of a 1.1 document."""
    raw = r.get(top, "history", "", "object", required=False, default={}) or {}
    records: dict[str, Record] = {}
    people = r.get(raw, "participants", "history", "object", required=False, default={}) or {}
    for pid, entry in people.items():
        p = f"history.participants.{_key(pid)}"
        if pid not in person_ids:
            r.err(p, f'unknown participant "{pid}"')
            continue
        if r.obj(entry, p) is None:
            continue
        counts = {}
        for key in ("rounds_registered", "rounds_matched", "rounds_attended", "no_shows"):
            v = r.get(entry, key, p, "int", required=False, default=0)
            if v is not None and v < 0:
                r.err(f"{p}.{key}", f"must be >= 0, got {v}")
            counts[key] = max(0, v or 0)
        last = r.get(entry, "last_matched", p, "int?", required=False)
        if last is not None and last < 1:
            r.err(f"{p}.last_matched", f"rounds ago must be >= 1, got {last}")
        if counts["rounds_matched"] > counts["rounds_registered"]:
            r.err(f"{p}.rounds_matched", "more than rounds_registered")
        records[pid] = Record(**counts, last_matched=last)
    met: list[Met] = []
    for i, m in enumerate(r.get(raw, "met", "history", "list", required=False, default=[]) or []):
        p = f"history.met[{i}]"
        if r.obj(m, p) is None:
            continue
        pair = r.get(m, "participants", p, "list")
        ago = r.get(m, "rounds_ago", p, "int")
        label = r.get(m, "round", p, "str?", required=False)
        if pair is None or ago is None:
            continue
        if len(pair) != 2 or not all(isinstance(x, str) for x in pair) or pair[0] == pair[1]:
            r.err(f"{p}.participants", "expected two different participant ids")
            continue
        unknown = [x for x in pair if x not in person_ids]
        if unknown:
            r.err(f"{p}.participants", f'unknown participant "{unknown[0]}"')
            continue
        if ago < 1:
            r.err(f"{p}.rounds_ago", f"must be >= 1, got {ago}")
            continue
        met.append(Met(tuple(sorted(pair)), ago, label))
    return records, met


def _exclusions(r: _Reader, top: dict, person_ids: set, slot_ids: set, fixed_ids: set
                ) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The optional `exclusions` list of a 1.1 document: (participant, fixed session) and (participant, slot)."""
    sessions: set[tuple[str, str]] = set()
    slots: set[tuple[str, str]] = set()
    for i, e in enumerate(r.get(top, "exclusions", "", "list", required=False, default=[]) or []):
        p = f"exclusions[{i}]"
        if r.obj(e, p) is None:
            continue
        pid = r.get(e, "participant", p, "str")
        if pid is not None and pid not in person_ids:
            r.err(f"{p}.participant", f'unknown participant "{pid}"')
            continue
        has_session, has_slot = e.get("session") is not None, e.get("slot") is not None
        if has_session == has_slot:
            r.err(p, "give exactly one of session and slot")
            continue
        if has_session:
            sid = r.get(e, "session", p, "str")
            if sid is not None and sid not in fixed_ids:
                r.err(f"{p}.session", f'unknown fixed session "{sid}"')
            elif sid is not None and pid is not None:
                sessions.add((pid, sid))
        else:
            tid = r.get(e, "slot", p, "str")
            if tid is not None and tid not in slot_ids:
                r.err(f"{p}.slot", f'unknown slot "{tid}"')
            elif tid is not None and pid is not None:
                slots.add((pid, tid))
    return sessions, slots


def _rules(r: _Reader, top: dict, newer: bool = False) -> Rules:
    """The validated rules block."""
    raw = r.get(top, "rules", "", "object")
    if raw is None:
        return Rules({role: (0, 0) for role in ROLES}, 0, False)
    counts: dict[str, tuple[int, int]] = {}
    for role, key in RULE_KEYS.items():
        v = r.get(raw, key, "rules", "list")
        if v is None:
            counts[role] = (0, 0)
            continue
        if len(v) != 2 or not all(isinstance(x, int) and not isinstance(x, bool) for x in v):
            r.err(f"rules.{key}", f"expected [min, max] whole numbers, got {json.dumps(v)}")
            counts[role] = (0, 0)
        elif v[0] < 0 or v[0] > v[1]:
            r.err(f"rules.{key}", f"min {v[0]} must be >= 0 and not exceed max {v[1]}")
            counts[role] = (0, 0)
        else:
            counts[role] = (v[0], v[1])
    par = r.get(raw, "max_parallel_sessions", "rules", "int")
    if par is not None and par < 0:
        r.err("rules.max_parallel_sessions", f"must be >= 0, got {par}")
    one = r.get(raw, "one_per_organisation", "rules", "bool")
    repeat = DEFAULT_REPEAT_ROUNDS
    if newer:
        repeat = r.get(raw, "repeat_rounds", "rules", "int", required=False, default=DEFAULT_REPEAT_ROUNDS)
        if repeat is not None and repeat < 0:
            r.err("rules.repeat_rounds", f"must be >= 0, got {repeat}")
    return Rules(counts, par or 0, bool(one), max(0, repeat or 0))


def _check_fixed(r: _Reader, pb: Problem) -> None:
    """Fixed sessions must be keepable together, or no plan could be valid; say which field breaks it."""
    used: dict[str, list[FixedSession]] = {}
    booked: dict[str, str] = {}
    for i, f in enumerate(pb.fixed_sessions):
        p = f"fixed_sessions[{i}]"
        for role, (_lo, hi) in pb.rules.counts.items():
            n = sum(1 for q in f.participants if pb.person[q].role == role)
            if n > hi:
                r.err(f"{p}.participants", f"{n} {RULE_KEYS[role]}, more than the maximum {hi}")
        if pb.rules.one_per_organisation:
            orgs = [pb.person[q].organisation for q in f.participants if pb.person[q].role == "creative"]
            dup = sorted({o for o in orgs if o is not None and orgs.count(o) > 1})
            if dup:
                r.err(f"{p}.participants", f'two creatives of organisation "{dup[0]}"')
        for q in f.participants:
            if pb.excluded(q, f.slot, f.id):
                r.err(f"{p}.participants", f'"{q}" is excluded from this session or its slot (H11)')
            for other in used.get(q, []):
                if pb.slot_by_id[other.slot].overlaps(pb.slot_by_id[f.slot]):
                    r.err(f"{p}.participants", f'"{q}" is also in fixed session "{other.id}" at an overlapping time')
            used.setdefault(q, []).append(f)
        if f.booking:
            b = pb.booking_by_id[f.booking]
            if f.booking in booked:
                r.err(f"{p}.booking", f'booking "{f.booking}" is already named by fixed session "{booked[f.booking]}"')
            booked[f.booking] = f.id
            if b.commissioner not in f.participants:
                r.err(f"{p}.booking", f'booking "{b.id}" needs its commissioner "{b.commissioner}" in the session')
            if b.condition != f.condition or f.slot not in b.slots or (b.language and b.language != f.language):
                r.err(f"{p}.booking", f'booking "{b.id}" asks for a different condition, slot or language')
    for q, fs in used.items():
        if len(fs) > pb.person[q].max_sessions:
            r.err(f"participants[{pb.participants.index(pb.person[q])}].max_sessions",
                  f'"{q}" is in {len(fs)} fixed sessions, more than max_sessions {pb.person[q].max_sessions}')
    for q in pb.points():
        running = [f.id for f in pb.fixed_sessions
                   if pb.slot_by_id[f.slot].start <= q < pb.slot_by_id[f.slot].end]
        if len(running) > pb.rules.max_parallel_sessions:
            r.err("rules.max_parallel_sessions",
                  f"{len(running)} fixed sessions run at {q.isoformat()}, more than {pb.rules.max_parallel_sessions}")
