"""What arrives at a real SMTP server: headers, UTF-8 bodies, CRLF, and the iMIP calendar layout."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

SUBJECT = "Ymgynghoriad â’r Bwrdd Iechyd"
TEXT = "Bore da Siân,\n\nDyma’r manylion am yr ymgynghoriad â’r Bwrdd Iechyd — dydd Mawrth.\nDiolch yn fawr!\n"
HTML = "<p>Bore da Siân,</p>\n<p>Dyma’r manylion am yr ymgynghoriad â’r Bwrdd Iechyd — dydd Mawrth.</p>\n"

# A small hand-written calendar with LF line ends (the builder must send CRLF).
CALENDAR = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Cyswllt//Tests//EN
METHOD:{method}
BEGIN:VEVENT
UID:session-7@cyswllt.test
SEQUENCE:0
DTSTAMP:20270301T090000Z
DTSTART:20270302T100000Z
DTEND:20270302T110000Z
SUMMARY:Ymgynghoriad â’r Bwrdd Iechyd
{status}END:VEVENT
END:VCALENDAR
"""


def calendar(method: str) -> str:
    """The test calendar with this METHOD (CANCEL carries STATUS:CANCELLED)."""
    return CALENDAR.format(method=method, status="STATUS:CANCELLED\n" if method == "CANCEL" else "")


def assert_crlf_only(raw: bytes) -> None:
    """Every line ends in CRLF: no bare LF, no bare CR."""
    assert raw.count(b"\n") > 5
    assert re.search(rb"(?<!\r)\n", raw) is None, "bare LF on the wire"
    assert re.search(rb"\r(?!\n)", raw) is None, "bare CR on the wire"


def test_plain_message_arrives_with_exact_headers_utf8_bodies_and_crlf(
    app, smtp_server, use_mail_server, queue_message, outbox_row
):
    use_mail_server(smtp_server)
    message_id = queue_message(
        to_address="sian@example.org", to_name="Siân Llŷr", subject=SUBJECT, text_body=TEXT, html_body=HTML
    )

    row = outbox_row(message_id)
    assert row.status.value == "sent"
    [received] = smtp_server.received
    assert received.mail_from == "no-reply@cyswllt.invalid"
    assert received.rcpt_tos == ("sian@example.org",)
    assert_crlf_only(received.raw)
    received.raw.decode("ascii")  # 7-bit clean: needs no 8BITMIME or SMTPUTF8 from the server

    mail = received.parsed()
    assert mail["Subject"] == SUBJECT
    assert mail["From"].addresses[0].addr_spec == "no-reply@cyswllt.invalid"
    assert mail["From"].addresses[0].display_name == "Cyswllt"
    [to] = mail["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Siân Llŷr", "sian@example.org")
    assert mail["Message-ID"] == row.message_id
    assert re.fullmatch(r"<[0-9a-f]{32}@cyswllt\.invalid>", row.message_id)
    sent_at = mail["Date"].datetime
    assert sent_at.tzinfo is not None
    assert abs(sent_at - datetime.now(UTC)) < timedelta(minutes=1)

    assert mail.get_content_type() == "multipart/alternative"
    plain, html = mail.get_payload()
    assert (plain.get_content_type(), plain.get_content_charset()) == ("text/plain", "utf-8")
    assert (html.get_content_type(), html.get_content_charset()) == ("text/html", "utf-8")
    assert plain.get_content().replace("\r\n", "\n") == TEXT
    assert html.get_content().replace("\r\n", "\n") == HTML


