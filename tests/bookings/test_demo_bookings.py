"""The demo data includes bookings, so a demo matching run has bookings to serve."""

from __future__ import annotations

from sqlalchemy import select


def test_demo_load_books_sessions_for_commissioners_once(app, runner):
    from matchmaker.demo.round import TITLE_EN
    from matchmaker.extensions import db
    from matchmaker.models import Booking, BookingStatus, Registration, Round

    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        round_ = db.session.scalar(select(Round).where(Round.title_en == TITLE_EN))
        bookings = db.session.scalars(select(Booking).where(Booking.round_id == round_.id)).all()
        assert len(bookings) == 4
        assert len({b.commissioner_id for b in bookings}) == 4
        for booking in bookings:
            assert booking.status == BookingStatus.REQUESTED and booking.purpose
            registration = db.session.scalar(
                select(Registration).where(
                    Registration.round_id == round_.id, Registration.user_id == booking.commissioner_id
                )
            )
            assert booking.condition_id in {c.condition_id for c in registration.conditions}
            assert {s.id for s in booking.slots} <= {s.id for s in registration.slots}
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        assert len(db.session.scalars(select(Booking)).all()) == 4


def test_confirmation_links_are_built_without_a_request(app):
    """Jobs and commands (demo load, match publish, reminders) email links without a request context."""
    from matchmaker.web.urls import external_url

    with app.app_context():
        assert external_url("bookings.show", booking_id=7) == app.config["BASE_URL"] + "/bookings/7"
