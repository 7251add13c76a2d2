"""The ids the site gives things in a matching problem (the contract leaves ids to the caller).

- participants are `u<user_id>` (a commissioner's booking names them as `u<user_id>` too);
- bookings are `b<booking_id>`;
- slots are `t<slot_id>`;
- conditions are their slug (`dementia`), regions the health board's slug (`hywel-dda`).
"""

from __future__ import annotations

PERSON, BOOKING, SLOT = "u", "b", "t"


def participant_id(user_id: int) -> str:
    """A person's id in the problem."""
    return f"{PERSON}{user_id}"


def booking_id(booking_id_: int) -> str:
    """A booking's id in the problem."""
    return f"{BOOKING}{booking_id_}"


def slot_id(slot_id_: int) -> str:
    """A slot's id in the problem."""
    return f"{SLOT}{slot_id_}"


def _parse(prefix: str, value: str) -> int | None:
    """The database id behind a problem id with this prefix, or None if it is not one."""
    if len(value) > 1 and value[0] == prefix and value[1:].isdecimal():
        return int(value[1:])
    return None


def parse_participant_id(value: str) -> int | None:
    """The user id in a participant id ('u12' -> 12), or None if it is not one."""
    return _parse(PERSON, value)


def parse_booking_id(value: str) -> int | None:
    """The booking id in a booking id ('b12' -> 12), or None if it is not one."""
    return _parse(BOOKING, value)


def parse_slot_id(value: str) -> int | None:
    """The slot id in a slot id ('t3' -> 3), or None if it is not one."""
    return _parse(SLOT, value)
