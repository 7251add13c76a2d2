"""Answers given in calendar apps: iTIP REPLY (and COUNTER) emails to the round mailbox (RFC 5546, RFC 6047).

Outlook, Gmail, Apple Calendar and Thunderbird answer an invitation by emailing a calendar with
METHOD:REPLY to its ORGANIZER. Each email is read once (by Message-ID): a REPLY whose UID is a
session's, whose ATTENDEE is a current attendee, sent From that same address, and not older than
the last invitation that person was sent, is recorded exactly as the same answer given on the
site. Anything else is kept, with the reason, for the organisers' Replies page.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from email.utils import parseaddr

from icalendar import Calendar
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from matchmaker.extensions import db
from matchmaker.models import ConsultationSession, InboundMessage, InboundStatus, PartStat, SessionAttendee, User
from matchmaker.web.i18n import format_when

CALENDAR_TYPES = ("text/calendar", "application/ics", "text/x-vcalendar")
ANSWERS = {"ACCEPTED": "accept", "TENTATIVE": "tentative", "DECLINED": "decline"}
# Statuses an organiser should look at (the rest were applied or needed nothing).
FOR_ORGANISERS = (InboundStatus.QUARANTINED, InboundStatus.COUNTER, InboundStatus.UNMATCHED, InboundStatus.STALE)


class NotAnEmail(ValueError):
    """The input is not an RFC 5322 message."""


@dataclass(frozen=True)
class Received:
    """What became of one email: its status, the reason, and whether it had been seen before."""

    status: InboundStatus
    reason: str
    message_id: str
    duplicate: bool = False

    @property
    def line(self) -> str:
        """One line for the command line and logs."""
        seen = " (seen before: nothing changed)" if self.duplicate else ""
        return f"{self.message_id}: {self.status.value}{seen}: {self.reason}"


def parse_email(raw: bytes) -> EmailMessage:
    """The message, or NotAnEmail when the bytes are not one (no header block with a From)."""
    if not raw or not raw.strip():
        raise NotAnEmail("the input is empty")
    message = message_from_bytes(raw, policy=policy.default)
    if not message.keys() or not message.get("From"):
        raise NotAnEmail("the input has no email header with a From line")
    return message  # type: ignore[return-value]


def message_id_of(message: Message, raw: bytes) -> str:
    """The Message-ID, or a stable one made from the bytes when the sender gave none."""
    found = (message.get("Message-ID") or "").strip()
    return found[:300] if found else f"<sha256-{hashlib.sha256(raw).hexdigest()}@cyswllt.invalid>"


def calendar_of(message: Message) -> str | None:
    """The first iCalendar object in the email: the inline text/calendar part, else an .ics attachment."""
    found: list[tuple[int, str]] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        kind = part.get_content_type()
        filename = (part.get_filename() or "").lower()
        if kind not in CALENDAR_TYPES and not filename.endswith(".ics"):
            continue
        payload = part.get_payload(decode=True)
        if not payload:
            continue
        charset = part.get_content_charset() or "utf-8"
        try:
            text = payload.decode(charset, errors="replace")
        except LookupError:
            text = payload.decode("utf-8", errors="replace")
        if "BEGIN:VCALENDAR" in text.upper():
            found.append((0 if kind == "text/calendar" and not part.get_filename() else 1, text))
    found.sort(key=lambda item: item[0])
    return found[0][1] if found else None


def _address(value: object) -> str:
    """'mailto:Tom@Example.org' (any case) -> 'tom@example.org'."""
    text = str(value or "").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.strip().lower()


def _sender(message: Message) -> str:
    """The From address, lower case."""
    return parseaddr(str(message.get("From") or ""))[1].strip().lower()


@dataclass
class _Reply:
    """What a calendar answer says."""

    method: str
    uid: str
    attendees: list[tuple[str, str]]  # (address, PARTSTAT)
    sequence: int
    proposed: object | None = None


def _read(text: str) -> _Reply:
    """The METHOD, UID, ATTENDEEs and SEQUENCE of the first VEVENT (raises ValueError if unreadable)."""
    calendar = Calendar.from_ical(text)
    method = str(calendar.get("METHOD", "")).upper()
    event = next((c for c in calendar.walk("VEVENT")), None)
    if event is None:
        raise ValueError("no VEVENT")
    raw_attendees = event.get("ATTENDEE")
    if raw_attendees is None:
        raw_attendees = []
    elif not isinstance(raw_attendees, list):
        raw_attendees = [raw_attendees]
    attendees = [(_address(a), str(getattr(a, "params", {}).get("PARTSTAT", "")).upper()) for a in raw_attendees]
    try:
        sequence = int(event.get("SEQUENCE", 0))
    except (TypeError, ValueError):
        sequence = 0
    start = event.get("DTSTART")
    return _Reply(method, str(event.get("UID", "")).strip(), attendees, sequence, start.dt if start else None)


def _attendee(session: ConsultationSession, address: str) -> SessionAttendee | None:
    """The session's attendee (not removed) with this address, compared case-insensitively."""
    return db.session.scalar(
        select(SessionAttendee)
        .join(User, User.id == SessionAttendee.user_id)
        .where(
            SessionAttendee.session_id == session.id,
            SessionAttendee.removed_at.is_(None),
            func.lower(User.email) == address,
        )
    )


