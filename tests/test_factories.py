"""The factories in tests/factories make valid rows from nothing, and from only what a test says."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import (
    BookingStatus,
    Experience,
    Role,
    RoundStatus,
    SessionPlace,
    User,
)
from tests.factories import (
    BookingFactory,
    CreativeProfileFactory,
    LinkWorkerProfileFactory,
    RegistrationFactory,
    RoundFactory,
    SessionFactory,
)


def test_defaults_alone_make_valid_rows(app, reference_data):
    with app.app_context():
        session = SessionFactory()
        assert session.round.status == RoundStatus.CLOSED and session.condition.slug == "stroke"
        assert session.slot.round_id == session.round_id and session.language == "en"
        profile = CreativeProfileFactory()
        assert db.session.get(User, profile.user_id).role == Role.CREATIVE
        booking = BookingFactory()
        assert booking.commissioner.role == Role.COMMISSIONER and booking.status == BookingStatus.REQUESTED
        assert len(booking.slots) == 2 == len(booking.round.slots)
        registration = RegistrationFactory(conditions={"stroke": 3})
        assert [c.strength for c in registration.conditions] == [3] and len(registration.slots) == 2


def test_rounds_get_aware_slots_by_count_or_by_time(app, reference_data):
    with app.app_context():
        daily = RoundFactory(slots=3)
        starts = [s.starts_at for s in daily.slots]
        assert all(s.tzinfo is not None and s.utcoffset() == timedelta(0) for s in starts)
        assert starts[1] - starts[0] == timedelta(days=1)
        assert [c.slug for c in daily.conditions] == ["dementia", "stroke"]  # by position
        hourly = RoundFactory(slots=2, slot_every=timedelta(hours=4), conditions=("stroke",))
        assert hourly.slots[1].starts_at - hourly.slots[0].starts_at == timedelta(hours=4)
        assert hourly.slots[0].ends_at - hourly.slots[0].starts_at == timedelta(minutes=90)


def test_profiles_take_slugs_and_detached_users(app, reference_data, make_user):
    user = make_user("creative")  # detached, as tests hold them
    worker = make_user("link_worker")
    with app.app_context():
        profile = CreativeProfileFactory(
            user=user, conditions={"stroke": "open", "dementia": "specialist"}, health_boards=["powys"]
        )
        assert profile.user_id == user.id
        assert {c.condition.slug: c.experience for c in profile.conditions} == {
            "stroke": Experience.OPEN,
            "dementia": Experience.SPECIALIST,
        }
        assert [b.slug for b in profile.health_boards] == ["powys"]
        assert LinkWorkerProfileFactory(user=worker, health_board="hywel-dda").health_board.slug == "hywel-dda"


def test_session_attendees_fill_the_place_counters(app, reference_data, make_user):
    creative, commissioner = make_user("creative"), make_user("commissioner")
    with app.app_context():
        session = SessionFactory(attendees=[(creative, "creative"), commissioner])
        taken = dict(
            db.session.execute(
                select(SessionPlace.role, SessionPlace.taken).where(SessionPlace.session_id == session.id)
            ).all()
        )
        assert taken == {"creative": 1, "commissioner": 1, "link_worker": 0}
