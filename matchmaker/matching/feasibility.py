"""Could a request ever be served? The solver's own first checks, asked when a commissioner requests a session.

The bookings feature sits below matching, so it cannot build the round's problem itself;
the app factory hands it `request_blocker` (see `matchmaker.bookings.feasibility`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.matching.ids import booking_id, participant_id, slot_id
from matchmaker.matching.problem import DEFAULT_LANGUAGES, build_problem
from matchmaker.models import CommissionerProfile, Condition, HealthBoard, Registration, Round
from matchmaker.solver import ProblemError, booking_blocker, parse_problem

CHECK_ID = "b-request"  # the request being checked; no stored booking has this id


def request_blocker(
    round_: Round,
    commissioner_id: int,
    condition_id: int,
    slot_ids: list[int],
    language: str | None,
    health_board_id: int | None,
    replacing: int | None = None,
) -> tuple[str, str] | None:
    """The solver's reason code and detail why this request could be served by no plan, or None.

    replacing: the id of the booking this request would change (left out of the problem).
    """
    data = build_problem(round_, readmitted=frozenset({commissioner_id}))  # requesting again lifts a keep-out
    condition = db.session.get(Condition, condition_id)
    board = db.session.get(HealthBoard, health_board_id) if health_board_id else None
    pid = participant_id(commissioner_id)
    request = {
        "id": CHECK_ID,
        "commissioner": pid,
        "condition": condition.slug if condition else "",
        "slots": [slot_id(s) for s in slot_ids],
        "language": language,
        "region": board.slug if board else None,
    }
    dropped = booking_id(replacing) if replacing else None
    data["bookings"] = [b for b in data["bookings"] if b["id"] != dropped] + [request]
    for fixed in data["fixed_sessions"]:
        if fixed.get("booking") == dropped:
            fixed["booking"] = None
    _booking_commissioner(data, commissioner_id, round_)
    try:
        problem = parse_problem(data)
    except ProblemError:
        return None  # a problem the solver would refuse anyway; the organisers see that when they run it
    reason = booking_blocker(problem, CHECK_ID)
    return (reason.reason, reason.detail) if reason is not None else None


def _booking_commissioner(data: dict[str, Any], commissioner_id: int, round_: Round) -> None:
    """A commissioner who did not register takes part through their bookings: rebuild them with this request in."""
    registered = db.session.scalar(
        select(Registration.id).where(Registration.round_id == round_.id, Registration.user_id == commissioner_id)
    )
    pid = participant_id(commissioner_id)
    if registered is not None and any(p["id"] == pid for p in data["participants"]):
        return
    mine = [b for b in data["bookings"] if b["commissioner"] == pid]
    languages = db.session.scalar(
        select(CommissionerProfile.languages).where(CommissionerProfile.user_id == commissioner_id)
    )
    entry = {
        "id": pid,
        "role": "commissioner",
        "conditions": {b["condition"]: 3 for b in mine},
        "available": list(dict.fromkeys(s for b in mine for s in b["slots"])),
        "max_sessions": len(mine),
        "languages": list(languages or []) or list(DEFAULT_LANGUAGES),
        "region": None,
        "organisation": None,
        "wants_to_meet": [],
    }
    data["participants"] = [p for p in data["participants"] if p["id"] != pid] + [entry]
