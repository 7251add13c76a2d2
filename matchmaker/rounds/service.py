"""Rounds and slots: saving the organiser's forms, status changes, slot patterns."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, select

from matchmaker.extensions import db
from matchmaker.invites.service import people_to_tell, slot_moved
from matchmaker.mail.service import queue_email
from matchmaker.models import Condition, ConsultationSession, Round, RoundStatus, Slot, User, utcnow
from matchmaker.models.rounds import registration_slots
from matchmaker.rounds.slots import MissingLocalTime, PlannedSlot, bank_holiday, local_to_utc
from matchmaker.rounds.slots import pattern_slots as pattern_slots  # for the demo round
from matchmaker.web.i18n import to_london
from matchmaker.web.urls import external_url

RULE_FIELDS = (
    "session_minutes",
    "creatives_min",
    "creatives_max",
    "commissioners_min",
    "commissioners_max",
    "link_workers_min",
    "link_workers_max",
    "max_parallel_sessions",
)
PRIORITY_FIELDS = ("priority_no_link", "priority_informal", "priority_formal")


class RoundError(ValueError):
    """A change the round's state does not allow; the message is for the organiser."""


def active_conditions() -> list[Condition]:
    """Conditions an organiser can put in scope, in display order."""
    return list(db.session.scalars(select(Condition).where(Condition.active.is_(True)).order_by(Condition.position)))


def all_rounds() -> list[Round]:
    """Every round, newest first."""
    return list(db.session.scalars(select(Round).order_by(Round.created_at.desc(), Round.id.desc())))


def open_rounds() -> list[Round]:
    """Rounds taking registrations, soonest closing first."""
    return list(
        db.session.scalars(
            select(Round).where(Round.status == RoundStatus.OPEN).order_by(Round.registration_closes_at, Round.id)
        )
    )


def fill_round_form(form: Any, round_: Round) -> None:
    """Put a stored round's values into the form fields (GET of the edit page)."""
    for name in ("title_en", "title_cy", "description_en", "description_cy", "organiser_mailbox"):
        getattr(form, name).process(None, getattr(round_, name))
    for name in RULE_FIELDS + PRIORITY_FIELDS:
        getattr(form, name).process(None, getattr(round_, name))
    opens, closes = to_london(round_.registration_opens_at), to_london(round_.registration_closes_at)
    form.opens_on.process(None, opens.date())
    form.opens_at.process(None, opens.time())
    form.closes_on.process(None, closes.date())
    form.closes_at.process(None, closes.time())
    form.conditions.process(None, [str(c.id) for c in round_.conditions])
    form.one_per_organisation.process(None, "yes" if round_.one_per_organisation else "no")


def window_from_form(form: Any) -> tuple[datetime, datetime] | None:
    """The registration window in UTC, or None after adding errors to the form."""
    try:
        opens = local_to_utc(form.opens_on.data, form.opens_at.time)
    except MissingLocalTime:
        form.opens_at.errors.append(_("That time does not exist on that day: the clocks go forward. Choose another"))
        return None
    try:
        closes = local_to_utc(form.closes_on.data, form.closes_at.time)
    except MissingLocalTime:
        form.closes_at.errors.append(_("That time does not exist on that day: the clocks go forward. Choose another"))
        return None
    if closes <= opens:
        form.closes_on.errors.append(_("Registration must close after it opens. Change the closing date or time"))
        return None
    return opens, closes


def save_round(form: Any, round_: Round | None, organiser: User) -> Round | None:
    """Create or update a round from a validated form; None (with form errors) if the window is wrong."""
    window = window_from_form(form)
    if window is None:
        return None
    if round_ is None:
        round_ = Round(created_by_id=organiser.id, status=RoundStatus.DRAFT)
        db.session.add(round_)
    round_.registration_opens_at, round_.registration_closes_at = window
    for name in ("title_en", "title_cy", "organiser_mailbox"):
        setattr(round_, name, getattr(form, name).data.strip())
    round_.description_en = (form.description_en.data or "").strip()
    round_.description_cy = (form.description_cy.data or "").strip()
    for name in RULE_FIELDS:
        setattr(round_, name, getattr(form, name).number)
    for name in PRIORITY_FIELDS:
        setattr(round_, name, getattr(form, name).number)
    round_.one_per_organisation = form.one_per_organisation.data == "yes"
    ids = {int(value) for value in form.conditions.data or []}
    round_.conditions = [c for c in active_conditions() if c.id in ids] + [
        c for c in round_.conditions if c.id in ids and not c.active
    ]
    db.session.flush()
    return round_


def open_round(round_: Round) -> None:
    """Draft -> open: needs at least one slot and one condition."""
    if round_.status != RoundStatus.DRAFT:
        raise RoundError(_("Only a draft round can be opened."))
    if not round_.slots:
        raise RoundError(_("Add at least one slot before opening the round."))
    if not round_.conditions:
        raise RoundError(_("Choose at least one condition in scope before opening the round."))
    if round_.registration_closes_at <= round_.registration_opens_at:
        raise RoundError(_("Registration must close after it opens. Change the dates before opening the round."))
    round_.status = RoundStatus.OPEN


def close_round(round_: Round) -> None:
    """Open -> closed: registrations can no longer change."""
    if round_.status != RoundStatus.OPEN:
        raise RoundError(_("Only an open round can be closed."))
    round_.status = RoundStatus.CLOSED


def reopen_round(round_: Round) -> None:
    """Closed -> open again, while the registration window has not ended (or it would close at once)."""
    if round_.status != RoundStatus.CLOSED:
        raise RoundError(_("Only a closed round can be reopened."))
    if round_.registration_closes_at <= utcnow():
        raise RoundError(_("Registration closing time has passed. Change it to a later time, then reopen."))
    round_.status = RoundStatus.OPEN


