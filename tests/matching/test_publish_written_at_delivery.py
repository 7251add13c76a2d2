"""Publishing queues compact invitation rows; the delivery job writes each one (in the person's language).

A journey across matching (publish), mail (the outbox and its delivery job) and invites (the
invitation, the person's sessions page), in English and Welsh.
"""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def welsh_creative(app: Any, seeded: Any) -> Any:
    """Creative 1 reads Welsh (set before the round is published)."""
    from matchmaker.extensions import db
    from matchmaker.models import User

    with app.app_context():
        db.session.get(User, seeded.users["c1"].id).language = "cy"
        db.session.commit()
    return seeded.users["c1"]


def test_published_invitations_are_written_at_delivery_in_each_language(
    app: Any, client: Any, seeded: Any, welsh_creative: Any, published_round: int, outbox: Any, sign_in: Any
) -> None:
    invitations = [m for m in outbox() if m.key.startswith("invite:")]
    assert invitations, "publishing queued no invitation"
    for message in invitations:  # every compact row was written by its delivery job
        assert message.render is None
        assert message.subject and message.text_body and message.html_body
        assert "METHOD:REQUEST" in message.calendar and message.calendar_method == "REQUEST"
    welsh = [m for m in invitations if m.to_address == welsh_creative.email]
    english = [m for m in invitations if m.to_address != welsh_creative.email]
    assert welsh and all(m.subject.startswith("Gwahoddiad: ") for m in welsh)
    assert english and all(m.subject.startswith("Invitation: ") for m in english)

    # The person invited finds the same session on their sessions page, in their language.
    sign_in(welsh_creative)
    client.get("/language/cy")
    page = client.get("/sessions").get_data(as_text=True)
    assert 'class="app-session' in page and "Sesiwn ymgynghori" in page
