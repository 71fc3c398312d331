"""What people follow and what they are told about."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from consult.db import Base, created_at, enum_column, intpk
from consult.enums import LabelledEnum


class TargetType(enum.StrEnum):
    PROCESS = "process"
    GROUP = "group"
    THREAD = "thread"


class NotificationKind(enum.StrEnum):
    REPLY_TO_YOU = "reply_to_you"
    MENTION = "mention"
    THREAD_REPLY = "thread_reply"
    NEW_THREAD = "new_thread"
    ISSUE_STATUS = "issue_status"
    NEW_MEETING = "new_meeting"


class EmailMode(LabelledEnum):
    EACH = "each", "An email for each notification"
    DAILY = "daily", "One email a day with everything new"
    NONE = "none", "No emails: I will check on the site"


class Follow(Base):
    __tablename__ = "follows"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "target_type", "target_id"),
        sa.Index("ix_follows_target_type_target_id", "target_type", "target_id"),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    target_type: Mapped[TargetType] = enum_column(TargetType, "follow_target")
    target_id: Mapped[int]
    created_at: Mapped[created_at]


class Notification(Base):
    """One thing a person should know; the link is built from the target when shown."""

    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_user_id_read_at", "user_id", "read_at"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = enum_column(NotificationKind, "notification_kind")
    message: Mapped[str] = mapped_column(sa.String(500))
    target_type: Mapped[str] = mapped_column(sa.String(20))
    target_id: Mapped[int]
    anchor: Mapped[str] = mapped_column(sa.String(40), default="")
    created_at: Mapped[created_at]
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]
