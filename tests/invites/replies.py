"""iTIP REPLY emails shaped like those of Outlook, Gmail, Apple Calendar and Thunderbird (RFC 5546 3.2.3,
RFC 6047), plus forged, stale, unknown, COUNTER and ordinary ones, as the raw bytes a mailbox holds.

Shapes, from the clients' output:
- Outlook / Exchange: multipart/alternative (text/plain, text/html, text/calendar; method=REPLY in
  base64); MAILTO in capitals; X-MICROSOFT-CDO-* properties; a COMMENT with the note typed.
- Gmail: multipart/mixed holding multipart/alternative (text/plain, text/html, text/calendar;
  method=REPLY) and the same calendar as an attachment, application/ics; name="invite.ics".
- Apple Calendar (iCloud): multipart/mixed with text/plain and the calendar as an attachment
  text/calendar; method=REPLY; name=iCal-...ics in quoted-printable.
- Thunderbird: multipart/mixed holding multipart/alternative (text/plain, text/calendar;
  method=REPLY) and an application/ics invite.ics attachment; DTSTART with TZID and a VTIMEZONE.
"""

from __future__ import annotations

import base64
import quopri
import uuid
from datetime import UTC, datetime

STAMP = "20270220T101500Z"


def _b64(text: str) -> str:
    """Base64 in 76-character lines, as mail clients write it."""
    data = base64.b64encode(text.encode("utf-8")).decode()
    return "\r\n".join(data[i : i + 76] for i in range(0, len(data), 76))


