"""Bookings: who may request, what is valid, and requesting, changing and cancelling them.

Every check that protects the data lives here (not only in the form), so a tampered
request, a request on someone's behalf and a request from the matching job all meet it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from matchmaker.bookings import organisations
from matchmaker.bookings.feasibility import Refusal, refusal
from matchmaker.extensions import db
from matchmaker.mail.service import queue_email, queue_templated_email
from matchmaker.models import (
    ACTIVE_STATUSES,
    BOOKING_LANGUAGES,
    Approval,
    Booking,
    BookingStatus,
    CommissionerProfile,
    ConsultationSession,
    CreativeProfile,
    HealthBoard,
    LinkWorkerProfile,
    Registration,
    Role,
    Round,
    RoundStatus,
    SessionAttendee,
    SessionStatus,
    Slot,
    User,
    utcnow,
)
from matchmaker.profiles.service import facts_for_users
from matchmaker.web.i18n import to_london
from matchmaker.web.labels import PROFILE_LABELS, label

EITHER = "either"  # the form's value for "Welsh or English"


class BookingError(ValueError):
    """A request that cannot be accepted; errors maps form field names to messages.

    refusal: set when the request is well formed but could never be met (see feasibility).
    """

    def __init__(self, errors: dict[str, str], refusal: Refusal | None = None) -> None:
        """Keep every message, by field."""
        super().__init__("; ".join(errors.values()))
        self.errors = errors
        self.refusal = refusal


@dataclass
class BookingRequest:
    """What a commissioner asked for, as ids (checked by validate before anything is saved)."""

    condition_id: int | None
    slot_ids: list[int]
    language: str | None  # 'cy', 'en' or None for either
    health_board_id: int | None
    purpose: str
    organisation_keys: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able, for keeping a draft in the session between the form and the check page."""
        return {
            "condition_id": self.condition_id,
            "slot_ids": list(self.slot_ids),
            "language": self.language,
            "health_board_id": self.health_board_id,
            "purpose": self.purpose,
            "organisation_keys": list(self.organisation_keys),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BookingRequest:
        """Back from the session (validate again before saving: it may be stale)."""
        return cls(
            condition_id=data.get("condition_id"),
            slot_ids=[int(s) for s in data.get("slot_ids", [])],
            language=data.get("language"),
            health_board_id=data.get("health_board_id"),
            purpose=str(data.get("purpose", "")),
            organisation_keys=[str(k) for k in data.get("organisation_keys", [])],
        )

    @classmethod
    def from_booking(cls, booking: Booking) -> BookingRequest:
        """A stored booking as a request (to change it)."""
        return cls(
            condition_id=booking.condition_id,
            slot_ids=[s.id for s in booking.slots],
            language=booking.language,
            health_board_id=booking.health_board_id,
            purpose=booking.purpose,
            organisation_keys=organisations.keys_of(booking.wants_to_meet),
        )


# --- who and when -------------------------------------------------------------------------


def round_closed_message(round_: Round) -> str | None:
    """Why this round takes no bookings now, or None when it is open."""
    if round_.status == RoundStatus.OPEN:
        return None
    if round_.status == RoundStatus.DRAFT:
        return _("This round is not open yet. You can request a session once the organisers open it.")
    return _("This round has closed, so sessions can no longer be requested or changed in it.")


def commissioner_problem(user: User | None) -> str | None:
    """Why this account cannot have a booking, or None when it can."""
    if user is None or user.role != Role.COMMISSIONER:
        return _("Only commissioners can request sessions. Choose a commissioner's account")
    if user.deleted_at is not None or user.deactivated_at is not None:
        return _("This account is closed, so it cannot request sessions")
    if user.approval != Approval.APPROVED or not user.is_verified:
        return _("This account has not been approved by an organiser yet, so it cannot request sessions")
    return None


def approved_commissioners() -> list[User]:
    """Commissioners an organiser can book for, by name."""
    query = (
        select(User)
        .where(
            User.role == Role.COMMISSIONER,
            User.approval == Approval.APPROVED,
            User.email_verified_at.is_not(None),
            User.deleted_at.is_(None),
            User.deactivated_at.is_(None),
        )
        .order_by(User.name, User.id)
    )
    return list(db.session.scalars(query))


def spoken_languages(round_: Round) -> set[str]:
    """Languages at least one person registered in this round can hold a session in."""
    spoken: set[str] = set()
    for model in (CreativeProfile, CommissionerProfile, LinkWorkerProfile):
        query = (
            select(model.languages)
            .join(Registration, Registration.user_id == model.user_id)
            .where(Registration.round_id == round_.id)
        )
        for languages in db.session.scalars(query):
            spoken.update(languages or [])
    return spoken


def health_boards() -> list[HealthBoard]:
    """Health boards a booking can focus on, in display order."""
    return list(
        db.session.scalars(select(HealthBoard).where(HealthBoard.active.is_(True)).order_by(HealthBoard.position))
    )


# --- slots by week ------------------------------------------------------------------------


def week_of(slot: Slot) -> date:
    """The Monday (in Wales) of the week the slot starts in."""
    day = to_london(slot.starts_at).date()
    return day - timedelta(days=day.weekday())


def slots_by_week(slots: list[Slot]) -> list[tuple[date, list[Slot]]]:
    """The slots grouped by the week they start in, earliest first."""
    weeks: dict[date, list[Slot]] = {}
    for slot in sorted(slots, key=lambda s: (s.starts_at, s.id)):
        weeks.setdefault(week_of(slot), []).append(slot)
    return list(weeks.items())


def expand_weeks(round_: Round, slot_ids: list[int], weeks: list[date]) -> list[int]:
    """The chosen slots plus every slot of each "any slot in this week" week, each once, in time order."""
    chosen = set(slot_ids)
    chosen.update(s.id for s in round_.slots if week_of(s) in set(weeks))
    return [s.id for s in round_.slots if s.id in chosen] + sorted(chosen - {s.id for s in round_.slots})


# --- validating ---------------------------------------------------------------------------


def validate(round_: Round, commissioner: User, request: BookingRequest, booking: Booking | None = None) -> None:
    """Raise BookingError (by form field) unless this request may be saved as it stands."""
    errors: dict[str, str] = {}
    closed = round_closed_message(round_)
    if closed:
        raise BookingError({"round": closed})
    who = commissioner_problem(commissioner)
    if who:
        raise BookingError({"commissioner": who})
    in_scope = {c.id for c in round_.conditions}
    if request.condition_id is None:
        errors["condition"] = _("Select the condition the session is about")
    elif request.condition_id not in in_scope:
        errors["condition"] = _("Select a condition from this round's list")
    round_slots = {s.id for s in round_.slots}
    if not request.slot_ids:
        errors["slots"] = _("Select at least one slot that suits you, or a whole week")
    elif any(slot_id not in round_slots for slot_id in request.slot_ids):
        errors["slots"] = _("Select slots from this round's list")
    if request.language is not None and request.language not in BOOKING_LANGUAGES:
        errors["language"] = _("Select Welsh, English or either")
    elif request.language is not None and request.language not in spoken_languages(round_):
        errors["language"] = (
            _("Nobody registered in this round speaks Welsh yet. Choose \u201ceither Welsh or English\u201d")
            if request.language == "cy"
            else _("Nobody registered in this round speaks English yet. Choose \u201ceither Welsh or English\u201d")
        )
    if request.health_board_id is not None and db.session.get(HealthBoard, request.health_board_id) is None:
        errors["health_board"] = _("Select a health board from the list, or no particular health board")
    purpose = request.purpose.strip()
    if not purpose:
        errors["purpose"] = _("Enter what you want to learn or discuss")
    elif len(purpose) > 2000:
        errors["purpose"] = _("What you want to learn or discuss must be 2000 characters or fewer")
    known = {o.key for o in organisations.directory_organisations()}
    if any(key not in known for key in request.organisation_keys):
        errors["organisations"] = _("Select organisations from the directory list")
    if "condition" not in errors and duplicate_of(round_, commissioner, request.condition_id, booking) is not None:
        errors["condition"] = _(
            "You already have a request for this condition in this round. Change or cancel that request instead"
        )
    if errors:
        raise BookingError(errors)
    assert request.condition_id is not None
    found = refusal(
        round_, commissioner, request.condition_id, request.slot_ids, request.language, request.health_board_id, booking
    )
    if found is not None:
        raise BookingError({found.field: found.reason}, found)


def duplicate_of(
    round_: Round, commissioner: User, condition_id: int | None, booking: Booking | None
) -> Booking | None:
    """Another active booking by this commissioner for this condition in this round."""
    query = select(Booking).where(
        Booking.round_id == round_.id,
        Booking.commissioner_id == commissioner.id,
        Booking.condition_id == condition_id,
        Booking.status.in_(ACTIVE_STATUSES),
    )
    if booking is not None and booking.id is not None:
        query = query.where(Booking.id != booking.id)
    return db.session.scalars(query).first()


# --- saving -------------------------------------------------------------------------------


def _apply(booking: Booking, round_: Round, request: BookingRequest) -> None:
    """Copy a validated request onto the booking."""
    by_id = {s.id: s for s in round_.slots}
    # Objects, not only ids: the feasibility check may have loaded the old ones into this booking.
    booking.condition = next(c for c in round_.conditions if c.id == request.condition_id)
    booking.slots = [by_id[i] for i in request.slot_ids]
    booking.language = request.language
    booking.health_board = db.session.get(HealthBoard, request.health_board_id) if request.health_board_id else None
    booking.purpose = request.purpose.strip()
    booking.wants_to_meet = organisations.members_of(request.organisation_keys)


def _flush_or_duplicate(booking: Booking) -> None:
    """Flush; a duplicate that got past the check (two requests at once) becomes the same message."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise BookingError(
            {
                "condition": _(
                    "You already have a request for this condition in this round. Change or cancel that request instead"
                )
            }
        ) from None


def create_booking(round_: Round, commissioner: User, request: BookingRequest, requested_by: User) -> Booking:
    """Save a new request and queue its confirmation email (the caller commits)."""
    validate(round_, commissioner, request)
    booking = Booking(round=round_, commissioner=commissioner, requested_by=requested_by)
    with db.session.no_autoflush:  # the insert happens in _flush_or_duplicate, where a duplicate is caught
        db.session.add(booking)
        _apply(booking, round_, request)
    _flush_or_duplicate(booking)
    from matchmaker.invites.service import lift_round_booking_exclusion

    lift_round_booking_exclusion(round_.id, commissioner.id)  # booking again: they may be placed again
    queue_templated_email(
        "booking_requested",
        key=f"booking-requested:{booking.id}",
        user=commissioner,
        reply_to=round_.organiser_mailbox,
        booking=booking,
        on_behalf=requested_by.id != commissioner.id,
        wanted=organisations.names_of(booking.wants_to_meet),
        link=_link("bookings.show", booking_id=booking.id),
    )
    return booking


def change_problem(booking: Booking) -> str | None:
    """Why this booking can no longer be changed, or None."""
    closed = round_closed_message(booking.round)
    if closed:
        return closed
    if booking.status != BookingStatus.REQUESTED:
        return _("Only requests waiting to be scheduled can be changed. You can still cancel this request.")
    return None


def update_booking(booking: Booking, request: BookingRequest) -> Booking:
    """Save a changed request and email a summary of it (the caller commits)."""
    problem = change_problem(booking)
    if problem:
        raise BookingError({"round": problem})
    validate(booking.round, booking.commissioner, request, booking)
    with db.session.no_autoflush:
        _apply(booking, booking.round, request)
        booking.updated_at = utcnow()
    _flush_or_duplicate(booking)
    queue_templated_email(
        "booking_changed",
        key=f"booking-changed:{booking.id}:{booking.updated_at.timestamp():.6f}",
        user=booking.commissioner,
        reply_to=booking.round.organiser_mailbox,
        booking=booking,
        wanted=organisations.names_of(booking.wants_to_meet),
        link=_link("bookings.show", booking_id=booking.id),
    )
    return booking


def session_for(booking: Booking) -> ConsultationSession | None:
    """The published session that serves this booking, if any."""
    query = (
        select(ConsultationSession)
        .where(ConsultationSession.booking_id == booking.id)
        .options(selectinload(ConsultationSession.attendees).selectinload(SessionAttendee.user))
        .order_by(ConsultationSession.id)
    )
    return db.session.scalars(query).first()


def sessions_on_same_condition(booking: Booking) -> list[ConsultationSession]:
    """Live sessions of the booking's round and condition that the commissioner is still invited to.

    The matching can place a commissioner from their registration of interest while their
    request for that condition goes unserved; the request's page explains that case.
    """
    query = (
        select(ConsultationSession)
        .join(SessionAttendee, SessionAttendee.session_id == ConsultationSession.id)
        .join(Slot, Slot.id == ConsultationSession.slot_id)
        .where(
            ConsultationSession.round_id == booking.round_id,
            ConsultationSession.condition_id == booking.condition_id,
            ConsultationSession.status == SessionStatus.SCHEDULED,
            SessionAttendee.user_id == booking.commissioner_id,
        )
        .options(selectinload(ConsultationSession.attendees))
        .order_by(Slot.starts_at, ConsultationSession.id)
    )
    sessions = list(dict.fromkeys(db.session.scalars(query)))
    return [s for s in sessions if any(a.user_id == booking.commissioner_id and a.is_current for a in s.attendees)]


def cancel_booking(booking: Booking, *, notify: bool = True) -> ConsultationSession | None:
    """Cancel; if a session served it, free the booking's place there and tell the organiser.

    The session itself is left as it is: the organiser decides whether it goes ahead.
    Returns the session that served it, if any (the caller commits).
    """
    if booking.status == BookingStatus.CANCELLED:
        return None
    was_scheduled = booking.status == BookingStatus.SCHEDULED
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = utcnow()
    session = session_for(booking)
    if session is not None:
        session.booking_id = None
    _remove_attendee(booking.round_id, session, booking.commissioner)
    db.session.flush()
    if notify:
        queue_templated_email(
            "booking_cancelled",
            key=f"booking-cancelled:{booking.id}",
            user=booking.commissioner,
            reply_to=booking.round.organiser_mailbox,
            booking=booking,
            link=_link("bookings.show", booking_id=booking.id),
        )
        if was_scheduled or session is not None:
            _tell_organiser(booking, session)
    return session


def _remove_attendee(round_id: int, session: ConsultationSession | None, user: User) -> None:
    """Take the commissioner out of the session (a CANCEL to their calendar) and keep them out of the
    round's other sessions until they book again (the invites feature keeps these exclusions)."""
    from matchmaker.invites.service import booking_cancelled

    booking_cancelled(round_id, session, user)


def _tell_organiser(booking: Booking, session: ConsultationSession | None) -> None:
    """Email the round's organiser mailbox that a scheduled booking was cancelled."""
    round_ = booking.round
    creator = db.session.get(User, round_.created_by_id) if round_.created_by_id else None
    language = creator.language if creator is not None and creator.language in ("en", "cy") else "en"
    context = {
        "user": {"language": language, "name": ""},
        "booking": booking,
        "session": session,
        "language": language,
        "link": _link("bookings.organiser_list", round_id=round_.id),
        "session_link": _link("invites.organiser_session", session_id=session.id) if session is not None else None,
    }
    with force_locale(language):
        subject = render_template("emails/booking_cancelled_organiser.subject.txt", **context).strip()
        text = render_template("emails/booking_cancelled_organiser.txt", **context)
        html = render_template("emails/booking_cancelled_organiser.html", subject=subject, **context)
    queue_email(
        key=f"booking-cancelled-organiser:{booking.id}",
        to_address=round_.organiser_mailbox,
        reply_to=round_.organiser_mailbox,
        subject=subject,
        text_body=text,
        html_body=html,
    )


def _link(endpoint: str, **values: Any) -> str:
    """An absolute link for an email."""
    from matchmaker.web.urls import external_url

    return external_url(endpoint, **values)


# --- reading ------------------------------------------------------------------------------


def bookings_of(user: User) -> list[Booking]:
    """A commissioner's bookings, newest first."""
    query = (
        select(Booking)
        .where(Booking.commissioner_id == user.id)
        .options(selectinload(Booking.slots), selectinload(Booking.round), selectinload(Booking.condition))
        .order_by(Booking.created_at.desc(), Booking.id.desc())
    )
    return list(db.session.scalars(query))


def booking_of(user: User, booking_id: int) -> Booking | None:
    """This booking if the user may see it: its commissioner, or an organiser."""
    booking = db.session.get(Booking, booking_id)
    if booking is None:
        return None
    if user.role == Role.ORGANISER or booking.commissioner_id == user.id:
        return booking
    return None


@dataclass
class Filters:
    """The organiser's filters on a round's bookings (None: all)."""

    status: str | None = None
    condition_id: int | None = None
    language: str | None = None  # 'cy', 'en' or EITHER
    health_board_id: int | None = None


def round_bookings(round_: Round, filters: Filters | None = None) -> list[Booking]:
    """A round's bookings, optionally filtered, oldest first."""
    filters = filters or Filters()
    query = (
        select(Booking)
        .where(Booking.round_id == round_.id)
        .options(
            selectinload(Booking.slots),
            selectinload(Booking.commissioner),
            selectinload(Booking.condition),
            selectinload(Booking.health_board),
            selectinload(Booking.wants_to_meet),
        )
        .order_by(Booking.created_at, Booking.id)
    )
    if filters.status:
        query = query.where(Booking.status == BookingStatus(filters.status))
    if filters.condition_id:
        query = query.where(Booking.condition_id == filters.condition_id)
    if filters.language == EITHER:
        query = query.where(Booking.language.is_(None))
    elif filters.language:
        query = query.where(Booking.language == filters.language)
    if filters.health_board_id:
        query = query.where(Booking.health_board_id == filters.health_board_id)
    return list(db.session.scalars(query))


# --- for the matching job -----------------------------------------------------------------


def mark_scheduled(booking: Booking) -> None:
    """The matching job published a session that serves this booking."""
    if booking.status == BookingStatus.CANCELLED:
        return
    booking.status = BookingStatus.SCHEDULED
    booking.reason_code = None
    booking.reason_detail = None


def mark_unscheduled(booking: Booking, reason: str, detail: str) -> None:
    """The matching job could not serve this booking: keep the solver's reason."""
    if booking.status == BookingStatus.CANCELLED:
        return
    booking.status = BookingStatus.UNSCHEDULED
    booking.reason_code = reason
    booking.reason_detail = detail


def current_attendees(session: ConsultationSession) -> list[SessionAttendee]:
    """People still invited to a session (not removed, not declined), by role then name."""
    order = {"commissioner": 0, "link_worker": 1, "creative": 2}
    people = [a for a in session.attendees if a.is_current]
    return sorted(people, key=lambda a: (order.get(a.role, 3), a.user.name.casefold()))


def session_is_live(session: ConsultationSession | None) -> bool:
    """A session that has not been cancelled."""
    return session is not None and session.status == SessionStatus.SCHEDULED


def kinds_of(users: list[User]) -> dict[int, str]:
    """Each person's kind of organisation, named in the page's language, by user id (none when unknown)."""
    return {
        user_id: label(PROFILE_LABELS[fact.kind_group], fact.kind)
        for user_id, fact in facts_for_users(users).items()
        if fact.kind_group
    }


def organisations_of(users: list[User]) -> dict[int, str]:
    """Each person's organisation (creative organisation, commissioner's body, link worker's employer), by user id."""
    ids = [u.id for u in users]
    if not ids:
        return {}
    found: dict[int, str] = {}
    for profile in db.session.scalars(select(CreativeProfile).where(CreativeProfile.user_id.in_(ids))):
        found[profile.user_id] = profile.organisation_name
    for profile in db.session.scalars(select(CommissionerProfile).where(CommissionerProfile.user_id.in_(ids))):
        found[profile.user_id] = profile.organisation
    for profile in db.session.scalars(select(LinkWorkerProfile).where(LinkWorkerProfile.user_id.in_(ids))):
        found[profile.user_id] = profile.employer
    return found
