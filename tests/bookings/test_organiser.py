"""The organiser's bookings: the list with filters, booking on someone's behalf, the CSV export."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.bookings.support import booking_form, bookings
from tests.helpers import condition_ids


@pytest.fixture
def several(
    app: Any, commissioner: Any, open_round: int, make_user: Any, make_profile: Any, make_booking: Any
) -> dict[str, int]:
    """Three bookings in the round with different statuses, conditions, languages and boards."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import HealthBoard

    with app.app_context():
        board = db.session.scalars(select(HealthBoard).where(HealthBoard.slug == "hywel-dda")).one().id
    other = make_user("commissioner", name="Rhodri Ifans")
    make_profile(other, organisation="Bwrdd Iechyd Hywel Dda")
    return {
        "stroke": make_booking(commissioner, open_round, "stroke", language="cy", health_board_id=board),
        "dementia": make_booking(commissioner, open_round, "dementia", status="unscheduled", reason_code="slots_full"),
        "other": make_booking(other, open_round, "stroke", language="en", status="cancelled"),
        "board": board,
    }


def test_the_list_shows_every_booking_with_its_status(
    client: Any, sign_in: Any, make_user: Any, open_round: int, several: Any
) -> None:
    sign_in(make_user("organiser"))
    page = client.get(f"/organiser/rounds/{open_round}/bookings").get_data(as_text=True)
    assert "3 of 3 bookings" in page
    for text in ("Ceri Morgan", "Rhodri Ifans", "Requested", "Could not be scheduled", "Cancelled", "Cyngor Gwynedd"):
        assert text in page, text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=unscheduled", {"dementia"}),
        ("condition={stroke}", {"stroke", "other"}),
        ("language=cy", {"stroke"}),
        ("language=either", {"dementia"}),
        ("health_board={board}", {"stroke"}),
        ("status=requested&condition={stroke}", {"stroke"}),
        ("status=nonsense&health_board=abc", {"stroke", "dementia", "other"}),  # tampered filters are ignored
    ],
)
def test_filters(
    app: Any, client: Any, sign_in: Any, make_user: Any, open_round: int, several: Any, query: str, expected: set[str]
) -> None:
    sign_in(make_user("organiser"))
    query = query.format(stroke=condition_ids(app, "stroke")[0], board=several["board"])
    page = client.get(f"/organiser/rounds/{open_round}/bookings?{query}").get_data(as_text=True)
    shown = {name for name in ("stroke", "dementia", "other") if f'href="/bookings/{several[name]}"' in page}
    assert shown == expected


def test_book_on_someones_behalf(
    app: Any, client: Any, submit: Any, sign_in: Any, make_user: Any, commissioner: Any, open_round: int, outbox: Any
) -> None:
    organiser = make_user("organiser")
    sign_in(organiser)
    response = submit(f"/organiser/rounds/{open_round}/bookings/new", {"commissioner": str(commissioner.id)})
    form_url = f"/organiser/rounds/{open_round}/bookings/new/{commissioner.id}"
    assert response.headers["Location"].endswith(form_url)
    assert "You are booking for Ceri Morgan" in client.get(form_url).get_data(as_text=True)
    response = submit(form_url, booking_form(app, open_round))
    assert response.headers["Location"].endswith(f"{form_url}/check")
    response = submit(f"{form_url}/check", {})
    assert response.headers["Location"].endswith(f"/organiser/rounds/{open_round}/bookings")
    [booking] = bookings(app)
    assert booking.commissioner_id == commissioner.id and booking.requested_by_id == organiser.id
    [mail] = outbox(commissioner.email)
    assert "An organiser has requested a consultation session for you" in mail.text_body
    # The commissioner sees it as theirs.
    client.post("/account/sign-out", data={})
    client.delete_cookie("session")
    sign_in(commissioner)
    assert client.get(f"/bookings/{booking.id}").status_code == 200


def test_choose_commissioner_needs_an_answer(
    client: Any, submit: Any, sign_in: Any, make_user: Any, open_round: int
) -> None:
    sign_in(make_user("organiser"))
    html = submit(f"/organiser/rounds/{open_round}/bookings/new", {"commissioner": ""}).get_data(as_text=True)
    assert "Select the commissioner you are booking for" in html


