"""The solver's codes in plain translated words for organisers: why someone or a booking was left
out (see matchmaker/solver/explain.py), and which rule a refused change would break."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

PARTICIPANT_REASONS: dict[str, Any] = {
    "no_sessions_allowed": _l(
        "They can attend no sessions in this round. Raise their number of sessions to include them."
    ),
    "no_available_slots": _l("They chose no slots. Ask them when they are free."),
    "no_condition_in_scope": _l(
        "Not enough people of every role chose their conditions. Recruit a commissioner and a link worker for them, "
        "or ask them about other conditions."
    ),
    "no_common_language": _l("Nobody in every role for their conditions speaks a language they listed."),
    "no_common_slot": _l(
        "No commissioner and link worker for their conditions are free at any of their slots. "
        "Ask for more availability."
    ),
    "too_few_creatives": _l(
        "Too few creative professionals share a slot with them and the staff they need. Invite more creative "
        "professionals or widen availability."
    ),
    "not_selected": _l(
        "A session they fit had room, but the run stopped before using it. Run the matching again with more time."
    ),
    "outranked": _l(
        "The sessions they fit went to people the matching favours: higher priority or stronger interest. "
        "Raise their priority to favour them."
    ),
    "organisation_clash": _l("Every session they fit already has a creative professional from their organisation."),
    "staff_busy": _l(
        "The commissioners and link workers they need are busy or fully booked at their slots. Recruit staff or "
        "ask them for more sessions."
    ),
    "slots_full": _l("Every slot they could use already runs as many sessions as may run at the same time."),
    "excluded": _l(
        "They declined or were removed from the sessions they fit. Lift the exclusion on the session's page to "
        "include them."
    ),
}

BOOKING_REASONS: dict[str, Any] = {
    "commissioner_lacks_condition": _l("The commissioner did not register this condition."),
    "no_commissioner_language": _l("The commissioner does not speak the language the booking asks for."),
    "no_commissioner_slot": _l("The commissioner is not free at any of the booking's slots."),
    "no_link_worker": _l("No link worker for this condition is free at the booking's slots."),
    "too_few_creatives": _l("Too few creative professionals for this condition are free at the booking's slots."),
    "cap_reached": _l("The commissioner is already in as many sessions as they can attend."),
    "commissioner_busy": _l("The commissioner is in other sessions at every usable slot of the booking."),
    "slots_full": _l("The booking's slots already run as many sessions as may run at the same time."),
    "staff_busy": _l("The link workers who could join are busy or fully booked at the booking's slots."),
    "outranked": _l("The people free at the booking's slots were placed in sessions the matching favours."),
    "not_selected": _l("The run stopped before it could place this booking. Run the matching again with more time."),
    "organisation_clash": _l(
        "The creative professionals who could join belong to organisations already in those sessions."
    ),
    "excluded": _l("The commissioner declined or was removed from the sessions that could serve it."),
}

RULES: dict[str, Any] = {
    "H1": _l("Someone would be in a session at a time they are not free."),
    "H2": _l("Someone would be in a session on a condition they did not choose."),
    "H3": _l("Someone would be in a session held in a language they do not speak."),
    "H4": _l("Someone would be in two sessions at the same time."),
    "H5": _l("Someone would be in more sessions than they can attend."),
    "H6": _l("A session would have too few or too many people of one role."),
    "H7": _l("Too many sessions would run at the same time."),
    "H8": _l("Two creative professionals from one organisation would share a session."),
    "H9": _l(
        "A published session would change or lose someone it invited. Change published sessions on their own page."
    ),
    "H10": _l("A booking would be served by a session that does not match it."),
    "H11": _l("Someone would be put back into a session they declined or were removed from."),
    "plan": _l("The draft would refer to something that no longer exists."),
}

UNKNOWN = _l("The matching gave no reason.")


def participant_reason(code: str | None) -> str:
    """Why a participant is in no session, for organisers."""
    return str(PARTICIPANT_REASONS.get(code or "", UNKNOWN))


def booking_reason(code: str | None) -> str:
    """Why a booking is not served, for organisers."""
    return str(BOOKING_REASONS.get(code or "", UNKNOWN))


def rule_broken(code: str) -> str:
    """What a violated hard rule means, for organisers."""
    return str(RULES.get(code, UNKNOWN))
