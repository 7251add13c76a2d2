"""The directory: who may read it, text search, each filter, paging and the organisation page."""

import pytest

from matchmaker.directory import service
from matchmaker.extensions import db
from matchmaker.models import (
    CreativeProfile,
    Experience,
    OrganisationKind,
    PrescribingLink,
    User,
    utcnow,
)
from matchmaker.profiles.service import organisation_key
from tests.factories import CreativeProfileFactory


@pytest.fixture
def listed(app, make_user, reference_data):
    """make(name, **fields): a creative with a profile; returns the profile id."""

    def make(name, *, consent=True, conditions=("dementia",), arts=("music",), boards=("powys",), **fields):
        user = make_user("creative")
        with app.app_context():
            return CreativeProfileFactory(
                user=user,
                organisation_name=name,
                organisation_key=organisation_key(name),
                organisation_kind=fields.pop("kind", OrganisationKind.CHARITY),
                description_en=fields.pop("description_en", f"{name} runs sessions."),
                directory_consent=consent,
                art_forms=arts,
                health_boards=boards,
                conditions=conditions,
                experience=Experience.EXPERIENCED,
                **fields,
            ).id

    return make


def _names(app, **kwargs):
    with app.app_context():
        return [p.organisation_name for p in service.search(**kwargs).entries]


@pytest.mark.parametrize("role", ["commissioner", "link_worker", "organiser"])
def test_approved_commissioners_link_workers_and_organisers_can_read_it(client, make_user, sign_in, listed, role):
    listed("Côr y Cwm")
    sign_in(make_user(role))
    page = client.get("/directory")
    assert page.status_code == 200
    assert "Côr y Cwm" in page.get_data(as_text=True)


def test_creatives_may_not_read_it(client, make_user, sign_in, reference_data):
    sign_in(make_user("creative"))
    assert client.get("/directory").status_code == 403


@pytest.mark.parametrize("role", ["commissioner", "link_worker"])
def test_pending_accounts_are_told_to_wait(client, make_user, sign_in, reference_data, role):
    sign_in(make_user(role, approved=False))
    response = client.get("/directory")
    assert response.status_code == 302 and "awaiting-approval" in response.headers["Location"]


def test_anonymous_visitors_are_sent_to_sign_in(client, listed):
    pid = listed("Côr y Cwm")
    for url in ("/directory", f"/directory/{pid}"):
        response = client.get(url)
        assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]


def test_only_consenting_live_accounts_are_listed(app, listed):
    listed("Listed Arts")
    listed("Private Arts", consent=False)
    gone = listed("Gone Arts")
    with app.app_context():
        profile = db.session.get(CreativeProfile, gone)
        db.session.get(User, profile.user_id).deactivated_at = utcnow()
        db.session.commit()
    assert _names(app) == ["Listed Arts"]


def test_text_search_ignores_case_and_welsh_accents(app, listed):
    listed("Gŵyl Fach Glan-y-Môr", description_en="Music by the sea.")
    listed("Tidal Rhythms", description_en="Samba drumming for people with COPD.", description_cy="Samba i bawb.")
    listed("Harbour Lights")
    assert _names(app, text="gwyl") == ["Gŵyl Fach Glan-y-Môr"]
    assert _names(app, text="GŴYL fach") == ["Gŵyl Fach Glan-y-Môr"]
    assert _names(app, text="copd") == ["Tidal Rhythms"]  # in the description
    assert _names(app, text="BAWB") == ["Tidal Rhythms"]  # in the Welsh description
    assert _names(app, text="100%") == []  # % is not a wildcard
    assert _names(app, text="") == ["Gŵyl Fach Glan-y-Môr", "Harbour Lights", "Tidal Rhythms"]


