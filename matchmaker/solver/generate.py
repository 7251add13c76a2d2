"""Synthetic problems shaped like an all-Wales round (the sizes of bench/problems).

Distributions (all drawn from `random.Random(seed)`, so a size and seed give one problem):

- Sizes (creatives / link workers / commissioners / slots / bookings): S 120/20/8/20/4,
  M 600/90/30/40/15, L 2000/300/100/60/50, XL 6000/900/300/120/150.
- Slots: weekdays from Monday 22 March 2027 at 10:00, 11:00 and 14:00 Europe/London, 90
  minutes each, so 10:00 and 11:00 overlap; the offsets follow the clock change (28 March).
- 15 conditions with a long-tail (Zipf, exponent 1) popularity. Creatives list 1 condition
  (half), 2 or 3 (a quarter each); link workers 2-5, commissioners 3-7. Strengths 1-3, with
  3 (specialist) for the first condition more often.
- Languages: 73% English only, 24% Welsh and English, 3% Welsh only.
- Availability: each person picks a quarter to a third of the slots (at least one), favouring
  a few weekdays of their own.
- max_sessions: creatives 1 (75%) or 2; link workers 2-4; commissioners 3, 5 or 8.
- Priority: 1 (45%, a fifth of them left out to default), 1.5 (22%), 2 (33%).
- Regions: the seven health boards, uniform. Organisations: creatives are grouped into
  organisations of 1-8 members (geometric, mean about 2), members sharing a region.
- wants_to_meet: about 15% of people list two others, mostly creatives on a shared condition.
- Bookings: a commissioner's condition, 2, 4 or 8 of their available slots, a region for
  about 40% and Welsh for about 5%.
- With `history=True` (`generate --history`): contract 1.1, see `_add_history`.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from .problem import CONTRACT_VERSION, LATEST_VERSION

SIZES = {  # creatives, link workers, commissioners, slots, bookings
    "S": (120, 20, 8, 20, 4),
    "M": (600, 90, 30, 40, 15),
    "L": (2000, 300, 100, 60, 50),
    "XL": (6000, 900, 300, 120, 150),
}
CONDITIONS = ["dementia", "stroke", "mental-health", "chronic-pain", "long-covid", "cancer", "copd", "loneliness",
              "learning-disability", "frailty", "parkinsons", "diabetes", "perinatal", "substance-use", "young-people"]
REGIONS = ["betsi-cadwaladr", "powys", "hywel-dda", "swansea-bay", "cwm-taf-morgannwg", "cardiff-vale",
           "aneurin-bevan"]


def _slots(n: int) -> list[dict]:
    """n slots at 10:00, 11:00 and 14:00 on weekdays from 22 March 2027, London time."""
    tz = ZoneInfo("Europe/London")
    out, day = [], date(2027, 3, 22)
    while len(out) < n:
        if day.weekday() < 5:
            for hour in (10, 11, 14):
                if len(out) < n:
                    start = datetime(day.year, day.month, day.day, hour, tzinfo=tz)
                    out.append({"id": f"t{len(out)}", "start": start.isoformat(),
                                "end": (start + timedelta(minutes=90)).isoformat()})
        day += timedelta(days=1)
    return out


def generate_problem(size: str, seed: int, history: bool = False) -> dict:
    """A problem document of the given size (S, M, L or XL) drawn from the seed (1.1 with history and exclusions)."""
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}")
    n_cre, n_lw, n_com, n_slots, n_book = SIZES[size]
    rng = random.Random(f"{size}:{seed}")
    slots = _slots(n_slots)
    popularity = [1 / (i + 1) for i in range(len(CONDITIONS))]

    def conditions(k: int) -> dict[str, int]:
        """k distinct conditions drawn by popularity, with strengths."""
        chosen: list[str] = []
        while len(chosen) < k:
            c = rng.choices(CONDITIONS, popularity)[0]
            if c not in chosen:
                chosen.append(c)
        return {c: (3 if i == 0 and rng.random() < 0.5 else rng.choice((1, 2, 2, 3))) for i, c in enumerate(chosen)}

    def available() -> list[str]:
        """A quarter to a third of the slots, favouring some days."""
        k = max(1, round(n_slots * rng.uniform(0.25, 1 / 3)))
        days = sorted({i // 3 for i in range(n_slots)})
        favourite = set(rng.sample(days, max(1, len(days) // 2)))
        weights = [3 if i // 3 in favourite else 1 for i in range(n_slots)]
        picked: set[int] = set()
        while len(picked) < k:
            picked.add(rng.choices(range(n_slots), weights)[0])
        return [slots[i]["id"] for i in sorted(picked)]

    def languages() -> list[str]:
        """Mostly English only, a quarter bilingual, a few Welsh only."""
        r = rng.random()
        return ["en"] if r < 0.73 else (["cy", "en"] if r < 0.97 else ["cy"])

    people: list[dict] = []
    org_left, org_id, org_region = 0, 0, REGIONS[0]
    for i in range(n_cre):
        if org_left == 0:
            org_id += 1
            org_left = min(8, 1 + int(rng.expovariate(1.0)))
            org_region = rng.choice(REGIONS)
        org_left -= 1
        r = rng.random()
        prio = 1 if r < 0.45 else (1.5 if r < 0.67 else 2)
        p = {"id": f"c{i}", "role": "creative", "conditions": conditions(rng.choices((1, 2, 3), (2, 1, 1))[0]),
             "available": available(), "max_sessions": 1 if rng.random() < 0.75 else 2, "languages": languages(),
             "region": org_region, "organisation": f"org{org_id}"}
        if not (prio == 1 and rng.random() < 0.2):
            p["priority"] = prio
        people.append(p)
    for i in range(n_lw):
        people.append({"id": f"l{i}", "role": "link_worker", "conditions": conditions(rng.randint(2, 5)),
                       "available": available(), "max_sessions": rng.randint(2, 4), "languages": languages(),
                       "region": rng.choice(REGIONS)})
    for i in range(n_com):
        people.append({"id": f"m{i}", "role": "commissioner", "conditions": conditions(rng.randint(3, 7)),
                       "available": available(), "max_sessions": rng.choice((3, 5, 8)),
                       "languages": rng.choice((["en"], ["en"], ["cy", "en"])), "region": rng.choice(REGIONS)})
    by_cond: dict[str, list[str]] = {}
    for p in people:
        for c in p["conditions"]:
            by_cond.setdefault(c, []).append(p["id"])
    for p in people:
        if rng.random() < 0.15:
            pool = by_cond[next(iter(p["conditions"]))]
            wants = [q for q in rng.sample(pool, min(len(pool), 3)) if q != p["id"]][:2]
            if wants:
                p["wants_to_meet"] = wants
    commissioners = [p for p in people if p["role"] == "commissioner"]
    bookings = []
    for i in range(n_book):
        m = rng.choice(commissioners)
        k = min(len(m["available"]), rng.choice((2, 4, 8)))
        b = {"id": f"b{i}", "commissioner": m["id"], "condition": rng.choice(sorted(m["conditions"])),
             "slots": rng.sample(m["available"], k)}
        if rng.random() < 0.05 and "cy" in m["languages"]:
            b["language"] = "cy"
        if rng.random() < 0.4:
            b["region"] = rng.choice(REGIONS)
        bookings.append(b)
    problem = {
        "version": CONTRACT_VERSION,
        "timezone": "Europe/London",
        "slots": slots,
        "conditions": [{"id": c, "name": c.replace("-", " ").capitalize()} for c in CONDITIONS],
        "participants": people,
        "bookings": bookings,
        "fixed_sessions": [],
        "rules": {"creatives": [3, 6], "commissioners": [1, 2], "link_workers": [1, 3],
                  "max_parallel_sessions": 6, "one_per_organisation": True},
    }
    if history:
        _add_history(problem, random.Random(f"{size}:{seed}:history"))
    return problem


def _add_history(problem: dict, rng: random.Random) -> None:
    """Make the document 1.1 with three earlier rounds of history, met pairs and slot exclusions.

    A separate random stream, so the people are those of the same size and seed without history.
    Each person took part in 0-3 earlier rounds (two thirds at least one); a creative who registered
    was matched in each round with chance 0.55 (so about a fifth of returning creatives were never
    matched), staff in most rounds; matched rounds were attended except for a no-show about one time
    in eight. Every matched creative met one or two of the staff sharing their first condition, in
    a round they were matched (1 to 3 rounds ago). About 3% of people are excluded from one of
    their available slots (they declined a session there or an organiser removed them).
    """
    people = problem["participants"]
    staff_by_cond: dict[str, list[str]] = {}
    for p in people:
        if p["role"] != "creative":
            for c in p["conditions"]:
                staff_by_cond.setdefault(c, []).append(p["id"])
    records: dict[str, dict] = {}
    met = []
    exclusions = []
    for p in people:
        registered = rng.choice((0, 1, 1, 2, 2, 3))
        if registered:
            chance = 0.55 if p["role"] == "creative" else 0.9
            matched_ago = [ago for ago in range(1, registered + 1) if rng.random() < chance]
            attended = sum(1 for _ in matched_ago if rng.random() > 0.125)
            records[p["id"]] = {"rounds_registered": registered, "rounds_matched": len(matched_ago),
                                "rounds_attended": attended, "no_shows": len(matched_ago) - attended,
                                "last_matched": min(matched_ago) if matched_ago else None}
            if p["role"] == "creative" and matched_ago:
                pool = staff_by_cond.get(next(iter(p["conditions"])), [])
                for other in rng.sample(pool, min(len(pool), rng.choice((1, 2)))):
                    ago = rng.choice(matched_ago)
                    met.append({"participants": [p["id"], other], "rounds_ago": ago, "round": f"r-{ago}"})
        if rng.random() < 0.03 and p["available"]:
            exclusions.append({"participant": p["id"], "slot": rng.choice(p["available"])})
    problem["version"] = LATEST_VERSION
    problem["history"] = {"participants": records, "met": met}
    problem["exclusions"] = exclusions
