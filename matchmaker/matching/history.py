"""Matching across rounds: what earlier published rounds say about this round's people (contract 1.1).

`history_block` gives the problem's `history`: per participant the earlier rounds they
registered for, were matched in (invited to a scheduled session and not taken off it),
attended and missed, and when they were last matched; and the pairs that met (a creative
with a commissioner or link worker, both still in the session) with how many rounds ago.
"Earlier rounds" are the rounds with at least one published session whose registration
closed before this round's, most recent first (1 = the round before), at most
`ROUNDS_BACK` of them.

`exclusion_block` gives the problem's `exclusions`: the 'not again' rows of the calendar
issue (declined, removed by an organiser, booking cancelled, account closed) that are tied to
one session and that no organiser has lifted, for the sessions that are fixed in the problem.
Round-wide rows keep the person out of the problem altogether (problem.py).

Attendance comes from the organisers' checklists and attendees' own answers (the attendance feature):
a round counts as attended when the person came to a session in it; a no-show is a session they
were still invited to, had not declined and did not come to.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from matchmaker.attendance import service as attendance_service
from matchmaker.extensions import db
from matchmaker.invites.service import excluded_pairs
from matchmaker.matching.ids import participant_id
from matchmaker.models import ConsultationSession, Registration, Round, SessionAttendee, SessionStatus
from matchmaker.models.sessions import PartStat

ROUNDS_BACK = 6  # earlier rounds read; pairs and missed rounds older than this no longer count
STAFF = ("commissioner", "link_worker")


@dataclass(frozen=True)
class Earlier:
    """An earlier round and how many rounds ago it was."""

    id: int
    ago: int
    title_en: str
    title_cy: str


def earlier_rounds(round_: Round) -> list[Earlier]:
    """Earlier rounds that published sessions, most recent first (ago 1, 2, ...)."""
    published = select(ConsultationSession.round_id).group_by(ConsultationSession.round_id)
    rows = db.session.execute(
        select(Round.id, Round.title_en, Round.title_cy)
        .where(
            Round.id != round_.id,
            Round.registration_closes_at < round_.registration_closes_at,
            Round.id.in_(published),
        )
        .order_by(Round.registration_closes_at.desc(), Round.id.desc())
        .limit(ROUNDS_BACK)
    ).all()
    return [Earlier(rid, ago, en, cy) for ago, (rid, en, cy) in enumerate(rows, start=1)]


def attendance(round_ids: list[int], user_ids: set[int]) -> dict[int, tuple[int, int]]:
    """User id -> (earlier rounds attended, no-shows in them), from the organisers' attendance marks."""
    return attendance_service.rounds_history(round_ids, sorted(user_ids))


def history_block(round_: Round, user_ids: set[int]) -> dict[str, Any]:
    """The contract's `history` for these participants (user ids) of the round."""
    earlier = earlier_rounds(round_)
    if not earlier or not user_ids:
        return {"participants": {}, "met": []}
    ago = {e.id: e.ago for e in earlier}
    registered: dict[int, set[int]] = defaultdict(set)
    for user_id, round_id in db.session.execute(
        select(Registration.user_id, Registration.round_id).where(
            Registration.round_id.in_(ago), Registration.user_id.in_(user_ids)
        )
    ):
        registered[user_id].add(round_id)
    matched: dict[int, set[int]] = defaultdict(set)
    members: dict[int, list[tuple[int, str]]] = defaultdict(list)  # session -> (user, role) still in it
    session_round: dict[int, int] = {}
    for user_id, role, removed_at, partstat, session_id, round_id in db.session.execute(
        select(
            SessionAttendee.user_id,
            SessionAttendee.role,
            SessionAttendee.removed_at,
            SessionAttendee.partstat,
            ConsultationSession.id,
            ConsultationSession.round_id,
        )
        .join(ConsultationSession, ConsultationSession.id == SessionAttendee.session_id)
        .where(
            ConsultationSession.round_id.in_(ago),
            ConsultationSession.status == SessionStatus.SCHEDULED,
            SessionAttendee.user_id.in_(user_ids),
        )
    ):
        if removed_at is not None:
            continue  # taken off by an organiser: not matched there
        matched[user_id].add(round_id)
        registered[user_id].add(round_id)  # invited without a registration (a booking's commissioner)
        if partstat != PartStat.DECLINED:
            members[session_id].append((user_id, role))
            session_round[session_id] = round_id
    attended = attendance(list(ago), user_ids)
    records: dict[str, dict[str, Any]] = {}
    for user_id in sorted(user_ids):
        rounds = registered.get(user_id, set())
        if not rounds:
            continue
        mine = matched.get(user_id, set())
        came, missed = attended.get(user_id, (0, 0))
        records[participant_id(user_id)] = {
            "rounds_registered": len(rounds),
            "rounds_matched": len(mine),
            "rounds_attended": came,
            "no_shows": missed,
            "last_matched": min((ago[r] for r in mine), default=None),
        }
    met: dict[tuple[str, str], int] = {}
    for session_id, people in members.items():
        when = ago[session_round[session_id]]
        creatives = [u for u, role in people if role == "creative"]
        staff = [u for u, role in people if role in STAFF]
        for creative in creatives:
            for other in staff:
                pair = tuple(sorted((participant_id(creative), participant_id(other))))
                met[pair] = min(met.get(pair, when), when)  # the latest meeting counts
    return {
        "participants": records,
        "met": [{"participants": list(pair), "rounds_ago": when} for pair, when in sorted(met.items())],
    }


def exclusion_block(round_: Round, fixed: list[dict[str, Any]], participants: set[str]) -> list[dict[str, str]]:
    """The contract's `exclusions`: (participant, fixed session) for every active per-session 'not again'."""
    pairs, _whole = excluded_pairs(round_.id)
    if not pairs:
        return []
    keys = dict(
        db.session.execute(
            select(ConsultationSession.id, ConsultationSession.plan_key).where(
                ConsultationSession.id.in_({session_id for _user, session_id in pairs})
            )
        ).all()
    )
    listed = {f["id"]: set(f["participants"]) for f in fixed}
    out = []
    for user_id, session_id in sorted(pairs):
        pid, key = participant_id(user_id), keys.get(session_id)
        if key in listed and pid in participants and pid not in listed[key]:
            out.append({"participant": pid, "session": key})
    return out