def _crlf(text: str) -> str:
    """CRLF line ends."""
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def reply_calendar(
    uid: str,
    attendee: str,
    partstat: str,
    *,
    sequence: int | None = 0,
    method: str = "REPLY",
    prodid: str = "-//Test//EN",
    starts: datetime = datetime(2027, 3, 2, 10, tzinfo=UTC),
    extra: str = "",
    tz: bool = False,
    organizer: str = "rounds@example.org",
) -> str:
    """One VCALENDAR answering the event UID for one ATTENDEE."""
    start = (
        f"DTSTART;TZID=Europe/London:{starts:%Y%m%dT%H%M%S}"
        if tz
        else f"DTSTART:{starts.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    )
    timezone = (
        "BEGIN:VTIMEZONE\nTZID:Europe/London\nBEGIN:DAYLIGHT\nTZOFFSETFROM:+0000\nTZOFFSETTO:+0100\nTZNAME:BST\n"
        "DTSTART:19700329T010000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\nEND:DAYLIGHT\nBEGIN:STANDARD\n"
        "TZOFFSETFROM:+0100\nTZOFFSETTO:+0000\nTZNAME:GMT\nDTSTART:19701025T020000\n"
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nEND:STANDARD\nEND:VTIMEZONE\n"
        if tz
        else ""
    )
    seq = f"SEQUENCE:{sequence}\n" if sequence is not None else ""
    return _crlf(
        f"BEGIN:VCALENDAR\nPRODID:{prodid}\nVERSION:2.0\nMETHOD:{method}\n{timezone}BEGIN:VEVENT\n"
        f"{attendee}\nORGANIZER;CN=Cyswllt organisers:mailto:{organizer}\n{start}\nUID:{uid}\n{seq}"
        f"DTSTAMP:{STAMP}\n{extra}END:VEVENT\nEND:VCALENDAR\n"
    )


def _headers(sender: str, subject: str, message_id: str | None, mailer: str) -> str:
    """The header block every shape shares."""
    return (
        f"Return-Path: <{sender.split('<')[-1].rstrip('>')}>\n"
        f"From: {sender}\nTo: Cyswllt organisers <rounds@example.org>\nSubject: {subject}\n"
        f"Date: Sat, 20 Feb 2027 10:15:00 +0000\nMessage-ID: {message_id or f'<{uuid.uuid4().hex}@mail.example>'}\n"
        f"MIME-Version: 1.0\n{mailer}"
    )


def outlook(uid: str, email: str, partstat: str, *, sequence: int = 0, sender: str | None = None, **kw: str) -> bytes:
    """Outlook / Exchange: inline text/calendar; method=REPLY, base64, in multipart/alternative."""
    word = {"ACCEPTED": "Accepted", "DECLINED": "Declined", "TENTATIVE": "Tentative"}.get(partstat, "Reply")
    calendar = reply_calendar(
        uid,
        f"ATTENDEE;PARTSTAT={partstat};CN=Tom Price:MAILTO:{email.upper()}",
        partstat,
        sequence=sequence,
        prodid="Microsoft Exchange Server 2010",
        extra=(
            "COMMENT;LANGUAGE=en-GB:Sorry\\, I am away that week.\\n\nSUMMARY;LANGUAGE=en-GB:"
            f"{word}: Consultation session: Stroke\nCLASS:PUBLIC\nPRIORITY:5\nTRANSP:OPAQUE\nSTATUS:CONFIRMED\n"
            f"X-MICROSOFT-CDO-APPT-SEQUENCE:{sequence}\nX-MICROSOFT-CDO-REPLYTIME:{STAMP}\n"
        ),
    )
    b = "_000_DB9PR10MB5c3a_"
    return _crlf(
        _headers(
            sender or f"Tom Price <{email}>",
            f"{word}: Consultation session: Stroke",
            kw.get("message_id"),
            "Thread-Topic: Consultation session: Stroke\nX-MS-Has-Attach:\nX-MS-TNEF-Correlator:\n"
            "Content-Language: en-GB\n",
        )
        + f'Content-Type: multipart/alternative; boundary="{b}"\n\n'
        f'--{b}\nContent-Type: text/plain; charset="us-ascii"\nContent-Transfer-Encoding: quoted-printable\n\n'
        "Sorry, I am away that week.\n\n"
        f'--{b}\nContent-Type: text/html; charset="us-ascii"\nContent-Transfer-Encoding: quoted-printable\n\n'
        "<html><body><p>Sorry, I am away that week.</p></body></html>\n\n"
        f'--{b}\nContent-Type: text/calendar; charset="utf-8"; method=REPLY\nContent-Transfer-Encoding: base64\n\n'
        f"{_b64(calendar)}\n\n--{b}--\n"
    ).encode()


def gmail(uid: str, email: str, partstat: str, *, sequence: int = 0, sender: str | None = None, **kw: str) -> bytes:
    """Gmail: the calendar inline in multipart/alternative and again as invite.ics (application/ics)."""
    word = {"ACCEPTED": "Accepted", "DECLINED": "Declined", "TENTATIVE": "Tentatively Accepted"}[partstat]
    calendar = reply_calendar(
        uid,
        f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT={partstat};CN={email};X-NUM-GUESTS=0:mailto:{email}",
        partstat,
        sequence=sequence,
        prodid="-//Google Inc//Google Calendar 70.9054//EN",
        extra="SUMMARY:Consultation session: Stroke\nSTATUS:CONFIRMED\nTRANSP:OPAQUE\nCREATED:20270215T090000Z\n",
    )
    mixed, alt = "000000000000d3f0c105f1e4a2b1", "000000000000d3f0c005f1e4a2b0"
    return _crlf(
        _headers(
            sender or f"Tom Price <{email}>",
            f"{word}: Consultation session: Stroke @ Tue 2 Mar 2027 10am - 11:30am (GMT) (rounds@example.org)",
            kw.get("message_id"),
            "Reply-To: Tom Price <" + email + ">\nSender: Google Calendar <calendar-notification@google.com>\n",
        )
        + f'Content-Type: multipart/mixed; boundary="{mixed}"\n\n'
        f'--{mixed}\nContent-Type: multipart/alternative; boundary="{alt}"\n\n'
        f'--{alt}\nContent-Type: text/plain; charset="UTF-8"; format=flowed; delsp=yes\n'
        "Content-Transfer-Encoding: base64\n\n"
        f"{_b64(f'Tom Price has {word.lower()} this invitation.')}\n"
        f'--{alt}\nContent-Type: text/html; charset="UTF-8"\nContent-Transfer-Encoding: quoted-printable\n\n'
        f"<span>Tom Price has {word.lower()} this invitation.</span>\n"
        f'--{alt}\nContent-Type: text/calendar; charset="UTF-8"; method=REPLY\nContent-Transfer-Encoding: 7bit\n\n'
        f"{calendar}\n--{alt}--\n"
        f'--{mixed}\nContent-Type: application/ics; name="invite.ics"\n'
        'Content-Disposition: attachment; filename="invite.ics"\nContent-Transfer-Encoding: base64\n\n'
        f"{_b64(calendar)}\n--{mixed}--\n"
    ).encode()


def apple(uid: str, email: str, partstat: str, *, sequence: int = 0, sender: str | None = None, **kw: str) -> bytes:
    """Apple Calendar (iCloud): text/plain and the calendar as an iCal-*.ics attachment, quoted-printable."""
    calendar = reply_calendar(
        uid,
        f'ATTENDEE;CN="Tom Price";CUTYPE=INDIVIDUAL;EMAIL="{email}";PARTSTAT={partstat}:mailto:{email}',
        partstat,
        sequence=sequence,
        prodid="-//Apple Inc.//iPhone OS 18.2//EN",
        extra="SUMMARY:Consultation session: Stroke\nTRANSP:OPAQUE\nX-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC\n",
    )
    qp = quopri.encodestring(calendar.encode("utf-8")).decode()
    b = "Apple-Mail=_5B1F1B8E-2C3D-4E5F-8A9B-0C1D2E3F4A5B"
    return _crlf(
        _headers(
            sender or f"Tom Price <{email}>",
            "Invitation: Consultation session: Stroke",
            kw.get("message_id"),
            "X-Mailer: iPhone Mail (22C152)\n",
        )
        + f'Content-Type: multipart/mixed; boundary="{b}"\n\n'
        f"--{b}\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 7bit\n\n"
        f"Tom Price has replied to your invitation.\n\n"
        f"--{b}\nContent-Type: text/calendar; charset=utf-8; method=REPLY; name=iCal-20270220-101500.ics\n"
        "Content-Disposition: attachment; filename=iCal-20270220-101500.ics\n"
        f"Content-Transfer-Encoding: quoted-printable\n\n{qp}\n--{b}--\n"
    ).encode()


def thunderbird(
    uid: str, email: str, partstat: str, *, sequence: int = 0, sender: str | None = None, **kw: str
) -> bytes:
    """Thunderbird: text/plain and text/calendar; method=REPLY in multipart/alternative, invite.ics attached;
    local times with TZID and a VTIMEZONE."""
    calendar = reply_calendar(
        uid,
        f"ATTENDEE;RSVP=TRUE;PARTSTAT={partstat};ROLE=REQ-PARTICIPANT:mailto:{email}",
        partstat,
        sequence=sequence,
        prodid="-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN",
        starts=datetime(2027, 3, 2, 10),
        tz=True,
        extra="SUMMARY:Consultation session: Stroke\nX-MOZ-RECEIVED-SEQUENCE:0\n",
    )
    mixed, alt = "------------9mK2pQx3b7Yz1sLd8ZnTf4Hc", "------------Alt0aB1cD2eF3gH4iJ5kL6"
    word = {"ACCEPTED": "Accepted", "DECLINED": "Declined", "TENTATIVE": "Tentative"}[partstat]
    return _crlf(
        _headers(
            sender or f"Tom Price <{email}>",
            f"{word}: Consultation session: Stroke",
            kw.get("message_id"),
            "User-Agent: Mozilla Thunderbird\nContent-Language: en-GB\n",
        )
        + f'Content-Type: multipart/mixed; boundary="{mixed}"\n\n'
        f'--{mixed}\nContent-Type: multipart/alternative; boundary="{alt}"\n\n'
        f"--{alt}\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n"
        f"Tom Price has {word.lower()} your event invitation.\n"
        f"--{alt}\nContent-Type: text/calendar; method=REPLY; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n"
        f"{calendar}\n--{alt}--\n"
        f'--{mixed}\nContent-Type: application/ics; name="invite.ics"\n'
        'Content-Disposition: attachment; filename="invite.ics"\nContent-Transfer-Encoding: base64\n\n'
        f"{_b64(calendar)}\n--{mixed}--\n"
    ).encode()


def counter(uid: str, email: str, *, sequence: int = 0) -> bytes:
    """Outlook's 'propose new time': METHOD:COUNTER with the time wanted."""
    calendar = reply_calendar(
        uid,
        f"ATTENDEE;PARTSTAT=TENTATIVE;CN=Tom Price:MAILTO:{email}",
        "TENTATIVE",
        sequence=sequence,
        method="COUNTER",
        prodid="Microsoft Exchange Server 2010",
        starts=datetime(2027, 3, 3, 14, tzinfo=UTC),
        extra="SUMMARY;LANGUAGE=en-GB:New Time Proposed: Consultation session: Stroke\n",
    )
    return _crlf(
        _headers(f"Tom Price <{email}>", "New Time Proposed: Consultation session: Stroke", None, "")
        + 'Content-Type: text/calendar; charset="utf-8"; method=COUNTER\nContent-Transfer-Encoding: base64\n\n'
        + _b64(calendar)
        + "\n"
    ).encode()


def plain(sender: str = "Tom Price <tom@example.org>", subject: str = "A question about the session") -> bytes:
    """An ordinary email to the round mailbox: no calendar."""
    return _crlf(
        _headers(sender, subject, None, "")
        + "Content-Type: text/plain; charset=utf-8\n\nCan I bring a colleague to the session?\n"
    ).encode()


CLIENTS = {"outlook": outlook, "gmail": gmail, "apple": apple, "thunderbird": thunderbird}
