"""Every page of the site, for the axe-core sweep in both languages.

ADDING A PAGE: append one `Visit(endpoint, role, url)` (tests/browser/visits.py) to PAGES. `url` receives a `Setup`
(the signed-in user, if any, plus `make_user` and an app context helper) and returns the
path to open. Give `submit` (a CSS selector for the button) when the page has a form whose
empty submission shows an error summary. `test_every_get_route_is_in_the_page_list` fails
when a GET route has no entry here and no reason in NOT_PAGES.
"""

from __future__ import annotations

from typing import Any

from tests.browser.booking_pages import BOOKING_NOT_PAGES, BOOKING_PAGES
from tests.browser.data import with_profile
from tests.browser.invite_pages import INVITE_NOT_PAGES, INVITE_PAGES
from tests.browser.joining_pages import JOINING_PAGES
from tests.browser.listing_pages import LISTING_NOT_PAGES, LISTING_PAGES
from tests.browser.matching_pages import MATCHING_NOT_PAGES, MATCHING_PAGES
from tests.browser.organiser_pages import ORGANISER_NOT_PAGES, ORGANISER_PAGES
from tests.browser.outcome_pages import OUTCOME_NOT_PAGES, OUTCOME_PAGES
from tests.browser.round_pages import ROUND_PAGES
from tests.browser.visits import ANONYMOUS, CREATIVE, ORGANISER, PENDING, SUBMIT, UNVERIFIED, Setup, Visit, fixed


def _reset_link(setup: Setup) -> str:
    """A real, unused password reset link for a new user."""
    from matchmaker.accounts import tokens
    from matchmaker.extensions import db
    from matchmaker.models import User

    user = setup.make_user("creative")
    token = setup.run(lambda: tokens.make_token(tokens.RESET, db.session.get(User, user.id)))
    return f"/account/reset-password/{token}"


def _pending_account(setup: Setup) -> str:
    """The organiser's page for a link worker waiting for approval."""
    user = setup.make_user("link_worker", approved=False, name="Nia Pritchard")
    return f"/organiser/accounts/{user.id}"


def _outbox_message(setup: Setup) -> str:
    """The organiser's view of a real verification email in the outbox."""
    from matchmaker.accounts import service
    from matchmaker.extensions import db
    from matchmaker.models import OutboxMessage, User

    user = setup.make_user("creative", verified=False, name="Owain Gruffydd")

    def queue() -> int:
        service.send_verification(db.session.get(User, user.id))
        db.session.commit()
        return db.session.scalars(db.select(OutboxMessage.id).where(OutboxMessage.user_id == user.id)).one()

    return f"/organiser/outbox/{setup.run(queue)}"


def _outbox_list(setup: Setup) -> str:
    """The outbox with one message in it, so the table is checked too."""
    _outbox_message(setup)
    return "/organiser/outbox"


def _accounts_list(setup: Setup) -> str:
    """The approval queue with someone in it, so the table is checked too."""
    _pending_account(setup)
    return "/organiser/accounts"


def _expire_csrf(page: Any) -> None:
    """Submit the sign-in form with a stale CSRF token: the 'page expired' page."""
    page.locator("input[name=csrf_token]").evaluate("input => { input.value = 'expired' }")
    page.locator("#email").fill("someone@example.org")
    page.locator("#password").fill("not-the-password-at-all")
    page.locator(SUBMIT).click()


def _reference(setup: Setup) -> None:
    """The standard conditions, art forms and health boards (the database is emptied between tests)."""
    from matchmaker.reference.seed import seed_reference_data

    setup.run(seed_reference_data)


def _reference_list(setup: Setup) -> str:
    """The organiser's reference data tables."""
    _reference(setup)
    return "/organiser/reference/"


def _reference_new(setup: Setup) -> str:
    """The form to add a condition (empty submission: names missing)."""
    _reference(setup)
    return "/organiser/reference/conditions/new"


def _reference_edit(setup: Setup) -> str:
    """The form to change a condition."""
    from matchmaker.extensions import db
    from matchmaker.models import Condition

    _reference(setup)
    condition_id = setup.run(lambda: db.session.scalar(db.select(Condition.id).where(Condition.slug == "parkinsons")))
    return f"/organiser/reference/conditions/{condition_id}"


