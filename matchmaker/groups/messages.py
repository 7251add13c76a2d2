"""A message from the organisers to a group of people, through the outbox, in each person's language."""

from __future__ import annotations

import uuid

from flask import render_template
from flask_babel import force_locale

from matchmaker.mail.service import queue_email
from matchmaker.models import Round, User


def send_group_message(round_: Round, people: list[User], texts: dict[str, tuple[str, str]]) -> int:
    """Queue one email per person (language -> (subject, body)), Welsh to those who chose Welsh; how many."""
    batch = uuid.uuid4().hex
    sent = 0
    for person in {p.id: p for p in people if p.email}.values():
        language = "cy" if person.language == "cy" else "en"
        subject, body = texts[language]
        context = {"user": person, "body": body, "round": round_, "language": language}
        with force_locale(language):
            text = render_template("emails/group_message.txt", **context)
            html = render_template("emails/group_message.html", subject=subject, **context)
        queue_email(
            key=f"group:{batch}:{person.id}",
            to_address=person.email,
            to_name=person.name,
            subject=subject,
            text_body=text,
            html_body=html,
            user=person,
        )
        sent += 1
    return sent
