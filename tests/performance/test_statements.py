"""Statements tests: every list page sends as many SQL statements with 200 rows as with 10 (no N+1).

Each test grows the rows one page lists, from 10 to 200, and compares the statements of a GET
(counted with SQLAlchemy's before_cursor_execute event; tests/performance/support.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.performance.support import bulk_users, same_statements

pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture
def organiser(make_user: Any, sign_in: Any) -> Any:
    user = make_user("organiser")
    sign_in(user)
    return user


def _closed_round(app: Any, slots: int = 2, **rules: Any) -> int:
    from tests.factories import RoundFactory, persist

    return persist(app, RoundFactory, status="closed", slots=slots, conditions=("stroke", "dementia"), **rules)


def _sessions(app: Any, round_id: int, count: int, attendees: Any, first: int = 0) -> list[int]:
    """count published sessions in the round, a minute apart, each with attendees(index) -> [(user, role)]."""
    from datetime import timedelta

    from matchmaker.extensions import db
    from matchmaker.models import Round
    from tests.factories import TUESDAY_10AM, SessionFactory

    ids = []
    with app.app_context():
        round_ = db.session.get(Round, round_id)
        for index in range(first, first + count):
            ids.append(
                SessionFactory(
                    round=round_,
                    starts_at=TUESDAY_10AM + timedelta(hours=index),
                    purpose="",
                    attendees=attendees(index),
                ).id
            )
    return ids


def _profiles(app: Any, users: list[Any], **fields: Any) -> None:
    from tests.factories import profile_for

    with app.app_context():
        for user in users:
            profile_for(user, conditions=("stroke",), languages=("en",), boards=("cardiff-vale",), **fields)


def test_my_sessions_page(app: Any, client: Any, make_user: Any, make_profile: Any, sign_in: Any) -> None:
    """/sessions (a commissioner): each session's other attendees, organisations and access needs at once."""
    commissioner = make_user("commissioner")
    make_profile(commissioner)
    sign_in(commissioner)
    round_id = _closed_round(app)
    made = [0]

    def grow(count: int) -> None:
        creatives = bulk_users(app, "creative", count)
        _profiles(app, creatives, organisation=None)
        _sessions(app, round_id, count, lambda i: [commissioner, creatives[i - made[0]]], first=made[0])
        made[0] += count

    same_statements(app, client, "/sessions", grow, lambda page, n: page.count('class="app-session') == n)


def test_organiser_session_page(app: Any, client: Any, organiser: Any) -> None:
    """The organiser's session page: every attendee with their answer and organisation."""
    from matchmaker.extensions import db
    from matchmaker.models import Round, SessionAttendee

    round_id = _closed_round(app)
    with app.app_context():
        db.session.get(Round, round_id).creatives_max = 1000
        db.session.commit()
    (session_id,) = _sessions(app, round_id, 1, lambda _i: [])

    def grow(count: int) -> None:
        creatives = bulk_users(app, "creative", count)
        _profiles(app, creatives)
        with app.app_context():
            db.session.add_all(SessionAttendee(session_id=session_id, user_id=u.id, role="creative") for u in creatives)
            db.session.commit()

    same_statements(
        app, client, f"/organiser/sessions/{session_id}", grow, lambda page, n: page.count("Test creative") >= n
    )


def test_join_page(app: Any, client: Any, make_user: Any, make_profile: Any, sign_in: Any) -> None:
    """/join (a link worker): sessions with a free place, with their attendees' organisations."""
    worker = make_user("link_worker")
    make_profile(worker)
    sign_in(worker)
    round_id = _closed_round(app)
    made = [0]

    def grow(count: int) -> None:
        creatives = bulk_users(app, "creative", count)
        _profiles(app, creatives)
        _sessions(app, round_id, count, lambda i: [creatives[i - made[0]]], first=made[0])
        made[0] += count

    same_statements(app, client, "/join", grow, lambda page, n: f"{n} sessions" in page or str(n) in page)


def test_directory_page(app: Any, client: Any, make_user: Any, make_profile: Any, sign_in: Any) -> None:
    """/directory: creative professionals who agreed to be listed, with their conditions and regions."""
    worker = make_user("link_worker")
    make_profile(worker)
    sign_in(worker)

    def grow(count: int) -> None:
        _profiles(app, bulk_users(app, "creative", count), directory_consent=True)

    same_statements(app, client, "/directory", grow, lambda page, n: str(n) in page)


def _registrations(app: Any, round_id: int, count: int) -> None:
    from matchmaker.extensions import db
    from matchmaker.models import Round
    from tests.factories import RegistrationFactory

    creatives = bulk_users(app, "creative", count)
    _profiles(app, creatives)
    with app.app_context():
        round_ = db.session.get(Round, round_id)
        for user in creatives:
            RegistrationFactory(round=round_, user=user, conditions={"stroke": 2}, slots=round_.slots, max_sessions=1)


