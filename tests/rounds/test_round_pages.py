"""Organiser round pages: create, edit, status changes, permissions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.helpers import condition_ids


def _round_data(app, **overrides):
    """A complete, valid round form."""
    data = {
        "title_en": "Spring round",
        "title_cy": "Rownd y gwanwyn",
        "description_en": "Sessions in March.",
        "description_cy": "Sesiynau ym mis Mawrth.",
        "opens_on": ["1", "4", "2027"],
        "opens_at": "09:00",
        "closes_on": ["15", "4", "2027"],
        "closes_at": "5pm",
        "conditions": [str(i) for i in condition_ids(app, "stroke", "dementia")],
        "session_minutes": "90",
        "creatives_min": "3",
        "creatives_max": "6",
        "commissioners_min": "1",
        "commissioners_max": "2",
        "link_workers_min": "1",
        "link_workers_max": "3",
        "max_parallel_sessions": "4",
        "one_per_organisation": "yes",
        "organiser_mailbox": "rounds@example.org",
        "priority_no_link": "3",
        "priority_informal": "2",
        "priority_formal": "1.5",
    }
    data.update(overrides)
    return data


@pytest.fixture
def organiser(make_user, sign_in, reference_data):
    user = make_user("organiser")
    sign_in(user)
    return user


def _round(app, round_id):
    from matchmaker.extensions import db
    from matchmaker.models import Round

    with app.app_context():
        round_ = db.session.get(Round, round_id)
        return {
            "status": round_.status.value,
            "opens": round_.registration_opens_at,
            "closes": round_.registration_closes_at,
            "conditions": sorted(c.slug for c in round_.conditions),
            "title_cy": round_.title_cy,
            "priority_formal": round_.priority_formal,
            "one_per_organisation": round_.one_per_organisation,
            "slots": [(s.starts_at, s.ends_at, s.bank_holiday) for s in round_.slots],
        }


def test_organiser_creates_a_round_with_window_in_welsh_time(app, client, submit, organiser):
    response = submit("/organiser/rounds/new", _round_data(app))
    assert response.status_code == 302
    round_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    stored = _round(app, round_id)
    # 1 April 2027 is in British Summer Time: 09:00 in Wales is 08:00 UTC.
    assert stored["opens"] == datetime(2027, 4, 1, 8, 0, tzinfo=UTC)
    assert stored["closes"] == datetime(2027, 4, 15, 16, 0, tzinfo=UTC)
    assert stored["status"] == "draft"
    assert stored["conditions"] == ["dementia", "stroke"]
    assert stored["title_cy"] == "Rownd y gwanwyn"
    assert stored["priority_formal"] == 1.5
    page = client.get(f"/organiser/rounds/{round_id}").get_data(as_text=True)
    assert "9am on Thursday 1 April 2027" in page
    assert "Open for registration" in page
    edit = client.get(f"/organiser/rounds/{round_id}/edit").get_data(as_text=True)
    assert 'value="09:00"' in edit and 'value="Rownd y gwanwyn"' in edit


def test_round_closing_before_it_opens_is_refused_and_keeps_what_was_typed(app, submit, organiser):
    response = submit(
        "/organiser/rounds/new",
        _round_data(app, closes_on=["31", "3", "2027"], title_en="Typed title"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Registration must close after it opens" in page
    assert 'value="Typed title"' in page
    assert 'value="31"' in page
    assert "There is a problem" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title_cy", "", "Enter a title in Welsh"),
        ("opens_on", ["31", "2", "2027"], "The date registration opens must be a real date"),
        ("closes_at", "25:00", "Enter a time like 10:00 or 14:30"),
        ("session_minutes", "ninety", "Enter a session length between 15 and 480 minutes"),
        ("creatives_max", "2", "The most must be the same as or more than the fewest"),
        ("priority_no_link", "-1", "Enter a weight from 0 to 10"),
        ("conditions", ["999999"], "Select conditions from the list"),
        ("organiser_mailbox", "not-an-address", "Enter an email address like rounds@example.org"),
    ],
)
def test_round_form_rejects_bad_input(app, submit, organiser, field, value, message):
    response = submit("/organiser/rounds/new", _round_data(app, **{field: value}))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with app.app_context():
        from sqlalchemy import func, select

        from matchmaker.extensions import db
        from matchmaker.models import Round

        assert db.session.scalar(select(func.count()).select_from(Round)) == 0


def test_opening_needs_slots_and_conditions_then_close(app, client, submit, organiser, make_round):
    no_slots = make_round(status="draft", slots=0)
    page = submit(f"/organiser/rounds/{no_slots}/open", {}, page=f"/organiser/rounds/{no_slots}", follow_redirects=True)
    assert "Add at least one slot before opening the round." in page.get_data(as_text=True)
    assert _round(app, no_slots)["status"] == "draft"

    no_conditions = make_round(status="draft", conditions=())
    page = submit(
        f"/organiser/rounds/{no_conditions}/open", {}, page=f"/organiser/rounds/{no_conditions}", follow_redirects=True
    )
    assert "Choose at least one condition in scope" in page.get_data(as_text=True)

    ready = make_round(status="draft")
    submit(f"/organiser/rounds/{ready}/open", {}, page=f"/organiser/rounds/{ready}")
    assert _round(app, ready)["status"] == "open"
    submit(f"/organiser/rounds/{ready}/close", {}, page=f"/organiser/rounds/{ready}")
    assert _round(app, ready)["status"] == "closed"
    # Closed rounds do not reopen.
    page = submit(f"/organiser/rounds/{ready}/open", {}, page=f"/organiser/rounds/{ready}", follow_redirects=True)
    assert "Only a draft round can be opened." in page.get_data(as_text=True)
    assert _round(app, ready)["status"] == "closed"


def test_status_change_needs_csrf(app, client, organiser, make_round):
    round_id = make_round(status="draft")
    assert client.post(f"/organiser/rounds/{round_id}/open").status_code == 400
    assert _round(app, round_id)["status"] == "draft"


@pytest.mark.parametrize("role", ["creative", "commissioner", "link_worker"])
def test_only_organisers_manage_rounds(app, client, make_user, sign_in, make_round, role):
    round_id = make_round()
    sign_in(make_user(role))
    for url in (
        "/organiser/rounds/",
        f"/organiser/rounds/{round_id}",
        f"/organiser/rounds/{round_id}/overview",
        f"/organiser/rounds/{round_id}/registrations.csv",
        f"/organiser/rounds/{round_id}/slots/pattern",
    ):
        assert client.get(url).status_code == 403, url


def test_signed_out_people_are_sent_to_sign_in(client, make_round):
    round_id = make_round()
    response = client.get(f"/organiser/rounds/{round_id}")
    assert response.status_code == 302
    assert "/account/sign-in" in response.headers["Location"]


def test_unknown_round_is_404(client, organiser):
    assert client.get("/organiser/rounds/999999").status_code == 404
    assert client.get("/organiser/rounds/999999/edit").status_code == 404


def test_rounds_list_shows_round_and_status(client, organiser, make_round):
    make_round(status="open")
    page = client.get("/organiser/rounds/").get_data(as_text=True)
    assert "Spring round" in page and "Open" in page
