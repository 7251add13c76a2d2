"""Each count of the funnel against a hand-built round; the other tables on the same round."""

from __future__ import annotations

from typing import Any

from tests.reach.support import FUNNEL, build_round


def _report(app: Any, user_id: int | None = None, round_id: int | None = None, suppress: bool = False) -> Any:
    from matchmaker.extensions import db
    from matchmaker.models import User
    from matchmaker.reach import service
    from matchmaker.reach.report import build

    with app.test_request_context():
        if user_id is None:
            return build(service.Scope(round_id=round_id), suppress=suppress)
        return service.report_for(db.session.get(User, user_id), round_id)


def test_each_count_of_the_funnel(app: Any, reference_data: None) -> None:
    built = build_round(app)
    report = _report(app, round_id=built.round_id)
    funnel = dict((label, values[0]) for label, values in report.table("funnel").rows)
    assert list(funnel.values()) == [
        FUNNEL[k] for k in ("registered", "matched", "invited", "attended", "answered", "outcome")
    ]
    rounds = report.table("rounds").rows
    assert rounds == [("Autumn", [8, 6, 5, 4, 3, 2])]
    assert report.table("funnel").rates == ["100%", "75%", "62%", "50%", "38%", "25%"]


def test_all_rounds_count_a_person_once(app: Any, reference_data: None) -> None:
    first = build_round(app, days_ago=200, title="Spring")
    second = build_round(app, days_ago=8, title="Autumn")
    report = _report(app)
    assert [row[0] for row in report.table("rounds").rows] == ["Spring", "Autumn"]
    assert [row[1][0] for row in report.table("funnel").rows] == [16, 12, 10, 8, 6, 4]
    assert first.round_id != second.round_id


def test_reach_tables_on_the_hand_built_round(app: Any, reference_data: None) -> None:
    build_round(app)
    report = _report(app)
    by_condition = dict(report.table("condition").rows)
    assert by_condition["Stroke"] == [8, 4, 3]  # all registered for stroke; S1 had four, three came
    assert by_condition["Dementia"] == [8, 2, 1]
    boards = dict(report.table("health_board").rows)
    assert boards["Cardiff and Vale University Health Board"] == [4, 4, 3]
    assert boards["Hywel Dda University Health Board"] == [4, 2, 1]
    links = dict(report.table("prescribing_link").rows)
    assert links["Formal referrals"] == [1, 1, 1]
    assert links["No link yet"] == [4, 2, 1]
    languages = dict(report.table("language").rows)
    assert languages["English"] == [1, 4, 3] and languages["Welsh"] == [1, 2, 1]
    returning = dict(report.table("returning").rows)
    assert returning["First time"] == [5, 3, 2] and returning["Returning"] == [0, 0, 0]
    outcomes = dict(report.table("outcomes").rows)
    assert outcomes["We agreed a referral route"] == [1, 0]
    assert outcomes["A pilot is running"] == [1, 0]
    assert outcomes["Answered the follow-up"] == [3, 0]
    assert outcomes["People referred by link workers"] == [3, 0]


def test_returning_organisations_and_never_matched(app: Any, reference_data: None) -> None:
    from matchmaker.extensions import db
    from matchmaker.models import Registration, Round, User
    from tests.factories import RoundFactory

    built = build_round(app, days_ago=8, title="Autumn")
    with app.app_context():
        # c4 and c5 (never matched) register again in a later round, with c1.
        later = RoundFactory(
            status="closed",
            title_en="Winter",
            registration_opens_at=db.session.get(Round, built.round_id).registration_opens_at.replace(year=2030),
        )
        for key in ("c1", "c4", "c5"):
            db.session.add(Registration(round_id=later.id, user_id=db.session.get(User, built.people[key]).id))
        db.session.commit()
    report = _report(app)
    returning = dict(report.table("returning").rows)
    assert returning["Returning"] == [3, 0, 0]
    assert report.never_matched.names == [("Autumn organisation c4", 2), ("Autumn organisation c5", 2)]


def test_statements_do_not_grow_with_people(app: Any, reference_data: None) -> None:
    from sqlalchemy import event

    from matchmaker.extensions import db
    from matchmaker.reach import service
    from matchmaker.reach.report import build

    def statements() -> int:
        seen: list[str] = []
        with app.test_request_context():
            engine = db.engine
            listener = lambda *args: seen.append(args[2])  # noqa: E731
            event.listen(engine, "before_cursor_execute", listener)
            try:
                build(service.Scope(), suppress=False)
            finally:
                event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    build_round(app, title="Spring", days_ago=200)
    few = statements()
    build_round(app, title="Autumn")
    build_round(app, title="Winter", days_ago=2)
    assert statements() == few


def test_fairness_round_over_round_counts_those_left_out_before(app: Any, reference_data: None) -> None:
    """Creatives left out in an earlier round who register again, and how many of them the next round serves."""
    from matchmaker.extensions import db
    from matchmaker.models import Registration, Round, User
    from tests.factories import RoundFactory, SessionFactory

    built = build_round(app, days_ago=8, title="Autumn")
    with app.app_context():
        autumn = db.session.get(Round, built.round_id)
        later = RoundFactory(
            status="closed", title_en="Winter", registration_opens_at=autumn.registration_opens_at.replace(year=2030)
        )
        people = {key: db.session.get(User, built.people[key]) for key in ("c1", "c4", "c5", "m1")}
        for key in ("c1", "c4", "c5"):  # c1 was matched in Autumn; c4 and c5 were left out
            db.session.add(Registration(round_id=later.id, user_id=people[key].id))
        SessionFactory(round=later, condition="stroke", attendees=[people["c4"], people["m1"]])
        db.session.commit()
    table = _report(app).table("fairness")
    rows = dict(table.rows)
    assert rows["Autumn"] == [0, 0]
    assert rows["Winter"] == [2, 1]
    assert table.rates == ["–", "50%"]
    assert table.summary == "Creatives left out in earlier rounds, in Winter: 2 registered again, 1 matched."
    suppressed = _report(app, suppress=True).table("fairness")
    assert suppressed.cells(True)[1][1] == ["fewer than 5", "fewer than 5"]


def test_reach_by_kind_of_commissioner_and_link_workers_employer(app: Any, reference_data: None) -> None:
    """Kinds of commissioner and link workers' employers are tables of the report, with a row for a blank answer."""
    from matchmaker.extensions import db
    from matchmaker.models import LinkWorkerProfile
    from matchmaker.models.profiles import EmployerKind

    built = build_round(app)
    with app.app_context():
        profile = db.session.query(LinkWorkerProfile).filter_by(user_id=built.people["l2"]).one()
        profile.employer_kind = EmployerKind("gp_cluster")
        db.session.commit()
    report = _report(app)
    commissioners = dict(report.table("commissioner_kind").rows)
    assert commissioners["Health board"] == [1, 1, 1]  # m1: registered, matched, came
    employers = dict(report.table("employer_kind").rows)
    assert employers["GP cluster"] == [1, 1, 1]  # l2
    assert employers["Not given"] == [1, 1, 0]  # l1 did not come
