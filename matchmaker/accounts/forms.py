"""Account forms."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovRadioInput, GovTextInput
from wtforms import EmailField, PasswordField, RadioField, StringField
from wtforms.validators import Length, ValidationError

from matchmaker.accounts.passwords import MIN_LENGTH, is_common
from matchmaker.web.forms import BaseForm, email_checks, required, strip, submit
from matchmaker.web.labels import LANGUAGE_CHOICES

ROLE_CHOICES = [
    ("creative", _l("Creative professional or arts organisation")),
    ("commissioner", _l("Commissioner (NHS, local authority or funder)")),
    ("link_worker", _l("Social prescribing link worker")),
]



def strong_password(form: Any, field: Any) -> None:
    """At least MIN_LENGTH characters and not one of the most common passwords."""
    value = field.data or ""
    if len(value) < MIN_LENGTH:
        raise ValidationError(_l("Password must be %(n)d characters or more", n=MIN_LENGTH))
    if len(value) > 256:
        raise ValidationError(_l("Password must be 256 characters or fewer"))
    if is_common(value):
        raise ValidationError(_l("This password is too easy to guess. Choose a longer or less common one"))


class SignUpForm(BaseForm):
    """Create an account."""

    name = StringField(
        _l("Full name"),
        widget=GovTextInput(),
        validators=[
            required(_l("Enter your full name")),
            Length(max=200, message=_l("Name must be 200 characters or fewer")),
        ],
    )
    email = EmailField(_l("Email address"), widget=GovTextInput(), validators=email_checks(), filters=[strip])
    password = PasswordField(
        _l("Create a password"),
        widget=GovPasswordInput(),
        description=_l("At least 12 characters. A few unrelated words work well."),
        validators=[required(_l("Enter a password")), strong_password],
    )
    role = RadioField(
        _l("What do you do?"),
        widget=GovRadioInput(),
        choices=ROLE_CHOICES,
        validators=[required(_l("Select what you do"))],
    )
    language = RadioField(
        _l("Which language should we use for your emails?"),
        widget=GovRadioInput(),
        choices=LANGUAGE_CHOICES,
        default="en",
        validators=[required(_l("Select a language"))],
    )
    submit = submit(_l("Create account"))


class SignInForm(BaseForm):
    """Sign in."""

    email = EmailField(_l("Email address"), widget=GovTextInput(), validators=email_checks(), filters=[strip])
    password = PasswordField(
        _l("Password"), widget=GovPasswordInput(), validators=[required(_l("Enter your password"))]
    )
    submit = submit(_l("Sign in"))


class ForgotPasswordForm(BaseForm):
    """Ask for a reset link."""

    email = EmailField(_l("Email address"), widget=GovTextInput(), validators=email_checks(), filters=[strip])
    submit = submit(_l("Send me a link"))


class ResetPasswordForm(BaseForm):
    """Choose a new password from a reset link."""

    password = PasswordField(
        _l("New password"),
        widget=GovPasswordInput(),
        description=_l("At least 12 characters. A few unrelated words work well."),
        validators=[required(_l("Enter a new password")), strong_password],
    )
    submit = submit(_l("Save password"))


class ChangePasswordForm(BaseForm):
    """Change the password while signed in."""

    current_password = PasswordField(
        _l("Current password"), widget=GovPasswordInput(), validators=[required(_l("Enter your current password"))]
    )
    password = PasswordField(
        _l("New password"),
        widget=GovPasswordInput(),
        description=_l("At least 12 characters. A few unrelated words work well."),
        validators=[required(_l("Enter a new password")), strong_password],
    )
    submit = submit(_l("Change password"))


class ChangeEmailForm(BaseForm):
    """Change the email address; asks for the password again."""

    email = EmailField(_l("New email address"), widget=GovTextInput(), validators=email_checks(), filters=[strip])
    current_password = PasswordField(
        _l("Your password"), widget=GovPasswordInput(), validators=[required(_l("Enter your password"))]
    )
    submit = submit(_l("Change email address"))


class LanguageForm(BaseForm):
    """Preferred language for the site and emails."""

    language = RadioField(
        _l("Which language should we use?"),
        widget=GovRadioInput(),
        choices=LANGUAGE_CHOICES,
        validators=[required(_l("Select a language"))],
    )
    submit = submit(_l("Save"))


class DeleteAccountForm(BaseForm):
    """Confirm account deletion with the password."""

    current_password = PasswordField(
        _l("Your password"), widget=GovPasswordInput(), validators=[required(_l("Enter your password"))]
    )
    submit = submit(_l("Delete my account"))
