"""Matching's share of "delete my account": stored problems keep an erased person only as an id."""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import Text, cast, select

from matchmaker.accounts.service import register_personal_data
from matchmaker.extensions import db
from matchmaker.models import MatchDraft, MatchRun, User


def export_matching(user: User) -> dict[str, Any]:
    """Nothing of the person's own is held here beyond what their profile and registrations export."""
    return {}


def _used(plans: list[dict[str, Any]], participant: str) -> tuple[list[str], list[str]]:
    """The slots and languages of the sessions this participant is in across these plans."""
    slots: dict[str, None] = {}
    languages: dict[str, None] = {}
    for plan in plans:
        for session in (plan or {}).get("sessions", []):
            if participant in session.get("participants", []):
                slots[session["slot"]] = None
                languages[session["language"]] = None
    return list(slots), list(languages)


def erase_from_matching(user: User) -> None:
    """Keep the person in stored problems only as far as the plans need them (their sessions' slots and
    languages); drop organisation, region, wishes and any other availability."""
    participant = f"u{user.id}"
    runs = db.session.scalars(select(MatchRun).where(cast(MatchRun.problem, Text).contains(f'"{participant}"'))).all()
    for run in runs:
        plans = [run.plan or {}, *db.session.scalars(select(MatchDraft.plan).where(MatchDraft.run_id == run.id))]
        slots, languages = _used(plans, participant)
        problem = copy.deepcopy(run.problem)
        for person in problem.get("participants", []):
            if person.get("id") == participant:
                person.update(organisation=None, region=None, wants_to_meet=[], available=slots)
                person["languages"] = languages or person.get("languages", [])[:1]
        for booking in problem.get("bookings", []):
            if booking.get("commissioner") == participant:
                booking["region"] = None
        run.problem = problem  # a new object, so the JSON column is written


register_personal_data(export_matching, erase_from_matching)
