"""Flask-Login's user loader: a stored id is only good while its generation and device session are current."""

from __future__ import annotations

from consult.accounts import queries, sessions
from consult.accounts.models import User
from consult.db import get_session


def load_user(stored_id: str) -> User | None:
    user_id, generation, token = sessions.parse_stored_id(stored_id)
    if user_id is None:
        return None
    db = get_session()
    user = queries.get_signed_in_user(db, user_id)
    if user is None or user.disabled or user.session_generation != generation:
        return None
    if not sessions.is_current(db, user, token):
        return None
    user.session_token = token
    return user
