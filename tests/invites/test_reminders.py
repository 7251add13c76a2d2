"""Reminders: the day before and the morning of, in Wales's days, once each, only for people coming."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from tests.factories import TUESDAY_10AM


def _send(app: Any, now: datetime) -> int:
    """Run the reminder selection at this moment."""
    from matchmaker.invites.reminders import send_reminders

    with app.app_context():
        return send_reminders(now)


def _reminders(outbox: Callable[..., list[Any]]) -> list[tuple[str, str]]:
    """(recipient, subject start) of every reminder queued."""
    return [(m.to_address, m.subject.split(":")[0]) for m in outbox() if m.key.startswith("reminder:")]


def test_day_before_and_morning_once_each_and_not_for_those_not_coming(
    app: Any,
    people: dict[str, Any],
    make_session: Callable[..., int],
    in_app: Callable[..., Any],
    outbox: Callable[..., list[Any]],
) -> None:
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.invites import service
    from matchmaker.models import SessionAttendee

    tom, priya, gareth, sian = people["tom"], people["priya"], people["gareth"], people["siân"]
    session_id = make_session([(tom, "creative"), (priya, "commissioner"), (gareth, "link_worker")])
    cancelled_id = make_session([(sian, "creative")], condition="dementia")
    in_app(session_id, service.session_published)
    in_app(cancelled_id, service.session_published)
    in_app(cancelled_id, service.session_cancelled)

    def priya_declines_and_gareth_is_removed(session: Any) -> None:
        attendees = {
            a.user_id: a
            for a in db.session.scalars(select(SessionAttendee).where(SessionAttendee.session_id == session.id))
        }
        service.respond(attendees[priya.id], "decline")
        service.attendee_removed(session, attendees[gareth.id])

    in_app(session_id, priya_declines_and_gareth_is_removed)

    # Monday 1 March 2027, 8am: too early for the day-before reminder.
    assert _send(app, datetime(2027, 3, 1, 8, 0, tzinfo=UTC)) == 0
    assert _send(app, datetime(2027, 3, 1, 9, 15, tzinfo=UTC)) == 1
    assert _send(app, datetime(2027, 3, 1, 17, 0, tzinfo=UTC)) == 0  # already sent
    assert _reminders(outbox) == [("tom@example.org", "Tomorrow")]
    # Tuesday: nothing at 6am, the morning reminder at 7am, nothing more after.
    assert _send(app, datetime(2027, 3, 2, 6, 0, tzinfo=UTC)) == 0
    assert _send(app, datetime(2027, 3, 2, 7, 0, tzinfo=UTC)) == 1
    assert _send(app, datetime(2027, 3, 2, 9, 45, tzinfo=UTC)) == 0
    assert _send(app, TUESDAY_10AM) == 0  # started
    assert _reminders(outbox) == [("tom@example.org", "Tomorrow"), ("tom@example.org", "Today")]
    morning = [m for m in outbox() if m.key.startswith("reminder:")][1]
    assert "10am on Tuesday 2 March 2027" in morning.text_body
    assert morning.calendar is None


def test_days_are_wales_days_across_the_clock_change(
    app: Any, people: dict[str, Any], make_session: Callable[..., int], outbox: Callable[..., list[Any]]
) -> None:
    from matchmaker.invites.reminders import reminder_kind

    # Sunday 28 March 2027, 10am BST = 09:00Z; Saturday 9:30am GMT is "the day before".
    start = datetime(2027, 3, 28, 9, 0, tzinfo=UTC)
    assert reminder_kind(start, datetime(2027, 3, 27, 9, 30, tzinfo=UTC)) == "tomorrow"
    assert reminder_kind(start, datetime(2027, 3, 28, 6, 0, tzinfo=UTC)) == "today"  # 7am BST
    assert reminder_kind(start, datetime(2027, 3, 28, 5, 59, tzinfo=UTC)) is None  # 6:59am BST
    # Monday 1 November 2027 at 00:30 GMT: on Sunday 31 October at 23:30Z it is still Sunday in Wales.
    late = datetime(2027, 11, 1, 0, 30, tzinfo=UTC)
    assert reminder_kind(late, datetime(2027, 10, 31, 10, 0, tzinfo=UTC)) == "tomorrow"
    # Sunday 31 October 2027 at 00:30 BST (23:30Z on the Saturday) is a Sunday session.
    early = datetime(2027, 10, 30, 23, 30, tzinfo=UTC)
    assert reminder_kind(early, datetime(2027, 10, 30, 9, 0, tzinfo=UTC)) == "tomorrow"

    session_id = make_session([(people["siân"], "creative")], starts_at=start)
    assert _send(app, datetime(2027, 3, 27, 9, 30, tzinfo=UTC)) == 1
    (reminder,) = [m for m in outbox() if m.key.startswith("reminder:")]
    assert "10yb ddydd Sul 28 Mawrth 2027" in reminder.text_body  # her language, local time
    assert session_id


def test_a_moved_session_is_reminded_again_for_its_new_day(
    app: Any,
    people: dict[str, Any],
    make_session: Callable[..., int],
    in_app: Callable[..., Any],
    outbox: Callable[..., list[Any]],
) -> None:
    from matchmaker.invites import service
    from matchmaker.models import Slot

    session_id = make_session([(people["tom"], "creative")])
    assert _send(app, datetime(2027, 3, 1, 12, 0, tzinfo=UTC)) == 1

    def move(session: Any) -> None:
        session.slot = Slot(
            round=session.round,
            starts_at=datetime(2027, 3, 3, 10, tzinfo=UTC),
            ends_at=datetime(2027, 3, 3, 11, tzinfo=UTC),
        )
        service.session_changed(session)

    in_app(session_id, move)
    assert _send(app, datetime(2027, 3, 2, 12, 0, tzinfo=UTC)) == 1
    assert len(_reminders(outbox)) == 2


def test_the_worker_runs_reminders_every_quarter_hour(
    app: Any, people: dict[str, Any], make_session: Callable[..., int], outbox: Callable[..., list[Any]]
) -> None:
    import matchmaker.jobs.consumer  # noqa: F401  (what the consumer loads)
    from matchmaker.invites.tasks import send_session_reminders
    from matchmaker.jobs.queue import huey

    due = {task.name for task in huey.read_periodic(datetime(2027, 3, 1, 9, 15))}
    assert "send_session_reminders" in due
    not_due = {task.name for task in huey.read_periodic(datetime(2027, 3, 1, 9, 16))}
    assert "send_session_reminders" not in not_due
    make_session([(people["tom"], "creative")])  # in 2027: nothing due today
    with app.app_context():
        assert send_session_reminders.call_local() == 0
    assert not [m for m in outbox() if m.key.startswith("reminder:")]
