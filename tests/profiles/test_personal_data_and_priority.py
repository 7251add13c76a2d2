"""Profiles in "download my data" and "delete my account"; derived matching priority."""

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import CreativeCondition, CreativeProfile, PrescribingLink, Round
from matchmaker.models.profiles import creative_art_forms
from matchmaker.profiles.service import derived_priority
from tests.factories import RoundFactory
from tests.helpers import PASSWORD
from tests.profiles.support import all_at_once, creative_answers, link_worker_answers


def test_my_data_includes_the_profile(app, client, submit, make_user, sign_in, reference_data):
    sign_in(make_user("creative"))
    all_at_once(submit, creative_answers(app))
    submit("/profile/check", {})
    data = json.loads(client.get("/account/my-data").get_data(as_text=True))
    profile = data["profile"]
    assert profile["organisation_name"] == "Côr y Cwm"
    assert profile["conditions"] == {"dementia": "specialist", "stroke": "open"}
    assert sorted(profile["art_forms"]) == ["music", "singing"]
    assert profile["health_boards"] == ["hywel-dda"]
    assert profile["directory_consent"] is True


def test_my_data_for_a_link_worker_and_for_someone_without_a_profile(
    app, client, submit, make_user, sign_in, reference_data
):
    sign_in(make_user("link_worker"))
    assert json.loads(client.get("/account/my-data").get_data(as_text=True))["profile"] is None
    all_at_once(submit, link_worker_answers(app))
    submit("/profile/check", {})
    profile = json.loads(client.get("/account/my-data").get_data(as_text=True))["profile"]
    assert (profile["employer"], profile["health_board"], profile["capacity"]) == (
        "Elmfield Health Centre",
        "cardiff-vale",
        3,
    )


def test_deleting_the_account_erases_the_profile(app, client, submit, make_user, sign_in, reference_data):
    user = make_user("creative")
    sign_in(user)
    all_at_once(submit, creative_answers(app))
    submit("/profile/check", {})
    response = submit("/account/delete", {"current_password": PASSWORD}, page="/account/delete")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(CreativeProfile).where(CreativeProfile.user_id == user.id)) is None
        assert db.session.scalar(select(func.count()).select_from(CreativeCondition)) == 0
        assert db.session.scalar(select(func.count()).select_from(creative_art_forms)) == 0


@pytest.mark.parametrize(
    ("link", "expected"),
    [(PrescribingLink.NONE, 5.0), (PrescribingLink.INFORMAL, 2.5), (PrescribingLink.FORMAL, 1.0)],
)
def test_derived_priority_follows_the_rounds_weights(link, expected):
    round_ = Round(priority_no_link=5.0, priority_informal=2.5, priority_formal=1.0)
    profile = CreativeProfile(prescribing_link=link)
    assert derived_priority(profile, round_) == expected


def test_derived_priority_without_a_profile_counts_as_no_link():
    assert derived_priority(None, Round(priority_no_link=4.0, priority_informal=2.0, priority_formal=1.0)) == 4.0


def test_derived_priority_uses_the_stored_round_defaults(app, make_user):
    organiser = make_user("organiser")
    with app.app_context():
        round_ = RoundFactory(
            title_en="Spring",
            title_cy="Gwanwyn",
            status="draft",
            conditions=(),
            registration_opens_at=datetime(2027, 3, 1, tzinfo=UTC),
            registration_closes_at=datetime(2027, 3, 20, tzinfo=UTC),
            created_by_id=organiser.id,
        )
        assert derived_priority(CreativeProfile(prescribing_link=PrescribingLink.NONE), round_) > derived_priority(
            CreativeProfile(prescribing_link=PrescribingLink.FORMAL), round_
        )
