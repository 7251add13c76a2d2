"""Listings: an organisation's venue, sessions and feed opt-in.

ListingFactory(profile=p, public_email="hello@cor.example",
               sessions=[("Open sing", "weekly", "TU", None, "14:00", "16:00")])
"""

from __future__ import annotations

from datetime import time
from typing import Any

import factory

from matchmaker.models import Frequency, Listing, OpenSession
from tests.factories.base import BaseFactory, id_of


def _time(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


class ListingFactory(BaseFactory):
    """A listing for a creative profile (given as itself or its id); sessions as tuples."""

    class Meta:
        model = Listing

    class Params:
        profile = None

    profile_id = factory.LazyAttribute(lambda o: id_of(o.profile))
    feed_consent = True
    public_email = "hello@organisation.example"
    access_features = factory.LazyFunction(list)

    @classmethod
    def _adjust_kwargs(cls, **kwargs: Any) -> dict[str, Any]:
        kwargs["sessions"] = [
            OpenSession(
                name=name,
                frequency=Frequency(frequency),
                weekday=weekday,
                week_of_month=week,
                opens_at=_time(opens),
                closes_at=_time(closes),
            )
            for name, frequency, weekday, week, opens, closes in kwargs.pop("sessions", ())
        ]
        return kwargs
