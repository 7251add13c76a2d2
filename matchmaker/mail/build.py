"""Turn an outbox row into a MIME message (the standard library's email package)."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from zoneinfo import ZoneInfo

from matchmaker.models import OutboxMessage, utcnow
from matchmaker.web.text import one_line

_METHOD_RE = re.compile(r"^METHOD:([A-Za-z-]+)\r?$", re.MULTILINE)
_LINE_END_RE = re.compile(r"\r\n|\r|\n")


def calendar_method_of(calendar: str) -> str | None:
    """The iTIP METHOD of an iCalendar object (REQUEST, CANCEL, ...), or None if it has none."""
    match = _METHOD_RE.search(calendar)
    return match.group(1).upper() if match else None


def _crlf(text: str) -> str:
    """The same text with CRLF line ends, as RFC 5545 requires of a calendar."""
    return _LINE_END_RE.sub("\r\n", text)


def build_mime(message: OutboxMessage, sender: str) -> EmailMessage:
    """The message as it goes on the wire: CRLF line ends, UTF-8, a fixed Message-ID.

    Bodies are quoted-printable and the calendar base64, so the message is 7-bit clean and
    needs nothing from the server (no 8BITMIME, no SMTPUTF8 for the bodies). With a calendar
    it is multipart/mixed holding multipart/alternative (text, HTML, text/calendar;
    method=...) and the same calendar as an invite.ics attachment (RFC 6047).
    """
    mime = EmailMessage(policy=SMTP)
    mime["From"] = sender
    # A name stored with a line break would make the header refuse this message on every retry.
    mime["To"] = Address(display_name=one_line(message.to_name or ""), addr_spec=message.to_address)
    if message.reply_to:
        mime["Reply-To"] = message.reply_to
    mime["Subject"] = message.subject
    mime["Message-ID"] = message.message_id
    mime["Date"] = format_datetime(utcnow())
    mime["Auto-Submitted"] = "auto-generated"
    mime.set_content(message.text_body, charset="utf-8", cte="quoted-printable")
    if message.html_body:
        mime.add_alternative(message.html_body, subtype="html", charset="utf-8", cte="quoted-printable")
    if message.calendar:
        calendar = _crlf(message.calendar).encode("utf-8")
        method = calendar_method_of(message.calendar) or message.calendar_method or "REQUEST"
        mime.add_alternative(calendar, maintype="text", subtype="calendar", cte="base64")
        # The email package quotes every parameter it renders (method="REQUEST"); some calendar
        # clients only recognise the unquoted form RFC 6047 shows, so store the header verbatim.
        calendar_part = mime.get_payload()[-1]
        del calendar_part["Content-Type"]
        calendar_part.set_raw("Content-Type", f"text/calendar; method={method}; charset=UTF-8")
        mime.make_mixed()
        mime.add_attachment(
            calendar, maintype="application", subtype="ics", filename=calendar_filename(message.calendar)
        )
    for attachment in message.attachments or []:
        if mime.get_content_type() != "multipart/mixed":
            mime.make_mixed()
        maintype, _, subtype = attachment["content_type"].partition("/")
        mime.add_attachment(
            base64.b64decode(attachment["data"]), maintype=maintype, subtype=subtype, filename=attachment["filename"]
        )
    return mime


def calendar_filename(calendar: str) -> str:
    """What a calendar file is, from its own text: 'cyswllt-session-2027-03-01-1000.ics' (Wales time).

    A cancellation is 'cyswllt-session-cancelled-….ics', a file of several events 'cyswllt-sessions.ics'.
    """
    events = re.findall(r"^BEGIN:VEVENT\r?$(.*?)^END:VEVENT\r?$", calendar, re.MULTILINE | re.DOTALL)
    starts = [
        found
        for event in events
        for found in re.findall(r"^DTSTART[^:\r\n]*:(\d{8}T\d{4})\d{2}(Z?)", event, re.MULTILINE)
    ]
    if len(starts) != 1:
        return "cyswllt-sessions.ics"
    stamp, utc = starts[0]
    when = datetime.strptime(stamp, "%Y%m%dT%H%M")
    if utc:
        when = when.replace(tzinfo=UTC).astimezone(ZoneInfo("Europe/London"))
    cancelled = "-cancelled" if re.search(r"^METHOD:CANCEL", calendar, re.MULTILINE) else ""
    return f"cyswllt-session{cancelled}-{when:%Y-%m-%d-%H%M}.ics"
