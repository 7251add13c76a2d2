"""Slots: patterns (with the clock changes and bank holidays), one-by-one edits, bad input."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from matchmaker.rounds.slots import (
    MissingLocalTime,
    TimeFormatError,
    bank_holiday,
    local_to_utc,
    parse_times,
    pattern_slots,
)
from tests.helpers import slot_ids


def test_parse_times_reads_common_forms():
    assert parse_times("10:00, 11:00, 14:00") == [time(10), time(11), time(14)]
    assert parse_times("2pm; 9.30\n10am, 10:00") == [time(9, 30), time(10), time(14)]
    assert parse_times("12pm, 12am, 2yh") == [time(0), time(12), time(14)]
    with pytest.raises(TimeFormatError) as error:
        parse_times("10:00, teatime")
    assert error.value.text == "teatime"
    with pytest.raises(TimeFormatError):
        parse_times("24:00")


def test_local_to_utc_across_both_clock_changes_of_2027():
    # Last Sunday of March 2027 is the 28th; last Sunday of October is the 31st.
    assert local_to_utc(date(2027, 3, 26), time(10)) == datetime(2027, 3, 26, 10, tzinfo=UTC)
    assert local_to_utc(date(2027, 3, 29), time(10)) == datetime(2027, 3, 29, 9, tzinfo=UTC)
    assert local_to_utc(date(2027, 10, 29), time(10)) == datetime(2027, 10, 29, 9, tzinfo=UTC)
    assert local_to_utc(date(2027, 11, 1), time(10)) == datetime(2027, 11, 1, 10, tzinfo=UTC)
    with pytest.raises(MissingLocalTime):
        local_to_utc(date(2027, 3, 28), time(1, 30))


def test_pattern_spanning_both_clock_changes_keeps_local_times():
    planned = pattern_slots(date(2027, 3, 22), date(2027, 11, 5), ["mon"], [time(10)], 90)
    by_day = {p.starts_at.date(): p for p in planned}
    assert by_day[date(2027, 3, 22)].starts_at == datetime(2027, 3, 22, 10, tzinfo=UTC)  # GMT
    assert by_day[date(2027, 3, 29)].starts_at == datetime(2027, 3, 29, 9, tzinfo=UTC)  # BST
    assert by_day[date(2027, 3, 29)].ends_at == datetime(2027, 3, 29, 10, 30, tzinfo=UTC)
    assert by_day[date(2027, 10, 25)].starts_at == datetime(2027, 10, 25, 9, tzinfo=UTC)  # BST
    assert by_day[date(2027, 11, 1)].starts_at == datetime(2027, 11, 1, 10, tzinfo=UTC)  # GMT again
    assert by_day[date(2027, 3, 29)].bank_holiday == "Easter Monday"
    assert by_day[date(2027, 5, 3)].bank_holiday == "May Day"
    assert by_day[date(2027, 3, 22)].bank_holiday == ""
    assert len(planned) == 33


def test_bank_holidays_of_england_and_wales():
    assert bank_holiday(date(2027, 8, 30)) == "Late Summer Bank Holiday"  # not Scotland's August date
    assert bank_holiday(date(2027, 12, 28)) == "Boxing Day (observed)"
    assert bank_holiday(date(2027, 3, 17)) == ""  # St Patrick's Day is Northern Ireland's only


@pytest.fixture
def organiser(make_user, sign_in, reference_data):
    user = make_user("organiser")
    sign_in(user)
    return user


def _slots(app, round_id):
    from matchmaker.extensions import db
    from matchmaker.models import Round

    with app.app_context():
        return [(s.starts_at, s.ends_at, s.bank_holiday) for s in db.session.get(Round, round_id).slots]


PATTERN = {
    "first_day": ["26", "3", "2027"],
    "last_day": ["2", "11", "2027"],
    "weekdays": ["mon"],
    "start_times": "10:00",
    "minutes": "90",
}


def test_clock_change_round_previewed_then_saved(app, client, submit, organiser, make_round):
    round_id = make_round(status="draft", slots=0)
    url = f"/organiser/rounds/{round_id}/slots/pattern"
    preview = submit(url, PATTERN)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "32 slots will be added" in page
    assert "Monday 29 March 2027" in page and "Bank holiday: Easter Monday" in page
    assert "10am to 11:30am" in page
    assert _slots(app, round_id) == []  # nothing saved by a preview

    saved = submit(url, {**PATTERN, "confirm": "yes"})
    assert saved.status_code == 302
    slots = _slots(app, round_id)
    assert len(slots) == 32
    starts = {s[0].date(): s for s in slots}
    assert starts[date(2027, 3, 29)][0] == datetime(2027, 3, 29, 9, tzinfo=UTC)
    assert starts[date(2027, 3, 29)][2] == "Easter Monday"
    assert starts[date(2027, 11, 1)][0] == datetime(2027, 11, 1, 10, tzinfo=UTC)
    round_page = client.get(f"/organiser/rounds/{round_id}").get_data(as_text=True)
    assert "Monday 29 March 2027" in round_page and "Monday 1 November 2027" in round_page
    assert round_page.count("10am to 11:30am") == 32

    # The same pattern again adds nothing twice.
    again = submit(url, {**PATTERN, "confirm": "yes"}, follow_redirects=True)
    assert "0 slots added. 32 were already there" in again.get_data(as_text=True)
    assert len(_slots(app, round_id)) == 32


def test_several_start_times_make_overlapping_slots(app, submit, organiser, make_round):
    round_id = make_round(status="draft", slots=0)
    submit(
        f"/organiser/rounds/{round_id}/slots/pattern",
        {
            "first_day": ["1", "3", "2027"],
            "last_day": ["5", "3", "2027"],
            "weekdays": ["mon", "wed"],
            "start_times": "10:00, 11:00, 14:00",
            "minutes": "90",
            "confirm": "yes",
        },
    )
    slots = _slots(app, round_id)
    assert len(slots) == 6
    assert slots[0][1] > slots[1][0]  # 10:00-11:30 overlaps 11:00-12:30


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"weekdays": ["sat"], "first_day": ["1", "3", "2027"], "last_day": ["5", "3", "2027"]},
            "None of the chosen weekdays falls between the first and last day",
        ),
        (
            {"first_day": ["5", "3", "2027"], "last_day": ["1", "3", "2027"]},
            "The last day must be the same as or after the first day",
        ),
        ({"weekdays": ["mon", "someday"]}, "Select weekdays from the list"),
        ({"weekdays": []}, "Select at least one weekday"),
        ({"start_times": "10:00, half ten"}, "&#39;half ten&#39; is not a time"),
        ({"start_times": ""}, "Enter at least one start time"),
        ({"first_day": ["30", "2", "2027"]}, "The first day must be a real date"),
        ({"minutes": "0"}, "Enter a length between 15 and 480 minutes"),
    ],
)
def test_bad_patterns_say_how_to_fix_and_keep_what_was_typed(app, submit, organiser, make_round, change, message):
    round_id = make_round(status="draft", slots=0)
    data = {**PATTERN, "start_times": "10:00, 14:30", **change, "confirm": "yes"}
    response = submit(f"/organiser/rounds/{round_id}/slots/pattern", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert "There is a problem" in page
    typed = data["start_times"]
    assert f'value="{typed}"' in page.replace("&#39;", "'") or typed == ""
    assert _slots(app, round_id) == []


def test_slots_edited_one_by_one(app, client, submit, organiser, make_round):
    round_id = make_round(status="draft", slots=2)
    first, second = slot_ids(app, round_id)
    page = client.get(f"/organiser/rounds/{round_id}/slots/{first}").get_data(as_text=True)
    assert 'value="10:00"' in page and 'value="90"' in page and 'value="2027"' in page

    # Move the first slot to 2pm on Good Friday (a bank holiday).
    response = submit(
        f"/organiser/rounds/{round_id}/slots/{first}",
        {"day": ["26", "3", "2027"], "starts": "14:00", "minutes": "60"},
    )
    assert response.status_code == 302
    # Add one in summer time.
    submit(f"/organiser/rounds/{round_id}/slots/new", {"day": ["6", "4", "2027"], "starts": "2:30pm", "minutes": "90"})
    # Delete the second.
    submit(
        f"/organiser/rounds/{round_id}/slots/{second}/delete", {}, page=f"/organiser/rounds/{round_id}/slots/{second}"
    )
    assert _slots(app, round_id) == [
        (datetime(2027, 3, 26, 14, tzinfo=UTC), datetime(2027, 3, 26, 15, tzinfo=UTC), "Good Friday"),
        (datetime(2027, 4, 6, 13, 30, tzinfo=UTC), datetime(2027, 4, 6, 15, tzinfo=UTC), ""),
    ]


def test_slot_form_bad_input(app, submit, organiser, make_round):
    round_id = make_round(status="draft", slots=0)
    response = submit(
        f"/organiser/rounds/{round_id}/slots/new", {"day": ["", "", ""], "starts": "noon", "minutes": "90"}
    )
    page = response.get_data(as_text=True)
    assert "Enter the date of the slot" in page and "Enter a time like 10:00 or 14:30" in page
    response = submit(
        f"/organiser/rounds/{round_id}/slots/new", {"day": ["28", "3", "2027"], "starts": "01:30", "minutes": "90"}
    )
    assert "That time does not exist on that day" in response.get_data(as_text=True)
    assert _slots(app, round_id) == []


def test_another_rounds_slot_is_404(app, client, submit, organiser, make_round):
    mine = make_round(status="draft", slots=1)
    other = make_round(status="draft", slots=1)
    (other_slot,) = slot_ids(app, other)
    assert client.get(f"/organiser/rounds/{mine}/slots/{other_slot}").status_code == 404
    response = submit(f"/organiser/rounds/{mine}/slots/{other_slot}/delete", {}, page=f"/organiser/rounds/{mine}")
    assert response.status_code == 404
    assert len(_slots(app, other)) == 1
