"""'Your organisation' (its own page, linked from the profile), open sessions, confirming details, stale listings."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.extensions import db
from matchmaker.listings import service
from matchmaker.listings.forms import CareServiceForm, EmployerForm, OpenSessionForm, OrganisationForm
from matchmaker.models import Frequency, Role, utcnow
from matchmaker.web.forms import ConfirmForm
from matchmaker.web.security import organiser_only, public, role_required

bp = Blueprint("listings", __name__)
service.register()
creatives = role_required(Role.CREATIVE, approved=False)
with_profile = role_required(Role.CREATIVE, Role.COMMISSIONER, Role.LINK_WORKER, approved=False)
LABELS = service.LABELS


def _own_listing():  # noqa: ANN202
    profile = service.own_profile(current_user)
    if profile is None:
        return None, None
    return profile, service.listing_for(profile, create=True)


@bp.route("/profile/organisation", methods=["GET", "POST"])
@with_profile
def organisation() -> Response | str:
    """Your organisation: for creatives public contact, venue, accessibility, open sessions and the feed
    opt-in; for commissioners their service (secondary care teams); for link workers their employer."""
    if current_user.role != Role.CREATIVE:
        return _other_roles()
    profile, listing = _own_listing()
    if profile is None:
        flash(_("Create your profile first."), "info")
        return redirect(url_for("profiles.edit"))
    form = OrganisationForm(obj=listing)
    if form.validate_on_submit():
        service.save_details(
            listing,
            service.Details(
                feed_consent=bool(form.feed_consent.data),
                public_email=form.public_email.data or "",
                public_phone=form.public_phone.data or "",
                venue_name=form.venue_name.data or "",
                venue_address=form.venue_address.data or "",
                venue_town=form.venue_town.data or "",
                venue_postcode=form.venue_postcode.data or "",
                access_features=list(form.access_features.data or []),
                access_notes=form.access_notes.data or "",
            ),
            current_user,
        )
        db.session.commit()
        flash(_("Your organisation's details have been saved."), "success")
        return redirect(url_for("listings.organisation"))
    db.session.commit()  # the listing, if it was just made
    return render_template(
        "listings/organisation.html",
        form=form,
        profile=profile,
        listing=listing,
        remove=ConfirmForm(),
        listing_labels=LABELS,
    )


def _other_roles() -> Response | str:
    """A commissioner's service, or a link worker's employer."""
    profile = service.other_profile(current_user)
    if profile is None:
        flash(_("Create your profile first."), "info")
        return redirect(url_for("profiles.edit"))
    commissioner = current_user.role == Role.COMMISSIONER
    form = CareServiceForm(obj=profile) if commissioner else EmployerForm(obj=profile)
    if not commissioner and request.method == "GET" and profile.employer_kind is not None:
        form.employer_kind.data = profile.employer_kind.value
    if form.validate_on_submit():
        if commissioner:
            if profile.organisation_kind.value == "secondary_care_team" and not form.care_service.data:
                form.care_service.errors = [_("Enter the service your team provides")]
                return render_template("listings/other.html", form=form, profile=profile, commissioner=commissioner)
            service.save_care_service(profile, form.care_service.data or "")
        else:
            service.save_employer_kind(profile, form.employer_kind.data)
        db.session.commit()
        flash(_("Your organisation's details have been saved."), "success")
        return redirect(url_for("listings.organisation"))
    return render_template("listings/other.html", form=form, profile=profile, commissioner=commissioner)


@bp.route("/profile/organisation/sessions/new", methods=["GET", "POST"])
@creatives
def add_session() -> Response | str:
    """Add a regular open session."""
    profile, listing = _own_listing()
    if profile is None:
        return redirect(url_for("profiles.edit"))
    form = OpenSessionForm()
    if form.validate_on_submit():
        opens_at, closes_at = form.times()
        service.add_session(
            listing,
            name=form.name.data,
            frequency=Frequency(form.frequency.data),
            weekday=form.weekday.data,
            week_of_month=int(form.week_of_month.data) if form.week_of_month.data else None,
            opens_at=opens_at,
            closes_at=closes_at,
        )
        db.session.commit()
        flash(_("The open session has been added."), "success")
        return redirect(url_for("listings.organisation"))
    return render_template("listings/add_session.html", form=form)


@bp.route("/profile/organisation/sessions/<int:session_id>/remove", methods=["POST"])
@creatives
def remove_session(session_id: int) -> Response:
    """Remove one of your own open sessions (anyone else's is not found)."""
    profile, listing = _own_listing()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if profile is None or not service.remove_session(listing, session_id):
        abort(404)
    db.session.commit()
    flash(_("The open session has been removed."), "success")
    return redirect(url_for("listings.organisation"))


@bp.route("/listing/confirm/<token>", methods=["GET", "POST"])
@public
def confirm(token: str) -> Response | str:
    """The emailed link: one button confirms the details (and brings a hidden listing back)."""
    listing = service.read_check_token(token[:500])
    if listing is None:
        return render_template("listings/link_expired.html"), 404  # type: ignore[return-value]
    form = ConfirmForm()
    if form.validate_on_submit():
        was_hidden = service.confirm(listing, utcnow().date())
        db.session.commit()
        return render_template("listings/confirmed.html", was_hidden=was_hidden)
    profile = db.session.get(service.CreativeProfile, listing.profile_id)
    return render_template("listings/confirm.html", form=form, listing=listing, profile=profile, listing_labels=LABELS)


@bp.route("/organiser/listings/stale")
@organiser_only
def stale() -> str:
    """Organisations hidden for not confirming, waiting for an answer, or due to be asked."""
    return render_template("listings/stale.html", rows=service.staleness(utcnow().date()))