def close_due_rounds(now: datetime) -> list[Round]:
    """Close every open round whose registration closing time has come; the caller tells the organisers."""
    due = list(
        db.session.scalars(select(Round).where(Round.status == RoundStatus.OPEN, Round.registration_closes_at <= now))
    )
    for round_ in due:
        round_.status = RoundStatus.CLOSED
    return due


def tell_closed(round_: Round, registrations: int) -> None:
    """Email the organiser mailbox that registration closed by itself (once per round and closing time)."""
    creator = db.session.get(User, round_.created_by_id) if round_.created_by_id else None
    language = creator.language if creator is not None and creator.language in ("en", "cy") else "en"
    context = {
        "round": round_,
        "registrations": registrations,
        "language": language,
        "user": {"language": language, "name": ""},
        "link": external_url("rounds.show", round_id=round_.id),
    }
    with force_locale(language):
        subject = render_template("emails/registration_closed.subject.txt", **context).strip()
        text = render_template("emails/registration_closed.txt", **context)
        html = render_template("emails/registration_closed.html", subject=subject, **context)
    queue_email(
        key=f"registration-closed:{round_.id}:{round_.registration_closes_at:%Y%m%d%H%M}",
        to_address=round_.organiser_mailbox,
        subject=subject,
        text_body=text,
        html_body=html,
    )


def add_planned_slots(round_: Round, planned: list[PlannedSlot]) -> tuple[int, int]:
    """Store planned slots, skipping any the round already has at the same times; (added, skipped)."""
    existing = {(s.starts_at, s.ends_at) for s in round_.slots}
    added = 0
    for item in planned:
        if (item.starts_at, item.ends_at) in existing:
            continue
        round_.slots.append(Slot(starts_at=item.starts_at, ends_at=item.ends_at, bank_holiday=item.bank_holiday))
        existing.add((item.starts_at, item.ends_at))
        added += 1
    db.session.flush()
    return added, len(planned) - added


def slot_times_from_form(form: Any) -> tuple[datetime, datetime] | None:
    """A slot's UTC start and end from the one-slot form, or None with an error on the form."""
    try:
        start = local_to_utc(form.day.data, form.starts.time)
    except MissingLocalTime:
        form.starts.errors.append(_("That time does not exist on that day: the clocks go forward. Choose another"))
        return None
    return start, start + timedelta(minutes=form.minutes.number)


def published_sessions_at(slot: Slot) -> list[ConsultationSession]:
    """The published sessions held in this slot (cancelled ones too)."""
    return list(
        db.session.scalars(
            select(ConsultationSession).where(ConsultationSession.slot_id == slot.id).order_by(ConsultationSession.id)
        )
    )


def people_told_if_moved(slot: Slot) -> tuple[int, int]:
    """(people, sessions) who would get an updated invitation if this slot moved."""
    return people_to_tell(published_sessions_at(slot))


def set_slot_times(slot: Slot, starts_at: datetime, ends_at: datetime) -> int:
    """Move a slot (and refresh its bank holiday flag); everyone in its published sessions is sent the
    new time (same UID, next SEQUENCE, answers asked again). Returns how many people were told."""
    old = (slot.starts_at, slot.ends_at)
    slot.starts_at, slot.ends_at = starts_at, ends_at
    slot.bank_holiday = bank_holiday(to_london(starts_at).date())
    if old == (starts_at, ends_at):
        return 0
    db.session.flush()
    return slot_moved(published_sessions_at(slot), old)


def new_slot(round_: Round, starts_at: datetime, ends_at: datetime) -> Slot:
    """Add one slot to a round."""
    slot = Slot(starts_at=starts_at, ends_at=ends_at, bank_holiday=bank_holiday(to_london(starts_at).date()))
    round_.slots.append(slot)
    db.session.flush()
    return slot


def delete_slot(slot: Slot) -> None:
    """Remove a slot and take it out of every registration (SQLite does not cascade by itself)."""
    db.session.execute(delete(registration_slots).where(registration_slots.c.slot_id == slot.id))
    db.session.delete(slot)


def slot_of_round(round_: Round, slot_id: int) -> Slot | None:
    """A slot only if it belongs to this round."""
    slot = db.session.get(Slot, slot_id)
    return slot if slot is not None and slot.round_id == round_.id else None


def close_due(now: datetime | None = None) -> int:
    """Close the rounds whose registration time is over, tell each organiser mailbox, commit; how many closed."""
    from matchmaker.rounds.overview import registration_count

    closed = close_due_rounds(now or utcnow())
    for round_ in closed:
        tell_closed(round_, registration_count(round_))
    db.session.commit()
    return len(closed)


# Groups of registrants an organiser may message: those in conditions with one of these warnings.
GROUP_WARNINGS = {
    "no_commissioner": {"no_commissioners"},
    "no_shared_slot": {"no_viable_slot", "commissioners_not_free", "link_workers_not_free"},
}


def registrants(round_: Round, args: Any, group: str = "") -> list[User]:
    """People registered in the round who pass the overview's filters (and are in the warning group, if named)."""
    from matchmaker.rounds.overview import Filters, attach, registration_rows, round_warnings

    filters = Filters.from_args(args)
    everyone = registration_rows(round_)
    rows = [row for row in everyone if filters.match(row)]
    if group in GROUP_WARNINGS:
        kinds = GROUP_WARNINGS[group]
        conditions = {c.id for c, w in round_warnings(round_, everyone) if w.kind in kinds}
        rows = [row for row in rows if row.condition_ids & conditions]
    attach(rows)
    return [row.registration.user for row in rows if row.registration.user.deleted_at is None]
