"""Bookings: a commissioner asks for a session in a round.

BookingFactory(round=r, commissioner=u)                       # stroke, every slot of the round, requested
BookingFactory(round=r, commissioner=u, status="scheduled", slots=r.slots[:3], health_board="hywel-dda")
"""

from __future__ import annotations

from typing import Any

import factory

from matchmaker.models import Booking, BookingStatus, Role
from tests.factories.accounts import UserFactory
from tests.factories.base import BaseFactory, attached, condition, health_board
from tests.factories.rounds import RoundFactory, round_slots


class BookingFactory(BaseFactory):
    """A requested booking on stroke, for either language, in every slot of its round (slots: rows or ids)."""

    class Meta:
        model = Booking

    round = factory.SubFactory(RoundFactory, slots=2)
    commissioner = factory.SubFactory(UserFactory, role=Role.COMMISSIONER)
    condition = "stroke"
    language = None
    health_board = None
    status = BookingStatus.REQUESTED
    purpose = "How music helps after a stroke"
    slots = None
    wants_to_meet = ()

    @classmethod
    def _adjust_kwargs(cls, **kwargs: Any) -> dict[str, Any]:
        round_ = kwargs["round"] = attached(kwargs["round"])
        kwargs["commissioner"] = attached(kwargs["commissioner"])
        kwargs["condition"] = condition(kwargs["condition"])
        if kwargs.get("health_board_id") is not None and kwargs["health_board"] is None:
            del kwargs["health_board"]  # given by id: the relationship's None would win over it
        else:
            kwargs["health_board"] = health_board(kwargs["health_board"])
        kwargs["status"] = BookingStatus(kwargs["status"])
        kwargs["slots"] = round_slots(round_, kwargs["slots"])
        kwargs["wants_to_meet"] = [attached(user) for user in kwargs["wants_to_meet"]]
        if "requested_by" in kwargs:
            kwargs["requested_by"] = attached(kwargs["requested_by"])
        return kwargs
