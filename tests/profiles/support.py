"""Helpers for profile tests: reference ids by slug, and complete valid answers per role."""

from datetime import date, timedelta

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import ArtForm, Condition, HealthBoard


def ids(app, model, *slugs):
    """The ids (as strings) of reference rows by slug."""
    with app.app_context():
        rows = db.session.execute(select(model.slug, model.id).where(model.slug.in_(slugs))).all()
    found = dict(rows)
    return [str(found[slug]) for slug in slugs]


def creative_answers(app, **changes):
    """A complete, valid creative profile form."""
    dementia, stroke = ids(app, Condition, "dementia", "stroke")
    data = {
        "organisation_name": "Côr y Cwm",
        "organisation_kind": "community_group",
        "description_en": "A community choir for people living with dementia and their carers.",
        "description_cy": "",
        "website": "https://cor-y-cwm.example.org",
        "art_forms": ids(app, ArtForm, "singing", "music"),
        f"condition_{dementia}": "specialist",
        f"condition_{stroke}": "open",
        "health_boards": ids(app, HealthBoard, "hywel-dda"),
        "languages": ["en", "cy"],
        "delivery": ["online", "in_person"],
        "prescribing_link": "none",
        "horizon": "ongoing",
        "project_ends_on": ["", "", ""],
        "access": ["captions"],
        "access_other": "",
        "directory_consent": "y",
    }
    data.update(changes)
    return data


def future(days=200):
    """A date in the future as the three date inputs."""
    day = date.today() + timedelta(days=days)
    return [str(day.day), str(day.month), str(day.year)], day


def commissioner_answers(app, **changes):
    """A complete, valid commissioner profile form."""
    data = {
        "organisation": "Cyngor Sir Glan Eithin",
        "organisation_kind": "local_authority",
        "job_title": "Wellbeing Commissioner",
        "conditions": ids(app, Condition, "loneliness", "dementia"),
        "health_boards": ids(app, HealthBoard, "powys"),
        "languages": ["en"],
    }
    data.update(changes)
    return data


def link_worker_answers(app, **changes):
    """A complete, valid link worker profile form."""
    data = {
        "employer": "Elmfield Health Centre",
        "health_board": ids(app, HealthBoard, "cardiff-vale")[0],
        "gp_cluster": "City East",
        "conditions": ids(app, Condition, "mental-health"),
        "languages": ["en", "bsl"],
        "capacity": "3",
    }
    data.update(changes)
    return data


def client_for(app, user):
    """A new browser session signed in as this user (through the real form)."""
    from tests.helpers import PASSWORD, csrf_token

    client = app.test_client()
    token = csrf_token(client.get("/account/sign-in").get_data(as_text=True))
    response = client.post("/account/sign-in", data={"csrf_token": token, "email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


PROFILE_FORM = "/profile/edit"


def all_at_once(submit, answers):
    """Post every answer of the profile at once to /profile/edit (kept as a form without steps)."""
    return submit(PROFILE_FORM, answers, page=f"{PROFILE_FORM}/about")


def step_by_step(submit, role, answers):
    """Fill the profile one step at a time, as people do; returns each step's response in order."""
    from matchmaker.models import Role
    from matchmaker.profiles.steps import steps_for

    responses = []
    for step in steps_for(Role(role)):
        part = {name: value for name, value in answers.items() if step.asks(name)}
        responses.append(submit(f"{PROFILE_FORM}/{step.slug}", part))
    return responses
