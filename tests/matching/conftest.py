"""A small closed round on stroke, with people and profiles, for the matching tests.

Round "Stroke round": two slots on Monday 1 March 2027 (10:00 and 14:00 UTC), stroke and
dementia in scope, rules 3-6 creatives, 1-2 commissioners, 1-3 link workers. People:
- creatives c1..c7, each their own organisation except c6 and c7 (both "Shared Arts"); c1 has
  formal referrals, the others none; all available at both slots, one session each, stroke;
- commissioners m1 (with a booking for stroke at slot 1, wanting to meet c2) and m2;
- link workers l1 (capacity 1, registered for 3 sessions) and l2.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

MONDAY_10 = datetime(2027, 3, 1, 10, tzinfo=UTC)


@dataclass
class Seeded:
    """Ids of what a fixture made."""

    round_id: int
    slots: list[int]
    users: dict[str, Any] = field(default_factory=dict)  # name -> detached User
    booking_id: int | None = None

    def pid(self, name: str) -> str:
        """A person's id in the problem."""
        return f"u{self.users[name].id}"


@pytest.fixture
def make_round(app: Any, reference_data: None) -> Callable[..., int]:
    """make_round(status="closed", slots=2, conditions=("stroke", "dementia"), **fields) -> round id: the "Stroke
    round", its slots 4 hours apart from Monday 1 March 2027 at 10:00 (RoundFactory)."""
    from tests.factories import RoundFactory, persist

    def make(status: str = "closed", slots: int = 2, conditions: tuple[str, ...] = ("stroke", "dementia"), **fields):
        values = {
            "title_en": "Stroke round",
            "title_cy": "Rownd strôc",
            "registration_closes_at": datetime(2027, 2, 1, 17, tzinfo=UTC),
            "first_slot": MONDAY_10,
            "slot_every": timedelta(hours=4),
        }
        return persist(app, RoundFactory, status=status, slots=slots, conditions=conditions, **{**values, **fields})

    return make


@pytest.fixture
def register(app: Any) -> Callable[..., None]:
    """register(round_id, user, {"stroke": 3}, slot_ids, max_sessions=1, wants=[users]) (RegistrationFactory)."""
    from matchmaker.extensions import db
    from matchmaker.models import Round
    from tests.factories import RegistrationFactory

    def add(
        round_id: int,
        user: Any,
        strengths: dict[str, int],
        slot_ids: list[int],
        max_sessions: int = 1,
        wants: list[Any] = (),
    ) -> None:  # type: ignore[assignment]
        with app.app_context():
            RegistrationFactory(
                round=db.session.get(Round, round_id),
                user=user,
                conditions=strengths,
                slots=slot_ids,
                max_sessions=max_sessions,
                wants_to_meet=wants,
            )

    return add


@pytest.fixture
def profile(app: Any) -> Callable[..., None]:
    """profile(user, organisation, languages=["en"], board="cardiff-vale", **extra) (profile_for)."""
    from tests.factories import profile_for

    def add(
        user: Any,
        organisation: str,
        languages: list[str] = ("en",),
        board: str = "cardiff-vale",  # type: ignore[assignment]
        **extra: Any,
    ) -> None:
        with app.app_context():
            profile_for(user, organisation=organisation, languages=languages, boards=[board], **extra)

    return add


