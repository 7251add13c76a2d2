"""Bulk import: problems by row and column with nothing written, idempotence, unclaimed profiles, invitations."""

from __future__ import annotations

import io

from matchmaker.directory import service as directory
from matchmaker.extensions import db
from matchmaker.models import CreativeProfile, OutboxMessage, User
from matchmaker.openreferral import service as feed
from tests.helpers import csrf_token, links_in
from tests.imports.support import csv_file, good_row


def _upload(client, data: bytes):
    page = client.get("/organiser/import").get_data(as_text=True)
    return client.post(
        "/organiser/import",
        data={"csrf_token": csrf_token(page), "file": (io.BytesIO(data), "organisations.csv")},
        content_type="multipart/form-data",
    )


def _confirm(client, preview_html: str):
    return client.post("/organiser/import/confirm", data={"csrf_token": csrf_token(preview_html)})


def _count(app, model):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_three_bad_rows_show_three_problems_and_nothing_is_written(client, app, make_user, sign_in, reference_data):
    sign_in(make_user("organiser"))
    users_before = _count(app, User)
    data = csv_file(
        good_row(1),
        good_row(2, email="not-an-address"),
        good_row(3, kind="orchestra"),
        good_row(4),
        good_row(5, health_boards="atlantis"),
    )
    page = _upload(client, data)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "3 rows have problems. Nothing has been imported." in html
    assert html.count('<tr class="govuk-table__row">') - 1 == 3  # three problems (plus the header row)
    assert "Not in the list: atlantis" in html and "<code>health_boards</code>" in html
    assert "Import and send invitations" not in html
    assert _count(app, User) == users_before and _count(app, CreativeProfile) == 0
    # The confirm step has nothing to import either.
    assert _confirm(client, html).status_code == 302
    assert _count(app, CreativeProfile) == 0


def test_problems_are_in_the_pages_language(client, app, make_user, sign_in, reference_data):
    sign_in(make_user("organiser"))
    client.get("/language/cy?next=/")
    html = _upload(client, csv_file(good_row(1, email="nope"))).get_data(as_text=True)
    assert "Rhowch gyfeiriad e-bost yn y fformat cywir" in html


def test_a_good_file_imports_once_as_unclaimed_hidden_profiles_with_invitations(
    client, app, make_user, sign_in, reference_data
):
    sign_in(make_user("organiser"))
    data = csv_file(good_row(1, public_email="hello@org1.example"), good_row(2))
    preview = _upload(client, data).get_data(as_text=True)
    assert "2 organisations will be created." in preview
    assert _count(app, CreativeProfile) == 0  # nothing until confirmed
    assert _confirm(client, preview).status_code == 302
    with app.app_context():
        users = list(db.session.scalars(db.select(User).order_by(User.id).where(User.email.like("contact%"))))
        assert [u.password_hash for u in users] == [None, None]
        assert directory.search().total == 0 and feed.services().total_items == 0
        invitations = list(
            db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.key.like("import-invitation:%")))
        )
        assert len(invitations) == 2
        assert "Show my organisation in the directory" in invitations[0].text_body
        claim = next(u for u in links_in(invitations[0].text_body) if "/account/reset-password/" in u)
    # Same file again: nothing changes.
    again = _upload(client, data).get_data(as_text=True)
    assert "0 organisations will be created." in again and "2 rows already have accounts" in again
    _confirm(client, again)
    assert _count(app, CreativeProfile) == 2
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) == 2
    # The invitation's link lets the contact choose a password (claim the account).
    client.post("/account/sign-out", data={"csrf_token": csrf_token(client.get("/account/").get_data(as_text=True))})
    assert client.get(claim.removeprefix("http://localhost")).status_code == 200


def test_the_template_downloads(client, make_user, sign_in):
    sign_in(make_user("organiser"))
    response = client.get("/organiser/import/template.csv")
    assert response.status_code == 200
    assert response.get_data(as_text=True).lstrip("\ufeff").startswith("email,contact_name,organisation_name,kind")


def test_only_organisers_import(client, make_user, sign_in):
    sign_in(make_user("creative"))
    assert client.get("/organiser/import").status_code == 403


def test_a_large_import_queues_every_invitation_in_one_go(client, app, make_user, sign_in, reference_data):
    from matchmaker.imports import service
    from matchmaker.models import OutboxStatus

    text = csv_file(*(good_row(n) for n in range(1, 61))).decode()
    with app.test_request_context():
        assert service.apply(text) == 60
        db.session.commit()
        statuses = list(db.session.scalars(db.select(OutboxMessage.status)))
        assert len(statuses) == 60 and set(statuses) == {OutboxStatus.QUEUED}
        assert service.apply(text) == 0  # idempotent by email


def test_a_spreadsheet_bigger_than_any_form_can_be_uploaded_but_not_to_other_pages(
    client, app, make_user, sign_in, reference_data
):
    rows = [good_row(n, description_en="x" * 300) for n in range(1, 4001)]
    data = csv_file(*rows)
    assert len(data) > app.config["MAX_CONTENT_LENGTH"]
    sign_in(make_user("organiser"))
    page = _upload(client, data)
    assert page.status_code == 200
    assert "4000 organisations will be created." in page.get_data(as_text=True)
    assert client.post("/account/sign-in", data={"x": "y" * (app.config["MAX_CONTENT_LENGTH"] + 10)}).status_code == 413
