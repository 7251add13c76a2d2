"""Helpers shared by the matching tests."""

from __future__ import annotations


def publish_latest(app, round_id):
    """Publish the round's newest draft and commit; the publishing result."""
    from matchmaker.extensions import db
    from matchmaker.matching.drafts import latest_draft
    from matchmaker.matching.publish import publish
    from matchmaker.models import Round

    with app.test_request_context():
        result = publish(latest_draft(db.session.get(Round, round_id)))
        db.session.commit()
        return result
