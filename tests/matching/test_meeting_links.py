"""Meeting links for many sessions at once: one form, errors kept per session, attendees told once."""

from __future__ import annotations

import pytest


@pytest.fixture
def sessions(app, published_round):
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import ConsultationSession

    with app.app_context():
        return list(db.session.scalars(select(ConsultationSession.id).order_by(ConsultationSession.id)))


def test_links_for_many_sessions_are_checked_kept_and_sent(
    app, client, submit, seeded, sessions, organiser, sign_in, outbox
):
    from matchmaker.extensions import db
    from matchmaker.models import ConsultationSession

    assert len(sessions) >= 2
    sign_in(organiser)
    page = f"/organiser/rounds/{seeded.round_id}/meeting-links"
    html = client.get(page).get_data(as_text=True)
    assert all(f'name="link_{s}"' in html for s in sessions)
    first, second = sessions[0], sessions[1]
    bad = submit(page, {f"link_{first}": "https://teams.example.org/a", f"link_{second}": "not a link"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "govuk-error-summary" in text
    assert "Enter a full meeting link starting with https://" in text and 'value="https://teams.example.org/a"' in text
    before = len(outbox())
    with app.app_context():
        invited = [a.user_id for a in db.session.get(ConsultationSession, first).attendees if a.is_current]
    done = submit(page, {f"link_{first}": "https://teams.example.org/a", f"link_{second}": ""}, follow_redirects=True)
    assert "1 meeting link saved." in done.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(ConsultationSession, first).join_url_override == "https://teams.example.org/a"
        assert db.session.get(ConsultationSession, second).join_url_override == ""
    sent = outbox()[before:]
    assert sorted(m.user_id for m in sent) == sorted(invited)  # only the changed session's people, once each
    again = submit(page, {f"link_{first}": "https://teams.example.org/a"}, follow_redirects=True)
    assert "No meeting link changed." in again.get_data(as_text=True) and len(outbox()) == before + len(sent)
