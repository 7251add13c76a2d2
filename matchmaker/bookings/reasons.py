"""The solver's reasons for a booking it could not serve, in plain words with what would help.

The codes are those of `unserved_bookings[].reason` (see matchmaker/solver/explain.py).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

ADD_SLOTS = _l("Choosing more slots, or slots in another week, would help. Contact the organisers to add them.")

REASONS: dict[str, tuple[Any, Any]] = {
    "commissioner_lacks_condition": (
        _l("Your profile does not list this condition among the ones you commission for."),
        _l("Add the condition to your profile and ask the organisers to run the matching again."),
    ),
    "no_commissioner_language": (
        _l("Your profile does not list the language you asked the session to be held in."),
        _l("Add the language to your profile, or ask for a session in either Welsh or English."),
    ),
    "no_commissioner_slot": (
        _l("You are not available at any of the slots you chose for this session."),
        _l("Register your availability in the round for these slots, or choose slots when you are free."),
    ),
    "no_link_worker": (
        _l("No link worker who works with this condition is free at the slots you chose."),
        ADD_SLOTS,
    ),
    "too_few_creatives": (
        _l("Too few creative professionals who work with this condition are free at the slots you chose."),
        ADD_SLOTS,
    ),
    "cap_reached": (
        _l("You are already in as many sessions as you said you could attend in this round."),
        _l("Raise the number of sessions you can attend in your registration, or cancel another booking."),
    ),
    "commissioner_busy": (
        _l("You are already in other sessions at every slot you chose for this one."),
        ADD_SLOTS,
    ),
    "slots_full": (
        _l("The slots you chose already have as many sessions as can run at the same time."),
        ADD_SLOTS,
    ),
    "staff_busy": (
        _l("The link workers who could join are already busy or fully booked at the slots you chose."),
        ADD_SLOTS,
    ),
    "outranked": (
        _l("The creative professionals free at the slots you chose were needed for other sessions."),
        ADD_SLOTS,
    ),
    "not_selected": (
        _l("The matching run ended before it could place this session."),
        _l("The organisers can run the matching again with more time."),
    ),
    "organisation_clash": (
        _l("The creative professionals who could join all belong to organisations already in those sessions."),
        ADD_SLOTS,
    ),
}

UNKNOWN = (
    _l("The matching could not find a session for this request."),
    _l("Contact the organisers: they can see why and what would help."),
)


def explain(code: str | None) -> tuple[str, str]:
    """What happened and what would help, in the current language, for a solver reason code."""
    what, helps = REASONS.get(code or "", UNKNOWN)
    return str(what), str(helps)
