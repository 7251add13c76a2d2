"""Rounds, their slots, and registrations of interest.

    RoundFactory(status="open", slots=3)                       # three daily 90-minute slots from 1 March 2027
    RoundFactory(slots=2, slot_every=timedelta(hours=4))        # 10:00 and 14:00 on 1 March 2027
    RoundFactory(slots=[datetime(2027, 3, 2, 10, tzinfo=UTC)])  # slots starting at these (aware UTC) times
    RegistrationFactory(round=r, user=u, conditions={"stroke": 3}, slots=r.slots[:2])

Times are aware UTC: the UTCDateTime column refuses naive datetimes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import factory

from matchmaker.models import Registration, RegistrationCondition, Round, RoundStatus, Slot
from tests.factories.accounts import UserFactory
from tests.factories.base import BaseFactory, attached, condition, conditions, id_of

MONDAY_1_MARCH_2027_10AM = datetime(2027, 3, 1, 10, tzinfo=UTC)  # GMT: 10am in Wales


class RoundFactory(BaseFactory):
    """A round on stroke and dementia (slugs), closing 26 February 2027; open, with no slots unless asked."""

    class Meta:
        model = Round

    title_en = "Spring round"
    title_cy = "Rownd y gwanwyn"
    status = RoundStatus.OPEN
    registration_opens_at = datetime(2027, 1, 4, 9, tzinfo=UTC)
    registration_closes_at = datetime(2027, 2, 26, 17, tzinfo=UTC)
    organiser_mailbox = "rounds@example.org"
    conditions = ("stroke", "dementia")
    # slots: how many (from first_slot, every slot_every, slot_minutes long), or their start times, or Slot rows
    slots = 0
    first_slot = MONDAY_1_MARCH_2027_10AM
    slot_every = timedelta(days=1)
    slot_minutes = 90

    @classmethod
    def _adjust_kwargs(cls, **kwargs: Any) -> dict[str, Any]:
        first, every = kwargs.pop("first_slot"), kwargs.pop("slot_every")
        minutes = timedelta(minutes=kwargs.pop("slot_minutes"))
        slots = kwargs["slots"]
        if isinstance(slots, int):
            slots = [first + every * index for index in range(slots)]
        kwargs["slots"] = [
            slot if isinstance(slot, Slot) else Slot(starts_at=slot, ends_at=slot + minutes) for slot in slots
        ]
        kwargs["conditions"] = conditions(kwargs["conditions"])
        kwargs["status"] = RoundStatus(kwargs["status"])
        return kwargs


class SlotFactory(BaseFactory):
    """A 90-minute slot (of a new closed round unless given one), Monday 1 March 2027 at 10am."""

    class Meta:
        model = Slot

    class Params:
        minutes = 90

    round = factory.SubFactory(RoundFactory, status=RoundStatus.CLOSED)
    starts_at = MONDAY_1_MARCH_2027_10AM
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(minutes=o.minutes))

    @classmethod
    def _adjust_kwargs(cls, **kwargs: Any) -> dict[str, Any]:
        kwargs["round"] = attached(kwargs["round"])
        return kwargs


class RegistrationFactory(BaseFactory):
    """A registration of interest: conditions as {slug: strength}, slots as rows or ids (default all)."""

    class Meta:
        model = Registration

    class Params:
        user = factory.SubFactory(UserFactory)

    round = factory.SubFactory(RoundFactory, slots=2)
    user_id = factory.LazyAttribute(lambda o: id_of(o.user))
    max_sessions = 1
    conditions: Any = factory.LazyFunction(dict)
    slots = None
    wants_to_meet = ()

    @classmethod
    def _adjust_kwargs(cls, **kwargs: Any) -> dict[str, Any]:
        round_ = kwargs["round"] = attached(kwargs["round"])
        strengths: Mapping[Any, int] = kwargs["conditions"]
        kwargs["conditions"] = [
            RegistrationCondition(condition_id=condition(slug).id, strength=strength)
            for slug, strength in strengths.items()
        ]
        kwargs["slots"] = round_slots(round_, kwargs["slots"])
        kwargs["wants_to_meet"] = [attached(user) for user in kwargs["wants_to_meet"]]
        return kwargs


def round_slots(round_: Round, chosen: Any) -> list[Slot]:
    """The round's slots given as rows or ids (None: all of them), in the round's order."""
    if chosen is None:
        return list(round_.slots)
    ids = {id_of(slot) for slot in chosen}
    return [slot for slot in round_.slots if slot.id in ids]
