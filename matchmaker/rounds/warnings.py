"""Early warnings for a round: per condition, can the registrations form any session at all?

Pure: plain data in, plain data out (no Flask, no database), so it is tested on its own.
The web layer turns each warning's kind and numbers into a translated sentence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

CREATIVE = "creative"
COMMISSIONER = "commissioner"
LINK_WORKER = "link_worker"


@dataclass(frozen=True)
class Person:
    """One registration, reduced to what the warnings need."""

    key: int
    role: str
    conditions: frozenset[int]
    slots: frozenset[int]
    languages: frozenset[str]
    organisation: str = ""


@dataclass(frozen=True)
class Rules:
    """The round's session rules that matter here."""

    creatives_min: int = 3
    commissioners_min: int = 1
    link_workers_min: int = 1
    one_per_organisation: bool = True


@dataclass(frozen=True)
class Warning:
    """Something an organiser can act on, about one condition."""

    condition: int
    kind: str
    creatives: int
    commissioners: int
    link_workers: int
    numbers: dict[str, int] = field(default_factory=dict)


# Kinds, most fundamental first; a later kind is only reported when no earlier one applies.
NO_CREATIVES = "no_creatives"
TOO_FEW_CREATIVES = "too_few_creatives"
NO_COMMISSIONERS = "no_commissioners"
NO_LINK_WORKERS = "no_link_workers"
COMMISSIONERS_NOT_FREE = "commissioners_not_free"
LINK_WORKERS_NOT_FREE = "link_workers_not_free"
COMMISSIONERS_NO_LANGUAGE = "commissioners_no_language"
LINK_WORKERS_NO_LANGUAGE = "link_workers_no_language"
NO_VIABLE_SLOT = "no_viable_slot"


def _union(sets: Iterable[frozenset]) -> set:
    """Everything in any of the sets."""
    result: set = set()
    for item in sets:
        result |= item
    return result


def _creative_count(people: list[Person], rules: Rules) -> int:
    """Creatives that can sit in one session together: organisations, when one per organisation."""
    if rules.one_per_organisation:
        return len({p.organisation or f"#{p.key}" for p in people})
    return len(people)


def best_slot(people: list[Person], rules: Rules) -> tuple[int, int, int]:
    """The most (creatives, commissioners, link workers) free at one slot and sharing one language.

    Ranked by how far the slot falls short of the minimums; (0, 0, 0) when nobody shares anything.
    """
    # Everyone free at each (slot, language), found in one pass: a pair nobody shares finds (0, 0, 0),
    # which never ranks above a pair someone shares.
    together: dict[tuple[int, str], list[Person]] = defaultdict(list)
    for p in people:
        for slot in p.slots:
            for language in p.languages:
                together[(slot, language)].append(p)
    best = (0, 0, 0)
    best_short = None
    for here in together.values():
        found = (
            _creative_count([p for p in here if p.role == CREATIVE], rules),
            sum(1 for p in here if p.role == COMMISSIONER),
            sum(1 for p in here if p.role == LINK_WORKER),
        )
        short = (
            max(0, rules.creatives_min - found[0])
            + max(0, rules.commissioners_min - found[1])
            + max(0, rules.link_workers_min - found[2])
        )
        if best_short is None or short < best_short or (short == best_short and found > best):
            best, best_short = found, short
    return best


def condition_warnings(condition: int, people: list[Person], rules: Rules) -> list[Warning]:
    """What stops sessions about this condition, most fundamental first (empty when a session can form)."""
    people = [p for p in people if condition in p.conditions]
    creatives = [p for p in people if p.role == CREATIVE]
    commissioners = [p for p in people if p.role == COMMISSIONER]
    link_workers = [p for p in people if p.role == LINK_WORKER]
    counts = (len(creatives), len(commissioners), len(link_workers))

    def warn(kind: str, **numbers: int) -> Warning:
        return Warning(condition, kind, *counts, numbers=numbers)

    if not creatives:
        return [warn(NO_CREATIVES)] if commissioners or link_workers else []
    found: list[Warning] = []
    if _creative_count(creatives, rules) < rules.creatives_min:
        found.append(warn(TOO_FEW_CREATIVES, minimum=rules.creatives_min))
    creative_slots = _union(p.slots for p in creatives)
    creative_languages = _union(p.languages for p in creatives)
    for group, minimum, none, not_free, no_language in (
        (commissioners, rules.commissioners_min, NO_COMMISSIONERS, COMMISSIONERS_NOT_FREE, COMMISSIONERS_NO_LANGUAGE),
        (link_workers, rules.link_workers_min, NO_LINK_WORKERS, LINK_WORKERS_NOT_FREE, LINK_WORKERS_NO_LANGUAGE),
    ):
        if minimum <= 0:
            continue
        if not group:
            found.append(warn(none))
        elif not creative_slots & _union(p.slots for p in group):
            found.append(warn(not_free))
        elif not creative_languages & _union(p.languages for p in group):
            found.append(warn(no_language))
    if not found:
        best = best_slot(people, rules)
        if best[0] < rules.creatives_min or best[1] < rules.commissioners_min or best[2] < rules.link_workers_min:
            found.append(
                warn(
                    NO_VIABLE_SLOT,
                    creatives_min=rules.creatives_min,
                    commissioners_min=rules.commissioners_min,
                    link_workers_min=rules.link_workers_min,
                    best_creatives=best[0],
                    best_commissioners=best[1],
                    best_link_workers=best[2],
                )
            )
    return found


def round_warnings(conditions: list[int], people: list[Person], rules: Rules) -> list[Warning]:
    """Warnings for every condition in scope, in the order given."""
    return [w for condition in conditions for w in condition_warnings(condition, people, rules)]