def test_each_filter_narrows_the_list(app, listed):
    listed("Alpha", conditions=("stroke",), arts=("dance",), boards=("swansea-bay",), languages=["en", "cy"])
    listed("Beta", conditions=("dementia",), arts=("music",), boards=("powys",), languages=["en", "bsl"])
    listed("Gamma", prescribing_link=PrescribingLink.FORMAL)
    assert _names(app, condition="stroke") == ["Alpha"]
    assert _names(app, condition="dementia") == ["Beta", "Gamma"]
    assert _names(app, art_form="dance") == ["Alpha"]
    assert _names(app, health_board="swansea-bay") == ["Alpha"]
    assert _names(app, language="cy") == ["Alpha"]
    assert _names(app, language="bsl") == ["Beta"]
    assert _names(app, link="formal") == ["Gamma"]
    assert _names(app, link="none") == ["Alpha", "Beta"]
    assert _names(app, condition="dementia", link="none") == ["Beta"]


def test_filters_from_the_page_and_a_tampered_filter_explained(app, client, make_user, sign_in, listed):
    listed("Alpha", conditions=("stroke",))
    listed("Beta", conditions=("dementia",))
    sign_in(make_user("commissioner"))
    page = client.get("/directory?condition=stroke&q=alp").get_data(as_text=True)
    assert "Alpha" in page and "Beta" not in page
    assert 'value="alp"' in page
    bad = client.get("/directory?condition=plague&q=a").get_data(as_text=True)
    assert "There is a problem" in bad and "Choose a condition from the list" in bad
    assert "Alpha" in bad and "Beta" in bad  # the bad filter is dropped, the rest still apply
    assert client.get("/directory?page=abc").status_code == 200


def test_pages_of_twenty(app, client, make_user, sign_in, listed):
    for number in range(23):
        listed(f"Org {number:02d}")
    with app.app_context():
        first = service.search()
        last = service.search(page=2)
    assert first.total == 23 and first.pages == 2 and len(first.entries) == 20 and len(last.entries) == 3
    sign_in(make_user("link_worker"))
    page = client.get("/directory?page=2").get_data(as_text=True)
    assert "Org 22" in page and "Org 00" not in page
    assert "/directory?page=1" in page


def test_the_organisation_page_shows_details_and_contacts(app, client, make_user, sign_in, listed):
    pid = listed("Côr y Cwm", description_cy="Côr cymunedol.", website="https://cor.example.org")
    hidden = listed("Hidden", consent=False)
    sign_in(make_user("commissioner"))
    response = client.get(f"/directory/{pid}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Côr y Cwm" in page and "Côr cymunedol." in page and "https://cor.example.org" in page
    assert "Dementia: Experienced" in page
    assert "mailto:creative-" in page
    assert client.get(f"/directory/{hidden}").status_code == 404
    assert client.get("/directory/99999").status_code == 404


def test_directory_entries_is_reusable(app, listed):
    listed("Alpha")
    listed("Beta", consent=False)
    with app.app_context():
        names = [p.organisation_name for p in db.session.scalars(service.directory_entries())]
    assert names == ["Alpha"]


def test_organisers_get_a_link_to_the_full_profile(client, make_user, sign_in, listed):
    pid = listed("Côr y Cwm")
    sign_in(make_user("organiser"))
    assert f"/profile/creative/{pid}" in client.get(f"/directory/{pid}").get_data(as_text=True)


def test_commissioners_do_not_get_the_full_profile_link(client, make_user, sign_in, listed):
    pid = listed("Côr y Cwm")
    sign_in(make_user("commissioner"))
    assert f"/profile/creative/{pid}" not in client.get(f"/directory/{pid}").get_data(as_text=True)


def test_an_organisation_with_two_members_is_one_entry_with_both_contacts(app, client, make_user, sign_in, listed):
    first = listed("Côr y Cwm", conditions=("dementia",))
    listed("COR Y CWM", conditions=("stroke",))
    listed("Harbour Lights")
    with app.app_context():
        results = service.search()
        assert results.total == 2
        assert [p.organisation_key for p in results.entries] == ["cor y cwm", "harbour lights"]
        assert [p.id for p in results.entries][0] == first
        # The member who matches the filter stands for the organisation.
        assert [p.organisation_name for p in service.search(condition="stroke").entries] == ["COR Y CWM"]
    sign_in(make_user("commissioner"))
    page = client.get(f"/directory/{first}").get_data(as_text=True)
    assert page.count("mailto:") == 2
