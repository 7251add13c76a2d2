"""The place counters: kept by every attendee change whoever makes it, and enforced by the database."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError


def _session(app: Any, session_id: int) -> Any:
    from matchmaker.extensions import db
    from matchmaker.models import ConsultationSession

    return db.session.get(ConsultationSession, session_id)


def _user(user: Any) -> Any:
    from matchmaker.extensions import db
    from matchmaker.models import User

    return db.session.get(User, user.id)


def test_a_published_session_counts_its_current_attendees_per_role(make_session, make_person, places):
    people = [make_person("creative"), make_person("creative"), make_person("commissioner"), make_person("link_worker")]
    roles = ["creative", "creative", "commissioner", "link_worker"]
    session_id = make_session(list(zip(people, roles, strict=True)))
    assert places(session_id) == {"creative": 2, "commissioner": 1, "link_worker": 1}


def test_counters_follow_decline_rejoin_removal_role_change_and_deletion(app, make_session, make_person, places):
    from matchmaker.extensions import db
    from matchmaker.invites import service
    from matchmaker.models import SessionAttendee, SessionPlace

    worker, other = make_person("link_worker"), make_person("link_worker")
    session_id = make_session([(worker, "link_worker"), (other, "link_worker")])
    assert places(session_id)["link_worker"] == 2

    with app.app_context():
        attendee = db.session.scalar(select(SessionAttendee).where(SessionAttendee.user_id == worker.id))
        assert service.respond(attendee, "decline") == "declined"
        db.session.commit()
    assert places(session_id)["link_worker"] == 1

    with app.app_context():  # an expired object changed without reading its old value first
        attendee = db.session.scalar(select(SessionAttendee).where(SessionAttendee.user_id == worker.id))
        db.session.expire(attendee)
        service.lift_own(_session(app, session_id), worker.id)  # they change their mind ('not again' is lifted)
        service.attendee_added(_session(app, session_id), _user(worker), "link_worker")
        db.session.commit()
    assert places(session_id)["link_worker"] == 2

    with app.app_context():
        attendee = db.session.scalar(select(SessionAttendee).where(SessionAttendee.user_id == other.id))
        service.attendee_removed(_session(app, session_id), attendee)
        db.session.commit()
    assert places(session_id)["link_worker"] == 1

    with app.app_context():
        attendee = db.session.scalar(select(SessionAttendee).where(SessionAttendee.user_id == worker.id))
        attendee.role = "commissioner"
        db.session.commit()
    assert places(session_id) == {"creative": 0, "commissioner": 1, "link_worker": 0}

    with app.app_context():  # taken out of the collection: a delete-orphan cascade the flush finds
        session = _session(app, session_id)
        session.attendees = [a for a in session.attendees if a.user_id != worker.id]
        db.session.commit()
    assert places(session_id)["commissioner"] == 0

    with app.app_context():
        db.session.delete(_session(app, session_id))
        db.session.commit()
        assert db.session.scalar(select(SessionPlace).where(SessionPlace.session_id == session_id)) is None


def test_the_database_refuses_a_place_over_the_maximum_even_when_python_does_not_check(
    app, make_round, make_session, make_person, places, invites_to
):
    from matchmaker.extensions import db
    from matchmaker.invites import service
    from matchmaker.models import PlaceTaken

    round_id = make_round(link_workers_max=1)
    first, second = make_person("link_worker"), make_person("link_worker")
    session_id = make_session([(first, "link_worker")], round_id=round_id)
    with app.app_context():
        with pytest.raises(PlaceTaken) as raised:
            service.attendee_added(_session(app, session_id), _user(second), "link_worker")
        db.session.rollback()
    assert raised.value.role == "link_worker"
    assert places(session_id)["link_worker"] == 1
    assert invites_to(second) == []


def test_the_check_constraint_holds_against_a_direct_update(app, make_session, make_person):
    from matchmaker.extensions import db
    from matchmaker.models import SessionPlace

    session_id = make_session([(make_person("commissioner"), "commissioner")])
    with app.app_context():
        with pytest.raises(IntegrityError):
            db.session.execute(
                update(SessionPlace)
                .where(SessionPlace.session_id == session_id, SessionPlace.role == "commissioner")
                .values(taken=SessionPlace.capacity + 1)
            )
            db.session.flush()
        db.session.rollback()


def test_recount_repairs_counters_after_bulk_sql(app, make_session, make_person, places):
    from matchmaker.extensions import db
    from matchmaker.models import SessionAttendee
    from matchmaker.models.places import recount

    worker = make_person("link_worker")
    session_id = make_session([(worker, "link_worker")])
    with app.app_context():
        db.session.execute(
            update(SessionAttendee).where(SessionAttendee.session_id == session_id).values(partstat="DECLINED")
        )
        recount(db.session.connection(), session_id)
        db.session.commit()
    assert places(session_id)["link_worker"] == 0


def test_the_migration_counts_sessions_published_before_it(app, make_round, make_session, make_person, places):
    """Down to the revision before the counters and up again: existing sessions are counted, declines left out."""
    from flask_migrate import downgrade, upgrade

    from matchmaker.extensions import db
    from matchmaker.models import SessionAttendee

    round_id = make_round(commissioners_max=1)
    creatives = [make_person("creative") for _ in range(3)]
    commissioners = [make_person("commissioner"), make_person("commissioner")]
    session_id = make_session(
        [(c, "creative") for c in creatives] + [(commissioners[0], "commissioner")], round_id=round_id
    )
    with app.app_context():
        db.session.execute(
            update(SessionAttendee).where(SessionAttendee.user_id == creatives[0].id).values(partstat="DECLINED")
        )
        db.session.commit()
        db.session.remove()
        downgrade(revision="8895e55cc9b5")
        # Published while the counters did not exist: a second commissioner over the maximum of 1.
        db.session.execute(
            text(
                "INSERT INTO session_attendees (session_id, user_id, role, partstat, added_at) "
                "VALUES (:s, :u, 'commissioner', 'NEEDS-ACTION', :now)"
            ),
            {"s": session_id, "u": commissioners[1].id, "now": "2027-01-01 00:00:00"},
        )
        db.session.commit()
        db.session.remove()
        upgrade()
        db.session.remove()
    assert places(session_id) == {"creative": 2, "commissioner": 2, "link_worker": 0}


def _race(app: Any, work: list[Any]) -> list[str]:
    """Run each callable in its own thread and app context, all released together; return what each said."""
    barrier = threading.Barrier(len(work))
    results: list[str] = [""] * len(work)

    def run(index: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                results[index] = work[index]()
            except Exception as error:  # noqa: BLE001  (reported in the assertion, never swallowed)
                results[index] = f"error: {type(error).__name__}: {error}"

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_connections_claiming_the_last_place_at_once_one_wins(app, make_round, make_session, make_person, places):
    """No Python check at all: two transactions add a link worker at the same moment; the counter decides."""
    from matchmaker.extensions import db
    from matchmaker.invites import service
    from matchmaker.models import PlaceTaken

    round_id = make_round(link_workers_max=2)
    session_id = make_session([(make_person("link_worker"), "link_worker")], round_id=round_id)
    racers = [make_person("link_worker") for _ in range(4)]

    def claim(user: Any) -> Any:
        def work() -> str:
            try:
                service.attendee_added(_session(app, session_id), _user(user), "link_worker")
                db.session.commit()
                return "joined"
            except PlaceTaken:
                db.session.rollback()
                return "taken"

        return work

    results = _race(app, [claim(user) for user in racers])
    assert sorted(results) == ["joined", "taken", "taken", "taken"], results
    assert places(session_id)["link_worker"] == 2
