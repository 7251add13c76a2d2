"""A hand-built round whose every funnel count is known, for the report, attendance and follow-up tests.

Round "Autumn" (closed, its sessions a week ago):
- registered (8): creatives c1..c5, commissioner m1, link workers l1, l2;
- matched (6): S1 stroke in English with c1, c2, m1, l1; S2 dementia in Welsh with c3 (declined), l2;
- invited when it took place (5): everyone matched but c3, who declined;
- came (4): c1, c2, m1, l2 (l1 marked as not coming: a no-show);
- answered a follow-up (3): c1 (referral route), m1 (nothing yet), l2 (pilot running);
- reported a pathway, pilot or commission (2): c1 and l2.
Creatives c1, c2 serve Cardiff and Vale; c3, c4, c5 Hywel Dda; m1 and l1 Cardiff and Vale; l2 Hywel Dda.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

FUNNEL = {"registered": 8, "matched": 6, "invited": 5, "attended": 4, "answered": 3, "outcome": 2}


@dataclass
class Built:
    """Ids of what was made."""

    round_id: int = 0
    sessions: dict[str, int] = field(default_factory=dict)
    people: dict[str, int] = field(default_factory=dict)


def build_round(
    app: Any, *, days_ago: int = 8, title: str = "Autumn", answers: bool = True, language: str = "en"
) -> Built:
    """Make the hand-built round (see the module's text); the app must have its reference data.

    answers=False: no follow-up yet (for the tests that send them); language: everyone's language.
    """
    from matchmaker.extensions import db
    from matchmaker.models import AttendanceMark, FollowUp, PartStat, Role, RoundStatus, SessionAttendee, utcnow
    from tests.factories import RegistrationFactory, RoundFactory, SessionFactory, UserFactory, profile_for

    built = Built()
    with app.app_context():
        now = utcnow().replace(microsecond=0)
        start = now - timedelta(days=days_ago)
        round_ = RoundFactory(
            status=RoundStatus.CLOSED,
            title_en=title,
            title_cy=f"{title} (cy)",
            registration_opens_at=start - timedelta(days=40),
            registration_closes_at=start - timedelta(days=10),
        )
        built.round_id = round_.id
        roles = {
            "c1": (Role.CREATIVE, "cardiff-vale"),
            "c2": (Role.CREATIVE, "cardiff-vale"),
            "c3": (Role.CREATIVE, "hywel-dda"),
            "c4": (Role.CREATIVE, "hywel-dda"),
            "c5": (Role.CREATIVE, "hywel-dda"),
            "m1": (Role.COMMISSIONER, "cardiff-vale"),
            "l1": (Role.LINK_WORKER, "cardiff-vale"),
            "l2": (Role.LINK_WORKER, "hywel-dda"),
        }
        users = {}
        for key, (role, board) in roles.items():
            user = UserFactory(
                role=role, name=f"{title} {key}", email=f"{title.lower()}-{key}@example.org", language=language
            )
            extra = {"organisation": f"{title} organisation {key}"} if role == Role.CREATIVE else {}
            if key == "c2":
                extra["prescribing_link"] = "formal"
            profile_for(user, boards=(board,), **extra)
            RegistrationFactory(round=round_, user=user, conditions={"stroke": 2, "dementia": 1}, slots=[])
            users[key] = user
            built.people[key] = user.id
        s1 = SessionFactory(
            round=round_,
            condition="stroke",
            starts_at=start,
            attendees=[users["c1"], users["c2"], users["m1"], users["l1"]],
        )
        s2 = SessionFactory(
            round=round_,
            condition="dementia",
            language="cy",
            starts_at=start + timedelta(hours=3),
            attendees=[users["c3"], users["l2"]],
        )
        built.sessions = {"S1": s1.id, "S2": s2.id}
        for attendee in db.session.query(SessionAttendee).filter(SessionAttendee.session_id.in_([s1.id, s2.id])):
            attendee.partstat = PartStat.DECLINED if attendee.user_id == users["c3"].id else PartStat.ACCEPTED
        for key, session, came in (
            ("c1", s1, True),
            ("c2", s1, True),
            ("m1", s1, True),
            ("l1", s1, False),
            ("l2", s2, True),
        ):
            db.session.add(
                AttendanceMark(session_id=session.id, user_id=users[key].id, role=roles[key][0].value, attended=came)
            )
        answered = (
            ("c1", s1, ["contact_exchanged", "referral_route"]),
            ("m1", s1, ["nothing_yet"]),
            ("l2", s2, ["pilot_running"]),
        )
        for key, session, outcomes in answered if answers else ():
            db.session.add(
                FollowUp(
                    session_id=session.id,
                    user_id=users[key].id,
                    role=roles[key][0].value,
                    stage="first",
                    sent_at=now - timedelta(days=1),
                    closes_at=now + timedelta(days=170),
                    answered_at=now,
                    attended=True,
                    outcomes=outcomes,
                    plans_to_commission="maybe" if key == "m1" else "",
                    note="We have started a choir at the surgery." if key == "l2" else "Not yet.",
                    quote_consent=key == "l2",
                    referrals=3 if key == "l2" else None,
                )
            )
        db.session.commit()
    return built
