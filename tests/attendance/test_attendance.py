"""The attendance checklist after a session, and each person's record across rounds (no-shows)."""

from __future__ import annotations

from typing import Any

from tests.accounts.support import checked_value, error_summary, signed_in_client, text
from tests.helpers import csrf_token
from tests.reach.support import build_round


def _clear_marks(app: Any) -> None:
    from matchmaker.extensions import db
    from matchmaker.models import AttendanceMark

    with app.app_context():
        db.session.query(AttendanceMark).delete()
        db.session.commit()


def test_checklist_is_prefilled_from_answers_and_saves(app: Any, reference_data: None, make_user: Any) -> None:
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import AttendanceMark, AuditEvent

    built = build_round(app)
    _clear_marks(app)
    client = signed_in_client(app, make_user("organiser"))
    s2 = built.sessions["S2"]
    page = text(client.get(f"/organiser/sessions/{s2}/attendance"))
    assert checked_value(page, f"attended-{built.people['l2']}") == "yes"  # accepted
    assert checked_value(page, f"attended-{built.people['c3']}") == "no"  # declined
    assert "from their answer to the invitation" in page
    data = {f"attended-{built.people['l2']}": "no", f"attended-{built.people['c3']}": "yes"}
    response = client.post(f"/organiser/sessions/{s2}/attendance", data={"csrf_token": csrf_token(page), **data})
    assert response.status_code == 302
    with app.app_context():
        marks = {m.user_id: m.attended for m in db.session.scalars(select(AttendanceMark))}
        assert marks == {built.people["l2"]: False, built.people["c3"]: True}
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attendance_marked"))
        assert event is not None and event.detail == {"came": 1, "marked": 2}
    listing = text(client.get(response.headers["Location"]))
    assert "Sessions that have taken place" in listing and "Done" in listing and "To do" in listing


def test_every_person_must_be_marked(app: Any, reference_data: None, make_user: Any) -> None:
    built = build_round(app)
    _clear_marks(app)
    client = signed_in_client(app, make_user("organiser"))
    url = f"/organiser/sessions/{built.sessions['S1']}/attendance"
    page = text(client.get(url))
    assert checked_value(page, f"attended-{built.people['c1']}") == "yes"
    response = client.post(url, data={"csrf_token": csrf_token(page), f"attended-{built.people['c1']}": "yes"})
    errors = error_summary(text(response))
    assert errors[f"attended-{built.people['c2']}"] == "Select whether Autumn c2 came"
    tampered = {"csrf_token": csrf_token(page), f"attended-{built.people['c1']}": "perhaps"}
    assert client.post(url, data=tampered).status_code == 400


def test_not_before_the_session_has_ended(app: Any, reference_data: None, make_user: Any) -> None:
    built = build_round(app, days_ago=-2)
    client = signed_in_client(app, make_user("organiser"))
    assert client.get(f"/organiser/sessions/{built.sessions['S1']}/attendance").status_code == 409
    assert "No session of this round has taken place yet." in text(
        client.get(f"/organiser/rounds/{built.round_id}/attendance")
    )


def test_only_organisers(app: Any, reference_data: None) -> None:
    from matchmaker.extensions import db
    from matchmaker.models import User

    built = build_round(app)
    with app.app_context():
        commissioner = db.session.get(User, built.people["m1"])
        db.session.expunge(commissioner)
    client = signed_in_client(app, commissioner)
    assert client.get(f"/organiser/sessions/{built.sessions['S1']}/attendance").status_code == 403


def test_no_shows_are_counted_per_person_across_rounds(app: Any, reference_data: None) -> None:
    from matchmaker.attendance.service import history, no_shows

    first = build_round(app, title="Spring", days_ago=200)
    build_round(app, title="Autumn")
    with app.app_context():
        people = list(first.people.values())
        record = history(people)
        assert record[first.people["l1"]].no_shows == 1  # accepted, marked absent
        assert record[first.people["c1"]].attended == 1 and record[first.people["c1"]].no_shows == 0
        assert first.people["c3"] not in record  # declined and never marked: not a no-show
        assert no_shows(people) == {first.people["l1"]: 1}
        assert history([]) == {}


def test_statements_of_the_record_do_not_grow_with_people(app: Any, reference_data: None) -> None:
    from sqlalchemy import event

    from matchmaker.attendance.service import history
    from matchmaker.extensions import db

    built = build_round(app)
    with app.app_context():
        statements: list[str] = []
        engine = db.engine
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            history(list(built.people.values()))
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        assert len(statements) == 1


def test_matching_history_reads_attendance_of_earlier_rounds(app: Any, reference_data: None) -> None:
    """The matching problem's history (contract 1.1) counts the rounds people came to and their no-shows."""
    from matchmaker.extensions import db
    from matchmaker.matching.history import history_block
    from matchmaker.matching.ids import participant_id
    from matchmaker.models import Round

    earlier = build_round(app, title="Winter", days_ago=120)
    now = build_round(app, title="Summer", days_ago=2)
    with app.app_context():
        block = history_block(db.session.get(Round, now.round_id), set(earlier.people.values()))
        people = block["participants"]
        came = people[participant_id(earlier.people["c1"])]
        assert (came["rounds_attended"], came["no_shows"]) == (1, 0)
        absent = people[participant_id(earlier.people["l1"])]
        assert (absent["rounds_attended"], absent["no_shows"]) == (0, 1)
