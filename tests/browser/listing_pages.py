"""The axe sweep's pages for 'Your organisation', confirming details, stale listings and the feed's developer page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.browser.data import with_profile
from tests.browser.visits import ANONYMOUS, CREATIVE, ORGANISER, SUBMIT, Setup, Visit, fixed


def _listing(setup: Setup, user=None, **fields):  # noqa: ANN001, ANN003, ANN202
    """A listed creative profile with a listing holding one weekly and one monthly open session; its id."""
    from matchmaker.extensions import db
    from matchmaker.models import CreativeProfile
    from tests.factories import ListingFactory

    owner = user or setup.user
    with_profile(setup, owner, directory_consent=True)

    def work() -> int:
        profile_id = db.session.scalar(db.select(CreativeProfile.id).where(CreativeProfile.user_id == owner.id))
        listing = ListingFactory(
            profile=profile_id,
            venue_name="Neuadd y Dref",
            sessions=[
                ("Canu agored", "weekly", "TU", None, "14:00", "16:00"),
                ("Celf", "monthly", "SA", -1, "10:00", "12:00"),
            ],
            **fields,
        )
        return listing.id

    return setup.run(work)


def _organisation(setup: Setup) -> str:
    _listing(setup)
    return "/profile/organisation"


def _other_role(setup: Setup) -> str:
    """A commissioner's or link worker's 'Your organisation' (their service, or their employer)."""
    with_profile(setup)
    return "/profile/organisation"


def _add_session(setup: Setup) -> str:
    _listing(setup)
    return "/profile/organisation/sessions/new"


def _confirm(setup: Setup) -> str:
    """A real confirmation link for a hidden listing."""
    from matchmaker.extensions import db
    from matchmaker.listings import service
    from matchmaker.models import Listing

    listing_id = _listing(setup, setup.make_user("creative"), hidden_at=datetime.now(UTC))
    return "/listing/confirm/" + setup.run(lambda: service.check_token(db.session.get(Listing, listing_id)))


def _stale(setup: Setup) -> str:
    _listing(setup, setup.make_user("creative"), created_at=datetime.now(UTC) - timedelta(days=400))
    return "/organiser/listings/stale"


def _reference(setup: Setup) -> str:
    from matchmaker.reference.seed import seed_reference_data

    setup.run(seed_reference_data)
    return "/organiser/import"


def _upload_with_problems(page) -> None:  # noqa: ANN001
    """Upload a CSV with a problem in three rows: the preview lists them."""
    from tests.imports.support import csv_file, good_row

    data = csv_file(good_row(1, email="nope"), good_row(2, kind="orchestra"), good_row(3, languages="fr"))
    page.locator("#file").set_input_files(files=[{"name": "organisations.csv", "mimeType": "text/csv", "buffer": data}])
    with page.expect_navigation():
        page.locator(SUBMIT).click()


def _upload_good_file(page) -> None:  # noqa: ANN001
    """Upload a CSV with no problems: the preview offers to import."""
    from tests.imports.support import csv_file, good_row

    page.locator("#file").set_input_files(
        files=[{"name": "organisations.csv", "mimeType": "text/csv", "buffer": csv_file(good_row(1), good_row(2))}]
    )
    with page.expect_navigation():
        page.locator(SUBMIT).click()


LISTING_PAGES = [
    Visit("imports.upload", ORGANISER, _reference, submit=SUBMIT),
    Visit("imports.upload", ORGANISER, _reference, reach=_upload_with_problems),
    Visit("imports.upload", ORGANISER, _reference, reach=_upload_good_file),
    Visit("listings.organisation", CREATIVE, _organisation),
    Visit("listings.organisation", "commissioner", _other_role),
    Visit("listings.organisation", "link_worker", _other_role, submit=SUBMIT),
    Visit("listings.add_session", CREATIVE, _add_session, submit=SUBMIT),
    Visit("listings.confirm", ANONYMOUS, _confirm),
    Visit("listings.stale", ORGANISER, _stale),
    Visit("openreferral.about", ANONYMOUS, fixed("/openreferral/about")),
]
LISTING_NOT_PAGES = {
    "imports.template": "a CSV download",
} | {
    endpoint: "JSON of the Open Referral feed"
    for endpoint in (
        "openreferral.root",
        "openreferral.openapi",
        "openreferral.services",
        "openreferral.service_detail",
        "openreferral.taxonomies",
        "openreferral.taxonomy_detail",
        "openreferral.taxonomy_terms",
        "openreferral.taxonomy_term",
    )
}