def _demo_people(setup: Setup) -> None:
    """The demo's creative organisations, link workers and commissioners (with their profiles)."""
    from matchmaker.demo.people import load_demo_people

    setup.run(load_demo_people)


def _profile_form(setup: Setup) -> str:
    """The signed-in person's profile form (its first step)."""
    _reference(setup)
    return "/profile/edit"


def _profile_step(slug: str) -> Any:
    """One step of the signed-in person's profile form."""

    def url(setup: Setup) -> str:
        _reference(setup)
        return f"/profile/edit/{slug}"

    return url


# Every step of every role's profile form; the directory step has no required answer (no error state).
PROFILE_STEPS = [
    *[(CREATIVE, slug) for slug in ("about", "conditions", "art-forms", "where", "work", "description")],
    ("commissioner", "about"),
    ("commissioner", "conditions"),
    ("commissioner", "where"),
    ("link_worker", "about"),
    ("link_worker", "where"),
    ("link_worker", "conditions"),
    ("link_worker", "sessions"),
]


def _profile_start(setup: Setup) -> str:
    """'Your profile' before there is one: the start page."""
    _reference(setup)
    return "/profile"


def _own_profile(setup: Setup) -> str:
    """'Your profile' with a saved commissioner's profile."""
    with_profile(setup, job_title="Wellbeing Commissioner")
    return "/profile"


def _creative_profile_by_id(setup: Setup) -> str:
    """An organiser reading a creative's profile by its id."""
    from matchmaker.extensions import db
    from matchmaker.models import CreativeProfile

    _demo_people(setup)
    return f"/profile/creative/{setup.run(lambda: db.session.scalar(db.select(db.func.min(CreativeProfile.id))))}"


def _check_profile(page: Any) -> None:
    """Fill in the link worker's profile, step by step, and continue to 'Check your answers'."""

    def go_on() -> None:
        with page.expect_navigation():
            page.locator(SUBMIT).click()

    if page.evaluate("location.pathname") == "/profile/check":
        return  # filled in already, in the other language: the draft waits on the server
    page.locator("#employer").fill("Elmfield Health Centre")
    go_on()
    page.locator("input[name=health_board]").first.check()
    page.locator("input[name=languages][value=en]").check()
    go_on()
    page.locator("input[name=conditions]").first.check()
    go_on()
    page.locator("#capacity").fill("3")
    go_on()


def _directory(setup: Setup) -> str:
    """The directory with the demo organisations (more than one page of them)."""
    _demo_people(setup)
    return "/directory?page=2"


def _directory_search(setup: Setup) -> str:
    """The directory filtered, with a tampered filter (the error summary)."""
    _demo_people(setup)
    return "/directory?q=c&language=cy&condition=not-a-condition"


def _directory_entry(setup: Setup) -> str:
    """A Welsh-speaking demo organisation's page (descriptions in both languages)."""
    from matchmaker.extensions import db
    from matchmaker.models import CreativeProfile

    _demo_people(setup)
    return "/directory/" + str(
        setup.run(
            lambda: db.session.scalar(
                db.select(CreativeProfile.id).where(CreativeProfile.organisation_name == "Côr Bryn Menai")
            )
        )
    )


