"""The report page, its exports, who may see what, and the rule that hides small counts."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from tests.accounts.support import signed_in_client, text
from tests.reach.support import build_round


def _user(app: Any, user_id: int) -> Any:
    from matchmaker.extensions import db
    from matchmaker.models import User

    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def test_suppression_rule(app: Any) -> None:
    from matchmaker.reach.report import exported, hidden, shown

    with app.test_request_context():
        assert [shown(n, True) for n in (0, 1, 4, 5, 12)] == ["0", "fewer than 5", "fewer than 5", "5", "12"]
        assert [shown(n, False) for n in (0, 1, 4, 5)] == ["0", "1", "4", "5"]
        assert [exported(n) for n in (0, 3, 5)] == [0, "fewer than 5", 5]
        assert not hidden(None, True)
    with app.test_request_context(headers={"Cookie": ""}):
        from flask_babel import force_locale

        with force_locale("cy"):
            assert shown(2, True) != "fewer than 5"  # said in Welsh


def test_organiser_sees_exact_counts_and_charts(app: Any, reference_data: None, make_user: Any) -> None:
    built = build_round(app)
    organiser = make_user("organiser")
    client = signed_in_client(app, organiser)
    page = text(client.get("/organiser/reach"))
    assert "Reach and outcomes" in page
    assert page.count("<svg") == 13  # one chart for each table
    assert 'role="img"' in page and "<desc" in page
    assert "Of 8 people who registered, 4 came to a session and 2 reported a pathway, pilot or commission." in page
    assert page.count("fewer than 5") == 1  # only in the note on downloads: every count on the page is exact
    assert "We have started a choir at the surgery." in page  # agreed to be quoted
    assert "Not yet." not in page  # did not agree
    one = text(client.get(f"/organiser/reach?round={built.round_id}"))
    assert "Autumn" in one
    assert client.get("/organiser/reach?round=999999").status_code == 404
    assert client.get("/organiser/reach?round=x").status_code == 404


def test_exports_hide_small_counts_and_hold_no_names(app: Any, reference_data: None, make_user: Any) -> None:
    build_round(app)
    client = signed_in_client(app, make_user("organiser"))
    response = client.get("/organiser/reach/funnel.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:2] == ["Step", "People"]
    assert rows[1][:2] == ["Registered", "8"]
    assert rows[4][:2] == ["Came", "fewer than 5"]
    assert client.get("/organiser/reach/nonsense.csv").status_code == 404
    data = json.loads(client.get("/organiser/reach.json").get_data(as_text=True))
    funnel = next(t for t in data["tables"] if t["key"] == "funnel")
    assert [row["counts"][0] for row in funnel["rows"]] == [8, 6, 5, "fewer than 5", "fewer than 5", "fewer than 5"]
    body = json.dumps(data)
    assert "Autumn c1" not in body and "example.org" not in body and "Autumn organisation" not in body
    assert "choir" not in body  # no quote in an export
    assert data["never_matched_organisations"] == 0  # one round: nobody has tried twice yet


def test_commissioner_sees_their_health_board_only(app: Any, reference_data: None) -> None:
    built = build_round(app)
    commissioner = _user(app, built.people["m1"])  # Cardiff and Vale
    client = signed_in_client(app, commissioner)
    page = text(client.get("/organiser/reach"))
    assert "You see the people who work in your health boards" in page
    assert "Hywel Dda University Health Board" not in page
    assert "Cardiff and Vale University Health Board" in page
    # Cardiff and Vale: c1, c2, m1, l1 registered (4, hidden); l2 of Hywel Dda is not counted.
    assert "Of fewer than 5 people who registered" in page
    assert "Autumn organisation" not in page
    assert "In their own words" not in page  # quotes are for organisers


def test_other_roles_may_not_see_the_report(app: Any, reference_data: None) -> None:
    built = build_round(app)
    creative = _user(app, built.people["c1"])
    client = signed_in_client(app, creative)
    assert client.get("/organiser/reach").status_code == 403
    assert client.get("/organiser/reach.json").status_code == 403
    assert app.test_client().get("/organiser/reach").status_code == 302


def test_a_commissioner_counts_the_people_of_their_own_sessions(app: Any, reference_data: None) -> None:
    from matchmaker.extensions import db
    from matchmaker.models import SessionAttendee, User
    from matchmaker.reach import service
    from matchmaker.reach.report import build
    from tests.factories import UserFactory, profile_for

    built = build_round(app)
    with app.app_context():
        outsider = UserFactory(role="commissioner", name="Powys commissioner")
        profile_for(outsider, boards=("powys",))  # nobody in the round works in Powys
        db.session.add(SessionAttendee(session_id=built.sessions["S2"], user_id=outsider.id, role="commissioner"))
        db.session.commit()
        outsider_id = outsider.id
    with app.test_request_context():
        scope = service.scope_for(db.session.get(User, outsider_id), None)
        assert scope.restricted and scope.user_id == outsider_id
        report = build(scope, suppress=False)
        funnel = dict(report.table("funnel").rows)
        # S2's people: c3 and l2 (and the commissioner, who did not register): matched 3, came 1 (l2).
        assert funnel["Matched to a session"] == [3]
        assert funnel["Came"] == [1]
        assert funnel["Registered"] == [2]


def test_organiser_session_page_links_to_the_checklist_once_it_is_over(
    app: Any, reference_data: None, make_user: Any
) -> None:
    built = build_round(app)
    future = build_round(app, title="Future", days_ago=-3)
    client = signed_in_client(app, make_user("organiser"))
    over = text(client.get(f"/organiser/sessions/{built.sessions['S1']}"))
    assert f"/organiser/sessions/{built.sessions['S1']}/attendance" in over
    ahead = text(client.get(f"/organiser/sessions/{future.sessions['S1']}"))
    assert "/attendance" not in ahead
