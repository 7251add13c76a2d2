"""Building the contract's problem (docs/matching-contract.md) for a round from the database.

Ids follow the scheme in `matchmaker.matching.ids`: people `u<user_id>`, slots
`t<slot_id>`, bookings `b<booking_id>`, conditions and regions by slug. Published
sessions are fixed under their `plan_key`. Everything is read with a handful of bulk
queries (no query per person), so an L-sized round builds in well under a second.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaker.extensions import db
from matchmaker.invites.service import excluded_pairs
from matchmaker.matching.bookings import booking_needs, bookings_for_problem, wants_to_meet_by_commissioner
from matchmaker.matching.history import exclusion_block, history_block
from matchmaker.matching.ids import booking_id, parse_participant_id, participant_id, slot_id
from matchmaker.models import (
    Approval,
    CommissionerProfile,
    ConsultationSession,
    CreativeProfile,
    HealthBoard,
    LinkWorkerProfile,
    Registration,
    RegistrationCondition,
    Round,
    SessionStatus,
    User,
)
from matchmaker.models.profiles import commissioner_health_boards, creative_health_boards
from matchmaker.models.rounds import registration_slots, registration_wants
from matchmaker.profiles.service import derived_priority
from matchmaker.solver import Problem, parse_problem
from matchmaker.solver.problem import LATEST_VERSION

DEFAULT_LANGUAGES = ["en"]


def _slots(round_: Round) -> list[dict[str, Any]]:
    """The round's slots in time order, as contract entries."""
    return [
        {"id": slot_id(s.id), "start": s.starts_at.isoformat(), "end": s.ends_at.isoformat()}
        for s in sorted(round_.slots, key=lambda s: (s.starts_at, s.id))
    ]


def _rules(round_: Round) -> dict[str, Any]:
    """The round's session rules."""
    return {
        "creatives": [round_.creatives_min, round_.creatives_max],
        "commissioners": [round_.commissioners_min, round_.commissioners_max],
        "link_workers": [round_.link_workers_min, round_.link_workers_max],
        "max_parallel_sessions": round_.max_parallel_sessions,
        "one_per_organisation": bool(round_.one_per_organisation),
    }


def _registrations(round_: Round) -> list[tuple[int, int, str, int]]:
    """(registration id, user id, role, max_sessions) of live, approved people registered in the round."""
    query = (
        select(Registration.id, Registration.user_id, User.role, Registration.max_sessions)
        .join(User, User.id == Registration.user_id)
        .where(
            Registration.round_id == round_.id,
            User.deleted_at.is_(None),
            User.deactivated_at.is_(None),
            User.approval == Approval.APPROVED,
            User.role.in_(["creative", "commissioner", "link_worker"]),
        )
        .order_by(Registration.user_id)
    )
    return [(r, u, role.value, m) for r, u, role, m in db.session.execute(query)]


def _by_registration(query: Any) -> dict[int, list[Any]]:
    """Rows of (registration id, value, ...) grouped by registration id."""
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in db.session.execute(query):
        grouped[row[0]].append(row[1:] if len(row) > 2 else row[1])
    return grouped


def _profiles(round_: Round) -> dict[int, dict[str, Any]]:
    """Per registered user: languages, region, organisation key, capacity and the creative profile."""
    registered = select(Registration.user_id).where(Registration.round_id == round_.id)
    facts: dict[int, dict[str, Any]] = {}
    board_slug = dict(db.session.execute(select(HealthBoard.id, HealthBoard.slug)).all())
    board_position = dict(db.session.execute(select(HealthBoard.id, HealthBoard.position)).all())

    def first_board(board_ids: list[int]) -> str | None:
        ids = sorted(board_ids, key=lambda b: (board_position.get(b, 0), b))
        return board_slug.get(ids[0]) if ids else None

    creatives = list(db.session.scalars(select(CreativeProfile).where(CreativeProfile.user_id.in_(registered))))
    creative_boards = _grouped(
        select(creative_health_boards.c.profile_id, creative_health_boards.c.health_board_id).where(
            creative_health_boards.c.profile_id.in_([p.id for p in creatives] or [0])
        )
    )
    for p in creatives:
        facts[p.user_id] = {
            "languages": list(p.languages or []),
            "region": first_board(creative_boards.get(p.id, [])),
            "organisation": p.organisation_key or None,
            "profile": p,
            "kind": p.organisation_kind.value,
        }
    commissioners = db.session.execute(
        select(
            CommissionerProfile.id,
            CommissionerProfile.user_id,
            CommissionerProfile.languages,
            CommissionerProfile.organisation_kind,
        ).where(CommissionerProfile.user_id.in_(registered))
    ).all()
    commissioner_boards = _grouped(
        select(commissioner_health_boards.c.profile_id, commissioner_health_boards.c.health_board_id).where(
            commissioner_health_boards.c.profile_id.in_([row[0] for row in commissioners] or [0])
        )
    )
    for profile_id, user_id, languages, kind in commissioners:
        facts[user_id] = {
            "languages": list(languages or []),
            "region": first_board(commissioner_boards.get(profile_id, [])),
            "kind": kind.value if kind else None,
        }
    for user_id, languages, board_id, capacity, employer_kind in db.session.execute(
        select(
            LinkWorkerProfile.user_id,
            LinkWorkerProfile.languages,
            LinkWorkerProfile.health_board_id,
            LinkWorkerProfile.capacity,
            LinkWorkerProfile.employer_kind,
        ).where(LinkWorkerProfile.user_id.in_(registered))
    ):
        facts[user_id] = {
            "languages": list(languages or []),
            "region": board_slug.get(board_id) if board_id else None,
            "capacity": capacity,
            "kind": employer_kind.value if employer_kind else None,
        }
    return facts


