"""The demo round: shape, registrations that make a good matching example, warnings, idempotence."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

from sqlalchemy import func, select

from matchmaker.web.i18n import to_london


def _count(model):
    from matchmaker.extensions import db

    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_slots_follow_the_pattern():
    from matchmaker.demo.round import demo_slot_times, first_monday

    assert first_monday(date(2027, 3, 1)) == date(2027, 3, 1)
    assert first_monday(date(2027, 3, 2)) == date(2027, 3, 8)
    times = demo_slot_times()
    assert len(times) == 20
    local = [(to_london(start), to_london(end)) for start, end in times]
    assert all(end - start == timedelta(minutes=90) for start, end in local)
    assert {start.time().hour for start, _end in local} == {10, 11, 14}
    assert all(start.weekday() < 5 for start, _end in local)
    assert min(s.date() for s, _e in local) == date(2027, 3, 1)
    assert max(s.date() for s, _e in local) <= date(2027, 3, 12)
    tuesday = sorted(s for s, _e in local if s.date() == date(2027, 3, 2))
    assert [s.hour for s in tuesday] == [10, 11, 14]
    assert tuesday[0] + timedelta(minutes=90) > tuesday[1]  # 10:00 and 11:00 overlap


def test_demo_load_makes_one_open_round_with_registrations_and_warnings(app, runner):
    from matchmaker.demo.round import TITLE_EN
    from matchmaker.extensions import db
    from matchmaker.models import Condition, Registration, Round, RoundStatus, User
    from matchmaker.rounds import overview

    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        (round_,) = db.session.scalars(select(Round).where(Round.title_en == TITLE_EN)).all()
        assert round_.status == RoundStatus.OPEN
        assert len(round_.slots) == 20
        assert len(round_.conditions) == _count(Condition) >= 15
        people = [
            u
            for u in db.session.scalars(select(User).where(User.email.like("%@demo.example.org")))
            if re.match(r"^(creative|linkworker|commissioner)\d+@", u.email)
        ]
        roles = Counter(u.role.value for u in people)
        assert roles["creative"] >= 60 and roles["link_worker"] == 15 and roles["commissioner"] == 8
        rows = overview.registration_rows(round_)
        registered = Counter(r.role for r in rows)
        assert registered["creative"] >= 0.8 * roles["creative"]
        assert registered["commissioner"] >= 5 and registered["link_worker"] >= 10
        assert all(r.slots and r.conditions for r in rows)
        found = overview.round_warnings(round_, rows)
        kinds = {(c.slug, w.kind) for c, w in found}
        assert ("perinatal", "no_link_workers") in kinds
        assert ("learning-disability", "commissioners_not_free") in kinds
        warned = {c.slug for c, _w in found}
        registered_conditions = {c.slug for r in rows for c, _s in r.conditions}
        # Sessions can form for several conditions.
        assert len(registered_conditions - warned) >= 5, sorted(kinds)
        registrations = _count(Registration)

    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code == 0, again.output
    with app.app_context():
        assert _count(Round) == 3  # the open demo round and the two past ones of the reach report
        assert _count(Registration) == registrations


def test_demo_round_without_the_demo_people_feature_reads_the_database(app, make_user, make_profile):
    """Built against the database: any demo-address users with profiles get registrations."""
    from matchmaker.demo.round import load_demo_round
    from matchmaker.extensions import db
    from matchmaker.models import Registration, Round

    people = [make_user("creative", email=f"creative{n:02d}@demo.example.org") for n in range(1, 9)] + [
        make_user("commissioner", email="commissioner01@demo.example.org"),
        make_user("link_worker", email="linkworker01@demo.example.org"),
    ]
    for user in people:
        make_profile(user, conditions=("stroke", "dementia"))
    outsider = make_user("creative", email="someone@example.org")
    make_profile(outsider)
    with app.app_context():
        made = load_demo_round()
        assert 1 <= made <= len(people)
        users = {r.user_id for r in db.session.scalars(select(Registration))}
        assert outsider.id not in users
        assert load_demo_round() == 0
        assert _count(Round) == 1