PAGES: list[Visit] = [
    Visit("main.home", ANONYMOUS, fixed("/")),
    Visit("main.home", CREATIVE, fixed("/")),
    Visit("main.home", ORGANISER, fixed("/")),
    Visit("main.home", UNVERIFIED, fixed("/")),
    Visit("main.accessibility", ANONYMOUS, fixed("/accessibility")),
    Visit("main.privacy", ANONYMOUS, fixed("/privacy")),
    Visit("main.cookies", ANONYMOUS, fixed("/cookies")),
    Visit("accounts.sign_up", ANONYMOUS, fixed("/account/sign-up"), submit=SUBMIT),
    Visit("accounts.sign_in", ANONYMOUS, fixed("/account/sign-in"), submit=SUBMIT),
    Visit("accounts.check_email", ANONYMOUS, fixed("/account/check-your-email")),
    Visit("accounts.forgot_password", ANONYMOUS, fixed("/account/forgot-password"), submit=SUBMIT),
    Visit("accounts.reset_sent", ANONYMOUS, fixed("/account/forgot-password/sent")),
    Visit("accounts.reset_password", ANONYMOUS, _reset_link, submit=SUBMIT),
    Visit("accounts.verify_email", ANONYMOUS, fixed("/account/verify/not-a-real-token"), status=400),
    Visit("accounts.confirm_email_change", CREATIVE, fixed("/account/change-email/not-a-real-token"), status=400),
    Visit("accounts.verify_needed", UNVERIFIED, fixed("/account/verify-needed")),
    Visit("accounts.awaiting_approval", PENDING, fixed("/account/awaiting-approval")),
    Visit("accounts.account", CREATIVE, fixed("/account/")),
    Visit("accounts.change_password", CREATIVE, fixed("/account/change-password"), submit=SUBMIT),
    Visit("accounts.change_email", CREATIVE, fixed("/account/change-email"), submit=SUBMIT),
    Visit("accounts.language", CREATIVE, fixed("/account/language")),
    Visit("accounts.delete_account", CREATIVE, fixed("/account/delete"), submit=SUBMIT),
    Visit("organiser.accounts", ORGANISER, _accounts_list),
    Visit("organiser.account", ORGANISER, _pending_account, submit="form[action$='/reject'] button[type=submit]"),
    Visit("organiser.new_organiser", ORGANISER, fixed("/organiser/organisers/new"), submit=SUBMIT),
    Visit("mail.outbox", ORGANISER, _outbox_list),
    Visit("mail.outbox_message", ORGANISER, _outbox_message),
    Visit("audit.index", ORGANISER, fixed("/organiser/audit")),
    Visit("reference.index", ORGANISER, _reference_list),
    Visit("reference.new", ORGANISER, _reference_new, submit=SUBMIT),
    Visit("reference.edit", ORGANISER, _reference_edit),
    Visit("profiles.show", CREATIVE, _profile_start),
    Visit("profiles.show", "commissioner", _own_profile),
    Visit("profiles.edit", CREATIVE, _profile_form, submit=SUBMIT),
    *[Visit("profiles.step", role, _profile_step(slug), submit=SUBMIT) for role, slug in PROFILE_STEPS],
    Visit("profiles.step", CREATIVE, _profile_step("directory")),
    Visit("profiles.check", "link_worker", _profile_form, reach=_check_profile),
    Visit("profiles.view", ORGANISER, _creative_profile_by_id),
    Visit("directory.index", "commissioner", _directory),
    Visit("directory.index", "link_worker", _directory_search),
    Visit("directory.organisation", ORGANISER, _directory_entry),
    Visit("errors.not_found", ANONYMOUS, fixed("/no-such-page"), status=404),
    Visit("errors.forbidden", CREATIVE, fixed("/organiser/accounts"), status=403),
    Visit("errors.csrf", ANONYMOUS, fixed("/account/sign-in"), status=400, reach=_expire_csrf),
]

# GET routes that are not HTML pages, and why they are left out of the sweep.
NOT_PAGES: dict[str, str] = {
    "static": "stylesheets, scripts and images",
    "main.healthz": "plain-text liveness check",
    "main.switch_language": "redirects back to the page it came from (used by every Welsh visit)",
    "accounts.my_data": "a JSON download",
    "rounds.export": "a CSV download",
    "audit.export": "a CSV download",
}

PAGES += ROUND_PAGES + INVITE_PAGES + BOOKING_PAGES + MATCHING_PAGES + JOINING_PAGES
NOT_PAGES.update(INVITE_NOT_PAGES)
NOT_PAGES.update(BOOKING_NOT_PAGES)
NOT_PAGES.update(MATCHING_NOT_PAGES)
PAGES += ORGANISER_PAGES
NOT_PAGES.update(ORGANISER_NOT_PAGES)
PAGES += OUTCOME_PAGES
NOT_PAGES.update(OUTCOME_NOT_PAGES)
PAGES += LISTING_PAGES
NOT_PAGES.update(LISTING_NOT_PAGES)
