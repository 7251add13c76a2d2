"""The Open Referral UK feed: what is published, the schemas, filters, paging, caching headers and CORS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from matchmaker.extensions import db
from matchmaker.models import Experience, Listing, User
from matchmaker.openreferral import service
from matchmaker.profiles.service import organisation_key
from tests.factories import CreativeProfileFactory, ListingFactory
from tests.openreferral.support import errors, is_timestamp, page_errors


@pytest.fixture
def publish(app, make_user, reference_data):
    """publish(name, **fields): a creative with a profile and a listing; returns the profile id."""

    def make(name, *, consent=True, feed=True, conditions=("dementia",), arts=("music",), boards=("powys",), **fields):
        user = make_user(
            "creative",
            email=fields.pop("account_email", None) or f"{organisation_key(name).replace(' ', '.')}@account.example",
        )
        listing_fields = {
            k: fields.pop(k)
            for k in list(fields)
            if k
            in {
                "public_email",
                "public_phone",
                "sessions",
                "venue_name",
                "venue_address",
                "venue_town",
                "venue_postcode",
                "access_features",
                "access_notes",
                "assured_on",
                "hidden_at",
            }
        }
        with app.app_context():
            profile = CreativeProfileFactory(
                user=user,
                organisation_name=name,
                organisation_key=organisation_key(name),
                description_en=fields.pop("description_en", f"{name} runs sessions."),
                directory_consent=consent,
                art_forms=arts,
                health_boards=boards,
                conditions=conditions,
                experience=Experience.EXPERIENCED,
                languages=fields.pop("languages", ["en", "cy"]),
                **fields,
            )
            ListingFactory(profile=profile, feed_consent=feed, **listing_fields)
            return profile.id

    return make


def _service_uuid(app, profile_id):
    with app.app_context():
        return service.make_id("service", profile_id)


def test_the_root_names_the_version_profile_and_openapi(client):
    body = client.get("/openreferral/").get_json()
    assert body["version"] == "3.0"
    assert body["profile"].startswith("https://")
    assert client.get(body["openapi_url"].removeprefix("http://localhost")).get_json()["openapi"] == "3.0.0"


def test_every_published_service_validates_against_the_vendored_schemas(client, app, publish):
    publish(
        "Côr y Cwm",
        public_phone="01970 123456",
        venue_name="Neuadd y Pentref",
        venue_address="1 Stryd Fawr\nTal-y-bont",
        venue_town="Aberystwyth",
        venue_postcode="SY24 5AA",
        access_features=["step_free", "hearing_loop"],
        access_notes="Quiet room on request.",
        sessions=[
            ("Canu agored", "weekly", "TU", None, "14:00", "16:00"),
            ("Open art", "monthly", "SA", -1, "10:00", "12:00"),
        ],
        website="https://cor.example",
    )
    publish("Dawns i Bawb", assured_on=datetime(2026, 6, 1).date())
    listing = client.get("/openreferral/services")
    assert listing.status_code == 200
    envelope = listing.get_json()
    assert page_errors(envelope, "service_list.json") == []
    assert envelope["total_items"] == 2 and envelope["size"] == 2 and envelope["first_page"] and envelope["last_page"]
    for item in envelope["contents"]:
        full = client.get(f"/openreferral/services/{item['id']}").get_json()
        assert errors(full, "service.json") == [], full
        assert is_timestamp(full["last_modified"])
        assert full["organization"]["id"] == item["organization_id"]
    cor = next(i for i in envelope["contents"] if i["name"] == "Côr y Cwm")
    full = client.get(f"/openreferral/services/{cor['id']}").get_json()
    assert [s["byday"] for s in full["schedules"]] == ["TU", "-1SA"]
    assert [s["freq"] for s in full["schedules"]] == ["WEEKLY", "MONTHLY"]
    assert [a["name"] for a in full["service_areas"]] == ["Powys Teaching Health Board"]
    assert sorted(lang["code"] for lang in full["languages"]) == ["cy", "en"]
    terms = {a["taxonomy_term"]["term"] for a in full["attributes"]}
    assert terms == {"dementia", "music", "arts_organisation"}  # conditions, art forms, kind of organisation
    assert full["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == "SY24 5AA"
    assert full["phones"][0]["number"] == "01970 123456"
    dawns = next(i for i in envelope["contents"] if i["name"] == "Dawns i Bawb")
    assert dawns["assured_date"] == "2026-06-01"


def test_taxonomies_and_terms_validate_and_are_stable(client, app, reference_data):
    taxonomies = client.get("/openreferral/taxonomies").get_json()
    assert page_errors(taxonomies, "taxonomy.json") == []
    assert {t["name"] for t in taxonomies["contents"]} == {
        "Cyswllt conditions",
        "Cyswllt art forms",
        "Cyswllt organisation kinds",
    }
    terms = client.get("/openreferral/taxonomy_terms?per_page=200").get_json()
    assert page_errors(terms, "taxonomy_term.json") == []
    dementia = next(t for t in terms["contents"] if t["term"] == "dementia")
    assert client.get(f"/openreferral/taxonomy_terms/{dementia['id']}").get_json() == dementia
    # The same UUID from the same slug, whatever the database's ids.
    assert dementia["id"] == service.make_id("taxonomy-term", "conditions", "dementia")
    assert client.get("/openreferral/taxonomy_terms/not-a-term").status_code == 404


def test_only_organisations_that_opted_in_and_only_their_public_contact(client, app, publish):
    publish("In the feed", public_email="hello@infeed.example", account_email="private.person@account.example")
    publish("Directory only", feed=False)
    publish("Feed without directory consent", consent=False)
    body = client.get("/openreferral/services").get_data(as_text=True)
    assert "In the feed" in body and "hello@infeed.example" in body
    assert "Directory only" not in body and "Feed without directory consent" not in body
    assert "private.person@account.example" not in body
    assert "@account.example" not in client.get(
        f"/openreferral/services/{client.get('/openreferral/services').get_json()['contents'][0]['id']}"
    ).get_data(as_text=True)


def test_an_unpublished_service_is_not_found(client, app, publish):
    hidden = publish("Not in feed", feed=False)
    assert client.get(f"/openreferral/services/{_service_uuid(app, hidden)}").status_code == 404
    assert client.get("/openreferral/services/../../etc").status_code == 404


def test_taxonomy_term_and_search_filters(client, app, publish):
    publish("Stroke Singers", conditions=("stroke",), arts=("music",), description_en="Singing after a stroke.")
    publish("Memory Painters", conditions=("dementia",), arts=("visual-art",), description_en="Painting together.")
    stroke = service.make_id("taxonomy-term", "conditions", "stroke")
    names = [s["name"] for s in client.get(f"/openreferral/services?taxonomy_term_id={stroke}").get_json()["contents"]]
    assert names == ["Stroke Singers"]
    painting = client.get("/openreferral/services?search=painting").get_json()
    assert [s["name"] for s in painting["contents"]] == ["Memory Painters"]
    unknown = client.get("/openreferral/services?taxonomy_term_id=00000000-0000-0000-0000-000000000000").get_json()
    assert unknown["total_items"] == 0 and unknown["empty"] is True
    art_forms = service.make_id("taxonomy", "art-forms")
    assert client.get(f"/openreferral/services?taxonomy_id={art_forms}").get_json()["total_items"] == 2


def test_paging_and_modified_after(client, app, publish):
    for name in ("Alpha", "Bravo", "Charlie"):
        publish(name)
    second = client.get("/openreferral/services?page=2&per_page=2").get_json()
    assert page_errors(second, "service_list.json") == []
    assert (second["total_items"], second["total_pages"], second["page_number"], second["size"]) == (3, 2, 2, 1)
    assert second["last_page"] and not second["first_page"]
    assert client.get("/openreferral/services?page=0").status_code == 400
    assert client.get("/openreferral/services?per_page=100000").status_code == 400
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert client.get("/openreferral/services", query_string={"modified_after": later}).get_json()["total_items"] == 0
    earlier = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    assert client.get("/openreferral/services", query_string={"modified_after": earlier}).get_json()["total_items"] == 3
    assert client.get("/openreferral/services?modified_after=yesterday").status_code == 400


def test_cors_etag_last_modified_and_304(client, app, publish):
    profile_id = publish("Cached Choir")
    first = client.get("/openreferral/services")
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    again = client.get("/openreferral/services", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    by_date = client.get("/openreferral/services", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert by_date.status_code == 304
    with app.app_context():
        listing = db.session.scalar(db.select(Listing).where(Listing.profile_id == profile_id))
        listing.public_email = "new@choir.example"
        listing.updated_at = datetime.now(UTC) + timedelta(seconds=2)
        db.session.commit()
    changed = client.get("/openreferral/services", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and "new@choir.example" in changed.get_data(as_text=True)


def test_a_deactivated_account_leaves_the_feed(client, app, publish):
    profile_id = publish("Gone Away")
    with app.app_context():
        user = db.session.scalar(
            db.select(User)
            .join_from(User, service.CreativeProfile, User.id == service.CreativeProfile.user_id)
            .where(service.CreativeProfile.id == profile_id)
        )
        user.deactivated_at = datetime.now(UTC)
        db.session.commit()
    assert client.get("/openreferral/services").get_json()["total_items"] == 0


def test_the_schema_check_itself_refuses_a_bad_service():
    """A guard on the guard: a wrong status, a non-UUID id and a missing name are all reported."""
    found = errors({"id": "not-a-uuid", "status": "open"}, "service.json")
    assert any("name" in line for line in found)
    assert any("status" in line for line in found)
    assert any("not-a-uuid" in line for line in found)


def test_other_directories_find_community_groups_by_their_kind(client, app, publish):
    from matchmaker.models import OrganisationKind

    publish("Open Door Club", organisation_kind=OrganisationKind.COMMUNITY_GROUP)
    publish("Solo Artist", organisation_kind=OrganisationKind.FREELANCER)
    terms = client.get("/openreferral/taxonomy_terms?per_page=200").get_json()["contents"]
    community = next(t for t in terms if t["term"] == "community_group")
    assert community["description"].startswith("Community group / ")  # English, then the Welsh name
    found = client.get(f"/openreferral/services?taxonomy_term_id={community['id']}").get_json()
    assert [s["name"] for s in found["contents"]] == ["Open Door Club"]
