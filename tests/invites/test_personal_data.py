"""Attendances in "download my data" and "delete my account": the session stays for the others."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def test_export_and_erase_attendances(
    app: Any, people: dict[str, Any], make_session: Callable[..., int], in_app: Callable[..., Any]
) -> None:
    import matchmaker.invites.routes  # noqa: F401  (registers the exporter and eraser, as the app does)
    from matchmaker.accounts import service as accounts
    from matchmaker.extensions import db
    from matchmaker.invites import service
    from matchmaker.invites.details import others_attending
    from matchmaker.models import ConsultationSession, User

    tom, priya = people["tom"], people["priya"]
    session_id = make_session([(tom, "creative"), (priya, "commissioner")])
    in_app(session_id, service.session_published)

    with app.app_context():
        user = db.session.get(User, tom.id)
        data = accounts.export_data(user)
        (row,) = data["sessions"]
        assert row["condition"] == "Stroke" and row["answer"] == "NEEDS-ACTION" and row["role"] == "creative"
        old_feed = user.feed_token
        accounts.erase(user)
        db.session.commit()

    with app.app_context():
        session = db.session.get(ConsultationSession, session_id)
        assert session is not None and len(session.attendees) == 2  # the session stays
        assert [p.name for p in others_attending(session)] == ["Priya Shah"]
        assert service.user_by_feed_token(old_feed) is None
        assert db.session.get(User, tom.id).feed_token != old_feed


def test_erasure_takes_the_name_and_organisation_out_of_others_stored_invitations(
    app: Any,
    people: dict[str, Any],
    make_session: Callable[..., int],
    in_app: Callable[..., Any],
    outbox: Callable[..., list[Any]],
) -> None:
    """Issue 13, finding 7: 39 invitations to others still carried an erased person's name and organisation."""
    import matchmaker.invites.routes  # noqa: F401
    from matchmaker.accounts import service as accounts
    from matchmaker.extensions import db
    from matchmaker.invites import service
    from matchmaker.models import User
    from matchmaker.profiles.service import register

    register()
    sian, tom, priya = people["siân"], people["tom"], people["priya"]
    session_id = make_session([(sian, "creative"), (tom, "creative"), (priya, "commissioner")])
    in_app(session_id, service.session_published)
    (to_priya,) = outbox("priya@example.org")
    assert "Tom Price, Sound Minds Collective" in to_priya.text_body and "Tom Price" in (to_priya.html_body or "")
    with app.app_context():
        accounts.erase(db.session.get(User, tom.id))
        db.session.commit()
    assert outbox("tom@example.org") == []
    for message in outbox():
        for part in (message.text_body, message.html_body or "", (message.calendar or "").replace("\r\n ", "")):
            assert "Tom Price" not in part and "Sound Minds Collective" not in part
    (to_priya,) = outbox("priya@example.org")
    assert "Deleted user" in to_priya.text_body and "Siân Ŵyn Jones" in to_priya.text_body
    (to_sian,) = outbox("sian@example.org")  # Siân reads Welsh: the placeholder is in Welsh
    assert "Defnyddiwr wedi'i ddileu" in to_sian.text_body
    assert all(len(line.encode()) <= 75 for line in to_sian.calendar.split("\r\n"))


def test_a_deleted_user_is_named_in_the_page_s_language(
    app: Any, people: dict[str, Any], make_session: Callable[..., int], in_app: Callable[..., Any], client: Any
) -> None:
    """Issue 13: the stored "Deleted user" showed in English on Welsh pages."""
    from flask_babel import force_locale

    from matchmaker.accounts import service as accounts
    from matchmaker.extensions import db
    from matchmaker.models import User

    with app.app_context():
        user = db.session.get(User, people["tom"].id)
        accounts.erase(user)
        db.session.commit()
        with app.test_request_context():
            with force_locale("cy"):
                assert db.session.get(User, user.id).name == "Defnyddiwr wedi'i ddileu"
            with force_locale("en"):
                assert db.session.get(User, user.id).name == "Deleted user"
