"""Fixtures for the invite tests: published sessions and people (wrappers over tests/factories), a real SMTP
server on loopback, and the delivery sweep. Calendar and SMTP helpers live in tests/invites/support.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.factories import TUESDAY_10AM
from tests.invites.support import Mailbox, free_port

# --- sessions -------------------------------------------------------------------------------


@pytest.fixture
def make_session(app: Any, reference_data: None) -> Callable[..., int]:
    """make_session(attendees=[(user, role), ...], starts_at=..., minutes=90, condition="stroke", round_fields=None,
    **fields) -> id of a published session, in a closed round of its own (SessionFactory)."""
    from tests.factories import RoundFactory, SessionFactory

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
            round_ = RoundFactory(
                status="closed",
                conditions=(),
                registration_closes_at=datetime(2027, 2, 1, 17, tzinfo=UTC),
                **(round_fields or {}),
            )
            return SessionFactory(
                round=round_, starts_at=starts_at, minutes=minutes, condition=condition, attendees=attendees, **fields
            ).id

    return make


@pytest.fixture
def add_profile(app: Any) -> Callable[..., None]:
    """add_profile(user, organisation, **access): the profile that names the person's organisation."""
    from tests.factories import profile_for

    def add(user: Any, organisation: str, **extra: Any) -> None:
        with app.app_context():
            profile_for(user, organisation=organisation, **extra)

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


@pytest.fixture
def smtp(app: Any) -> Iterator[Mailbox]:
    """A real SMTP server on loopback, with the app pointed at it for this test (config restored after)."""
    mailbox = Mailbox()
    port = free_port()
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


from tests.invites.imap_server import imap_server  # noqa: E402, F401  (fixture by name)
