"""A message to a group, through the outbox, in each person's language."""

from __future__ import annotations


def _welsh(app, user):
    from matchmaker.extensions import db
    from matchmaker.models import User

    with app.app_context():
        db.session.get(User, user.id).language = "cy"
        db.session.commit()


MESSAGE = {
    "subject_en": "Please answer your invitation",
    "body_en": "Hello,\n\nPlease tell us <b>whether</b> you can come.",
    "subject_cy": "Atebwch eich gwahoddiad",
    "body_cy": "Helo,\n\nDywedwch wrthym a allwch chi ddod.",
}


def test_everyone_who_has_not_answered_gets_the_message_in_their_language(
    app, client, submit, seeded, published_round, decline, organiser, sign_in, outbox
):
    name, _session = decline()
    _welsh(app, seeded.users["c2"])
    sign_in(organiser)
    page = f"/organiser/rounds/{seeded.round_id}/message?source=waiting"
    html = client.get(page).get_data(as_text=True)
    assert name not in html.split('id="recipients"')[1].split("</ul>")[0]  # they answered already
    empty = submit(page, {})
    assert empty.status_code == 200 and "Enter the subject in Welsh" in empty.get_data(as_text=True)
    before = len(outbox())
    done = submit(page, MESSAGE, follow_redirects=True)
    assert "See it in the outbox." in done.get_data(as_text=True)
    sent = outbox()[before:]
    with app.app_context():
        from sqlalchemy import select

        from matchmaker.extensions import db
        from matchmaker.models import SessionAttendee

        waiting = {
            a.user_id
            for a in db.session.scalars(select(SessionAttendee))
            if a.partstat.value == "NEEDS-ACTION" and a.removed_at is None
        }
    assert sorted(m.user_id for m in sent) == sorted(waiting)
    welsh = next(m for m in sent if m.user_id == seeded.users["c2"].id)
    english = next(m for m in sent if m.user_id != seeded.users["c2"].id)
    assert welsh.subject == "Atebwch eich gwahoddiad" and "Dywedwch wrthym" in welsh.text_body
    assert english.subject == "Please answer your invitation" and "&lt;b&gt;whether&lt;/b&gt;" in english.html_body


def test_registrants_are_chosen_with_the_overview_filters(app, client, submit, seeded, organiser, sign_in, outbox):
    sign_in(organiser)
    page = f"/organiser/rounds/{seeded.round_id}/message?role=link_worker"
    html = client.get(page).get_data(as_text=True)
    assert "2 people will get this message" in html
    before = len(outbox())
    submit(page, MESSAGE)
    sent = outbox()[before:]
    assert sorted(m.user_id for m in sent) == sorted([seeded.users["l1"].id, seeded.users["l2"].id])
    nobody = client.get(f"/organiser/rounds/{seeded.round_id}/message?group=no_commissioner").get_data(as_text=True)
    assert "Nobody is in this group" in nobody  # stroke has two commissioners