def test_round_overview(app: Any, client: Any, organiser: Any) -> None:
    """The round overview: counts by condition and slot, and the registrations table."""
    from tests.factories import RoundFactory, persist

    round_id = persist(app, RoundFactory, status="open", slots=3)
    same_statements(
        app,
        client,
        f"/organiser/rounds/{round_id}/overview",
        lambda count: _registrations(app, round_id, count),
        lambda page, n: (
            f"{n} people have registered." in page
            and page.count("Test creative") == min(n, 100)  # 100 registrations a page
            and (n <= 100) != ("page=2" in page)
        ),
    )


def test_registrations_csv(app: Any, client: Any, organiser: Any) -> None:
    """The registrations CSV: one line per registration."""
    from tests.factories import RoundFactory, persist

    round_id = persist(app, RoundFactory, status="open", slots=3)
    same_statements(
        app,
        client,
        f"/organiser/rounds/{round_id}/registrations.csv",
        lambda count: _registrations(app, round_id, count),
        lambda page, n: page.count("Test creative") == n,
    )


def test_round_page(app: Any, client: Any, organiser: Any) -> None:
    """The round page (its summary and slots) does not grow with the registrations."""
    from tests.factories import RoundFactory, persist

    round_id = persist(app, RoundFactory, status="open", slots=3)
    same_statements(
        app,
        client,
        f"/organiser/rounds/{round_id}",
        lambda count: _registrations(app, round_id, count),
        lambda page, n: True,
    )


def test_organiser_bookings(app: Any, client: Any, organiser: Any) -> None:
    """The organiser's bookings list: each booking with its commissioner's organisation."""
    from matchmaker.extensions import db
    from matchmaker.models import Round
    from tests.factories import BookingFactory, RoundFactory, persist

    round_id = persist(app, RoundFactory, status="open", slots=3)

    def grow(count: int) -> None:
        commissioners = bulk_users(app, "commissioner", count)
        _profiles(app, commissioners)
        with app.app_context():
            round_ = db.session.get(Round, round_id)
            for user in commissioners:
                BookingFactory(round=round_, commissioner=user)

    same_statements(
        app,
        client,
        f"/organiser/rounds/{round_id}/bookings",
        grow,
        lambda page, n: page.count("Test commissioner") >= n,
    )


def test_outbox(app: Any, client: Any, organiser: Any) -> None:
    """The outbox (paged)."""
    from matchmaker.extensions import db
    from matchmaker.mail.service import queue_email

    made = [0]

    def grow(count: int) -> None:
        with app.app_context():
            for index in range(made[0], made[0] + count):
                queue_email(key=f"test:{index}", to_address=f"p{index}@example.org", subject="Hi", text_body="Hi")
            db.session.commit()
        made[0] += count

    same_statements(app, client, "/organiser/outbox", grow, lambda page, n: "p1@example.org" in page or n > 50)


def test_accounts(app: Any, client: Any, organiser: Any) -> None:
    """Accounts waiting for approval (paged)."""
    same_statements(
        app,
        client,
        "/organiser/accounts",
        lambda count: bulk_users(app, "commissioner", count, approved=False),
        lambda page, n: "Test commissioner" in page,
    )


def test_audit_log(app: Any, client: Any, organiser: Any) -> None:
    """The audit log (paged), each event with its actor."""
    from matchmaker.audit.service import record
    from matchmaker.extensions import db
    from matchmaker.models import User

    def grow(count: int) -> None:
        users = bulk_users(app, "commissioner", count)
        with app.app_context():
            for user in users:
                record(db.session.get(User, user.id), "account_approved", db.session.get(User, user.id))
            db.session.commit()

    same_statements(app, client, "/organiser/audit", grow, lambda page, n: "Test commissioner" in page)


def test_answers_page(app: Any, client: Any, organiser: Any) -> None:
    """Every invitation's answer in a round (sessions at their minimum, so that none is listed as short)."""
    round_id = _closed_round(app, creatives_min=1, commissioners_min=0, link_workers_min=0)
    made = [0]

    def grow(count: int) -> None:
        creatives = bulk_users(app, "creative", count)
        _profiles(app, creatives)
        _sessions(app, round_id, count, lambda i: [creatives[i - made[0]]], first=made[0])
        made[0] += count

    same_statements(
        app,
        client,
        f"/organiser/rounds/{round_id}/answers/",
        grow,
        # 100 invitations a page: at 200, the first hundred and a link to the second page
        lambda page, n: page.count("Test creative") == min(n, 100) and (n <= 100) != ("page=2" in page),
    )
