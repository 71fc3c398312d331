"""Security plumbing: response headers, password hashing, emailed tokens and the permission guard."""

from __future__ import annotations

from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import Flask, Response, abort, current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def init_app(app: Flask) -> None:
    """Set the security headers on every response, including errors and static files."""

    @app.after_request
    def set_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def require(allowed: bool) -> None:
    """Abort with 403 unless a permission predicate allowed the action."""
    if not allowed:
        abort(403)


# Passwords -----------------------------------------------------------------------------


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    """Hash with argon2id at the configured cost (at or above ASVS 5.0 Appendix C by default)."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Check a password exactly as typed: no trimming, no case folding."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


_DUMMY_HASH: dict[tuple[Any, ...], str] = {}


def burn_password_check(password: str) -> None:
    """Spend the same time as a real check when the account does not exist (no email enumeration)."""
    key = (current_app.config["ARGON2_TIME_COST"], current_app.config["ARGON2_MEMORY_COST"])
    if key not in _DUMMY_HASH:
        _DUMMY_HASH[key] = hash_password("not-a-real-password-0000")
    verify_password(_DUMMY_HASH[key], password)


# Emailed tokens ---------------------------------------------------------------------------


class TokenError(Exception):
    """An emailed link is expired, tampered with or already used."""

    def __init__(self, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def make_token(purpose: str, payload: dict[str, Any]) -> str:
    """Sign a payload for one purpose; the salt keeps tokens for one purpose out of another."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"consult-{purpose}").dumps(payload)


def read_token(purpose: str, token: str, max_age: int) -> dict[str, Any]:
    """Return the payload of a token made for this purpose and no older than max_age seconds."""
    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"consult-{purpose}")
    try:
        payload = serializer.loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise TokenError(expired=True) from error
    except BadSignature as error:
        raise TokenError(expired=False) from error
    if not isinstance(payload, dict):
        raise TokenError(expired=False)
    return payload


def safe_next(target: str | None, default: str) -> str:
    """Only follow a `next` that stays on this site (no scheme, no host, no backslashes)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    if any(ord(ch) < 32 for ch in target):
        return default
    return target
