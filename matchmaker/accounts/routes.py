"""Account pages: sign up, verify, sign in and out, reset, and "your account"."""

from __future__ import annotations

import hashlib
import json

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user

from matchmaker.accounts import service, tokens
from matchmaker.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    DeleteAccountForm,
    ForgotPasswordForm,
    LanguageForm,
    ResetPasswordForm,
    SignInForm,
    SignUpForm,
)
from matchmaker.accounts.passwords import hash_password, verify_password
from matchmaker.audit import service as audit
from matchmaker.extensions import db, limiter
from matchmaker.models import Role, utcnow
from matchmaker.web.forms import ConfirmForm
from matchmaker.web.security import public, role_required, safe_next

bp = Blueprint("accounts", __name__, url_prefix="/account")


def _clear_session() -> None:
    """Forget everything in the session except the language the person was reading in."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language


def _sign_in_limit() -> str:
    """The configured sign-in rate limit."""
    return current_app.config["SIGN_IN_RATE_LIMIT"]


def _email_digest() -> str:
    """A short hash of the submitted address, cut to an address's length first: keys stay small and hold no address."""
    email = service.normalise_email(request.form.get("email", "")[:254])
    return hashlib.sha256(email.encode()).hexdigest()[:32]


def _email_key() -> str:
    """Rate-limit key for a submitted address, so one account's inbox is not flooded from many IPs."""
    return "email:" + _email_digest()


def _account_and_address_key() -> str:
    """Rate-limit key for guesses at one account from one address: a stranger's guesses cannot lock the owner out."""
    return f"email:{_email_digest()}:{get_remote_address()}"


def _password_check_failed(response: Response) -> bool:
    """Count a current-password check only when the form comes back (a wrong password or another error)."""
    return response.status_code == 200


def _email_sent(response: Response) -> bool:
    """Count a change-email request only when it sent mail (the page redirects)."""
    return response.status_code == 302


def _user_key() -> str:
    """Rate-limit key for the signed-in person (whatever address they come from)."""
    return f"user:{current_user.id}" if current_user.is_authenticated else "user:anonymous"


# Change password, change email and delete account share one budget of password guesses.
password_checks = limiter.shared_limit(
    "10 per 15 minutes",
    scope="password-check",
    methods=["POST"],
    key_func=_user_key,
    deduct_when=_password_check_failed,
)


