"""Turn an outbox row into a MIME message (the standard library's email package)."""

from __future__ import annotations

import base64
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr

from matchmaker.models import OutboxMessage, utcnow


def build_mime(message: OutboxMessage, sender: str) -> EmailMessage:
    """The message as it goes on the wire: CRLF line ends, UTF-8, a fixed Message-ID.

    With a calendar it is multipart/mixed holding multipart/alternative (text, HTML,
    text/calendar; method=...) and the same calendar as an invite.ics attachment.
    """
    mime = EmailMessage(policy=SMTP)
    mime["From"] = sender
    mime["To"] = formataddr((message.to_name, message.to_address)) if message.to_name else message.to_address
    mime["Subject"] = message.subject
    mime["Message-ID"] = message.message_id
    mime["Date"] = format_datetime(utcnow())
    mime["Auto-Submitted"] = "auto-generated"
    mime.set_content(message.text_body, charset="utf-8")
    if message.html_body:
        mime.add_alternative(message.html_body, subtype="html", charset="utf-8")
    if message.calendar:
        method = message.calendar_method or "REQUEST"
        mime.add_alternative(
            message.calendar.encode("utf-8"),
            maintype="text",
            subtype="calendar",
            params={"method": method, "charset": "UTF-8"},
            cte="base64",
        )
        # add_alternative() with bytes has no charset handling; make the header exact.
        calendar_part = mime.get_payload()[-1]
        calendar_part.replace_header("Content-Type", f'text/calendar; method={method}; charset="UTF-8"')
        mime.make_mixed()
        mime.add_attachment(
            message.calendar.encode("utf-8"), maintype="application", subtype="ics", filename="invite.ics"
        )
    for attachment in message.attachments or []:
        if mime.get_content_type() != "multipart/mixed":
            mime.make_mixed()
        maintype, _, subtype = attachment["content_type"].partition("/")
        mime.add_attachment(
            base64.b64decode(attachment["data"]), maintype=maintype, subtype=subtype, filename=attachment["filename"]
        )
    return mime
