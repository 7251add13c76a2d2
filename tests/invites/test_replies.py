"""Answers given in calendar apps: iTIP REPLY emails read from a pipe (`flask mail receive`) and from a real
IMAP server on loopback (pymap), applied exactly like the on-site answer, or kept for the Replies page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from tests.helpers import csrf_token
from tests.invites import replies
from tests.invites.imap_server import open_mailbox


@pytest.fixture
def invited(
    app: Any, people: dict[str, Any], make_session: Callable[..., int], in_app: Callable[..., Any]
) -> dict[str, Any]:
    """A published session with Tom (creative), Priya and Gareth; its id and UID."""
    from matchmaker.invites import service

    session_id = make_session(
        [(people["tom"], "creative"), (people["priya"], "commissioner"), (people["gareth"], "link_worker")],
        round_fields={"creatives_min": 1, "creatives_max": 1},
    )
    in_app(session_id, service.session_published)
    return {"session_id": session_id, "uid": in_app(session_id, lambda s: s.uid)}


def _tom(app: Any, session_id: int, people: dict[str, Any]) -> tuple[str, bool]:
    """Tom's (PARTSTAT, holds a place)."""
    from matchmaker.extensions import db
    from matchmaker.models import SessionAttendee

    with app.app_context():
        row = db.session.scalar(
            select(SessionAttendee).where(
                SessionAttendee.session_id == session_id, SessionAttendee.user_id == people["tom"].id
            )
        )
        return row.partstat.value, row.is_current


def _inbound(app: Any) -> list[tuple[str, str]]:
    """(status, reason code) of every email received, oldest first."""
    from matchmaker.extensions import db
    from matchmaker.models import InboundMessage

    with app.app_context():
        return [
            (m.status.value, m.reason_code)
            for m in db.session.scalars(select(InboundMessage).order_by(InboundMessage.id))
        ]


def _receive(runner: Any, raw: bytes) -> Any:
    """`flask mail receive` with the message on standard input."""
    return runner.invoke(args=["mail", "receive"], input=raw)


@pytest.mark.parametrize("client", sorted(replies.CLIENTS))
def test_a_decline_from_each_calendar_app_counts_like_the_site(
    app: Any, runner: Any, people: dict[str, Any], invited: dict[str, Any], outbox: Any, client: str
) -> None:
    from matchmaker.extensions import db
    from matchmaker.invites.service import excluded_pairs
    from matchmaker.models import ConsultationSession, SessionPlace

    raw = replies.CLIENTS[client](invited["uid"], "tom@example.org", "DECLINED")
    result = _receive(runner, raw)
    assert result.exit_code == 0, result.output
    assert "applied" in result.output and "DECLINED recorded for tom@example.org" in result.output
    assert _tom(app, invited["session_id"], people) == ("DECLINED", False)
    with app.app_context():
        taken = db.session.scalar(
            select(SessionPlace.taken).where(
                SessionPlace.session_id == invited["session_id"], SessionPlace.role == "creative"
            )
        )
        assert taken == 0  # the place is free for the refill
        round_id = db.session.get(ConsultationSession, invited["session_id"]).round_id
        assert (people["tom"].id, invited["session_id"]) in excluded_pairs(round_id)[0]  # not again
    tom_mail = outbox("tom@example.org")
    assert tom_mail[-1].calendar_method == "CANCEL"  # out of his calendar, as on the site
    notice = outbox("rounds@example.org")
    assert len(notice) == 1 and "They answered in their calendar app." in notice[0].text_body

    again = _receive(runner, raw)  # the same message twice changes nothing
    assert again.exit_code == 0 and "seen before" in again.output
    assert len(outbox("tom@example.org")) == len(tom_mail) and len(outbox("rounds@example.org")) == 1


@pytest.mark.parametrize("partstat", ["ACCEPTED", "TENTATIVE"])
def test_accepted_and_tentative_are_recorded(
    app: Any, runner: Any, people: dict[str, Any], invited: dict[str, Any], partstat: str
) -> None:
    result = _receive(runner, replies.thunderbird(invited["uid"], "tom@example.org", partstat))
    assert result.exit_code == 0 and "applied" in result.output
    assert _tom(app, invited["session_id"], people) == (partstat, True)


