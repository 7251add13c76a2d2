"""Closing and reopening registration: confirmation pages, reopening, and closing by itself on time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest


@pytest.fixture
def organiser(make_user, sign_in, reference_data):
    user = make_user("organiser")
    sign_in(user)
    return user


def _status(app, round_id):
    from matchmaker.extensions import db
    from matchmaker.models import Round

    with app.app_context():
        return db.session.get(Round, round_id).status.value


def test_closing_asks_first_and_a_closed_round_can_be_reopened(app, client, submit, organiser, make_round):
    round_id = make_round(status="open")
    show = client.get(f"/organiser/rounds/{round_id}").get_data(as_text=True)
    assert f'href="/organiser/rounds/{round_id}/close"' in show  # a link to a confirmation, not a one-click form
    confirm = client.get(f"/organiser/rounds/{round_id}/close")
    assert confirm.status_code == 200 and "Close registration now?" in confirm.get_data(as_text=True)
    assert _status(app, round_id) == "open"
    submit(f"/organiser/rounds/{round_id}/close", {})
    assert _status(app, round_id) == "closed"
    assert "Reopen registration?" in client.get(f"/organiser/rounds/{round_id}/reopen").get_data(as_text=True)
    done = submit(f"/organiser/rounds/{round_id}/reopen", {}, follow_redirects=True)
    assert "Registration is open again." in done.get_data(as_text=True)
    assert _status(app, round_id) == "open"


def test_a_round_whose_closing_time_has_passed_is_not_reopened(app, client, submit, organiser, make_round):
    round_id = make_round(status="closed", registration_closes_at=datetime(2026, 1, 5, 17, tzinfo=UTC))
    page = submit(f"/organiser/rounds/{round_id}/reopen", {}, follow_redirects=True).get_data(as_text=True)
    assert "Registration closing time has passed" in page
    assert _status(app, round_id) == "closed"


def test_registration_closes_by_itself_at_the_closing_time_and_the_organiser_is_told(app, make_round, outbox):
    from matchmaker.rounds.tasks import close_registration_when_due

    due = make_round(status="open", registration_closes_at=datetime(2026, 1, 5, 17, tzinfo=UTC))
    later = make_round(status="open", registration_closes_at=datetime(2099, 1, 5, 17, tzinfo=UTC))
    with app.app_context():
        assert close_registration_when_due.call_local() == 1
        assert close_registration_when_due.call_local() == 0
    assert _status(app, due) == "closed" and _status(app, later) == "open"
    told = outbox(to="rounds@example.org")
    assert len(told) == 1 and told[0].subject == "Registration has closed: Spring round"
    assert f"/organiser/rounds/{due}" in told[0].text_body


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_round_page_shows_the_registrations_link_as_a_link_not_as_html_text(
    app, client, make_user, sign_in, reference_data, make_round, language
):
    sign_in(make_user("organiser", language=language))
    round_id = make_round(status="open")
    page = client.get(f"/organiser/rounds/{round_id}").get_data(as_text=True)
    assert f'lang="{language}"' in page
    assert "&lt;a" not in page
    assert f'<a class="govuk-link" href="/organiser/rounds/{round_id}/overview">' in page
    assert f'href="/organiser/rounds/{round_id}/answers/"' in page
    assert f'href="/organiser/rounds/{round_id}/bookings"' in page
