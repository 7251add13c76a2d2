"""Published consultation sessions and their attendees.

    SessionFactory(attendees=[(creative, "creative"), commissioner])   # a user alone: in their own role
    SessionFactory(round=r, condition="dementia", language="cy", starts_at=TUESDAY_10AM + timedelta(days=1))
    SessionFactory(round=r, booking=b)      # serving a booking: its condition, first slot, language, purpose

Without a round, a closed round is made for the session; without a slot, one in the round at
`starts_at` (default Tuesday 2 March 2027, 10am in Wales), `minutes` long. Attendees are written
through the ORM, so the database's place counters (session_places) follow by themselves.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import factory

from matchmaker.models import ConsultationSession, RoundStatus, SessionAttendee, Slot
from tests.factories.base import BaseFactory, attached, condition, id_of
from tests.factories.rounds import RoundFactory

TUESDAY_10AM = datetime(2027, 3, 2, 10, 0, tzinfo=UTC)  # GMT: 10am in Wales


def attendee_rows(people: Any) -> list[SessionAttendee]:
    """SessionAttendee rows for [(user, role), ...] or [user, ...] (a user alone: their account's role)."""
    rows = []
    for person in people:
        if isinstance(person, SessionAttendee):
            rows.append(person)
            continue
        user, role = person if isinstance(person, tuple) else (person, person.role)
        rows.append(SessionAttendee(user_id=id_of(user), role=str(getattr(role, "value", role))))
    return rows


class SessionFactory(BaseFactory):
    """A published session (scheduled), on stroke in English unless told otherwise (or its booking says)."""

    class Meta:
        model = ConsultationSession

    round = factory.SubFactory(RoundFactory, status=RoundStatus.CLOSED)
    booking = None
    slot = None  # default: the booking's first slot, or a new one in the round at starts_at, minutes long
    starts_at = TUESDAY_10AM
    minutes = 90
    plan_key = factory.Sequence(lambda n: f"S{n + 1}")
    condition = None  # a slug; default: the booking's, or stroke
    language = None  # default: the booking's, or English
    purpose = None  # default: the booking's, or none
    attendees = ()

    @classmethod
    def _adjust_kwargs(cls, **kwargs: Any) -> dict[str, Any]:
        starts_at, minutes = kwargs.pop("starts_at"), timedelta(minutes=kwargs.pop("minutes"))
        round_ = kwargs["round"] = attached(kwargs["round"])
        booking = attached(kwargs.pop("booking"))  # the model keeps only booking_id
        kwargs["booking_id"] = booking.id if booking else None
        slot = attached(kwargs["slot"])
        if slot is None:
            slot = (
                booking.slots[0]
                if booking and booking.slots
                else Slot(round=round_, starts_at=starts_at, ends_at=starts_at + minutes)
            )
        kwargs["slot"] = slot
        if kwargs["condition"] is None:
            kwargs["condition"] = booking.condition if booking else "stroke"
        kwargs["condition"] = condition(kwargs["condition"])
        if kwargs["language"] is None:
            kwargs["language"] = (booking.language if booking else None) or "en"
        if kwargs["purpose"] is None:
            kwargs["purpose"] = booking.purpose if booking else ""
        kwargs["attendees"] = attendee_rows(kwargs["attendees"])
        return kwargs
