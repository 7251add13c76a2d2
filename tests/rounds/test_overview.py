"""The organiser overview: counts, filters, warnings and the CSV export."""

from __future__ import annotations

import csv
import io

import pytest


@pytest.fixture
def organiser(make_user, sign_in, reference_data):
    user = make_user("organiser")
    sign_in(user)
    return user


@pytest.fixture
def stroke_round(make_user, make_profile, make_registration, make_round):
    """Stroke: four creatives (one Welsh-named org), a commissioner at another slot, a Welsh link worker."""
    round_id = make_round(conditions=("stroke", "dementia"))
    for index, (name, org, languages, board) in enumerate(
        [
            ("Siân Llŷr", "Cân a Chôr Ceredigion", ("cy", "en"), "hywel-dda"),
            ("Aled Rhys", "Dawns Dyfed", ("en",), "hywel-dda"),
            ("Mair Owen", "Lliw a Llun", ("en", "bsl"), "cardiff-vale"),
            ("Tom Price", "Art Space Gwent", ("en",), "aneurin-bevan"),
        ]
    ):
        user = make_user("creative", name=name)
        make_profile(user, conditions=("stroke",), languages=languages, boards=(board,), organisation=org)
        make_registration(user, round_id, {"stroke": 3 - index % 3}, slot_indexes=(0, 1))
    commissioner = make_user("commissioner", name="Rhiannon Beynon")
    make_profile(commissioner, conditions=("stroke", "dementia"), boards=("hywel-dda",))
    make_registration(commissioner, round_id, {"stroke": 3, "dementia": 1}, slot_indexes=(2,))
    worker = make_user("link_worker", name="Dafydd Llwyd")
    make_profile(worker, conditions=("stroke",), languages=("cy", "en"), boards=("hywel-dda",))
    make_registration(worker, round_id, {"stroke": 2}, slot_indexes=(0, 2))
    return round_id


def test_overview_counts_and_warnings(client, organiser, stroke_round):
    page = client.get(f"/organiser/rounds/{stroke_round}/overview").get_data(as_text=True)
    assert "6 people have registered." in page
    assert "Stroke: 4 creative professionals, but no commissioner is free at any of their slots" in page
    assert "Dementia: commissioners or link workers registered, but no creative professional" in page
    # By condition: Stroke row has 4 creatives, 1 commissioner, 1 link worker.
    assert '<th scope="row" class="govuk-table__header">Stroke</th>' in page
    stroke_row = page.split('<th scope="row" class="govuk-table__header">Stroke</th>')[1].split("</tr>")[0]
    assert [c.split(">")[1] for c in stroke_row.split("<td")[1:]] == ["4</td", "1</td", "1</td"]
    assert "Cân a Chôr Ceredigion" in page


def test_overview_filters(client, organiser, stroke_round, app):
    from tests.helpers import condition_ids

    (dementia,) = condition_ids(app, "dementia")
    page = client.get(f"/organiser/rounds/{stroke_round}/overview?language=cy").get_data(as_text=True)
    assert "2 registrations match the filters." in page
    assert "Siân Llŷr" in page and "Dafydd Llwyd" in page and "Aled Rhys" not in page
    page = client.get(f"/organiser/rounds/{stroke_round}/overview?role=creative").get_data(as_text=True)
    assert "4 registrations match the filters." in page
    page = client.get(f"/organiser/rounds/{stroke_round}/overview?role=creative&health_board=999").get_data(
        as_text=True
    )
    assert "0 registrations match the filters." in page and "No registrations match." in page
    page = client.get(f"/organiser/rounds/{stroke_round}/overview?condition={dementia}").get_data(as_text=True)
    assert "1 registration matches the filters." in page and "Rhiannon Beynon" in page
    page = client.get(f"/organiser/rounds/{stroke_round}/overview?role=<script>&condition=x").get_data(as_text=True)
    assert "6 people have registered." in page and "match the filters" not in page


def test_csv_export_opens_in_excel_with_welsh_letters(client, organiser, stroke_round):
    response = client.get(f"/organiser/rounds/{stroke_round}/registrations.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"))))
    assert len(rows) == 6
    sian = next(r for r in rows if r["Name"] == "Siân Llŷr")
    assert sian["Organisation"] == "Cân a Chôr Ceredigion"
    assert sian["Role"] == "Creative professional"
    assert sian["Conditions and strength (1 to 3)"] == "Stroke (3)"
    assert sian["Slots (time in Wales)"] == "2027-03-01 10:00; 2027-03-02 10:00"
    assert sian["Languages"] == "Welsh; English"
    assert sian["Health boards"] == "Hywel Dda University Health Board"
    rhiannon = next(r for r in rows if r["Name"] == "Rhiannon Beynon")
    assert rhiannon["Conditions and strength (1 to 3)"] == "Dementia (1); Stroke (3)"
    assert rhiannon["Organisation"] == "Cardiff Council"


def test_csv_slots_in_summer_time_are_local(
    client, organiser, make_round, make_user, make_profile, make_registration, app
):
    from datetime import UTC, datetime, timedelta

    from matchmaker.extensions import db
    from matchmaker.models import Round, Slot

    round_id = make_round(slots=0)
    with app.app_context():
        round_ = db.session.get(Round, round_id)
        start = datetime(2027, 3, 29, 9, tzinfo=UTC)  # 10:00 in Wales, British Summer Time
        round_.slots.append(Slot(starts_at=start, ends_at=start + timedelta(minutes=90), bank_holiday="Easter Monday"))
        db.session.commit()
    user = make_user("creative")
    make_profile(user)
    make_registration(user, round_id, {"stroke": 1})
    raw = client.get(f"/organiser/rounds/{round_id}/registrations.csv").get_data()
    (row,) = list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"))))
    assert row["Slots (time in Wales)"] == "2027-03-29 10:00"


def test_csv_export_neutralises_formulas(client, organiser, make_round, make_user, make_profile, make_registration):
    round_id = make_round(conditions=("stroke",))
    worker = make_user("link_worker", name="+cmd|' /C calc'!A0")
    make_profile(worker, conditions=("stroke",), organisation="@employer")
    make_registration(worker, round_id, {"stroke": 2})
    raw = client.get(f"/organiser/rounds/{round_id}/registrations.csv").get_data()
    (row,) = list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"))))
    assert row["Name"] == "'+cmd|' /C calc'!A0"
    assert row["Organisation"] == "'@employer"


def test_listing_facts_agree_with_the_profile_facts(app, stroke_round):
    """The overview's column-read facts say what the profile objects say, for every role."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import Registration, User
    from matchmaker.profiles.service import facts_for_users, listing_facts

    with app.app_context():
        users = list(
            db.session.scalars(
                select(User)
                .join(Registration, Registration.user_id == User.id)
                .where(Registration.round_id == stroke_round)
            )
        )
        full = facts_for_users(users)
        light = listing_facts([(u.id, u.role) for u in users])
        assert {u.role.value for u in users} == {"creative", "commissioner", "link_worker"}
        assert set(light) == set(full)
        for user_id, fact in full.items():
            got = light[user_id]
            assert (got.languages, got.organisation, got.organisation_key, got.kind, got.kind_group) == (
                fact.languages,
                fact.organisation,
                fact.organisation_key,
                fact.kind,
                fact.kind_group,
            )
            assert [b.id for b in got.health_boards] == [b.id for b in fact.health_boards]
            assert got.condition_ids == []
