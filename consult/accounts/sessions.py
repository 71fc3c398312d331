"""Server-side records of signed-in devices: signing out deletes the record, so a copied cookie stops working."""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult.accounts.models import User, UserSession


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def parse_stored_id(stored_id: str) -> tuple[int | None, int, str]:
    """Split 'user id:generation:token'; anything malformed yields no user."""
    parts = stored_id.split(":")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit() or not parts[2]:
        return None, 0, ""
    return int(parts[0]), int(parts[1]), parts[2]


def start(db: Session, user: User) -> str:
    """Record a new signed-in device and return its token (kept only in the signed cookie)."""
    token = secrets.token_urlsafe(32)
    db.add(UserSession(user_id=user.id, token_hash=_hash(token)))
    db.flush()
    user.session_token = token
    return token


def is_current(db: Session, user: User, token: str) -> bool:
    found = db.scalar(
        sa.select(UserSession.id).where(UserSession.user_id == user.id, UserSession.token_hash == _hash(token))
    )
    return found is not None


def end(db: Session, user: User) -> None:
    """Forget this device's session (signing out)."""
    if user.session_token:
        db.execute(
            sa.delete(UserSession).where(
                UserSession.user_id == user.id, UserSession.token_hash == _hash(user.session_token)
            )
        )
        db.flush()


def end_all(db: Session, user: User) -> None:
    db.execute(sa.delete(UserSession).where(UserSession.user_id == user.id))
    db.flush()
