"""Organiser pages for conditions, art forms and health boards."""

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import ArtForm, Condition, ConditionKind, HealthBoard


@pytest.fixture
def organiser(make_user, sign_in, reference_data):
    user = make_user("organiser")
    sign_in(user)
    return user


def _condition(app, slug):
    with app.app_context():
        return db.session.scalar(select(Condition).where(Condition.slug == slug))


def test_the_list_shows_every_kind_in_both_languages(client, organiser):
    page = client.get("/organiser/reference/").get_data(as_text=True)
    assert "Parkinson&#39;s" in page and "Clefyd Parkinson" in page
    assert "Crefftau" in page
    assert "Bwrdd Iechyd Prifysgol Bae Abertawe" in page
    assert "/organiser/reference/conditions/new" in page
    assert "/organiser/reference/health-boards/new" not in page


@pytest.mark.parametrize("role", ["creative", "commissioner", "link_worker"])
def test_only_organisers_may_manage_reference_data(client, make_user, sign_in, reference_data, role):
    sign_in(make_user(role))
    assert client.get("/organiser/reference/").status_code == 403
    assert client.get("/organiser/reference/conditions/new").status_code == 403


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get("/organiser/reference/")
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]


def test_editing_a_condition_keeps_its_slug(app, client, submit, organiser):
    stroke = _condition(app, "stroke")
    url = f"/organiser/reference/conditions/{stroke.id}"
    assert "stroke" in client.get(url).get_data(as_text=True)
    response = submit(
        url,
        {
            "name_en": "Stroke recovery",
            "name_cy": "Adferiad ar ôl strôc",
            "position": "4",
            "kind": "group",
            "slug": "x",
        },
    )
    assert response.status_code == 302
    changed = _condition(app, "stroke")
    assert (changed.name_en, changed.name_cy, changed.position, changed.kind, changed.active) == (
        "Stroke recovery",
        "Adferiad ar ôl strôc",
        4,
        ConditionKind.GROUP,
        False,
    )
    from matchmaker.extensions import db
    from matchmaker.models import AuditEvent

    with app.app_context():  # the audit log says who edited which condition
        (event,) = db.session.query(AuditEvent).filter_by(action="reference_edited").all()
        assert (event.action, event.actor_id, event.target_type, event.target_id) == (
            "reference_edited",
            organiser.id,
            "conditions",
            stroke.id,
        )


def test_adding_a_condition_makes_a_slug_from_the_english_name(app, submit, organiser):
    response = submit(
        "/organiser/reference/conditions/new",
        {
            "name_en": "Sight loss & blindness",
            "name_cy": "Colli golwg",
            "position": "20",
            "kind": "condition",
            "active": "y",
        },
    )
    assert response.status_code == 302
    added = _condition(app, "sight-loss-blindness")
    assert added is not None and added.active and added.name_cy == "Colli golwg"


def test_adding_an_art_form_with_a_chosen_slug(app, submit, organiser):
    response = submit(
        "/organiser/reference/art-forms/new",
        {"name_en": "Circus", "name_cy": "Syrcas", "position": "30", "active": "y", "slug": "circus-skills"},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ArtForm.name_cy).where(ArtForm.slug == "circus-skills")) == "Syrcas"


def test_health_boards_can_be_renamed_but_not_added(app, client, submit, organiser):
    assert client.get("/organiser/reference/health-boards/new").status_code == 404
    with app.app_context():
        board = db.session.scalar(select(HealthBoard).where(HealthBoard.slug == "powys"))
    response = submit(
        f"/organiser/reference/health-boards/{board.id}",
        {
            "name_en": "Powys Teaching Health Board",
            "name_cy": "Bwrdd Iechyd Addysgu Powys",
            "position": "1",
            "active": "y",
        },
    )
    assert response.status_code == 302


def test_missing_and_bad_values_are_explained_and_typed_values_kept(client, submit, organiser):
    response = submit(
        "/organiser/reference/conditions/new",
        {"name_en": "Hearing loss", "name_cy": "", "position": "first", "kind": "illness", "slug": "Hearing Loss!"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter the name in Welsh" in page
    assert "Position must be a whole number between 0 and 9999" in page
    assert "Select whether this is a health condition or a group of people" in page
    assert "Identifier can only use lower-case letters, numbers and hyphens" in page
    assert 'value="Hearing loss"' in page
    assert 'value="first"' in page


def test_a_duplicate_name_or_slug_is_refused(app, submit, organiser):
    response = submit(
        "/organiser/reference/conditions/new",
        {"name_en": "dementia", "name_cy": "Rhywbeth arall", "position": "1", "kind": "condition"},
    )
    assert "Another condition or group already has this name" in response.get_data(as_text=True)
    response = submit(
        "/organiser/reference/art-forms/new",
        {"name_en": "Songwriting", "name_cy": "Cyfansoddi", "position": "1", "slug": "music"},
    )
    assert "This identifier is already used" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ArtForm).where(ArtForm.name_en == "Songwriting")) is None


def test_unknown_kinds_and_ids_are_not_found(client, organiser):
    assert client.get("/organiser/reference/sports/new").status_code == 404
    assert client.get("/organiser/reference/conditions/99999").status_code == 404
