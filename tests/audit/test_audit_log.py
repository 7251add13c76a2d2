"""The audit log: organiser actions, sign-ins and password changes; the organiser's page, filters, pages, CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from matchmaker.extensions import db
from matchmaker.models import AuditEvent, User
from tests.accounts.support import signed_in_client, text
from tests.helpers import PASSWORD, csrf_token


def events(app: Any) -> list[tuple[str, int | None, str | None, int | None, str | None]]:
    """(action, actor id, target type, target id, address) of every event, oldest first."""
    with app.app_context():
        return [
            (e.action, e.actor_id, e.target_type, e.target_id, e.ip_address)
            for e in db.session.query(AuditEvent).order_by(AuditEvent.id)
        ]


def test_approving_rejecting_and_deactivating_are_recorded_with_who_what_and_from_where(app, make_user):
    organiser = make_user("organiser")
    client = signed_in_client(app, organiser)
    waiting, refused = make_user("link_worker", approved=False), make_user("commissioner", approved=False)
    token = csrf_token(text(client.get(f"/organiser/accounts/{waiting.id}")))
    env = {"REMOTE_ADDR": "192.0.2.7"}
    client.post(f"/organiser/accounts/{waiting.id}/approve", data={"csrf_token": token}, environ_base=env)
    client.post(f"/organiser/accounts/{refused.id}/reject", data={"csrf_token": token, "reason": "Not in Wales"})
    client.post(f"/organiser/accounts/{waiting.id}/deactivate", data={"csrf_token": token})
    assert events(app) == [
        ("account_approved", organiser.id, "users", waiting.id, "192.0.2.7"),
        ("account_rejected", organiser.id, "users", refused.id, "127.0.0.1"),
        ("account_deactivated", organiser.id, "users", waiting.id, "127.0.0.1"),
    ]
    with app.app_context():  # the reason someone typed is not copied into the log
        assert all(e.detail == {} for e in db.session.query(AuditEvent))


def test_sign_in_and_password_changes_are_recorded(app, make_user, client, sign_in):
    user = make_user()
    sign_in(user)
    token = csrf_token(text(client.get("/account/change-password")))
    client.post(
        "/account/change-password",
        data={"csrf_token": token, "current_password": PASSWORD, "password": "lantern-river-quietly-77"},
    )
    assert [(action, actor) for action, actor, *_ in events(app)] == [
        ("sign_in", user.id),
        ("password_changed", user.id),
    ]


def test_the_page_filters_pages_and_is_for_organisers_only(app, make_user):
    organiser = make_user("organiser", name="Olwen Organiser")
    other = make_user("organiser", name="Owain Arall")
    from matchmaker.audit import service

    with app.app_context():
        for _ in range(55):
            service.record(db.session.get(User, organiser.id), "mail_retried")
        service.record(db.session.get(User, other.id), "reference_edited")
        db.session.commit()
    client = signed_in_client(app, organiser)
    page = text(client.get("/organiser/audit"))
    assert page.count("Retried a failed email") == 49 + 1  # 49 rows and the filter's option
    assert "Edited reference data" in page and "Olwen Organiser" in page
    assert 'rel="next"' in page
    second = text(client.get("/organiser/audit?page=2"))
    assert second.count("Retried a failed email") == 6 + 1 and 'rel="prev"' in second
    filtered = text(client.get(f"/organiser/audit?action=reference_edited&actor={other.id}"))
    assert "Owain Arall" in filtered and filtered.count("Retried a failed email") == 1
    for hostile in ("?page=²", "?page=" + "9" * 30, "?action=%00", "?actor=-1"):
        assert client.get("/organiser/audit" + hostile).status_code in (200, 404), hostile
    creative = signed_in_client(app, make_user())
    assert creative.get("/organiser/audit").status_code == 403
    assert creative.get("/organiser/audit.csv").status_code == 403


def test_the_csv_has_every_filtered_event_and_no_formulas(app, make_user):
    organiser = make_user("organiser", name="=cmd|' /C calc'!A0")
    from matchmaker.audit import service

    with app.app_context():
        service.record(db.session.get(User, organiser.id), "draft_published", detail={"round": 1})
        service.record(db.session.get(User, organiser.id), "mail_retried")
        db.session.commit()
    client = signed_in_client(app, organiser)
    raw = client.get("/organiser/audit.csv?action=draft_published").get_data().decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(raw)))
    assert header == ["When (Wales time)", "Who", "Account", "What", "Target", "From"]
    assert len(rows) == 1
    assert rows[0][1] == "'=cmd|' /C calc'!A0" and rows[0][3] == "Published a draft"


def test_erasure_keeps_the_events_but_not_the_name_or_addresses(app, make_user, client, sign_in):
    user = make_user(name="Siân Hughes")
    sign_in(user)
    token = csrf_token(text(client.get("/account/delete")))
    client.post("/account/delete", data={"csrf_token": token, "current_password": PASSWORD})
    recorded = events(app)
    assert [action for action, *_ in recorded] == ["sign_in", "account_erased"]
    assert all(actor == user.id and address is None for _, actor, _, _, address in recorded[:1])
    organiser = signed_in_client(app, make_user("organiser"))
    page = text(organiser.get("/organiser/audit"))
    assert "Siân Hughes" not in page and "Deleted user" in page
    organiser.get("/language/cy")
    assert "Defnyddiwr wedi&#39;i ddileu" in text(organiser.get("/organiser/audit"))
