"""Mail that reaches the round mailbox: from an MTA pipe (one message on standard input) or an IMAP mailbox.

Calendar answers are applied by invites.service. Over IMAP, processed messages are marked
\\Seen and moved to IMAP_PROCESSED_FOLDER (never deleted); ordinary emails stay unread in the
inbox for people. From a pipe, ordinary emails are forwarded to ORGANISER_MAILBOX.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from email.message import Message
from urllib.parse import unquote, urlsplit

from flask import current_app
from imapclient import IMAPClient

from matchmaker.invites.service import parse_email, receive_message
from matchmaker.mail.service import queue_email
from matchmaker.models import InboundStatus

log = logging.getLogger(__name__)
SEEN = b"\\Seen"


@dataclass(frozen=True)
class Mailbox:
    """Where to read: host, port, TLS, login and folder, from IMAP_URL."""

    host: str
    port: int
    tls: bool
    username: str
    password: str
    folder: str


def mailbox_from_url(url: str) -> Mailbox:
    """imaps://user:password@host[:port]/FOLDER (imap:// without TLS, for a server on loopback)."""
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname or not parts.username:
        raise ValueError("IMAP_URL must look like imaps://user:password@host/INBOX")
    tls = parts.scheme == "imaps"
    return Mailbox(
        host=parts.hostname,
        port=parts.port or (993 if tls else 143),
        tls=tls,
        username=unquote(parts.username),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
    )


def forward_to_organisers(raw: bytes, message: Message, message_id: str) -> None:
    """An ordinary email reached the pipe: send it on to ORGANISER_MAILBOX (once per Message-ID), original attached."""
    body = message.get_body(preferencelist=("plain",)) if hasattr(message, "get_body") else None
    text = body.get_content() if body is not None else ""
    header = "\n".join(f"{name}: {message.get(name, '')}" for name in ("From", "To", "Date", "Subject"))
    queue_email(
        key=f"forward:{message_id}",
        to_address=current_app.config["ORGANISER_MAILBOX"],
        subject=f"Fwd: {message.get('Subject', '')}"[:300],
        text_body=f"{header}\n\n{text}",
        reply_to=str(message.get("Reply-To") or message.get("From") or ""),
        attachments=[
            {
                "content_type": "application/octet-stream",
                "filename": "original.eml",
                "data": base64.b64encode(raw).decode(),
            }
        ],
    )


def _auto_submitted(message: Message) -> bool:
    """Sent by a machine (RFC 3834): never forwarded, so two robots cannot loop."""
    value = str(message.get("Auto-Submitted") or "no").strip().lower()
    return value != "no"


def receive_from_pipe(raw: bytes) -> str:
    """Handle one message from standard input; returns the line to print (raises NotAnEmail)."""
    from matchmaker.extensions import db

    received = receive_message(raw, "pipe")
    if received.status == InboundStatus.NOT_CALENDAR and not received.duplicate:
        message = parse_email(raw)
        if _auto_submitted(message):
            return f"{received.message_id}: ignored: an automatic email without a calendar"
        forward_to_organisers(raw, message, received.message_id)
        db.session.commit()
        return f"{received.message_id}: forwarded to {current_app.config['ORGANISER_MAILBOX']}: no calendar in it"
    return received.line


def poll_imap(url: str | None = None) -> dict[str, int]:
    """Read every unread message once; returns counts by what became of them ({} when IMAP_URL is unset)."""
    url = url if url is not None else current_app.config.get("IMAP_URL", "")
    if not url:
        return {}
    box = mailbox_from_url(url)
    processed = current_app.config.get("IMAP_PROCESSED_FOLDER") or "Cyswllt processed"
    counts: dict[str, int] = {}
    with IMAPClient(box.host, port=box.port, ssl=box.tls, timeout=60) as client:
        client.login(box.username, box.password)
        if not client.folder_exists(processed):
            client.create_folder(processed)
        client.select_folder(box.folder)
        unread = client.search(["UNSEEN"])
        for uid in unread:
            fetched = client.fetch([uid], ["BODY.PEEK[]"]).get(uid)  # PEEK: reading does not mark it read
            if not fetched:
                continue
            raw = fetched[b"BODY[]"]
            try:
                received = receive_message(raw, "imap")
            except ValueError as error:
                log.warning("IMAP message %s is not an email: %s", uid, error)
                counts["not_email"] = counts.get("not_email", 0) + 1
                continue
            status = received.status.value if not received.duplicate else "seen_before"
            counts[status] = counts.get(status, 0) + 1
            if received.status == InboundStatus.NOT_CALENDAR:
                continue  # left unread for people; its Message-ID is remembered, so it costs nothing next time
            client.add_flags([uid], [SEEN])
            if client.has_capability("MOVE"):
                client.move([uid], processed)
            else:  # without MOVE: a copy in the folder, the original kept (read) in the inbox, nothing deleted
                client.copy([uid], processed)
    return counts
