"""Flask-Login's user loader: the stored id carries the session generation, so old cookies stop working."""

from __future__ import annotations

from consult.accounts.models import User
from consult.db import get_session


def load_user(stored_id: str) -> User | None:
    user_id, _, generation = stored_id.partition(":")
    if not user_id.isdigit() or not generation.isdigit():
        return None
    user = get_session().get(User, int(user_id))
    if user is None or user.disabled or user.session_generation != int(generation):
        return None
    return user
