"""Registering interest: the form, check your answers, saving, the email, editing, permissions."""

from __future__ import annotations

import re

import pytest

from tests.helpers import condition_ids, csrf_token, slot_ids


def _registrations(app):
    """Every stored registration as plain data."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from matchmaker.models import Registration

    with app.app_context():
        return [
            {
                "id": r.id,
                "user_id": r.user_id,
                "round_id": r.round_id,
                "conditions": {rc.condition.slug: rc.strength for rc in r.conditions},
                "slots": [s.id for s in r.slots],
                "max_sessions": r.max_sessions,
                "wants": sorted(u.id for u in r.wants_to_meet),
            }
            for r in db.session.scalars(select(Registration).order_by(Registration.id))
        ]


@pytest.fixture
def creative(make_user, make_profile, sign_in):
    user = make_user("creative", name="Gwen Harries")
    make_profile(user, conditions=("stroke", "dementia", "cancer"), organisation="Canu Cymru")
    sign_in(user)
    return user


def _post_form(client, round_id, data):
    """POST the registration form with a fresh CSRF token."""
    page = client.get(f"/rounds/{round_id}/interest").get_data(as_text=True)
    return client.post(f"/rounds/{round_id}/interest", data={"csrf_token": csrf_token(page), **data})


def _confirm(client, round_id):
    page = client.get(f"/rounds/{round_id}/interest/check").get_data(as_text=True)
    return client.post(f"/rounds/{round_id}/interest/check", data={"csrf_token": csrf_token(page)})


def test_creative_registers_checks_answers_and_gets_an_email(app, client, creative, make_round, outbox):
    round_id = make_round()  # conditions in scope: stroke, dementia
    stroke, dementia, cancer = condition_ids(app, "stroke", "dementia", "cancer")
    first, second, *_rest = slot_ids(app, round_id)
    form = client.get(f"/rounds/{round_id}/interest").get_data(as_text=True)
    assert f'name="strength-{stroke}"' in form and f'name="strength-{dementia}"' in form
    assert f'name="strength-{cancer}"' not in form  # in the profile but not in the round's scope
    assert "Week beginning Monday 1 March 2027" in form
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Monday 1 March 2027</legend>' in form
    assert "Select all mornings" in form and "Select all of this week" in form
    assert re.search(r'src="/static/(dist/)?js/availability(\.[0-9a-f]{12})?\.js"', form)  # fingerprinted
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", form), "inline script would break the CSP"

    response = _post_form(
        client,
        round_id,
        {
            "conditions": [str(stroke)],
            f"strength-{stroke}": "3",
            "slots": [str(first), str(second)],
            "max_sessions": "2",
        },
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/rounds/{round_id}/interest/check")
    assert _registrations(app) == []  # nothing saved before the check
    check = client.get(f"/rounds/{round_id}/interest/check").get_data(as_text=True)
    assert "Check your answers" in check
    assert "Stroke: Main interest" in check
    assert "10am on Monday 1 March 2027" in check and "10am on Tuesday 2 March 2027" in check

    saved = _confirm(client, round_id)
    assert saved.status_code == 302
    (registration,) = _registrations(app)
    assert registration["conditions"] == {"stroke": 3}
    assert registration["slots"] == [first, second]
    assert registration["max_sessions"] == 2
    assert saved.headers["Location"].endswith(f"/rounds/registrations/{registration['id']}")

    (email,) = outbox(to=creative.email)
    assert "Spring round" in email.subject
    assert "Stroke (main interest)" in email.text_body
    assert "10am on Monday 1 March 2027" in email.text_body
    assert "10am on Tuesday 2 March 2027" in email.text_body
    assert "Most sessions: 2" in email.text_body
    assert f"/rounds/registrations/{registration['id']}" in email.text_body

    page = client.get(f"/rounds/registrations/{registration['id']}").get_data(as_text=True)
    assert "Your registration" in page and "10am on Monday 1 March 2027" in page


def test_registration_can_be_changed_until_the_round_closes(app, client, creative, make_round, outbox, make_user):
    round_id = make_round()
    stroke, dementia = condition_ids(app, "stroke", "dementia")
    first, second, third, _fourth = slot_ids(app, round_id)
    _post_form(
        client,
        round_id,
        {"conditions": [str(stroke)], f"strength-{stroke}": "1", "slots": [str(first)], "max_sessions": "1"},
    )
    _confirm(client, round_id)
    # The form shows what is stored.
    form = client.get(f"/rounds/{round_id}/interest").get_data(as_text=True)
    assert "Change your registration" in form
    assert re.search(rf'value="{first}"[^>]*checked', form)
    _post_form(
        client,
        round_id,
        {
            "conditions": [str(stroke), str(dementia)],
            f"strength-{stroke}": "2",
            f"strength-{dementia}": "3",
            "slots": [str(second), str(third)],
            "max_sessions": "3",
        },
    )
    _confirm(client, round_id)
    (registration,) = _registrations(app)
    assert registration["conditions"] == {"stroke": 2, "dementia": 3}
    assert registration["slots"] == [second, third]
    assert registration["max_sessions"] == 3
    emails = outbox(to=creative.email)
    assert len(emails) == 2 and "changed" in emails[1].subject

    # The organiser closes the round: a clear page, not an error, and nothing changes.
    from matchmaker.extensions import db
    from matchmaker.models import Round, RoundStatus

    with app.app_context():
        db.session.get(Round, round_id).status = RoundStatus.CLOSED
        db.session.commit()
    closed = client.get(f"/rounds/{round_id}/interest")
    assert closed.status_code == 200
    assert "Registration has closed" in closed.get_data(as_text=True)
    mine = client.get(f"/rounds/registrations/{registration['id']}").get_data(as_text=True)
    assert "can no longer change" in mine and "Withdraw registration" not in mine


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"slots": []}, "Choose at least one time you can attend"),
        ({"conditions": []}, "Choose at least one condition you would like to discuss"),
        ({"strength": "7"}, "Choose how interested you are in Stroke"),
        ({"strength": ""}, "Choose how interested you are in Stroke"),
        ({"conditions": ["cancer"]}, "Choose conditions from the list"),  # in the profile, not in scope
        ({"conditions": ["parkinsons"]}, "Choose conditions from the list"),  # in scope, not in the profile
        ({"conditions": ["abc"]}, "Choose conditions from the list"),  # tampered
        ({"slots": ["other-round"]}, "Choose times from this round&#39;s list"),
        ({"slots": ["9999999"]}, "Choose times from this round&#39;s list"),
        ({"slots": ["x1"]}, "Choose times from this round&#39;s list"),
        ({"max_sessions": "0"}, "Enter the most sessions you want, a whole number from 1 to 20"),
        ({"max_sessions": "lots"}, "Enter the most sessions you want, a whole number from 1 to 20"),
        ({"wants": ["1"]}, "Choose organisations from the list"),  # creatives do not choose
    ],
)
def test_bad_input_says_how_to_fix_and_saves_nothing(app, client, creative, make_round, outbox, data, message):
    round_id = make_round(conditions=("stroke", "dementia", "parkinsons"))
    other_round = make_round()
    slugs = {"cancer", "parkinsons", "stroke"}
    ids = dict(zip(sorted(slugs), condition_ids(app, *sorted(slugs)), strict=True))
    stroke = ids["stroke"]
    first = slot_ids(app, round_id)[0]
    posted = {"conditions": [str(stroke)], f"strength-{stroke}": "2", "slots": [str(first)], "max_sessions": "2"}
    if "conditions" in data:
        posted["conditions"] = [str(ids.get(c, c)) for c in data["conditions"]]
        for c in data["conditions"]:
            posted[f"strength-{ids.get(c, c)}"] = "2"
    if "strength" in data:
        posted[f"strength-{stroke}"] = data["strength"]
    if "slots" in data:
        posted["slots"] = [str(slot_ids(app, other_round)[0]) if s == "other-round" else s for s in data["slots"]]
    if "max_sessions" in data:
        posted["max_sessions"] = data["max_sessions"]
    if "wants" in data:
        posted["wants"] = data["wants"]
    response = _post_form(client, round_id, posted)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert page.startswith("<!DOCTYPE html>") and "<title>Error:" in page
    # What was typed is kept.
    assert f'value="{posted["max_sessions"]}"' in page
    # Checking afterwards does not save the bad choices either.
    assert client.get(f"/rounds/{round_id}/interest/check").status_code == 302
    assert _registrations(app) == []
    assert outbox(to=creative.email) == []


def test_draft_and_closed_rounds_refuse_registration(app, client, creative, make_round):
    stroke = condition_ids(app, "stroke")[0]
    for status, text in (("draft", "This round is not open for registration"), ("closed", "Registration has closed")):
        round_id = make_round(status=status)
        first = slot_ids(app, round_id)[0]
        page = client.get(f"/rounds/{round_id}/interest")
        assert page.status_code == 200 and text in page.get_data(as_text=True)
        posted = client.post(
            f"/rounds/{round_id}/interest",
            data={
                "csrf_token": csrf_token(client.get("/rounds/").get_data(as_text=True)),
                "conditions": [str(stroke)],
                f"strength-{stroke}": "3",
                "slots": [str(first)],
                "max_sessions": "1",
            },
        )
        assert text in posted.get_data(as_text=True)
    assert _registrations(app) == []
    assert client.get("/rounds/999999/interest").status_code == 404


def test_someone_without_a_profile_is_sent_to_create_one(app, client, make_user, sign_in, make_round):
    sign_in(make_user("commissioner"))
    round_id = make_round()
    page = client.get(f"/rounds/{round_id}/interest").get_data(as_text=True)
    assert "Create your profile first" in page


def test_another_persons_registration_is_not_found(app, client, make_user, make_profile, sign_in, make_round, creative):
    round_id = make_round()
    stroke = condition_ids(app, "stroke")[0]
    first = slot_ids(app, round_id)[0]
    _post_form(
        client,
        round_id,
        {"conditions": [str(stroke)], f"strength-{stroke}": "3", "slots": [str(first)], "max_sessions": "1"},
    )
    _confirm(client, round_id)
    (registration,) = _registrations(app)
    client.post("/account/sign-out", data={"csrf_token": csrf_token(client.get("/").get_data(as_text=True))})

    other = make_user("creative")
    make_profile(other)
    sign_in(other)
    assert client.get(f"/rounds/registrations/{registration['id']}").status_code == 404
    page = client.get("/rounds/").get_data(as_text=True)
    response = client.post(
        f"/rounds/registrations/{registration['id']}/withdraw", data={"csrf_token": csrf_token(page)}
    )
    assert response.status_code == 404
    assert len(_registrations(app)) == 1


def test_withdraw_own_registration(app, client, creative, make_round):
    round_id = make_round()
    stroke = condition_ids(app, "stroke")[0]
    first = slot_ids(app, round_id)[0]
    _post_form(
        client,
        round_id,
        {"conditions": [str(stroke)], f"strength-{stroke}": "3", "slots": [str(first)], "max_sessions": "1"},
    )
    _confirm(client, round_id)
    (registration,) = _registrations(app)
    page = client.get(f"/rounds/registrations/{registration['id']}").get_data(as_text=True)
    client.post(f"/rounds/registrations/{registration['id']}/withdraw", data={"csrf_token": csrf_token(page)})
    assert _registrations(app) == []


def test_link_worker_defaults_to_profile_capacity_and_chooses_whom_to_meet(
    app, client, make_user, make_profile, sign_in, make_round, outbox
):
    listed = make_user("creative")
    make_profile(listed, organisation="Dawns Dyfed", directory_consent=True)
    hidden = make_user("creative")
    make_profile(hidden, organisation="Hidden Arts", directory_consent=False)
    worker = make_user("link_worker", language="cy")
    make_profile(worker, conditions=("dementia",), languages=("cy", "en"), capacity=4)
    sign_in(worker)
    round_id = make_round()
    dementia = condition_ids(app, "dementia")[0]
    first = slot_ids(app, round_id)[0]
    form = client.get(f"/rounds/{round_id}/interest").get_data(as_text=True)
    assert 'id="max_sessions" name="max_sessions" type="text" value="4"' in form or re.search(
        r'id="max_sessions"[^>]*value="4"', form
    )
    assert "Dawns Dyfed" in form and "Hidden Arts" not in form

    refused = _post_form(
        client,
        round_id,
        {
            "conditions": [str(dementia)],
            f"strength-{dementia}": "2",
            "slots": [str(first)],
            "max_sessions": "4",
            "wants": [str(hidden.id)],
        },
    )
    assert refused.status_code == 200 and 'href="#wants"' in refused.get_data(as_text=True)

    _post_form(
        client,
        round_id,
        {
            "conditions": [str(dementia)],
            f"strength-{dementia}": "2",
            "slots": [str(first)],
            "max_sessions": "4",
            "wants": [str(listed.id)],
        },
    )
    check = client.get(f"/rounds/{round_id}/interest/check").get_data(as_text=True)
    assert "Dawns Dyfed" in check
    _confirm(client, round_id)
    (registration,) = _registrations(app)
    assert registration["wants"] == [listed.id] and registration["max_sessions"] == 4
    (email,) = outbox(to=worker.email)
    # The email is in the person's language: the slot reads as a Welsh date.
    assert "10yb ddydd Llun 1 Mawrth 2027" in email.text_body
    assert "Dawns Dyfed" in email.text_body


def test_open_rounds_list(app, client, creative, make_round):
    make_round(status="open", title_en="Open one")
    make_round(status="draft", title_en="Draft one")
    page = client.get("/rounds/").get_data(as_text=True)
    assert "Open one" in page and "Draft one" not in page


def test_export_and_erase_personal_data(app, client, creative, make_round):
    round_id = make_round()
    stroke = condition_ids(app, "stroke")[0]
    first = slot_ids(app, round_id)[0]
    _post_form(
        client,
        round_id,
        {"conditions": [str(stroke)], f"strength-{stroke}": "3", "slots": [str(first)], "max_sessions": "1"},
    )
    _confirm(client, round_id)
    from matchmaker.accounts import service as accounts
    from matchmaker.extensions import db
    from matchmaker.models import User

    with app.app_context():
        user = db.session.get(User, creative.id)
        data = accounts.export_data(user)
        from matchmaker.interest.service import erase_registrations, export_registrations

        exported = export_registrations(user)
        assert exported["registrations"][0]["conditions"] == {"stroke": 3}
        assert exported["registrations"][0]["slots"] == ["2027-03-01T10:00:00+00:00"]
        assert data["registrations"] == exported["registrations"]
        assert export_registrations in accounts.EXPORTERS and erase_registrations in accounts.ERASERS
        accounts.erase(user)
        db.session.commit()
    assert _registrations(app) == []


@pytest.mark.parametrize("value", ["²", "9" * 30])
def test_max_sessions_in_odd_digits_is_a_form_error(app, client, creative, make_round, value):
    """Issue 13: '²' passes str.isdigit() but breaks int(); it was a 500."""
    round_id = make_round()
    (stroke,) = condition_ids(app, "stroke")
    first = slot_ids(app, round_id)[0]
    response = _post_form(
        client,
        round_id,
        {"conditions": [str(stroke)], f"strength-{stroke}": "1", "slots": [str(first)], "max_sessions": value},
    )
    assert response.status_code == 200
    assert "Enter the most sessions you want, a whole number from 1 to" in response.get_data(as_text=True)
    response = _post_form(client, round_id, {"conditions": [str(stroke), "²"], "slots": [str(first)]})
    assert response.status_code == 200
