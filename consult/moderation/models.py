"""Reports from readers and the public log of what facilitators did about them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import User
from consult.db import Base, created_at, enum_column, intpk
from consult.enums import LabelledEnum


class ActionKind(LabelledEnum):
    HIDE = "hide", "Hid a comment"
    RESTORE = "restore", "Restored a comment"
    BLOCK = "block", "Blocked a participant from the group"
    UNBLOCK = "unblock", "Lifted a block"
    DISMISS = "dismiss", "Dismissed a report"
    HIDE_THREAD = "hide_thread", "Hid a thread"
    RESTORE_THREAD = "restore_thread", "Restored a thread"
    RETITLE_THREAD = "retitle_thread", "Changed a thread's title"


class Report(Base):
    """Someone signed in thinks a comment breaks the code of conduct; one open report per person per comment."""

    __tablename__ = "comment_reports"
    __table_args__ = (sa.UniqueConstraint("comment_id", "reporter_id"),)

    id: Mapped[intpk]
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(sa.String(1000))
    created_at: Mapped[created_at]
    closed_at: Mapped[datetime | None]

    reporter: Mapped[User] = relationship(lazy="raise")


class ModerationAction(Base):
    """What a facilitator did, to what, and why; public, but never the content of a hidden comment."""

    __tablename__ = "moderation_actions"

    id: Mapped[intpk]
    process_id: Mapped[int] = mapped_column(sa.ForeignKey("processes.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("working_groups.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[ActionKind] = enum_column(ActionKind, "moderation_action")
    comment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("comments.id", ondelete="SET NULL"))
    thread_id: Mapped[int | None] = mapped_column(sa.ForeignKey("threads.id", ondelete="SET NULL"))
    target_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(sa.String(1000))
    until: Mapped[datetime | None]
    created_at: Mapped[created_at]

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id], lazy="raise")
    target_user: Mapped[User | None] = relationship(foreign_keys=[target_user_id], lazy="raise")
