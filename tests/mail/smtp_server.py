"""A real SMTP server on loopback (aiosmtpd) for the mail and job tests, and fixtures around it."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

import pytest
from aiosmtpd.controller import Controller

ACCEPTED = "250 2.0.0 OK: queued"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Received:
    """One message as it arrived: the envelope and the exact bytes."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes
    accepted: bool
    tls: bool = False
    login: str | None = None

    def parsed(self) -> EmailMessage:
        """The message parsed by the standard library."""
        return BytesParser(policy=policy.default).parsebytes(self.raw)  # type: ignore[return-value]


class Recorder:
    """aiosmtpd handler: records every DATA it is given; can refuse the first N, or hold them."""

    def __init__(self) -> None:
        self.transmissions: list[Received] = []
        self.refuse_first = 0
        self.refusal = "451 4.3.0 Try again later"
        self.refuse_rcpt: str | None = None
        self.gate: threading.Event | None = None
        self.lock = threading.Lock()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        """Accept the recipient unless told to refuse every recipient."""
        if self.refuse_rcpt:
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Refuse the first `refuse_first` messages with `refusal`, then accept (after the gate opens)."""
        with self.lock:
            refuse = len(self.transmissions) < self.refuse_first
        if not refuse and self.gate is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.gate.wait, 15)
        with self.lock:
            login = session.auth_data.login.decode() if session.authenticated else None
            self.transmissions.append(
                Received(
                    envelope.mail_from,
                    tuple(envelope.rcpt_tos),
                    bytes(envelope.original_content),
                    not refuse,
                    tls=session.ssl is not None,
                    login=login,
                )
            )
        return self.refusal if refuse else ACCEPTED


class SmtpServer:
    """An aiosmtpd server on a free loopback port; start() and stop() may be called later."""

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = free_port()
        self.handler = Recorder()
        self._controller: Controller | None = None

    def start(self, **smtp_options: Any) -> SmtpServer:
        """Start listening on self.port; smtp_options go to aiosmtpd's SMTP (TLS, AUTH)."""
        self._controller = Controller(self.handler, hostname=self.host, port=self.port, **smtp_options)
        self._controller.start()
        return self

    def stop(self) -> None:
        """Stop listening (idempotent)."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def received(self) -> list[Received]:
        """The messages the server accepted, in order."""
        with self.handler.lock:
            return [t for t in self.handler.transmissions if t.accepted]

    @property
    def transmissions(self) -> list[Received]:
        """Every message handed over, refused or accepted."""
        with self.handler.lock:
            return list(self.handler.transmissions)


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A running SMTP server on loopback that accepts everything (unless told otherwise)."""
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp_down() -> Iterator[SmtpServer]:
    """An SMTP server that is not running yet: its port refuses connections until start()."""
    server = SmtpServer()
    yield server
    server.stop()


MAIL_KEYS = ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_STARTTLS", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_MAX_ATTEMPTS")


@pytest.fixture
def use_mail_server(app: Any) -> Iterator[Callable[..., None]]:
    """use_mail_server(server, **config): point the app at this SMTP server; restored after the test."""
    saved = {key: app.config[key] for key in MAIL_KEYS}

    def use(server: SmtpServer, **config: Any) -> None:
        settings = {"MAIL_SERVER": server.host, "MAIL_PORT": server.port, "MAIL_USE_STARTTLS": False}
        settings["MAIL_USERNAME"] = ""
        app.config.update({**settings, **config})

    yield use
    app.config.update(saved)


@pytest.fixture
def queue_message(app: Any) -> Callable[..., int]:
    """queue_message(**fields): queue one email in its own transaction and commit; returns the row id."""
    from matchmaker.extensions import db
    from matchmaker.mail.outbox import queue_email

    counter = iter(range(1, 10_000))

    def queue(**fields: Any) -> int:
        number = next(counter)
        values: dict[str, Any] = {
            "key": f"test-{number}",
            "to_address": f"person{number}@example.org",
            "subject": f"Message {number}",
            "text_body": f"Body {number}\nSecond line\n",
        }
        values.update(fields)
        with app.app_context():
            message = queue_email(**values)
            db.session.commit()
            return message.id

    return queue


@pytest.fixture
def outbox_row(app: Any) -> Callable[[int], Any]:
    """outbox_row(id): the row as it is in the database now (detached)."""
    from matchmaker.extensions import db
    from matchmaker.models import OutboxMessage

    def read(message_id: int) -> Any:
        with app.app_context():
            row = db.session.get(OutboxMessage, message_id)
            assert row is not None, f"outbox row {message_id} is gone"
            db.session.expunge(row)
            return row

    return read


@pytest.fixture
def set_row(app: Any) -> Callable[..., None]:
    """set_row(id, **values): change an outbox row directly (to drive time: next_attempt_at in the past)."""
    from sqlalchemy import update

    from matchmaker.extensions import db
    from matchmaker.models import OutboxMessage

    def change(message_id: int, **values: Any) -> None:
        with app.app_context():
            db.session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values))
            db.session.commit()

    return change
