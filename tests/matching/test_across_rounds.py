"""Matching across rounds (issue 16), at site level through the real run, draft and publish paths.

Three rounds of one session each (one slot, at most one session at a time, two or three
creatives, one commissioner and one link worker). The same people register every time:
creatives Arts 1-3 (specialists, strength 3, no link with social prescribing: priority 3)
and Left Out Arts (strength 1, informal links: priority 2.2), three commissioners and three
link workers, the first of each the strongest. Without history the specialists always win
the places (100 more each); with it Left Out Arts gains 60 for each round it missed: not
enough after one round, enough after two, so it is served in round three. Staff who met a
creative in the last two rounds are not put with them again while another commissioner or
link worker is free.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from matchmaker.models import PrescribingLink
from tests.helpers import csrf_token

from .support import publish_latest

RULES = {
    "creatives_min": 2,
    "creatives_max": 3,
    "commissioners_min": 1,
    "commissioners_max": 1,
    "link_workers_min": 1,
    "link_workers_max": 1,
    "max_parallel_sessions": 1,
    "priority_informal": 2.2,  # Left Out Arts has informal links: 80 below the specialists' 300 for no link
}


def _pairs(app, round_id: int) -> set[tuple[int, int]]:
    """(creative, staff) user id pairs who share a published session of the round."""
    from matchmaker.extensions import db
    from matchmaker.models import ConsultationSession

    with app.app_context():
        out = set()
        for session in db.session.scalars(select(ConsultationSession).where(ConsultationSession.round_id == round_id)):
            people = [(a.user_id, a.role) for a in session.attendees if a.is_current]
            out |= {(c, s) for c, rc in people if rc == "creative" for s, rs in people if rs != "creative"}
        return out


def _invited(app, round_id: int) -> set[int]:
    from matchmaker.extensions import db
    from matchmaker.models import ConsultationSession

    with app.app_context():
        return {
            a.user_id
            for s in db.session.scalars(select(ConsultationSession).where(ConsultationSession.round_id == round_id))
            for a in s.attendees
        }


def test_left_out_twice_is_served_in_round_three_and_pairs_do_not_repeat(
    app, client, make_round, make_user, register, profile, run_round, organiser, sign_in
):
    users = {}
    for i in range(1, 4):
        users[f"c{i}"] = make_user("creative", name=f"Arts {i}", email=f"c{i}@example.org")
        profile(users[f"c{i}"], f"Arts {i}")
    users["lo"] = make_user("creative", name="Left Out Arts", email="lo@example.org")
    profile(users["lo"], "Left Out Arts", prescribing_link=PrescribingLink.INFORMAL)
    for role, key in (("commissioner", "m"), ("link_worker", "l")):
        for i in range(1, 4):
            name = f"{key}{i}"
            users[name] = make_user(role, name=f"Staff {name}", email=f"{name}@example.org")
            profile(users[name], "Health Board" if role == "commissioner" else "GP cluster")
    rounds = []
    for n in range(3):
        round_id = make_round(
            slots=1,
            conditions=("stroke",),
            title_en=f"Round {n + 1}",
            title_cy=f"Rownd {n + 1}",
            registration_closes_at=datetime(2027, 1 + 3 * n, 1, 17, tzinfo=UTC),
            first_slot=datetime(2027, 1 + 3 * n, 15, 10, tzinfo=UTC),
            slot_every=timedelta(hours=4),
            **RULES,
        )
        from matchmaker.extensions import db
        from matchmaker.models import Round

        with app.app_context():
            slots = [s.id for s in db.session.get(Round, round_id).slots]
        for i in range(1, 4):
            register(round_id, users[f"c{i}"], {"stroke": 3}, slots)
        register(round_id, users["lo"], {"stroke": 1}, slots)
        for key in ("m", "l"):
            for i, strength in ((1, 3), (2, 2), (3, 1)):
                register(round_id, users[f"{key}{i}"], {"stroke": strength}, slots)
        run_round(round_id, time_limit=5)
        rounds.append(round_id)
        if n < 2:
            publish_latest(app, round_id)

    first, second, third = rounds
    lo = users["lo"].id
    assert lo not in _invited(app, first) and lo not in _invited(app, second)
    met_first = _pairs(app, first)
    assert len(met_first) == 6  # three specialists with one commissioner and one link worker
    assert not met_first & _pairs(app, second)  # other staff were free: nobody met again

    # Round three: the draft's problem carries the history, and Left Out Arts is served.
    from matchmaker.extensions import db
    from matchmaker.matching.drafts import latest_draft, loaded
    from matchmaker.models import Round

    with app.app_context():
        draft = latest_draft(db.session.get(Round, third))
        problem, plan = loaded(draft)
        version = draft.version
    pid = f"u{lo}"
    record = problem.record(pid)
    assert (record.rounds_registered, record.rounds_matched, record.last_matched) == (2, 0, None)
    assert problem.record(f"u{users['c1'].id}").last_matched == 1
    assert len(problem.met) == 12  # the six pairs of each earlier round
    assert any(pid in s.participants for s in plan.sessions)
    # The draft page says who was left out before and that they are served now.
    sign_in(organiser)
    page = client.get(f"/organiser/rounds/{third}/matching/drafts/{version}").get_data(as_text=True)
    section = page.split('id="earlier-rounds"')[1].split("Bookings not served")[0]
    assert "Left Out Arts" in section and "In a session" in section and "Left out again" not in section
    assert "Arts 1" not in section
    cymraeg = make_user("organiser", name="Trefnydd", email="trefnydd@example.org", language="cy")
    client.post("/account/sign-out", data={"csrf_token": csrf_token(client.get("/").get_data(as_text=True))})
    sign_in(cymraeg)
    page = client.get(f"/organiser/rounds/{third}/matching/drafts/{version}").get_data(as_text=True)
    section = page.split('id="earlier-rounds"')[1]
    assert "Wedi&#39;u gadael allan mewn rowndiau cynharach" in page or "Wedi'u gadael allan mewn rowndiau" in page
    assert "Left Out Arts" in section and "Mewn sesiwn" in section
    published = publish_latest(app, third)
    assert published.created == 1
    assert lo in _invited(app, third)
    # No creative meets a commissioner or link worker they met in the last two rounds: a third of each was free.
    assert not _pairs(app, third) & (met_first | _pairs(app, second))