def test_forged_stale_unknown_counter_and_plain_emails_are_not_applied(
    app: Any,
    runner: Any,
    client: Any,
    people: dict[str, Any],
    invited: dict[str, Any],
    in_app: Callable[..., Any],
    outbox: Any,
    make_user: Callable[..., Any],
    sign_in: Callable[..., Any],
) -> None:
    from matchmaker.invites import service

    uid = invited["uid"]
    # Forged: From someone else, answering for Tom.
    forged = replies.gmail(uid, "tom@example.org", "DECLINED", sender="Mallory <mallory@example.net>")
    assert _receive(runner, forged).exit_code == 0
    # Unknown UID.
    assert _receive(runner, replies.outlook("session-nope@cyswllt", "tom@example.org", "DECLINED")).exit_code == 0
    # A proposal of another time.
    assert _receive(runner, replies.counter(uid, "tom@example.org")).exit_code == 0
    # Stale: the session changed (version 1 sent) after Tom's calendar answered version 0.
    in_app(invited["session_id"], lambda s: service.set_join_link(s, "https://teams.example/meet/2"))
    assert _receive(runner, replies.apple(uid, "tom@example.org", "DECLINED", sequence=0)).exit_code == 0
    assert _tom(app, invited["session_id"], people) == ("NEEDS-ACTION", True)  # none of them changed anything
    # Someone who is not invited.
    stranger = replies.outlook(uid, "stranger@example.org", "ACCEPTED", sender="stranger@example.org")
    assert _receive(runner, stranger).exit_code == 0

    before = len(outbox())
    ordinary = _receive(runner, replies.plain())
    assert ordinary.exit_code == 0 and "forwarded to organisers@cyswllt.invalid" in ordinary.output
    forwarded = outbox()[before:]
    assert len(forwarded) == 1 and forwarded[0].to_address == "organisers@cyswllt.invalid"
    assert "Can I bring a colleague" in forwarded[0].text_body

    assert _inbound(app) == [
        ("quarantined", "sender"),
        ("unmatched", "unknown_uid"),
        ("counter", "counter"),
        ("stale", "stale"),
        ("unmatched", "not_attendee"),
        ("not_calendar", "not_calendar"),
    ]

    sign_in(make_user("organiser", email="olwen@example.org"))
    page = client.get("/organiser/replies").get_data(as_text=True)
    assert page.count("Dealt with") == 5  # everything but the forwarded ordinary email
    assert "mallory@example.net" in page and "Answers for: tom@example.org" in page
    assert "suggests another time" in page and "earlier version of the invitation" in page
    resolve = re.search(r'action="(/organiser/replies/\d+/resolve)"', page).group(1)
    done = client.post(resolve, data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "Marked as dealt with" in done.get_data(as_text=True)
    assert done.get_data(as_text=True).count("Dealt with") == 4


def test_input_that_is_not_an_email_exits_2_with_one_line(runner: Any, app: Any) -> None:
    result = runner.invoke(args=["mail", "receive"], input=b"this is not an email\n")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == ["not an email: the input has no email header with a From line"]
    assert runner.invoke(args=["mail", "receive"], input=b"").exit_code == 2
    assert _inbound(app) == []


# --- IMAP ------------------------------------------------------------------------------------


def test_the_imap_job_applies_a_decline_moves_it_and_leaves_ordinary_mail_unread(
    app: Any, people: dict[str, Any], invited: dict[str, Any], imap_server: str, outbox: Any
) -> None:
    from matchmaker.invites.tasks import read_calendar_replies

    decline = replies.outlook(invited["uid"], "tom@example.org", "DECLINED", message_id="<decline-1@mail.example>")
    with open_mailbox(imap_server) as mailbox:
        mailbox.append("INBOX", replies.plain())
        mailbox.append("INBOX", decline)
        mailbox.append("INBOX", decline)  # delivered twice (a retry somewhere): same Message-ID

    with app.app_context():
        counts = read_calendar_replies.call_local()  # the periodic job's own code, in this process
    assert counts == {"applied": 1, "seen_before": 1, "not_calendar": 1}
    assert _tom(app, invited["session_id"], people) == ("DECLINED", False)
    assert len(outbox("rounds@example.org")) == 1  # the organisers are told once

    with open_mailbox(imap_server) as mailbox:
        mailbox.select_folder("INBOX")
        left = mailbox.fetch(mailbox.search(["ALL"]), ["FLAGS", "BODY.PEEK[HEADER.FIELDS (SUBJECT)]"])
        assert len(left) == 1  # only the ordinary email stays, unread
        (only,) = left.values()
        assert b"\\Seen" not in only[b"FLAGS"] and b"A question" in only[b"BODY[HEADER.FIELDS (SUBJECT)]"]
        mailbox.select_folder("Cyswllt processed")
        moved = mailbox.fetch(mailbox.search(["ALL"]), ["FLAGS"])
        assert len(moved) == 2 and all(b"\\Seen" in f[b"FLAGS"] for f in moved.values())  # kept, never deleted

    with app.app_context():
        again = read_calendar_replies.call_local()  # the next minute: nothing new
    assert again == {"seen_before": 1}
    assert _tom(app, invited["session_id"], people) == ("DECLINED", False)


def test_the_imap_job_does_nothing_without_imap_url(app: Any) -> None:
    from matchmaker.invites.tasks import read_calendar_replies

    assert not app.config.get("IMAP_URL")
    with app.app_context():
        assert read_calendar_replies.call_local() == {}


def test_only_organisers_see_replies_and_lift_exclusions(
    app: Any,
    client: Any,
    people: dict[str, Any],
    invited: dict[str, Any],
    runner: Any,
    sign_in: Callable[..., Any],
) -> None:
    _receive(runner, replies.gmail(invited["uid"], "tom@example.org", "DECLINED", sender="mallory@example.net"))
    sign_in(people["tom"])
    token = csrf_token(client.get("/sessions").get_data(as_text=True))
    assert client.get("/organiser/replies").status_code == 403
    assert client.post("/organiser/replies/1/resolve", data={"csrf_token": token}).status_code == 403
    lift = f"/organiser/sessions/{invited['session_id']}/exclusions/1/lift"
    assert client.post(lift, data={"csrf_token": token}).status_code == 403
    assert _inbound(app) == [("quarantined", "sender")]  # nothing was resolved
