"""`flask demo load` leaves a populated reach report: two past rounds with attendance and both follow-ups."""

from __future__ import annotations

from typing import Any


def test_demo_data_fills_the_report(app: Any, runner: Any) -> None:
    from sqlalchemy import String, cast, func, select

    from matchmaker.demo.outcomes import PAST_ROUNDS, SIGN_IN_ACCOUNTS
    from matchmaker.extensions import db
    from matchmaker.models import AttendanceMark, CreativeProfile, FollowUp, User
    from matchmaker.reach.queries import Scope
    from matchmaker.reach.report import build

    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    with app.test_request_context():
        report = build(Scope(), suppress=False)
        rounds = {title: values for title, values in report.table("rounds").rows}
        for title, *_rest in PAST_ROUNDS:
            registered, matched, _invited, attended, answered, outcome = rounds[title]
            assert registered > matched > attended > answered > 0, (title, rounds[title])
        assert db.session.scalar(select(func.count()).where(FollowUp.stage == "second")) > 0
        assert db.session.scalar(
            select(func.count()).select_from(AttendanceMark).where(AttendanceMark.attended.is_(False))
        )
        assert db.session.scalar(select(func.count()).where(cast(CreativeProfile.impact_measures, String) != "[]"))
        follow_ups = db.session.scalar(select(func.count()).select_from(FollowUp))
        waiting = db.session.scalars(
            select(User.email)
            .join(FollowUp, FollowUp.user_id == User.id)
            .where(FollowUp.answered_at.is_(None), User.email.in_(SIGN_IN_ACCOUNTS))
        ).all()
        assert "creative@demo.example.org" in waiting  # a follow-up waits in the demo creative's My sessions
    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code == 0, again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(FollowUp)) == follow_ups