def test_message_without_html_is_a_single_text_part(app, smtp_server, use_mail_server, queue_message):
    use_mail_server(smtp_server)
    queue_message(subject=SUBJECT, text_body=TEXT)
    mail = smtp_server.received[0].parsed()
    assert mail.get_content_type() == "text/plain"
    assert mail.get_content().replace("\r\n", "\n") == TEXT


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
def test_calendar_message_has_the_imip_mime_tree_and_method_equals_the_calendar(
    app, smtp_server, use_mail_server, queue_message, method
):
    use_mail_server(smtp_server)
    queue_message(subject=SUBJECT, text_body=TEXT, html_body=HTML, calendar=calendar(method))

    [received] = smtp_server.received
    assert_crlf_only(received.raw)
    mail = received.parsed()

    def tree(part):
        if part.is_multipart():
            return (part.get_content_type(), [tree(p) for p in part.get_payload()])
        return part.get_content_type()

    assert tree(mail) == (
        "multipart/mixed",
        [("multipart/alternative", ["text/plain", "text/html", "text/calendar"]), "application/ics"],
    )
    alternative, attachment = mail.get_payload()
    _, _, calendar_part = alternative.get_payload()

    assert f"\r\nContent-Type: text/calendar; method={method}; charset=UTF-8\r\n".encode() in received.raw
    assert calendar_part.get_param("method") == method
    assert calendar_part.get_content_charset() == "utf-8"
    assert calendar_part.get_content_disposition() is None  # inline: clients show the invitation

    body = calendar_part.get_payload(decode=True)
    assert re.search(rb"(?<!\r)\n", body) is None, "the calendar itself must use CRLF"
    text = body.decode("utf-8")
    [inside] = re.findall(r"^METHOD:(.*)\r$", text, re.MULTILINE)
    assert inside == calendar_part.get_param("method") == method
    assert "SUMMARY:Ymgynghoriad â’r Bwrdd Iechyd\r\n" in text

    assert attachment.get_content_disposition() == "attachment"
    cancelled = "-cancelled" if method == "CANCEL" else ""
    assert attachment.get_filename() == f"cyswllt-session{cancelled}-2027-03-02-1000.ics"
    assert attachment.get_payload(decode=True) == body


def test_calendar_method_must_agree_with_the_calendar(app):
    from matchmaker.mail.outbox import queue_email

    with app.app_context():
        fields = {"to_address": "a@example.org", "subject": "s", "text_body": "t"}
        with pytest.raises(ValueError):
            queue_email(key="bad-1", calendar=calendar("REQUEST"), calendar_method="CANCEL", **fields)
        with pytest.raises(ValueError):
            queue_email(key="bad-2", calendar="BEGIN:VCALENDAR\nEND:VCALENDAR\n", **fields)
        message = queue_email(key="ok", calendar=calendar("CANCEL"), **fields)
        assert message.calendar_method == "CANCEL"


def test_attachments_are_added_to_a_mixed_message(app, smtp_server, use_mail_server, queue_message):
    import base64

    use_mail_server(smtp_server)
    data = "enw,ebost\nSiân,sian@example.org\n".encode()
    queue_message(
        text_body=TEXT,
        attachments=[{"filename": "pobl.csv", "content_type": "text/csv", "data": base64.b64encode(data).decode()}],
    )
    mail = smtp_server.received[0].parsed()
    assert mail.get_content_type() == "multipart/mixed"
    [attachment] = list(mail.iter_attachments())
    assert (attachment.get_filename(), attachment.get_content_type()) == ("pobl.csv", "text/csv")
    assert attachment.get_payload(decode=True) == data


def test_calendar_file_names_say_what_they_are_in_wales_time() -> None:
    from matchmaker.mail.build import calendar_filename

    def event(start: str) -> str:
        return f"BEGIN:VEVENT\r\nUID:x\r\nDTSTART:{start}\r\nEND:VEVENT\r\n"

    request = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\n" + event("20270302T100000Z") + "END:VCALENDAR\r\n"
    assert calendar_filename(request) == "cyswllt-session-2027-03-02-1000.ics"
    summer = "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\n" + event("20270601T090000Z") + "END:VCALENDAR\r\n"
    assert calendar_filename(summer) == "cyswllt-session-cancelled-2027-06-01-1000.ics"  # BST: 10am in Wales
    two = "BEGIN:VCALENDAR\r\n" + event("20270302T100000Z") + event("20270303T100000Z") + "END:VCALENDAR\r\n"
    assert calendar_filename(two) == "cyswllt-sessions.ics"