def test_csv_export_has_a_bom_welsh_letters_and_wales_times(
    app: Any, client: Any, sign_in: Any, make_user: Any, open_round: int, several: Any
) -> None:
    from matchmaker.extensions import db
    from matchmaker.models import Booking

    with app.app_context():
        booking = db.session.get(Booking, several["stroke"])
        booking.purpose = "Gweithdai canu i bobl â strôc – Côr y Cwm"
        db.session.commit()
    sign_in(make_user("organiser"))
    response = client.get(f"/organiser/rounds/{open_round}/bookings.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[0] == "Booking" and "Slots (Wales time)" in header
    assert len(body) == 3
    first = dict(zip(header, body[0], strict=True))
    assert first["What they want to learn or discuss"] == "Gweithdai canu i bobl â strôc – Côr y Cwm"
    assert first["Health board"].startswith("Hywel Dda")
    assert first["Language"] == "Welsh" and first["Status"] == "Requested"
    assert first["Organisation"] == "Cyngor Gwynedd"
    assert first["Slots (Wales time)"] == "; ".join(f"2027-03-0{day} 10:00-11:30" for day in range(1, 5))


def test_csv_slots_are_in_summer_time_after_the_clocks_change(
    app: Any, client: Any, sign_in: Any, make_user: Any, commissioner: Any, make_round: Any, make_booking: Any
) -> None:
    from datetime import UTC, datetime, timedelta

    from matchmaker.extensions import db
    from matchmaker.models import Round, Slot

    round_id = make_round(slots=0)
    with app.app_context():
        round_ = db.session.get(Round, round_id)
        start = datetime(2027, 3, 29, 9, 0, tzinfo=UTC)  # 10:00 BST, the day after the clocks go forward
        round_.slots.append(Slot(starts_at=start, ends_at=start + timedelta(minutes=90)))
        db.session.commit()
    make_booking(commissioner, round_id)
    sign_in(make_user("organiser"))
    text = client.get(f"/organiser/rounds/{round_id}/bookings.csv").get_data().decode("utf-8-sig")
    assert "2027-03-29 10:00-11:30" in text


def test_the_welsh_csv_has_welsh_statuses_and_languages_not_codes(
    app: Any, client: Any, sign_in: Any, make_user: Any, open_round: int, several: Any
) -> None:
    organiser = make_user("organiser", language="cy")
    sign_in(organiser)
    raw = client.get(f"/organiser/rounds/{open_round}/bookings.csv").get_data()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    values = {column: {dict(zip(header, row, strict=True))[column] for row in body} for column in header}
    assert "Iaith" in header and "Statws" in header
    assert values["Statws"] == {"Cais wedi'i wneud", "Dim modd ei threfnu", "Wedi'i chanslo"}
    assert values["Iaith"] == {"Cymraeg", "Saesneg", "Naill ai Cymraeg neu Saesneg"}
    assert not values["Iaith"] & {"cy", "en", "either"} and not values["Statws"] & {"requested", "scheduled"}


def test_csv_export_neutralises_formulas_in_every_cell(
    app: Any, client: Any, sign_in: Any, make_user: Any, open_round: int, make_profile: Any, make_booking: Any
) -> None:
    attacker = make_user("commissioner", name='=HYPERLINK("http://x","y")')
    make_profile(attacker, organisation="@SUM(1+1)*cmd|' /C calc'!A0")
    booking_id = make_booking(attacker, open_round, "stroke")
    from matchmaker.extensions import db
    from matchmaker.models import Booking

    with app.app_context():
        db.session.get(Booking, booking_id).purpose = "=1+2 and -3"
        db.session.commit()
    sign_in(make_user("organiser"))
    raw = client.get(f"/organiser/rounds/{open_round}/bookings.csv").get_data().decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(raw)))
    cells = dict(zip(header, row, strict=True))
    assert cells["Commissioner"] == '\'=HYPERLINK("http://x","y")'
    assert cells["Organisation"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert cells["What they want to learn or discuss"] == "'=1+2 and -3"
    assert not [cell for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
