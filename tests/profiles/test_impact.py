"""How a creative organisation evidences its impact: its own page, shown on the profile and in the directory."""

from __future__ import annotations

from typing import Any

from tests.accounts.support import error_summary, signed_in_client, text
from tests.helpers import csrf_token


def test_creative_says_how_they_evidence_impact(app: Any, make_user: Any, make_profile: Any) -> None:
    creative = make_user("creative", name="Ceri")
    make_profile(creative)
    client = signed_in_client(app, creative)
    assert "Say how you evidence your impact" in text(client.get("/profile"))
    page = text(client.get("/profile/impact"))
    assert "Warwick-Edinburgh" not in page and "I've been feeling optimistic" not in page  # never the questions
    bad = {"measures": ["none_yet", "ons4"], "evaluation_url": "javascript:alert(1)"}
    errors = error_summary(text(client.post("/profile/impact", data={"csrf_token": csrf_token(page), **bad})))
    assert errors["measures"] == "'None yet' cannot be chosen with a measure"
    assert "evaluation_url" in errors
    good = {"measures": ["mycaw", "ons4"], "evaluation_url": "https://example.org/evaluation.pdf"}
    response = client.post("/profile/impact", data={"csrf_token": csrf_token(page), **good})
    assert response.status_code == 302
    shown = text(client.get("/profile"))
    assert "ONS4 personal wellbeing questions" in shown and "Change how you evidence your impact" in shown
    assert shown.index("ONS4") < shown.index("MYCaW")  # the list's order


def test_shown_in_the_directory(app: Any, make_user: Any, make_profile: Any) -> None:
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import CreativeProfile

    creative = make_user("creative", name="Ceri")
    make_profile(creative, impact_measures=["case_studies"], evaluation_url="https://example.org/report")
    with app.app_context():
        profile_id = db.session.scalar(select(CreativeProfile.id).where(CreativeProfile.user_id == creative.id))
    viewer = signed_in_client(app, make_user("commissioner"))
    page = text(viewer.get(f"/directory/{profile_id}"))
    assert "How they evidence their impact" in page and "Case studies" in page
    assert 'href="https://example.org/report"' in page


def test_other_roles_and_people_without_a_profile(app: Any, make_user: Any) -> None:
    assert signed_in_client(app, make_user("commissioner")).get("/profile/impact").status_code == 403
    response = signed_in_client(app, make_user("creative")).get("/profile/impact")
    assert response.status_code == 302 and response.headers["Location"].endswith("/profile")
