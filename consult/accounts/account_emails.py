"""The emails accounts send, written as plain text with absolute links to the configured SITE_URL."""

from __future__ import annotations

from consult import mail_delivery
from consult.accounts import services
from consult.accounts.models import User
from consult.links import external_url


def send_verification(user: User) -> None:
    link = external_url("accounts.verify", token=services.verification_token(user))
    mail_delivery.send(
        user.email,
        "Confirm your email address for consult",
        f"Hello {user.display_name},\n\nConfirm your email address to take part in consult:\n\n{link}\n\n"
        "The link works once and expires in 48 hours. If you did not create an account, ignore this email.\n",
    )


def send_registration_mail(result: services.Registration) -> None:
    """A new account gets a link; an existing one is told, so the page never reveals who has an account."""
    if result.is_new:
        send_verification(result.user)
        return
    sign_in = external_url("accounts.sign_in")
    reset = external_url("accounts.request_reset")
    mail_delivery.send(
        result.user.email,
        "You already have a consult account",
        "Someone, probably you, tried to register with this email address, "
        "but it already has an account.\n\n"
        f"Sign in: {sign_in}\nForgotten your password? {reset}\n",
    )


def send_reset(user: User) -> None:
    link = external_url("accounts.reset_password", token=services.reset_token(user))
    mail_delivery.send(
        user.email,
        "Reset your consult password",
        f"Hello {user.display_name},\n\nUse this link to choose a new password:\n\n{link}\n\n"
        "The link works once and expires in 1 hour. If you did not ask for it, ignore this email.\n",
    )


def send_email_change(user: User, available: bool) -> None:
    if not user.pending_email:
        return
    if not available:
        mail_delivery.send(
            user.pending_email,
            "Someone tried to use this address on consult",
            "Someone asked to move a consult account to this email address, which already has an account. "
            "Nothing has changed.\n",
        )
        return
    link = external_url("accounts.confirm_email_change", token=services.email_change_token(user))
    mail_delivery.send(
        user.pending_email,
        "Confirm your new email address for consult",
        f"Hello {user.display_name},\n\nConfirm this as your new email address:\n\n{link}\n\n"
        "The link works once and expires in 48 hours.\n",
    )
