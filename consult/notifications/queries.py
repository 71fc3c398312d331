"""Reads for notifications."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult.notifications.models import Notification


def unread_count(db: Session, user_id: int) -> int:
    return (
        db.scalar(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        )
        or 0
    )


def list_for_user(db: Session, user_id: int, *, limit: int = 100) -> list[Notification]:
    return list(
        db.scalars(
            sa.select(Notification).where(Notification.user_id == user_id).order_by(Notification.id.desc()).limit(limit)
        )
    )