def _grouped(query: Any) -> dict[int, list[int]]:
    """Two-column rows grouped by the first column."""
    out: dict[int, list[int]] = defaultdict(list)
    for key, value in db.session.execute(query):
        out[key].append(value)
    return out


def _published_sessions(round_: Round) -> list[ConsultationSession]:
    """The round's scheduled (published, not cancelled) sessions with their attendees."""
    query = (
        select(ConsultationSession)
        .where(ConsultationSession.round_id == round_.id, ConsultationSession.status == SessionStatus.SCHEDULED)
        .options(
            selectinload(ConsultationSession.attendees),
            selectinload(ConsultationSession.condition),
        )
        .order_by(ConsultationSession.id)
    )
    return list(db.session.scalars(query))


def build_problem(
    round_: Round, locked: list[dict[str, Any]] | None = None, readmitted: frozenset[int] = frozenset()
) -> dict[str, Any]:
    """The problem document for this round: registrations, bookings, published sessions fixed.

    locked: sessions of a draft the organiser locked (plan session dicts); a re-run keeps
    them as fixed sessions too, under their draft ids. readmitted: user ids kept out of the round
    to leave in all the same (a commissioner whose new request, if made, lifts that).
    """
    scope = {c.slug: c for c in round_.conditions}
    condition_slug = {c.id: c.slug for c in round_.conditions}
    round_slots = {s.id for s in round_.slots}
    registrations = _registrations(round_)
    reg_ids = select(Registration.id).where(Registration.round_id == round_.id)
    strengths = _by_registration(
        select(
            RegistrationCondition.registration_id, RegistrationCondition.condition_id, RegistrationCondition.strength
        ).where(RegistrationCondition.registration_id.in_(reg_ids))
    )
    available = _by_registration(
        select(registration_slots.c.registration_id, registration_slots.c.slot_id).where(
            registration_slots.c.registration_id.in_(reg_ids)
        )
    )
    wants = _by_registration(
        select(registration_wants.c.registration_id, registration_wants.c.user_id).where(
            registration_wants.c.registration_id.in_(reg_ids)
        )
    )
    facts = _profiles(round_)
    booking_wants = wants_to_meet_by_commissioner(round_)
    participants: dict[str, dict[str, Any]] = {}
    for reg_id, user_id, role, max_sessions in registrations:
        fact = facts.get(user_id, {})
        pid = participant_id(user_id)
        if role == "link_worker" and fact.get("capacity") is not None:
            max_sessions = min(max_sessions, int(fact["capacity"]))
        entry: dict[str, Any] = {
            "id": pid,
            "role": role,
            "conditions": {
                condition_slug[cid]: strength for cid, strength in strengths.get(reg_id, []) if cid in condition_slug
            },
            "available": [slot_id(s) for s in sorted(available.get(reg_id, [])) if s in round_slots],
            "max_sessions": max(0, int(max_sessions)),
            "languages": fact.get("languages") or list(DEFAULT_LANGUAGES),
            "region": fact.get("region"),
            "organisation": fact.get("organisation") if role == "creative" else None,
            "wants_to_meet": [participant_id(u) for u in wants.get(reg_id, [])],
        }
        if fact.get("kind"):
            # Informational (the solver ignores keys the contract does not name): organisation kind,
            # commissioner kind or link worker's employer, for reports and future weighting.
            entry["kind"] = fact["kind"]
        if role == "creative":
            entry["priority"] = derived_priority(fact.get("profile"), round_)
        participants[pid] = entry

    # 'Not again': people kept out of the whole round (a cancelled booking's commissioner, until they
    # book again) are filtered out here, before solving; exclusions from one session go to the solver
    # as the contract's `exclusions` (H11), and runs.py still takes anyone back out as a safety net.
    _pairs, kept_out = excluded_pairs(round_.id)
    for user_id in kept_out - readmitted:
        participants.pop(participant_id(user_id), None)

    bookings = [b for b in bookings_for_problem(round_) if b["condition"] in scope]
    _add_booking_commissioners(round_, participants, bookings)
    for pid, wanted in booking_wants.items():
        if pid in participants:
            participants[pid]["wants_to_meet"] += wanted
    fixed = _fixed_sessions(round_, participants, bookings, scope)
    known_bookings = {b["id"] for b in bookings}
    for entry in locked or []:
        fixed.append(_locked_entry(entry, participants, known_bookings))
    _fit_fixed(participants, fixed)
    for entry in participants.values():
        entry["wants_to_meet"] = [
            q for q in dict.fromkeys(entry["wants_to_meet"]) if q in participants and q != entry["id"]
        ]
    people = set(participants)
    user_ids = {u for u in map(parse_participant_id, people) if u is not None}
    return {
        "version": LATEST_VERSION,
        "timezone": "Europe/London",
        "slots": _slots(round_),
        "conditions": [{"id": c.slug, "name": c.name_en} for c in round_.conditions],
        "participants": list(participants.values()),
        "bookings": bookings,
        "fixed_sessions": fixed,
        "rules": _rules(round_),
        "history": history_block(round_, user_ids),
        "exclusions": exclusion_block(round_, fixed, people),
    }


