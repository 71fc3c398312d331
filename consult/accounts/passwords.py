"""Password policy (ASVS 6.2): length 12 to 128, no composition rules, no common or breached passwords."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str, *, min_length: int, max_length: int, personal: tuple[str, ...] = ()) -> str | None:
    """Return what is wrong with a new password, or None if it is acceptable."""
    if len(password) < min_length:
        return f"Password must be {min_length} characters or more"
    if len(password) > max_length:
        return f"Password must be {max_length} characters or fewer"
    lowered = password.lower()
    if lowered in common_passwords():
        return "That password is too common and appears in lists of breached passwords. Choose another"
    if any(item and item.strip().lower() == lowered for item in personal):
        return "Password must not be your email address or name"
    return None