@pytest.fixture
def seeded(app: Any, make_round: Any, make_user: Any, register: Any, profile: Any) -> Seeded:
    """The stroke round described in this module's docstring."""
    from matchmaker.extensions import db
    from matchmaker.models import PrescribingLink, Round
    from tests.factories import BookingFactory

    round_id = make_round()
    with app.app_context():
        slots = [s.id for s in db.session.get(Round, round_id).slots]
    seeded = Seeded(round_id=round_id, slots=slots)
    for i in range(1, 8):
        user = make_user("creative", name=f"Creative {i}", email=f"c{i}@example.org")
        seeded.users[f"c{i}"] = user
        org = "Shared Arts" if i in (6, 7) else f"Arts {i}"
        link = PrescribingLink.FORMAL if i == 1 else PrescribingLink.NONE
        profile(user, org, prescribing_link=link, access_captions=(i == 3))
    for name in ("m1", "m2"):
        seeded.users[name] = make_user("commissioner", name=f"Commissioner {name}", email=f"{name}@example.org")
        profile(seeded.users[name], "Health Board")
    for name, capacity in (("l1", 1), ("l2", 2)):
        seeded.users[name] = make_user("link_worker", name=f"Link worker {name}", email=f"{name}@example.org")
        profile(seeded.users[name], "GP cluster", capacity=capacity)
    for i in range(1, 8):
        register(round_id, seeded.users[f"c{i}"], {"stroke": 3 if i < 4 else 2}, slots)
    register(round_id, seeded.users["m1"], {"stroke": 3}, slots, max_sessions=2, wants=[seeded.users["c2"]])
    register(round_id, seeded.users["m2"], {"stroke": 2}, slots, max_sessions=2)
    register(round_id, seeded.users["l1"], {"stroke": 3}, slots, max_sessions=3)
    register(round_id, seeded.users["l2"], {"stroke": 2}, slots, max_sessions=2)
    with app.app_context():
        seeded.booking_id = BookingFactory(
            round=db.session.get(Round, round_id),
            commissioner=seeded.users["m1"],
            requested_by=seeded.users["m1"],
            purpose="Referral routes after stroke",
            slots=slots[:1],
            wants_to_meet=[seeded.users["c3"]],
        ).id
    return seeded


@pytest.fixture
def organiser(make_user: Any) -> Any:
    """An organiser."""
    return make_user("organiser", name="Olwen Organiser", email="olwen@example.org")


@pytest.fixture
def run_round(app: Any) -> Callable[..., Any]:
    """run_round(round_id, time_limit=2, kind="full") -> the finished run's id (through the Huey task, immediate)."""
    from matchmaker.extensions import db
    from matchmaker.matching.runs import start_run
    from matchmaker.matching.tasks import queue_run
    from matchmaker.models import MatchRun, Round, RunKind

    def run(round_id: int, time_limit: float = 2, kind: str = "full") -> int:
        with app.app_context():
            started = start_run(db.session.get(Round, round_id), None, time_limit, RunKind(kind))
            db.session.commit()
            run_id = started.id
            assert queue_run(run_id)
        with app.app_context():
            return db.session.get(MatchRun, run_id).id

    return run


@pytest.fixture
def published_round(app: Any, seeded: Seeded, run_round: Callable[..., Any]) -> int:
    """The stroke round matched and its first draft published; returns the round id."""
    from matchmaker.extensions import db
    from matchmaker.matching.drafts import latest_draft
    from matchmaker.matching.publish import publish
    from matchmaker.models import Round

    run_round(seeded.round_id)
    with app.test_request_context():
        publish(latest_draft(db.session.get(Round, seeded.round_id)))
        db.session.commit()
    return seeded.round_id


@pytest.fixture
def decline(app: Any) -> Callable[..., tuple[str, int]]:
    """decline(role="creative"): someone of this role in the first session declines; (their name, session id)."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.invites.service import respond
    from matchmaker.models import ConsultationSession

    def do(role: str = "creative") -> tuple[str, int]:
        with app.test_request_context():
            session = db.session.scalars(select(ConsultationSession).order_by(ConsultationSession.id)).first()
            attendee = next(a for a in session.attendees if a.role == role and a.is_current)
            assert respond(attendee, "decline") == "declined"
            db.session.commit()
            return attendee.user.name, session.id

    return do


from tests.invites.imap_server import imap_server  # noqa: E402, F401  (fixture by name)
from tests.mail.smtp_server import smtp_server, use_mail_server  # noqa: E402, F401  (fixtures by name)
