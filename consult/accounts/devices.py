"""Trusted devices (OWASP's "device cookies"): a browser that signed in to an account is spared its per-account wait."""

from __future__ import annotations

import secrets

from flask import Response, current_app

from consult.accounts.models import User
from consult.security import TokenError, make_token, read_token


def trusted_device(cookie: str | None, user: User | None) -> str | None:
    """The device id in a cookie issued to this account since its last sign-out everywhere, else None."""
    if not cookie or user is None:
        return None
    try:
        payload = read_token("device", cookie, current_app.config["DEVICE_COOKIE_MAX_AGE"])
    except TokenError:
        return None
    if payload.get("uid") != user.id or payload.get("g") != user.session_generation:
        return None
    device = payload.get("d")
    return device if isinstance(device, str) and device else None


def remember_device(response: Response, user: User, cookie: str | None) -> None:
    """Mark this browser as one the account proved itself on (a correct password, or a reset link)."""
    config = current_app.config
    device = trusted_device(cookie, user) or secrets.token_urlsafe(12)
    response.set_cookie(
        config["DEVICE_COOKIE_NAME"],
        make_token("device", {"uid": user.id, "g": user.session_generation, "d": device}),
        max_age=config["DEVICE_COOKIE_MAX_AGE"],
        path="/",
        secure=config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
