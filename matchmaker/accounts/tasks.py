"""Huey tasks for accounts: the reset email comes from a job, so the page takes as long either way."""

from __future__ import annotations

from matchmaker.jobs.queue import app_context, huey


@huey.task()
def send_password_reset_if_registered(email: str) -> bool:
    """Queue a reset email if this address has an active account; True if one was queued."""
    from matchmaker.accounts import service
    from matchmaker.extensions import db

    with app_context():
        user = service.find_by_email(email)
        if user is None or not user.is_active:
            return False
        service.send_password_reset(user)
        db.session.commit()
        return True
