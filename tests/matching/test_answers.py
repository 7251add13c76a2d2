"""The round's answers page, short sessions on it and on the round page, and declines told to the organiser."""

from __future__ import annotations

import re
from datetime import timedelta


def _rows(html):
    return re.findall(r'data-label="Name">([^<]+)</td>', html)


def test_the_answers_page_shows_every_answer_and_filters(
    app, client, seeded, published_round, decline, organiser, sign_in
):
    name, _session = decline()
    sign_in(organiser)
    base = f"/organiser/rounds/{seeded.round_id}/answers/"
    html = client.get(base).get_data(as_text=True)
    everyone = _rows(html)
    assert name in everyone and len(everyone) >= 11
    assert re.search(r"Cannot come\s*</dt>\s*<dd[^>]*>\s*<a[^>]*>1</a>", html)
    declined = _rows(client.get(base + "?answer=declined").get_data(as_text=True))
    assert declined == [name]
    waiting = _rows(client.get(base + "?answer=waiting").get_data(as_text=True))
    assert name not in waiting and len(waiting) == len(everyone) - 1
    assert _rows(client.get(base + "?condition=dementia").get_data(as_text=True)) == []
    assert client.get(base + "?answer=nonsense").status_code == 200  # an unknown filter shows everything


def test_a_session_short_after_a_decline_is_flagged_on_the_answers_and_round_pages(
    app, client, seeded, published_round, decline, organiser, sign_in
):
    from matchmaker.extensions import db
    from matchmaker.models import ConsultationSession

    with app.app_context():  # the first session's link workers all decline: below the minimum of one
        count = sum(
            1
            for a in db.session.query(ConsultationSession).order_by(ConsultationSession.id).first().attendees
            if a.role == "link_worker"
        )
    for _ in range(count):
        _name, first = decline("link_worker")
    sign_in(organiser)
    answers = client.get(f"/organiser/rounds/{seeded.round_id}/answers/").get_data(as_text=True)
    assert "Sessions below their minimum" in answers and f"/organiser/sessions/{first}" in answers
    assert "Link worker" in answers.split('id="short"')[1].split("</ul>")[0]
    show = client.get(f"/organiser/rounds/{seeded.round_id}").get_data(as_text=True)
    assert "1 published session has too few people after declines." in show


def test_a_decline_is_emailed_to_the_organiser_mailbox_at_once(app, seeded, published_round, decline, outbox):
    before = len(outbox(to="rounds@example.org"))
    name, _session = decline()
    told = outbox(to="rounds@example.org")[before:]
    assert len(told) == 1 and told[0].subject == f"Cannot come: {name}"
    assert f"/organiser/rounds/{seeded.round_id}/answers/" in told[0].text_body


def test_with_the_daily_digest_declines_come_in_one_email_a_day(
    app, client, submit, seeded, published_round, decline, outbox, organiser, sign_in
):
    from matchmaker.answers.service import send_digests
    from matchmaker.models import utcnow

    sign_in(organiser)
    page = f"/organiser/rounds/{seeded.round_id}/answers/"
    assert submit(f"{page}digest", {"digest": "daily"}, page=page).status_code == 302
    before = len(outbox(to="rounds@example.org"))
    first, _ = decline()
    second, _ = decline()
    assert len(outbox(to="rounds@example.org")) == before  # nothing at once
    with app.app_context():
        now = utcnow() + timedelta(minutes=1)
        assert send_digests(now) == 1
        assert send_digests(now) == 1  # same day again: the same key, no second email
        assert send_digests(now + timedelta(days=2)) == 0  # nothing declined in that day
    told = outbox(to="rounds@example.org")[before:]
    assert len(told) == 1 and told[0].subject.startswith("2 people cannot come")
    assert first in told[0].text_body and second in told[0].text_body


def test_the_answers_page_is_for_organisers_only(app, client, seeded, make_user, sign_in):
    sign_in(make_user("creative", email="nosy@example.org"))
    assert client.get(f"/organiser/rounds/{seeded.round_id}/answers/").status_code in (403, 404)


def test_the_published_sessions_export_lists_everyone_invited_with_their_answer(
    app, client, seeded, published_round, decline, organiser, sign_in
):
    import csv
    import io

    name, session_id = decline()
    sign_in(organiser)
    response = client.get(f"/organiser/rounds/{seeded.round_id}/answers/sessions.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Session", "Condition", "Starts (time in Wales)"]
    mine = next(r for r in rows[1:] if r[6] == name)
    assert mine[0] == str(session_id) and mine[1] == "Stroke" and mine[9] == "Cannot come"
    assert mine[2] == "2027-03-01 10:00" and mine[5] == "Going ahead"  # 10:00 UTC is 10:00 in Wales in March
    assert sum(1 for r in rows[1:] if r[9] == "Not answered yet") == len(rows) - 2
