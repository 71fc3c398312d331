"""Account forms: field shape and messages only; rules needing the database are in services."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
)
from wtforms import BooleanField, EmailField, PasswordField, RadioField, StringField, SubmitField
from wtforms.validators import Email, InputRequired

from consult.accounts.models import Sector
from consult.forms import BaseForm, text_field


def strip(value: str | None) -> str | None:
    """Spaces around a pasted address are a typing slip, not part of the address."""
    return value.strip() if isinstance(value, str) else value


def email_field(label: str = "Email address") -> StringField:
    return text_field(
        label,
        field_class=EmailField,
        noun="Email address",
        required="Enter your email address",
        max_length=254,
        validators=[
            Email("Enter an email address in the correct format, like name@example.com", check_deliverability=False)
        ],
        filters=[strip],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


def display_name_field() -> StringField:
    return text_field(
        "Display name",
        hint="Shown next to what you write. You can use your full name or a name you are known by.",
        required="Enter a display name",
        max_length=80,
        render_kw={"autocomplete": "name"},
    )


def sector_field() -> RadioField:
    return RadioField(
        "Which sector are you part of?",
        description="Agreement is shown per sector, so we ask everyone.",
        choices=Sector.choices(),
        widget=GovRadioInput(),
        validators=[InputRequired("Select the sector you are part of")],
    )


def organisation_field() -> StringField:
    return text_field(
        "Organisation (optional)",
        noun="Organisation",
        hint="An administrator confirms organisation membership before it is shown.",
        max_length=200,
        render_kw={"autocomplete": "organization"},
    )


def new_password_field(label: str = "Create a password") -> PasswordField:
    return PasswordField(
        label,
        description="Use 12 characters or more. A few unrelated words make a strong password.",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter a password")],
        render_kw={"autocomplete": "new-password"},
    )


class RegisterForm(BaseForm):
    email = email_field()
    display_name = display_name_field()
    sector = sector_field()
    organisation = organisation_field()
    password = new_password_field()
    submit = SubmitField("Create account", widget=GovSubmitInput())


class SignInForm(BaseForm):
    email = email_field()
    password = text_field(
        "Password",
        field_class=PasswordField,
        widget=GovPasswordInput(),
        required="Enter your password",
        max_length=1024,
        too_long="Password is too long",
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField("Keep me signed in on this device for 30 days", widget=GovCheckboxInput())
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class RequestResetForm(BaseForm):
    email = email_field()
    submit = SubmitField("Send reset link", widget=GovSubmitInput())


class ResetPasswordForm(BaseForm):
    password = new_password_field("New password")
    submit = SubmitField("Set new password", widget=GovSubmitInput())


class ProfileForm(BaseForm):
    display_name = display_name_field()
    sector = sector_field()
    organisation = organisation_field()
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your current password")],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = new_password_field("New password")
    submit = SubmitField("Change password", widget=GovSubmitInput())


class ChangeEmailForm(BaseForm):
    email = email_field("New email address")
    password = PasswordField(
        "Your password",
        description="We ask for it so nobody else can change where your account's mail goes.",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter your password")],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField("Send confirmation link", widget=GovSubmitInput())


class ConfirmForm(BaseForm):
    """A single button, so emailed links act on POST and mail scanners change nothing."""

    submit = SubmitField("Continue", widget=GovSubmitInput())
