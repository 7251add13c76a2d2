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