@bp.route("/sign-up", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
@public
def sign_up() -> Response | str:
    """Create an account, then ask the person to confirm their email address."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignUpForm()
    if request.method == "GET":
        form.language.data = session.get("lang") or (
            "cy" if request.accept_languages.best_match(["en", "cy"]) == "cy" else "en"
        )
    if form.validate_on_submit():
        existing = service.find_by_email(form.email.data)
        if existing is not None:
            # Do not reveal that the address is registered: tell its owner by email instead,
            # and spend the time a new account's hash would take, so timing does not tell either.
            hash_password(form.password.data)
            if existing.deleted_at is None:
                service.send_sign_up_attempt_notice(existing)
            db.session.commit()
            session["check_email"] = service.normalise_email(form.email.data)
            return redirect(url_for("accounts.check_email"))
        user = service.create_user(
            name=form.name.data,
            email=form.email.data,
            password=form.password.data,
            role=Role(form.role.data),
            language=form.language.data,
        )
        service.send_verification(user)
        db.session.commit()
        session["check_email"] = user.email
        return redirect(url_for("accounts.check_email"))
    return render_template("accounts/sign_up.html", form=form)


@bp.route("/check-your-email")
@public
def check_email() -> str:
    """Tell the person a link is on its way."""
    return render_template("accounts/check_email.html", email=session.get("check_email"))


@bp.route("/verify/<token>")
@public
def verify_email(token: str) -> Response | str:
    """Confirm an address from the emailed link."""
    found = tokens.read_token(tokens.VERIFY, token)
    if found is None or found[0].email != found[1].get("e"):
        return render_template("accounts/link_invalid.html"), 400  # type: ignore[return-value]
    user = found[0]
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        db.session.commit()
    flash(_("Your email address has been confirmed."), "success")
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    return redirect(url_for("accounts.sign_in"))


@bp.route("/verify-needed", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"], key_func=_user_key)
@role_required(verified=False, approved=False)
def verify_needed() -> Response | str:
    """Ask for the emailed link to be followed; offer to send it again."""
    if current_user.is_verified:
        return redirect(url_for("main.home"))
    form = ConfirmForm()
    if form.validate_on_submit():
        service.send_verification(current_user)
        db.session.commit()
        flash(_("We have sent you a new link."), "success")
        return redirect(url_for("accounts.verify_needed"))
    return render_template("accounts/verify_needed.html", form=form)


@bp.route("/awaiting-approval")
@role_required(approved=False)
def awaiting_approval() -> Response | str:
    """Commissioners and link workers wait here until an organiser approves them."""
    if current_user.is_approved:
        return redirect(url_for("main.home"))
    return render_template("accounts/awaiting_approval.html")


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"], key_func=_account_and_address_key)
@public
def sign_in() -> Response | str:
    """Sign in with email and password; errors never say whether the address is registered."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    if form.validate_on_submit():
        user = service.authenticate(form.email.data, form.password.data)
        if user is None or user.deleted_at is not None:
            form.email.errors = [_("Enter a correct email address and password")]
        elif not user.is_active:
            form.email.errors = [
                _("You cannot sign in to this account. Contact the organisers if you think this is wrong.")
            ]
        else:
            user.last_sign_in_at = utcnow()
            audit.record(user, "sign_in", user)
            db.session.commit()
            session.clear()
            login_user(user)
            session["lang"] = user.language
            return redirect(safe_next(request.args.get("next"), url_for("main.home")))
        form.password.data = ""
    return render_template("accounts/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
@role_required(verified=False, approved=False)
def sign_out() -> Response:
    """Sign out of every browser, not just this one."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    current_user.end_all_sessions()
    db.session.commit()
    logout_user()
    _clear_session()
    flash(_("You have signed out."), "success")
    return redirect(url_for("main.home"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@limiter.limit("5 per hour", methods=["POST"], key_func=_email_key)
@public
def forgot_password() -> Response | str:
    """Send a reset link if the address has an account; say the same thing either way."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        from matchmaker.accounts.tasks import send_password_reset_if_registered

        # Both answers do the same work here (queue a job); the lookup happens in the job.
        send_password_reset_if_registered(service.normalise_email(form.email.data))
        session["check_email"] = service.normalise_email(form.email.data)
        return redirect(url_for("accounts.reset_sent"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/forgot-password/sent")
@public
def reset_sent() -> str:
    """The same answer whether or not the address is registered."""
    return render_template("accounts/reset_sent.html", email=session.get("check_email"))


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
@public
def reset_password(token: str) -> Response | str:
    """Choose a new password from a single-use, expiring link."""
    # Invitations to new organisers live as long as other links; reset links expire sooner.
    longest = max(current_app.config["TOKEN_MAX_AGE_SECONDS"], current_app.config["RESET_MAX_AGE_SECONDS"])
    found = tokens.read_token(tokens.RESET, token, max_age=longest)
    if found is not None:
        limit = "TOKEN_MAX_AGE_SECONDS" if found[1].get("invite") else "RESET_MAX_AGE_SECONDS"
        found = tokens.read_token(tokens.RESET, token, max_age=current_app.config[limit])
    if found is None or not found[0].is_active:
        return render_template("accounts/link_invalid.html"), 400  # type: ignore[return-value]
    user, payload = found
    form = ResetPasswordForm()
    if form.validate_on_submit():
        service.set_password(user, form.password.data)
        if user.email_verified_at is None:
            user.email_verified_at = utcnow()  # the link proved they read this inbox
        audit.record(user, "password_reset", user)
        db.session.commit()
        if current_user.is_authenticated:
            logout_user()
        _clear_session()
        flash(_("Your password has been saved. Sign in with your new password."), "success")
        return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/reset_password.html", form=form, invite=bool(payload.get("invite")))


@bp.route("/")
@role_required(verified=False, approved=False)
def account() -> str:
    """Your account: details, and links to change them."""
    return render_template("accounts/account.html", sign_out_form=ConfirmForm())


@bp.route("/change-password", methods=["GET", "POST"])
@password_checks
@role_required(verified=False, approved=False)
def change_password() -> Response | str:
    """Change the password; every other session ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors = [_("Your current password is not correct")]
        else:
            user = current_user._get_current_object()
            service.set_password(user, form.password.data)
            audit.record(user, "password_changed", user)
            db.session.commit()
            login_user(user)  # this browser stays signed in with the new token
            flash(_("Your password has been changed. You have been signed out everywhere else."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/change-email", methods=["GET", "POST"])
@password_checks
@limiter.limit("5 per hour", methods=["POST"], key_func=_user_key, deduct_when=_email_sent)
@role_required(verified=False, approved=False)
def change_email() -> Response | str:
    """Ask for a new address; it takes effect when the link sent to it is followed."""
    form = ChangeEmailForm()
    if form.validate_on_submit():
        new_email = service.normalise_email(form.email.data)
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors = [_("Your password is not correct")]
        elif new_email == current_user.email:
            form.email.errors = [_("Enter a different email address from the one you use now")]
        else:
            current_user.pending_email = new_email
            token = tokens.make_token(tokens.CHANGE_EMAIL, current_user, e=new_email)
            from matchmaker.mail.service import queue_templated_email

            if service.find_by_email(new_email) is None:
                queue_templated_email(
                    "change_email",
                    key=f"change-email:{current_user.id}:{token[-16:]}",
                    user=current_user,
                    to_address=new_email,
                    link=service.external_url("accounts.confirm_email_change", token=token),
                )
            queue_templated_email(
                "email_change_requested",
                key=f"change-email-notice:{current_user.id}:{token[-16:]}",
                user=current_user,
                new_email=new_email,
            )
            db.session.commit()
            flash(
                _("We have sent a link to %(email)s. Your address changes when you follow it.", email=new_email),
                "success",
            )
            return redirect(url_for("accounts.account"))
    return render_template("accounts/change_email.html", form=form)


@bp.route("/change-email/<token>")
@public
def confirm_email_change(token: str) -> Response | str:
    """Switch to the new address from the link sent to it."""
    found = tokens.read_token(tokens.CHANGE_EMAIL, token)
    if found is None:
        return render_template("accounts/link_invalid.html"), 400  # type: ignore[return-value]
    user, payload = found
    new_email = payload.get("e")
    if user.pending_email != new_email or service.find_by_email(new_email or "") is not None:
        return render_template("accounts/link_invalid.html"), 400  # type: ignore[return-value]
    user.email = new_email
    user.pending_email = None
    user.email_verified_at = utcnow()
    db.session.commit()
    flash(_("Your email address is now %(email)s.", email=new_email), "success")
    return redirect(url_for("accounts.account") if current_user.is_authenticated else url_for("accounts.sign_in"))


@bp.route("/language", methods=["GET", "POST"])
@role_required(verified=False, approved=False)
def language() -> Response | str:
    """Preferred language for pages and emails."""
    form = LanguageForm(language=current_user.language)
    if form.validate_on_submit():
        current_user.language = form.language.data
        session["lang"] = form.language.data
        db.session.commit()
        return redirect(url_for("accounts.account"))
    return render_template("accounts/language.html", form=form)


@bp.route("/my-data")
@role_required(verified=False, approved=False)
def my_data() -> Response:
    """Download everything held about me as JSON."""
    data = service.export_data(current_user)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="cyswllt-my-data-{utcnow():%Y-%m-%d}.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/delete", methods=["GET", "POST"])
@password_checks
@role_required(verified=False, approved=False)
def delete_account() -> Response | str:
    """Erase my personal data; what others depend on is anonymised."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors = [_("Your password is not correct")]
        else:
            user = current_user._get_current_object()
            service.erase(user)
            audit.record(user, "account_erased", user)
            db.session.commit()
            logout_user()
            _clear_session()
            flash(_("Your account has been deleted."), "success")
            return redirect(url_for("main.home"))
    return render_template("accounts/delete.html", form=form)
