"""Follow-ups: sent once when due, in the person's language, one reminder; links that can be used again
until they close, and die with the account; answers kept only as anonymous counts after erasure."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from tests.accounts.support import error_summary, signed_in_client, text
from tests.helpers import csrf_token, links_in
from tests.reach.support import build_round


def _send(app: Any, days: float = 0) -> int:
    from matchmaker.followups.service import send_due
    from matchmaker.models import utcnow

    with app.app_context():
        return send_due(utcnow() + timedelta(days=days))


def _remind(app: Any, days: float) -> int:
    from matchmaker.followups.service import send_reminders
    from matchmaker.models import utcnow

    with app.app_context():
        return send_reminders(utcnow() + timedelta(days=days))


def _follow_up(app: Any, user_id: int | None = None, stage: str = "first", follow_up_id: int | None = None) -> Any:
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import FollowUp

    with app.app_context():
        if follow_up_id is not None:
            row = db.session.get(FollowUp, follow_up_id)
        else:
            row = db.session.scalar(select(FollowUp).where(FollowUp.user_id == user_id, FollowUp.stage == stage))
        if row is not None:
            db.session.expunge(row)
        return row


def _link(outbox: Any, address: str) -> str:
    messages = [m for m in outbox(to=address) if m.key.startswith("follow-up:")]
    assert messages, f"no follow-up to {address}"
    path = next(p for p in links_in(messages[-1].text_body) if p.startswith("/follow-up/"))
    return path


ANSWER = {
    "attended": "yes",
    "outcomes": ["contact_exchanged", "referral_route"],
    "note": "A good start.",
    "quote_consent": "y",
}


def test_sent_once_to_those_who_came_or_may_have(app: Any, reference_data: None, outbox: Any) -> None:
    built = build_round(app, answers=False)
    assert _send(app) == 4  # c1, c2, m1, l2: l1 was marked absent, c3 declined
    assert _send(app) == 0
    assert _follow_up(app, built.people["l1"]) is None
    assert _follow_up(app, built.people["c3"]) is None
    message = [m for m in outbox(to="autumn-c1@example.org") if m.key.startswith("follow-up:")][0]
    assert message.subject == "What has happened since your session on Stroke?"
    assert "/follow-up/" in message.text_body and "/sessions" in message.text_body


def test_in_welsh_for_welsh_speakers(app: Any, reference_data: None, outbox: Any) -> None:
    build_round(app, answers=False, language="cy")
    _send(app)
    message = [m for m in outbox(to="autumn-c1@example.org") if m.key.startswith("follow-up:")][0]
    assert "Strôc" in message.subject and "What has happened" not in message.subject


def test_not_sent_before_it_is_due(app: Any, reference_data: None) -> None:
    build_round(app, answers=False, days_ago=3)
    assert _send(app) == 0
    assert _send(app, days=5) == 4


def test_answer_from_the_link_and_use_it_again_to_change(app: Any, reference_data: None, outbox: Any) -> None:
    built = build_round(app, answers=False)
    _send(app)
    path = _link(outbox, "autumn-c2@example.org")
    client = app.test_client()
    page = text(client.get(path))
    assert "What has happened since?" in page
    assert "How many people have you referred" not in page  # link workers only
    response = client.post(path, data={"csrf_token": csrf_token(page), **ANSWER})
    assert response.status_code == 302
    first = _follow_up(app, built.people["c2"])
    assert first.outcomes == ["contact_exchanged", "referral_route"] and first.quote_consent
    page = text(client.get(path))  # the same link again: the answers are there to change
    assert "You answered on" in page and "A good start." in page
    changed = {**ANSWER, "outcomes": ["pilot_running"], "note": ""}
    assert client.post(path, data={"csrf_token": csrf_token(page), **changed}).status_code == 302
    again = _follow_up(app, built.people["c2"])
    assert again.id == first.id and again.answered_at == first.answered_at
    assert again.outcomes == ["pilot_running"] and again.note == "" and not again.quote_consent


def test_form_errors_say_what_to_fix(app: Any, reference_data: None, outbox: Any) -> None:
    build_round(app, answers=False)
    _send(app)
    path = _link(outbox, "autumn-l2@example.org")
    client = app.test_client()
    page = text(client.get(path))
    assert "How many people have you referred" in page
    bad = {"attended": "", "outcomes": ["nothing_yet", "pilot_running"], "referrals": "lots", "note": "x" * 1001}
    errors = error_summary(text(client.post(path, data={"csrf_token": csrf_token(page), **bad})))
    assert errors["attended"] == "Select whether you came to the session"
    assert errors["outcomes"] == "'Nothing yet' and 'Not relevant for us' cannot be chosen with anything else"
    assert errors["referrals"] == "Enter the number of people as a whole number, like 3"
    assert errors["note"] == "Your note must be 1,000 characters or fewer"


def test_links_expire_and_tampered_links_fail(app: Any, reference_data: None, outbox: Any) -> None:
    from matchmaker.extensions import db
    from matchmaker.models import FollowUp, utcnow

    built = build_round(app, answers=False)
    _send(app)
    path = _link(outbox, "autumn-c1@example.org")
    client = app.test_client()
    assert client.get(path).status_code == 200
    assert client.get(path[:-3] + "abc").status_code == 404
    follow_up = _follow_up(app, built.people["c1"])
    with app.app_context():
        db.session.get(FollowUp, follow_up.id).closes_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = client.get(path)
    assert response.status_code == 410
    assert "This follow-up has closed" in text(response)
    page_token = csrf_token(text(client.get("/account/sign-in")))
    assert client.post(path, data={"csrf_token": page_token, **ANSWER}).status_code == 410


def test_the_first_stays_open_until_the_second_is_due(app: Any, reference_data: None) -> None:
    from matchmaker.models import Slot  # noqa: F401

    built = build_round(app, answers=False)
    _send(app)
    first = _follow_up(app, built.people["c1"])
    with app.app_context():
        from matchmaker.extensions import db
        from matchmaker.models import ConsultationSession

        session = db.session.get(ConsultationSession, built.sessions["S1"])
        assert first.closes_at == session.ends_at + timedelta(days=182)
    assert _send(app, days=182 - 8 + 1) == 4  # the second, to those who came (c1, c2, m1, l2)
    second = _follow_up(app, built.people["c1"], stage="second")
    assert second is not None and second.closes_at > first.closes_at


def test_one_reminder_and_none_once_answered(app: Any, reference_data: None, outbox: Any) -> None:
    built = build_round(app, answers=False)
    _send(app)
    path = _link(outbox, "autumn-c1@example.org")
    client = app.test_client()
    page = text(client.get(path))
    client.post(path, data={"csrf_token": csrf_token(page), **ANSWER})
    assert _remind(app, days=3) == 0  # not yet
    assert _remind(app, days=8) == 3  # c2, m1, l2: c1 has answered
    assert _remind(app, days=20) == 0  # one reminder each
    reminders = [m for m in outbox() if m.key.endswith(":reminder")]
    assert len(reminders) == 3 and all(m.subject.startswith("Reminder:") for m in reminders)
    assert _follow_up(app, built.people["c1"]).reminded_at is None


def test_from_my_sessions(app: Any, reference_data: None) -> None:
    from matchmaker.extensions import db
    from matchmaker.models import User

    built = build_round(app, answers=False)
    _send(app)
    with app.app_context():
        user = db.session.get(User, built.people["m1"])
        db.session.expunge(user)
    client = signed_in_client(app, user)
    page = text(client.get("/sessions"))
    assert "Answer the follow-up" in page
    path = f"/sessions/{built.sessions['S1']}/follow-up"
    form = text(client.get(path))
    assert "Do you plan to commission" in form
    data = {"attended": "yes", "outcomes": ["commissioned"], "funded_amount": "£5,000", "plans_to_commission": "yes"}
    response = client.post(path, data={"csrf_token": csrf_token(form), **data})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#session-{built.sessions['S1']}")
    saved = _follow_up(app, built.people["m1"])
    assert saved.funded_amount == 5000 and saved.plans_to_commission == "yes"
    assert "Change your follow-up answers" in text(client.get("/sessions"))
    assert client.get(f"/sessions/{built.sessions['S2']}/follow-up").status_code == 404  # not theirs


def test_own_word_on_attendance_never_overrides_the_organiser(app: Any, reference_data: None, outbox: Any) -> None:
    from matchmaker.attendance.service import came
    from matchmaker.extensions import db
    from matchmaker.models import AttendanceMark

    built = build_round(app, answers=False)
    with app.app_context():  # c2 unmarked: their own answer counts
        db.session.query(AttendanceMark).filter_by(user_id=built.people["c2"]).delete()
        db.session.commit()
    _send(app)
    for key, attended in (("c2", "no"), ("c1", "no")):
        path = _link(outbox, f"autumn-{key}@example.org")
        client = app.test_client()
        page = text(client.get(path))
        client.post(path, data={"csrf_token": csrf_token(page), **ANSWER, "attended": attended})
    with app.app_context():
        assert came(built.sessions["S1"], built.people["c2"]) is False  # self-reported
        assert came(built.sessions["S1"], built.people["c1"]) is True  # the organiser's mark stands


def test_erasure_keeps_only_anonymous_counts(app: Any, reference_data: None, outbox: Any) -> None:
    from matchmaker.accounts.service import erase
    from matchmaker.extensions import db
    from matchmaker.models import User
    from matchmaker.reach.queries import Scope
    from matchmaker.reach.report import build

    built = build_round(app, answers=False)
    _send(app)
    path = _link(outbox, "autumn-c1@example.org")
    client = app.test_client()
    client.post(path, data={"csrf_token": csrf_token(text(client.get(path))), **ANSWER})
    answered = _follow_up(app, built.people["c1"])
    with app.app_context():
        erase(db.session.get(User, built.people["c1"]))
        erase(db.session.get(User, built.people["c2"]))  # never answered: nothing kept
        db.session.commit()
    kept = _follow_up(app, follow_up_id=answered.id)
    assert kept.user_id is None and kept.note == "" and not kept.quote_consent
    assert kept.outcomes == ["contact_exchanged", "referral_route"]
    assert _follow_up(app, built.people["c2"]) is None
    assert app.test_client().get(path).status_code == 404  # the link died with the account
    with app.test_request_context():
        report = build(Scope(), suppress=False)
        funnel = dict(report.table("funnel").rows)
        assert funnel["Answered a follow-up"] == [1] and funnel["Reported a pathway, pilot or commission"] == [1]
        assert funnel["Came"] == [4]  # attendance stays on the anonymised account


def test_a_closed_account_stops_its_follow_ups(app: Any, reference_data: None, outbox: Any) -> None:
    from matchmaker.accounts.service import deactivate
    from matchmaker.extensions import db
    from matchmaker.models import User

    built = build_round(app, answers=False)
    _send(app)
    path = _link(outbox, "autumn-l2@example.org")
    with app.app_context():
        deactivate(db.session.get(User, built.people["l2"]))
        db.session.commit()
    response = app.test_client().get(path)
    assert response.status_code in (404, 410)
    assert _remind(app, days=8) == 3  # c1, c2, m1 only


def test_in_download_my_data(app: Any, reference_data: None) -> None:
    from matchmaker.accounts.service import export_data
    from matchmaker.extensions import db
    from matchmaker.models import User

    built = build_round(app)
    with app.app_context():
        data = export_data(db.session.get(User, built.people["l2"]))
    assert data["follow_ups"][0]["outcomes"] == ["pilot_running"] and data["follow_ups"][0]["referrals"] == 3
    assert data["attendance"] == [
        {
            "session": built.sessions["S2"],
            "attended": True,
            "source": "organiser",
            "marked_at": data["attendance"][0]["marked_at"],
        }
    ]


def test_the_second_starts_from_the_first_answer(app: Any, reference_data: None, outbox: Any) -> None:
    from tests.accounts.support import checked_value

    build_round(app, answers=False)
    _send(app)
    first = _link(outbox, "autumn-c1@example.org")
    client = app.test_client()
    client.post(first, data={"csrf_token": csrf_token(text(client.get(first))), **ANSWER})
    assert _send(app, days=182 - 8 + 1) == 4
    second = _link(outbox, "autumn-c1@example.org")
    assert second != first
    message = [m for m in outbox(to="autumn-c1@example.org") if m.key.startswith("follow-up:")][-1]
    assert message.subject == "Six months on: what has happened since your session on Stroke?"
    page = text(client.get(second))
    assert "Six months on: what has happened since?" in page
    assert checked_value(page, "attended") == "yes"
    ticked = {
        value
        for tag in re.findall(r'<input[^>]*name="outcomes"[^>]*>', page)
        if " checked" in tag
        for value in re.findall(r'value="([^"]+)"', tag)
    }
    assert ticked == {"contact_exchanged", "referral_route"}
    assert "A good start." not in page  # the note is asked afresh