def _add_booking_commissioners(
    round_: Round, participants: dict[str, dict[str, Any]], bookings: list[dict[str, Any]]
) -> None:
    """Bookings need their commissioner as a participant: add one who did not register, drop the rest."""
    needs = booking_needs(round_)
    live = {
        participant_id(u)
        for u in db.session.scalars(
            select(User.id).where(
                User.role == "commissioner",
                User.deleted_at.is_(None),
                User.deactivated_at.is_(None),
                User.approval == Approval.APPROVED,
            )
        )
    }
    languages = {
        participant_id(u): list(langs or [])
        for u, langs in db.session.execute(select(CommissionerProfile.user_id, CommissionerProfile.languages))
    }
    keep = []
    for b in bookings:
        pid = b["commissioner"]
        if pid not in participants and pid in live:
            need = needs.get(pid, {"available": b["slots"], "conditions": {b["condition"]: 3}, "max_sessions": 1})
            participants[pid] = {
                "id": pid,
                "role": "commissioner",
                "conditions": dict(need["conditions"]),
                "available": list(need["available"]),
                "max_sessions": need["max_sessions"],
                "languages": languages.get(pid) or list(DEFAULT_LANGUAGES),
                "region": b.get("region"),
                "organisation": None,
                "wants_to_meet": [],
            }
        if pid in participants and participants[pid]["role"] == "commissioner":
            keep.append(b)
    bookings[:] = keep


def _fixed_sessions(
    round_: Round,
    participants: dict[str, dict[str, Any]],
    bookings: list[dict[str, Any]],
    scope: dict[str, Any],
) -> list[dict[str, Any]]:
    """Published, scheduled sessions as fixed sessions with their current attendees."""
    by_booking = {b["id"]: b for b in bookings}
    fixed = []
    for session in _published_sessions(round_):
        if session.condition.slug not in scope:
            continue
        members = []
        for attendee in session.attendees:
            if not attendee.is_current:
                continue
            pid = participant_id(attendee.user_id)
            if pid not in participants:  # withdrew or was deactivated after publishing: keep their place
                participants[pid] = {
                    "id": pid,
                    "role": attendee.role,
                    "conditions": {session.condition.slug: 1},
                    "available": [slot_id(session.slot_id)],
                    "max_sessions": 0,
                    "languages": [session.language],
                    "region": None,
                    "organisation": None,
                    "wants_to_meet": [],
                }
            members.append(pid)
        booking = by_booking.get(booking_id(session.booking_id)) if session.booking_id else None
        if booking is not None and not _booking_fits(booking, session, members):
            booking = None
        fixed.append(
            {
                "id": session.plan_key,
                "condition": session.condition.slug,
                "slot": slot_id(session.slot_id),
                "language": session.language,
                "participants": members,
                "booking": booking["id"] if booking else None,
            }
        )
    return fixed


def _booking_fits(booking: dict[str, Any], session: ConsultationSession, members: list[str]) -> bool:
    """Can this fixed session still name the booking (H10): its commissioner in it, same condition, slot, language?"""
    return (
        booking["commissioner"] in members
        and booking["condition"] == session.condition.slug
        and slot_id(session.slot_id) in booking["slots"]
        and (not booking.get("language") or booking["language"] == session.language)
    )


def _locked_entry(
    session: dict[str, Any], participants: dict[str, dict[str, Any]], known_bookings: set[str]
) -> dict[str, Any]:
    """A draft's locked session as a fixed session (people and bookings gone since are left out)."""
    return {
        "id": session["id"],
        "condition": session["condition"],
        "slot": session["slot"],
        "language": session["language"],
        "participants": [p for p in session["participants"] if p in participants],
        "booking": session.get("booking") if session.get("booking") in known_bookings else None,
    }


def _fit_fixed(participants: dict[str, dict[str, Any]], fixed: list[dict[str, Any]]) -> None:
    """Someone in more fixed sessions than their max_sessions now says (they lowered it): keep those places."""
    count: dict[str, int] = defaultdict(int)
    for f in fixed:
        for pid in f["participants"]:
            count[pid] += 1
    for pid, n in count.items():
        if pid in participants and participants[pid]["max_sessions"] < n:
            participants[pid]["max_sessions"] = n


def problem_for(round_: Round, locked: list[dict[str, Any]] | None = None) -> tuple[dict[str, Any], Problem]:
    """The problem document and its parsed form; raises the solver's ProblemError if it is invalid."""
    data = build_problem(round_, locked)
    return data, parse_problem(data)
