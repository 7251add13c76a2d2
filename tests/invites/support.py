"""Helpers for the invite tests: a recording SMTP handler, and the calendars invites carry, read three ways."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import threading
from contextlib import closing
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PARSE_ICS = Path(__file__).with_name("parse_ics.mjs")


# --- SMTP -------------------------------------------------------------------------------------


def free_port() -> int:
    """A loopback TCP port nothing listens on now."""
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Mailbox:
    """aiosmtpd handler: keeps the raw bytes of every message it accepts; may refuse some first."""

    received: list[bytes] = field(default_factory=list)
    refused: int = 0
    refuse_next: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Accept (and record) the message, or refuse it with a temporary failure."""
        await asyncio.sleep(0)
        with self.lock:
            if self.refuse_next:
                self.refuse_next -= 1
                self.refused += 1
                return "451 4.3.0 Try again later"
            self.received.append(bytes(envelope.original_content))
        return "250 2.0.0 OK: queued"

    def messages(self) -> list[EmailMessage]:
        """Every accepted message, parsed by the standard library."""
        with self.lock:
            raw = list(self.received)
        return [BytesParser(policy=policy.default).parsebytes(r) for r in raw]  # type: ignore[misc]


# --- calendars -------------------------------------------------------------------------------


def calendar_part(message: EmailMessage) -> EmailMessage:
    """The text/calendar alternative of an invite email."""
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, [p.get_content_type() for p in message.walk()]
    return parts[0]  # type: ignore[return-value]


def calendar_text(message: EmailMessage) -> str:
    """The calendar an invite email carries, as text with its CRLFs."""
    return calendar_part(message).get_payload(decode=True).decode("utf-8")


def body_text(message: EmailMessage) -> str:
    """The plain text body of an email."""
    return message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]


def parse_with_icaljs(text: str) -> dict[str, Any]:
    """The calendar as Mozilla ical.js reads it (run by node)."""
    result = subprocess.run(
        ["node", str(PARSE_ICS)], input=text.encode("utf-8"), capture_output=True, cwd=ROOT, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def parse_with_ical(text: str) -> Any:
    """The calendar as the strict Python `ical` package reads it."""
    from ical.calendar_stream import IcsCalendarStream

    return IcsCalendarStream.calendar_from_ics(text)
