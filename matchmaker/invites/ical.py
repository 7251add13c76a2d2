"""iCalendar (RFC 5545/5546) for one session and one attendee, and a person's calendar feed.

Times are written in UTC (`...Z`) without VTIMEZONE: every client reads those the same way.
Each attendee's calendar names only them as ATTENDEE, so nobody's address reaches anyone else.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event, vCalAddress, vDuration

from matchmaker.invites.details import summary
from matchmaker.invites.links import join_url, site_url
from matchmaker.models import ConsultationSession, SessionAttendee, SessionStatus, utcnow

PRODID = "-//Cyswllt//Arts and health consultations//EN"
REQUEST = "REQUEST"
CANCEL = "CANCEL"
PUBLISH = "PUBLISH"
# How often subscribed calendars should fetch the feed again (RFC 7986 REFRESH-INTERVAL; Outlook reads X-PUBLISHED-TTL).
FEED_REFRESH = timedelta(hours=1)


def _param_text(value: str) -> str:
    """A name safe inside a quoted parameter: no double quotes or control characters (RFC 5545 3.2)."""
    cleaned = "".join(" " if ord(char) < 32 or ord(char) == 127 else char for char in value)
    return cleaned.replace('"', "'").strip()


def _calendar(method: str) -> Calendar:
    """An empty VCALENDAR with the headers every calendar of ours carries."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def _organizer(session: ConsultationSession, language: str) -> vCalAddress:
    """The round's organiser mailbox, named in this language."""
    with force_locale(language):
        name = _("Cyswllt organisers")
    organizer = vCalAddress(f"mailto:{session.round.organiser_mailbox}")
    organizer.params["CN"] = _param_text(name)
    return organizer


def _description(session: ConsultationSession, language: str) -> str:
    """What the session is about and how to join, in this language (plain text)."""
    with force_locale(language):
        lines = [_("What it is about: %(condition)s", condition=session.condition.name(language))]
        if session.purpose:
            lines.append(_("The commissioner would like to discuss: %(purpose)s", purpose=session.purpose))
        lines.append(_("Join online: %(link)s", link=join_url(session)))
        lines.append(_("Your sessions, answers and details: %(link)s", link=site_url("invites.my_sessions")))
    return "\n\n".join(lines)


def _event(
    session: ConsultationSession, language: str, *, stamp: datetime, cancelled: bool, sequence: int | None = None
) -> Event:
    """The VEVENT shared by invites and feeds (without ATTENDEE)."""
    event = Event()
    event.add("uid", session.uid)
    event.add("sequence", session.sequence if sequence is None else sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", summary(session, language))
    event.add("description", _description(session, language))
    event.add("location", join_url(session))
    event.add("url", join_url(session))
    event.add("organizer", _organizer(session, language))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def _text(calendar: Calendar) -> str:
    """The calendar as text: CRLF line ends, folded at 75 octets between whole characters."""
    return calendar.to_ical().decode("utf-8")


def invite_calendar(attendee: SessionAttendee, method: str, *, stamp: datetime | None = None) -> str:
    """The REQUEST or CANCEL calendar for one attendee of one session, in their language."""
    if method not in (REQUEST, CANCEL):
        raise ValueError(f"unsupported METHOD {method!r}")
    session = attendee.session
    user = attendee.user
    language = user.language or "en"
    cancelled = method == CANCEL
    event = _event(session, language, stamp=stamp or utcnow(), cancelled=cancelled)
    address = vCalAddress(f"mailto:{user.email}")
    address.params["CN"] = _param_text(user.name)
    address.params["CUTYPE"] = "INDIVIDUAL"
    address.params["ROLE"] = "REQ-PARTICIPANT"
    address.params["PARTSTAT"] = attendee.partstat.value
    address.params["RSVP"] = "FALSE" if cancelled else "TRUE"
    event.add("attendee", address)
    calendar = _calendar(method)
    calendar.add_component(event)
    return _text(calendar)


def download_calendar(attendee: SessionAttendee, *, stamp: datetime | None = None) -> str:
    """The one-session .ics a person downloads, telling the truth about their place.

    A cancelled session, or one they declined, is a CANCEL (STATUS:CANCELLED) that takes it out of
    a calendar that has it; otherwise a PUBLISH, which carries no ATTENDEE (RFC 5546 3.2.1): answers
    are given on the site or through the emailed invitation.
    """
    if attendee.session.status == SessionStatus.CANCELLED or not attendee.is_current:
        return invite_calendar(attendee, CANCEL, stamp=stamp)
    calendar = _calendar(PUBLISH)
    language = attendee.user.language or "en"
    calendar.add_component(_event(attendee.session, language, stamp=stamp or utcnow(), cancelled=False))
    return _text(calendar)


def feed_calendar(attendances: Iterable[SessionAttendee], language: str, *, stamp: datetime | None = None) -> str:
    """A subscribable feed (METHOD:PUBLISH) of these attendances.

    Sessions that were cancelled, or that the person left or declined, stay in the feed as
    STATUS:CANCELLED so calendars that already show them take them away.
    """
    calendar = _calendar(PUBLISH)
    with force_locale(language):
        calendar.add("x-wr-calname", _("Cyswllt sessions"))
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(FEED_REFRESH))
    stamp = stamp or utcnow()
    for attendee in attendances:
        session = attendee.session
        gone = session.status == SessionStatus.CANCELLED or not attendee.is_current
        calendar.add_component(_event(session, language, stamp=stamp, cancelled=gone))
    return _text(calendar)
