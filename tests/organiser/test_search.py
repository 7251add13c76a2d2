"""Search and pages on the organiser's Accounts and Outbox lists."""

from __future__ import annotations

from matchmaker.extensions import db
from matchmaker.mail.outbox import queue_email
from tests.accounts.support import signed_in_client, text


def queue(app, n=1, key="search:", to_address=None, subject=None):
    """Queue n plain messages."""
    with app.app_context():
        for i in range(n):
            queue_email(
                key=f"{key}{i}",
                to_address=to_address or f"person{i}@example.org",
                subject=subject or f"Subject {i}",
                text_body=f"Body {i}",
            )
        db.session.commit()


def test_accounts_can_be_searched_by_name_or_address_and_come_in_pages(app, make_user):
    admin = signed_in_client(app, make_user("organiser", name="Siân Prydderch"))
    for i in range(52):
        make_user("creative", name=f"Person {i:02d}", email=f"person{i:02d}@example.org")
    bethan = make_user("creative", name="Bethan Gwanas", email="bg@awdur.example.org")
    first = text(admin.get("/organiser/accounts?status=all"))
    assert "54 accounts" in first and 'rel="next"' in first and first.count('href="/organiser/accounts/') == 50
    second = text(admin.get("/organiser/accounts?status=all&page=2"))
    assert second.count('href="/organiser/accounts/') == 4 and 'rel="prev"' in second and 'rel="next"' not in second
    by_name = text(admin.get("/organiser/accounts?status=all&q=gwanas"))
    assert "1 account<" in by_name and f"/organiser/accounts/{bethan.id}" in by_name
    by_address = text(admin.get("/organiser/accounts?status=all&q=AWDUR.example"))
    assert f"/organiser/accounts/{bethan.id}" in by_address and "Person 01" not in by_address
    assert "status=all" in first and 'value="gwanas"' in by_name  # the search is kept in the box


def test_the_outbox_can_be_searched_by_address_or_subject(app, make_user):
    admin = signed_in_client(app, make_user("organiser"))
    queue(app, 3)
    queue(app, 1, key="special:", to_address="rhys@example.org", subject="Croeso i Gyswllt")
    by_address = text(admin.get("/organiser/outbox?q=RHYS@"))
    assert "Croeso i Gyswllt" in by_address and "Subject 1<" not in by_address
    by_subject = text(admin.get("/organiser/outbox?q=subject 2"))
    assert "Subject 2<" in by_subject and "Croeso" not in by_subject