def _set(row: InboundMessage, status: InboundStatus, code: str, reason: str) -> None:
    """Record the outcome: a code the Replies page explains in the reader's language, and an English line for logs."""
    row.status, row.reason_code, row.reason = status, code, reason


def _decide(message: Message, text: str, row: InboundMessage) -> None:
    """Apply the calendar answer, or record why not (fills the row's status and reason)."""
    from matchmaker.invites.service import respond

    try:
        reply = _read(text)
    except ValueError as error:
        _set(row, InboundStatus.UNMATCHED, "unreadable", f"the calendar could not be read ({error})")
        return
    row.method, row.uid, row.sequence = reply.method, reply.uid[:300], reply.sequence
    session = db.session.scalar(select(ConsultationSession).where(ConsultationSession.uid == reply.uid))
    row.session_id = session.id if session is not None else None
    if reply.attendees:
        row.attendee, row.partstat = reply.attendees[0][0][:254], reply.attendees[0][1][:20]
    if reply.method == "COUNTER":
        proposed = reply.proposed
        when = format_when(proposed, "en") if isinstance(proposed, datetime) and proposed.tzinfo else str(proposed)
        _set(row, InboundStatus.COUNTER, "counter", f"proposes another time: {when}")
        return
    if reply.method != "REPLY":
        _set(row, InboundStatus.UNMATCHED, "not_reply", f"METHOD:{reply.method or 'none'} is not an answer")
        return
    if session is None:
        _set(row, InboundStatus.UNMATCHED, "unknown_uid", "no session has this UID")
        return
    if len(reply.attendees) != 1:
        _set(row, InboundStatus.UNMATCHED, "attendee_count", "a REPLY must name exactly one ATTENDEE")
        return
    address, partstat = reply.attendees[0]
    attendee = _attendee(session, address)
    if attendee is None:
        _set(row, InboundStatus.UNMATCHED, "not_attendee", "the ATTENDEE is not invited to this session")
        return
    if _sender(message) != address:
        sender = _sender(message) or "nobody"
        detail = f"sent From {sender}, not from the ATTENDEE {address}: not applied"
        _set(row, InboundStatus.QUARANTINED, "sender", detail)
        return
    if reply.sequence < attendee.last_sequence:
        detail = f"answers version {reply.sequence}; the latest invitation sent is {attendee.last_sequence}"
        _set(row, InboundStatus.STALE, "stale", detail)
        return
    answer = ANSWERS.get(partstat)
    if answer is None:
        _set(row, InboundStatus.UNMATCHED, "partstat", f"PARTSTAT={partstat or 'none'} is not an answer we record")
        return
    result = respond(attendee, answer, by_calendar=True)
    if result in ("closed", "full"):
        reason = {
            "closed": "the session is cancelled or over, or the person is no longer invited",
            "full": "their place was given to someone else",
        }[result]
        _set(row, InboundStatus.UNMATCHED, result, reason)
        return
    status = InboundStatus.UNCHANGED if result == "unchanged" else InboundStatus.APPLIED
    _set(row, status, status.value, f"{PartStat(partstat).value} recorded for {address}")


def receive(raw: bytes, source: str) -> Received:
    """Read one email and act on it in one transaction (commits). Raises NotAnEmail for non-email input.

    Idempotent by Message-ID: the message's row is written first, so a message seen before (or
    being handled by another worker at the same moment) changes nothing.
    """
    message = parse_email(raw)
    message_id = message_id_of(message, raw)
    known = db.session.scalar(select(InboundMessage).where(InboundMessage.message_id == message_id))
    if known is not None:
        return Received(known.status, known.reason, message_id, duplicate=True)
    row = InboundMessage(
        message_id=message_id,
        source=source,
        from_address=_sender(message)[:254],
        subject=str(message.get("Subject") or "")[:300],
        status=InboundStatus.UNMATCHED,
        reason="being read",
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        db.session.rollback()
        known = db.session.scalar(select(InboundMessage).where(InboundMessage.message_id == message_id))
        status = known.status if known is not None else InboundStatus.UNMATCHED
        return Received(status, known.reason if known is not None else "", message_id, duplicate=True)
    text = calendar_of(message)
    if text is None:
        _set(row, InboundStatus.NOT_CALENDAR, "not_calendar", "no calendar in this email: left for people to read")
    else:
        row.calendar = text
        _decide(message, text, row)
    db.session.commit()
    return Received(row.status, row.reason, message_id)


def for_organisers() -> list[InboundMessage]:
    """Replies an organiser should look at (quarantined, counter proposals, unmatched, stale), newest first."""
    return list(
        db.session.scalars(
            select(InboundMessage)
            .where(InboundMessage.status.in_(FOR_ORGANISERS))
            .order_by(InboundMessage.received_at.desc(), InboundMessage.id.desc())
            .limit(500)
        )
    )
