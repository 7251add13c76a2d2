"""'Your organisation': the page and its checks, open sessions (own only), and details kept fresh."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from matchmaker.directory import service as directory
from matchmaker.extensions import db
from matchmaker.listings import service
from matchmaker.models import Listing, OpenSession, OutboxMessage
from matchmaker.openreferral import service as feed
from tests.factories import CreativeProfileFactory, ListingFactory
from tests.helpers import links_in


@pytest.fixture
def creative(app, make_user, reference_data):
    """A creative with a listed profile (no listing yet); returns (user, profile id)."""
    user = make_user("creative")
    with app.app_context():
        profile = CreativeProfileFactory(
            user=user, organisation_name="Lle Agored", organisation_key="lle agored", directory_consent=True
        )
        return user, profile.id


def _listing(app, profile_id):
    with app.app_context():
        return db.session.scalar(db.select(Listing).where(Listing.profile_id == profile_id))


def test_the_profile_page_links_to_the_organisation_page(client, sign_in, creative):
    sign_in(creative[0])
    assert "/profile/organisation" in client.get("/profile").get_data(as_text=True)


def test_saving_venue_contact_and_feed_opt_in(client, app, sign_in, submit, creative):
    user, profile_id = creative
    sign_in(user)
    page = submit(
        "/profile/organisation",
        {
            "venue_name": "Neuadd",
            "venue_address": "1 Stryd Fawr",
            "venue_town": "Bangor",
            "venue_postcode": "ll571aa",
            "access_features": ["step_free", "quiet_space"],
            "public_email": "croeso@lle.example",
            "feed_consent": "y",
        },
    )
    assert page.status_code == 302
    listing = _listing(app, profile_id)
    assert (listing.venue_postcode, listing.feed_consent, listing.access_features) == (
        "LL57 1AA",
        True,
        ["step_free", "quiet_space"],
    )


def test_the_feed_needs_a_public_contact_and_a_venue_needs_every_part(client, app, sign_in, submit, creative):
    user, profile_id = creative
    sign_in(user)
    page = submit("/profile/organisation", {"feed_consent": "y", "venue_name": "Neuadd"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Enter a public email address or phone number to be in the feed" in html
    assert "Enter the venue&#39;s postcode" in html or "Enter the venue's postcode" in html
    assert _listing(app, profile_id).feed_consent is False


def test_adding_and_removing_an_open_session(client, app, sign_in, submit, creative):
    user, profile_id = creative
    sign_in(user)
    missing_week = submit(
        "/profile/organisation/sessions/new",
        {"name": "Canu", "frequency": "monthly", "weekday": "SA", "opens_at": "10:00", "closes_at": "12:00"},
    )
    assert "Select which week of the month the session runs" in missing_week.get_data(as_text=True)
    added = submit(
        "/profile/organisation/sessions/new",
        {
            "name": "Canu",
            "frequency": "monthly",
            "weekday": "SA",
            "week_of_month": "-1",
            "opens_at": "10:00",
            "closes_at": "12:00",
        },
    )
    assert added.status_code == 302
    page = client.get("/profile/organisation").get_data(as_text=True)
    assert "Last Saturday of the month, 10:00 to 12:00" in page
    with app.app_context():
        session_id = db.session.scalar(db.select(OpenSession.id))
        assert db.session.get(OpenSession, session_id).rrule == "FREQ=MONTHLY;BYDAY=-1SA"
    removed = submit(f"/profile/organisation/sessions/{session_id}/remove", {}, page="/profile/organisation")
    assert removed.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(OpenSession.id))) == 0


def test_nobody_removes_anothers_session(client, app, make_user, sign_in, submit, creative):
    _user, profile_id = creative
    with app.app_context():
        listing = ListingFactory(profile=profile_id, sessions=[("Canu", "weekly", "TU", None, "14:00", "16:00")])
        session_id = listing.sessions[0].id
    other = make_user("creative")
    with app.app_context():
        CreativeProfileFactory(user=other, organisation_name="Arall", organisation_key="arall")
    sign_in(other)
    response = submit(f"/profile/organisation/sessions/{session_id}/remove", {}, page="/profile/organisation")
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(OpenSession, session_id) is not None


def test_unconfirmed_details_disappear_from_directory_and_feed_then_one_click_brings_them_back(client, app, creative):
    _user, profile_id = creative
    start = datetime.now(UTC) - timedelta(days=400)
    with app.app_context():
        ListingFactory(profile=profile_id, created_at=start, public_email="croeso@lle.example")
        assert [p.id for p in directory.search().entries] == [profile_id]
        # Six months on: asked, still shown.
        assert service.run_freshness(start + timedelta(days=183)) == (1, 0)
        assert service.run_freshness(start + timedelta(days=200)) == (0, 0)
        assert feed.services().total_items == 1
        # Thirty days after asking, no answer: hidden from both, and told so.
        assert service.run_freshness(start + timedelta(days=214)) == (0, 1)
        assert directory.search().entries == []
        assert feed.services().total_items == 0
        assert [row.state for row in service.staleness(datetime.now(UTC).date())] == ["hidden"]
        subjects = list(db.session.scalars(db.select(OutboxMessage.subject).order_by(OutboxMessage.id)))
        assert subjects == [
            "Are your organisation's details still right?",
            "Your organisation is hidden from the directory",
        ]
        hidden_mail = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        link = next(url for url in links_in(hidden_mail.text_body) if "/listing/confirm/" in url)
    path = link.removeprefix("http://localhost")
    page = client.get(path)
    assert page.status_code == 200
    from tests.helpers import csrf_token

    done = client.post(path, data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert done.status_code == 200 and "back in the directory" in done.get_data(as_text=True)
    with app.app_context():
        assert [p.id for p in directory.search().entries] == [profile_id]
        assert feed.services().contents[0]["assured_date"] == datetime.now(UTC).date().isoformat()


def test_a_forged_confirmation_link_is_refused(client, app, creative):
    assert client.get("/listing/confirm/forged-token").status_code == 404


def test_organisers_see_what_is_stale(client, app, make_user, sign_in, creative):
    _user, profile_id = creative
    with app.app_context():
        ListingFactory(profile=profile_id, created_at=datetime.now(UTC) - timedelta(days=300))
    sign_in(make_user("organiser"))
    page = client.get("/organiser/listings/stale").get_data(as_text=True)
    assert "Lle Agored" in page and "Due to be asked" in page


def test_a_secondary_care_team_names_its_service(client, app, make_user, sign_in, submit, reference_data):
    from matchmaker.models import CommissionerKind, CommissionerProfile
    from tests.factories import CommissionerProfileFactory

    user = make_user("commissioner")
    with app.app_context():
        CommissionerProfileFactory(user=user, organisation_kind=CommissionerKind.SECONDARY_CARE_TEAM)
    sign_in(user)
    missing = submit("/profile/organisation", {"care_service": ""})
    assert "Enter the service your team provides" in missing.get_data(as_text=True)
    assert submit("/profile/organisation", {"care_service": "Stroke rehabilitation ward"}).status_code == 302
    assert "Stroke rehabilitation ward" in client.get("/profile").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(CommissionerProfile.care_service)) == "Stroke rehabilitation ward"


def test_a_link_worker_says_who_employs_them_and_it_reaches_the_matching_problem(
    client, app, make_user, sign_in, submit, reference_data
):
    from matchmaker.matching.problem import build_problem
    from matchmaker.models import EmployerKind, LinkWorkerProfile, Round
    from tests.factories import LinkWorkerProfileFactory, RegistrationFactory, RoundFactory

    user = make_user("link_worker")
    with app.app_context():
        LinkWorkerProfileFactory(user=user)
    sign_in(user)
    assert "Select who employs you" in submit("/profile/organisation", {}).get_data(as_text=True)
    assert submit("/profile/organisation", {"employer_kind": "gp_cluster"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(LinkWorkerProfile.employer_kind)) == EmployerKind.GP_CLUSTER
        round_ = RoundFactory(status="open", slots=2)
        RegistrationFactory(round=round_, user=user)
        problem = build_problem(db.session.get(Round, round_.id))
        assert [p["kind"] for p in problem["participants"]] == ["gp_cluster"]


def test_the_directory_filters_by_kind_of_organisation(client, app, make_user, sign_in, reference_data):
    from matchmaker.models import OrganisationKind

    for name, kind in (
        ("Open Door Club", OrganisationKind.COMMUNITY_GROUP),
        ("Solo Artist", OrganisationKind.FREELANCER),
    ):
        owner = make_user("creative")
        with app.app_context():
            CreativeProfileFactory(
                user=owner,
                organisation_name=name,
                organisation_key=name.lower(),
                organisation_kind=kind,
                directory_consent=True,
            )
    sign_in(make_user("link_worker"))
    page = client.get("/directory?kind=community_group").get_data(as_text=True)
    assert "Open Door Club" in page and "Solo Artist" not in page


def test_kinds_show_in_the_round_overview_and_the_bookings_list(client, app, make_user, sign_in, reference_data):
    from matchmaker.models import CommissionerKind
    from tests.factories import BookingFactory, CommissionerProfileFactory, RegistrationFactory, RoundFactory

    commissioner = make_user("commissioner")
    with app.app_context():
        CommissionerProfileFactory(user=commissioner, organisation_kind=CommissionerKind.SECONDARY_CARE_TEAM)
        round_ = RoundFactory(status="open", slots=2)
        RegistrationFactory(round=round_, user=commissioner)
        BookingFactory(round=round_, commissioner=commissioner)
        round_id = round_.id
    sign_in(make_user("organiser"))
    kind = "Secondary care team (for example a rehabilitation ward or hospital discharge)"
    assert kind in client.get(f"/organiser/rounds/{round_id}/overview").get_data(as_text=True)
    assert kind in client.get(f"/organiser/rounds/{round_id}/bookings").get_data(as_text=True)


def test_download_my_data_holds_the_listing_and_deleting_the_account_removes_it(client, app, creative):
    from matchmaker.accounts import service as accounts

    user, profile_id = creative
    with app.app_context():
        ListingFactory(
            profile=profile_id, public_phone="01970 000000", sessions=[("Canu", "weekly", "TU", None, "14:00", "16:00")]
        )
        from matchmaker.models import User

        person = db.session.get(User, user.id)
        exported = service.export_listing(person)
        assert exported["listing"]["public_phone"] == "01970 000000"
        assert exported["listing"]["open_sessions"][0]["rrule"] == "FREQ=WEEKLY;BYDAY=TU"
        accounts.erase(person)
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count()).select_from(Listing)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(OpenSession)) == 0


def test_organisers_reach_import_and_stale_lists_from_the_directory_and_anyone_the_feed_page(
    client, make_user, sign_in, reference_data
):
    assert "/openreferral/about" in client.get("/").get_data(as_text=True)
    assert "Open Referral UK" in client.get("/openreferral/about").get_data(as_text=True)
    sign_in(make_user("organiser"))
    page = client.get("/directory").get_data(as_text=True)
    assert "/organiser/import" in page and "/organiser/listings/stale" in page


def test_link_workers_see_a_community_groups_venue_and_open_sessions_in_the_directory(
    client, app, make_user, sign_in, creative
):
    _user, profile_id = creative
    with app.app_context():
        ListingFactory(
            profile=profile_id,
            venue_name="Neuadd",
            venue_town="Bangor",
            venue_postcode="LL57 1AA",
            access_features=["hearing_loop"],
            sessions=[("Canu", "monthly", "SA", 1, "10:30", "12:00")],
        )
    sign_in(make_user("link_worker", language="cy"))
    page = client.get(f"/directory/{profile_id}").get_data(as_text=True)
    assert "Neuadd, Bangor LL57 1AA" in page and "Dolen sain" in page
    assert "Canu: Dydd Sadwrn, wythnos gyntaf y mis, 10:30 tan 12:00" in page
