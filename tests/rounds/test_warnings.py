"""The early-warnings analysis (pure: no app, no database)."""

from __future__ import annotations

from matchmaker.rounds.warnings import (
    COMMISSIONERS_NO_LANGUAGE,
    COMMISSIONERS_NOT_FREE,
    LINK_WORKERS_NOT_FREE,
    NO_COMMISSIONERS,
    NO_CREATIVES,
    NO_LINK_WORKERS,
    NO_VIABLE_SLOT,
    TOO_FEW_CREATIVES,
    Person,
    Rules,
    best_slot,
    condition_warnings,
    round_warnings,
)

STROKE, DEMENTIA = 1, 2
RULES = Rules(creatives_min=3, commissioners_min=1, link_workers_min=1, one_per_organisation=True)
_keys = iter(range(1, 10_000))


def person(role, slots, languages=("en",), conditions=(STROKE,), organisation=None):
    key = next(_keys)
    return Person(
        key=key,
        role=role,
        conditions=frozenset(conditions),
        slots=frozenset(slots),
        languages=frozenset(languages),
        organisation=organisation if organisation is not None else f"org{key}",
    )


def creatives(n, slots=(1,), languages=("en",), **kwargs):
    return [person("creative", slots, languages, **kwargs) for _ in range(n)]


def kinds(found):
    return [w.kind for w in found]


def test_a_session_that_can_form_gives_no_warning():
    people = creatives(3) + [person("commissioner", [1]), person("link_worker", [1])]
    assert condition_warnings(STROKE, people, RULES) == []
    assert best_slot(people, RULES) == (3, 1, 1)


def test_no_link_worker_free_at_any_creative_slot():
    people = creatives(14, slots=(1, 2)) + [person("commissioner", [1]), person("link_worker", [3, 4])]
    (warning,) = condition_warnings(STROKE, people, RULES)
    assert warning.kind == LINK_WORKERS_NOT_FREE
    assert (warning.creatives, warning.commissioners, warning.link_workers) == (14, 1, 1)


def test_no_commissioner_free_and_none_sharing_a_language():
    not_free = creatives(4, slots=(1,)) + [person("commissioner", [2]), person("link_worker", [1])]
    assert kinds(condition_warnings(STROKE, not_free, RULES)) == [COMMISSIONERS_NOT_FREE]
    welsh_only = creatives(4, slots=(1,), languages=("cy",)) + [
        person("commissioner", [1], ["en"]),
        person("link_worker", [1], ["cy"]),
    ]
    assert kinds(condition_warnings(STROKE, welsh_only, RULES)) == [COMMISSIONERS_NO_LANGUAGE]


def test_missing_roles_and_too_few_creatives():
    only_creatives = creatives(2)
    assert kinds(condition_warnings(STROKE, only_creatives, RULES)) == [
        TOO_FEW_CREATIVES,
        NO_COMMISSIONERS,
        NO_LINK_WORKERS,
    ]
    assert condition_warnings(STROKE, only_creatives, RULES)[0].numbers == {"minimum": 3}
    no_creatives = [person("commissioner", [1])]
    assert kinds(condition_warnings(STROKE, no_creatives, RULES)) == [NO_CREATIVES]
    assert condition_warnings(STROKE, [], RULES) == []  # nobody at all: nothing to act on yet


def test_roles_with_minimum_zero_are_not_required():
    rules = Rules(creatives_min=2, commissioners_min=0, link_workers_min=1)
    people = creatives(2) + [person("link_worker", [1])]
    assert condition_warnings(STROKE, people, rules) == []


def test_creatives_spread_over_slots_never_reach_the_minimum_together():
    # Five creatives, but at most two share a slot with the commissioner and the link worker.
    people = (
        creatives(2, slots=(1,))
        + creatives(2, slots=(2,))
        + creatives(1, slots=(3,))
        + [person("commissioner", [1, 2]), person("link_worker", [1, 2, 3])]
    )
    (warning,) = condition_warnings(STROKE, people, RULES)
    assert warning.kind == NO_VIABLE_SLOT
    assert warning.numbers["best_creatives"] == 2
    assert warning.numbers["creatives_min"] == 3


def test_a_shared_slot_without_a_shared_language_is_not_a_session():
    people = (
        creatives(3, slots=(1,), languages=("cy",))
        + creatives(3, slots=(1,), languages=("en",))
        + [person("commissioner", [1], ["en"]), person("link_worker", [1], ["cy"])]
    )
    assert kinds(condition_warnings(STROKE, people, RULES)) == [NO_VIABLE_SLOT]
    bilingual = people + [person("link_worker", [1], ["en", "cy"])]
    assert condition_warnings(STROKE, bilingual, RULES) == []


def test_one_creative_per_organisation_counts_organisations():
    same_org = creatives(3, organisation="canu-cymru") + [person("commissioner", [1]), person("link_worker", [1])]
    assert kinds(condition_warnings(STROKE, same_org, RULES))[0] == TOO_FEW_CREATIVES
    relaxed = Rules(creatives_min=3, one_per_organisation=False)
    assert condition_warnings(STROKE, same_org, relaxed) == []


def test_round_warnings_only_look_at_each_conditions_people():
    people = creatives(3, conditions=(STROKE,)) + [
        person("commissioner", [1], conditions=(STROKE, DEMENTIA)),
        person("link_worker", [1], conditions=(STROKE,)),
    ]
    found = round_warnings([STROKE, DEMENTIA], people, RULES)
    assert [(w.condition, w.kind) for w in found] == [(DEMENTIA, NO_CREATIVES)]
