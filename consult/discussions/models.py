"""Threads in working groups, their nested comments, every edit, issue statuses and summaries."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import User
from consult.db import Base, created_at, enum_column, intpk, utcnow
from consult.enums import LabelledEnum
from consult.processes.models import WorkingGroup

# The public reason kept with a hidden comment or thread; moderation forms and services allow no more.
HIDDEN_REASON_MAX = 500


class ThreadKind(LabelledEnum):
    DISCUSSION = "discussion", "Discussion"
    QUESTION = "question", "Question"
    ISSUE = "issue", "Issue raised"


class IssueStatus(LabelledEnum):
    OPEN = "open", "Open"
    BEING_CONSIDERED = "being_considered", "Being considered"
    ANSWERED = "answered", "Answered"
    RESOLVED = "resolved", "Resolved"


class Stance(LabelledEnum):
    SUPPORTS = "supports", "Supports"
    NEUTRAL = "neutral", "Neutral"
    OBJECTS = "objects", "Objects"


class Thread(Base):
    """A conversation in a working group; its opening post is its first comment."""

    __tablename__ = "threads"

    id: Mapped[intpk]
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("working_groups.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ThreadKind] = enum_column(ThreadKind, "thread_kind")
    title: Mapped[str] = mapped_column(sa.String(200))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    issue_status: Mapped[IssueStatus | None] = enum_column(IssueStatus, "issue_status", nullable=True)
    created_at: Mapped[created_at]
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The facilitator's "summary so far"; summary_version guards against two facilitators saving at once.
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    summary_version: Mapped[int] = mapped_column(default=0)
    # A facilitator may hide a whole thread, title included, behind a tombstone giving the public reason.
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(sa.String(HIDDEN_REASON_MAX))

    # Lazy, not raise: permissions, services and a thread's own pages read them; list queries load them explicitly.
    group: Mapped[WorkingGroup] = relationship()
    author: Mapped[User | None] = relationship()

    @property
    def is_visible(self) -> bool:
        return self.hidden_at is None

    @property
    def public_title(self) -> str:
        """The title wherever the thread is listed or cited; a thread hidden by a facilitator loses it everywhere."""
        return self.title if self.is_visible else "A thread hidden by a facilitator"


class Comment(Base):
    """A post in a thread; deleting leaves a tombstone so replies keep their place."""

    __tablename__ = "comments"
    __table_args__ = (sa.Index("ix_comments_thread_id_id", "thread_id", "id"),)

    id: Mapped[intpk]
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("threads.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.Text)
    stance: Mapped[Stance | None] = enum_column(Stance, "stance", nullable=True)
    depth: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[created_at]
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(sa.String(HIDDEN_REASON_MAX))

    thread: Mapped[Thread] = relationship(lazy="raise")
    author: Mapped[User | None] = relationship(lazy="raise")

    @property
    def is_visible(self) -> bool:
        return self.deleted_at is None and self.hidden_at is None


class CommentRevision(Base):
    """Every version of a comment's text, so 'edited' can show what changed and when."""

    __tablename__ = "comment_revisions"

    id: Mapped[intpk]
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(sa.Text)
    stance: Mapped[Stance | None] = enum_column(Stance, "stance", nullable=True)
    created_at: Mapped[created_at]


class SummaryRevision(Base):
    """A saved version of a thread's facilitator summary: who wrote it and when."""

    __tablename__ = "thread_summary_revisions"
    __table_args__ = (sa.UniqueConstraint("thread_id", "version"),)

    id: Mapped[intpk]
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("threads.id", ondelete="CASCADE"))
    version: Mapped[int]
    body: Mapped[str] = mapped_column(sa.Text)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]

    author: Mapped[User | None] = relationship(lazy="raise")


class IssueStatusChange(Base):
    """A facilitator's change of an issue's status, with the note that explains it."""

    __tablename__ = "issue_status_changes"

    id: Mapped[intpk]
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    status: Mapped[IssueStatus] = enum_column(IssueStatus, "issue_status")
    note: Mapped[str] = mapped_column(sa.Text)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]

    actor: Mapped[User | None] = relationship(lazy="raise")
