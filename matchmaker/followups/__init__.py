"""Follow-ups: a week and six months after a session, what has happened since."""
