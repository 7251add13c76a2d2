"""Factories for published sessions, a real SMTP server on loopback, and the two calendar parsers."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]
PARSE_ICS = Path(__file__).with_name("parse_ics.mjs")
TUESDAY_10AM = datetime(2027, 3, 2, 10, 0, tzinfo=UTC)  # GMT: 10am in Wales


# --- sessions -------------------------------------------------------------------------------


@pytest.fixture
def make_session(app: Any, reference_data: None) -> Callable[..., int]:
    """make_session(attendees=[(user, role), ...], starts_at=..., minutes=90, condition="stroke", **fields) -> id."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import Condition, ConsultationSession, Round, RoundStatus, SessionAttendee, Slot

    counter = iter(range(1, 10_000))

    def make(
        attendees: list[tuple[Any, str]] = (),  # type: ignore[assignment]
        *,
        starts_at: datetime = TUESDAY_10AM,
        minutes: int = 90,
        condition: str = "stroke",
        round_fields: dict[str, Any] | None = None,
        **fields: Any,
    ) -> int:
        with app.app_context():
            round_ = Round(
                title_en="Spring round",
                title_cy="Rownd y gwanwyn",
                registration_opens_at=datetime(2027, 1, 4, 9, tzinfo=UTC),
                registration_closes_at=datetime(2027, 2, 1, 17, tzinfo=UTC),
                organiser_mailbox="rounds@example.org",
                status=RoundStatus.CLOSED,
                **(round_fields or {}),
            )
            slot = Slot(starts_at=starts_at, ends_at=starts_at + timedelta(minutes=minutes))
            round_.slots.append(slot)
            session = ConsultationSession(
                round=round_,
                plan_key=f"S{next(counter)}",
                condition=db.session.scalar(select(Condition).where(Condition.slug == condition)),
                slot=slot,
                **fields,
            )
            for user, role in attendees:
                session.attendees.append(SessionAttendee(user_id=user.id, role=role))
            db.session.add(session)
            db.session.commit()
            return session.id

    return make


@pytest.fixture
def add_profile(app: Any) -> Callable[..., None]:
    """add_profile(user, organisation, **access): the profile that names the person's organisation."""
    from matchmaker.extensions import db
    from matchmaker.models import (
        CommissionerKind,
        CommissionerProfile,
        CreativeProfile,
        LinkWorkerProfile,
        OrganisationKind,
    )

    def add(user: Any, organisation: str, **extra: Any) -> None:
        with app.app_context():
            role = user.role.value
            if role == "creative":
                profile: Any = CreativeProfile(
                    user_id=user.id,
                    organisation_name=organisation,
                    organisation_key=organisation.lower(),
                    organisation_kind=OrganisationKind.ARTS_ORGANISATION,
                    **extra,
                )
            elif role == "commissioner":
                profile = CommissionerProfile(
                    user_id=user.id, organisation=organisation, organisation_kind=CommissionerKind.HEALTH_BOARD
                )
            else:
                profile = LinkWorkerProfile(user_id=user.id, employer=organisation)
            db.session.add(profile)
            db.session.commit()

    return add


@pytest.fixture
def people(make_user: Callable[..., Any], add_profile: Callable[..., None]) -> dict[str, Any]:
    """Four people with profiles: two creatives (one Welsh-speaking), a commissioner and a link worker."""
    found = {
        "siân": make_user("creative", name="Siân Ŵyn Jones", email="sian@example.org", language="cy"),
        "tom": make_user("creative", name="Tom Price", email="tom@example.org"),
        "priya": make_user("commissioner", name="Priya Shah", email="priya@example.org"),
        "gareth": make_user("link_worker", name="Gareth Lloyd", email="gareth@example.org"),
    }
    add_profile(found["siân"], "Côr Cymunedol Aberteifi", access_captions=True, access_other="Step-free access")
    add_profile(found["tom"], "Sound Minds Collective", access_bsl=True)
    add_profile(found["priya"], "Hywel Dda University Health Board")
    add_profile(found["gareth"], "Ceredigion Social Prescribing")
    return found


@pytest.fixture
def in_app(app: Any) -> Callable[..., Any]:
    """in_app(work): call work(session) with the session loaded, in an app and request context, then commit."""
    from matchmaker.extensions import db
    from matchmaker.models import ConsultationSession

    def run(session_id: int, work: Callable[[Any], Any]) -> Any:
        with app.app_context():
            result = work(db.session.get(ConsultationSession, session_id))
            db.session.commit()
            return result

    return run


# --- SMTP -------------------------------------------------------------------------------------


def _free_port() -> int:
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


@pytest.fixture
def smtp(app: Any) -> Iterator[Mailbox]:
    """A real SMTP server on loopback, with the app pointed at it for this test (config restored after)."""
    mailbox = Mailbox()
    port = _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    keys = ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_STARTTLS", "MAIL_USERNAME")
    saved = {key: app.config[key] for key in keys}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_STARTTLS=False, MAIL_USERNAME="")
    yield mailbox
    app.config.update(saved)
    controller.stop()


@pytest.fixture
def deliver(app: Any) -> Callable[[], dict[str, int]]:
    """deliver(): run the delivery sweep (what the periodic job does) and return its counts."""
    from matchmaker.mail.delivery import deliver_due

    def run() -> dict[str, int]:
        with app.app_context():
            return deliver_due()

    return run


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


from tests.invites.imap_server import imap_server  # noqa: E402, F401  (fixture by name)
