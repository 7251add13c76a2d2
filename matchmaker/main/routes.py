"""Home, accessibility statement, privacy notice, cookies and the language switch."""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, request, session, url_for
from flask_login import current_user

from matchmaker.extensions import db
from matchmaker.web.i18n import LANGUAGES
from matchmaker.web.security import public, safe_next

bp = Blueprint("main", __name__)


@bp.route("/")
@public
def home() -> str:
    """What Cyswllt is, or the signed-in person's next steps."""
    return render_template("main/home.html")


@bp.route("/accessibility")
@public
def accessibility() -> str:
    """The accessibility statement."""
    return render_template("main/accessibility.html")


@bp.route("/privacy")
@public
def privacy() -> str:
    """The privacy notice (UK GDPR articles 13 and 14)."""
    return render_template("main/privacy.html")


@bp.route("/cookies")
@public
def cookies() -> str:
    """The cookies page (the GOV.UK pattern: essential cookies only)."""
    return render_template("main/cookies.html")


@bp.route("/language/<code>", methods=["GET", "POST"])
@public
def switch_language(code: str) -> Response:
    """Switch the pages between Cymraeg and English; only a POST (CSRF-checked) stores it for emails too.

    A GET can be triggered by any other site (a link, an image), so it changes nothing stored.
    """
    if code not in LANGUAGES:
        abort(404)
    session["lang"] = code
    if request.method == "POST" and current_user.is_authenticated and current_user.language != code:
        current_user.language = code
        db.session.commit()
    return redirect(safe_next(request.values.get("next"), url_for("main.home")))


@bp.route("/healthz")
@public
def healthz() -> Response:
    """A liveness check for the load balancer: the database answers."""
    db.session.execute(db.text("SELECT 1"))
    return Response("ok", mimetype="text/plain")
