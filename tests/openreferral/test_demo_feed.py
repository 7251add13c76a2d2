"""The demo data in the feed: every opted-in demo organisation validates; the stale one disappears."""

from __future__ import annotations

from matchmaker.demo.listings import COMMUNITY_GROUP, LISTINGS, STALE, load_demo_listings
from matchmaker.demo.people import load_demo_people
from matchmaker.directory import service as directory
from matchmaker.extensions import db
from matchmaker.listings import service as listings
from matchmaker.models import CreativeProfile, User
from tests.openreferral.support import errors, page_errors


def _name(email):
    return db.session.scalar(
        db.select(CreativeProfile.organisation_name)
        .join(User, User.id == CreativeProfile.user_id)
        .where(User.email == email)
    )


def test_every_opted_in_demo_organisation_validates_and_the_stale_one_disappears(app, client):
    with app.app_context():
        load_demo_people()
        assert load_demo_listings() == len(LISTINGS)
        assert load_demo_listings() == 0  # twice adds nothing
        opted_in = {_name(email) for email, (feed, *_rest) in LISTINGS.items() if feed}
        stale, community = _name(STALE), _name(COMMUNITY_GROUP)
    envelope = client.get("/openreferral/services?per_page=200").get_json()
    assert page_errors(envelope, "service_list.json") == []
    assert {s["name"] for s in envelope["contents"]} == opted_in
    for item in envelope["contents"]:
        full = client.get(f"/openreferral/services/{item['id']}").get_json()
        assert errors(full, "service.json") == [], item["name"]
        if item["name"] == community:
            assert [(s["freq"], s["byday"]) for s in full["schedules"]] == [("WEEKLY", "TU"), ("MONTHLY", "1SA")]
            assert full["service_at_locations"][0]["location"]["accessibility"]
    # The stale organisation was asked 35 days ago and never answered: the daily job hides it.
    with app.app_context():
        assert stale in {p.organisation_name for p in directory.search(per_page=200).entries}
        asked, hidden = listings.run_freshness()
        assert hidden == 1
        assert stale not in {p.organisation_name for p in directory.search(per_page=200).entries}
    names = {s["name"] for s in client.get("/openreferral/services?per_page=200").get_json()["contents"]}
    assert names == opted_in - {stale}


def test_demo_kinds_secondary_care_team_and_employers(app):
    from matchmaker.demo.listings import EMPLOYER_KINDS
    from matchmaker.models import CommissionerKind, CommissionerProfile, LinkWorkerProfile

    with app.app_context():
        load_demo_people()
        load_demo_listings()
        team = db.session.scalar(
            db.select(CommissionerProfile).where(
                CommissionerProfile.organisation_kind == CommissionerKind.SECONDARY_CARE_TEAM
            )
        )
        assert team is not None and "Stroke rehabilitation" in team.care_service
        kinds = [
            p.employer_kind for p in db.session.scalars(db.select(LinkWorkerProfile).order_by(LinkWorkerProfile.id))
        ]
        assert len(kinds) == len(EMPLOYER_KINDS) and None not in kinds
