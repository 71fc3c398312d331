"""A statement's links to the records it came from: a thread (an issue is a thread), a comment or a meeting."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import User
from consult.db import Base, created_at, intpk
from consult.discussions.models import Comment, Thread, ThreadKind
from consult.meetings.models import Meeting

# Exactly one target per link; CASE rather than adding booleans, which PostgreSQL refuses.
ONE_TARGET = " + ".join(
    f"(CASE WHEN {column} IS NOT NULL THEN 1 ELSE 0 END)" for column in ("thread_id", "comment_id", "meeting_id")
)


class StatementSource(Base):
    """One link from a statement to where it came from: who added it and when; each target at most once."""

    __tablename__ = "statement_sources"
    __table_args__ = (
        sa.UniqueConstraint("statement_id", "thread_id"),
        sa.UniqueConstraint("statement_id", "comment_id"),
        sa.UniqueConstraint("statement_id", "meeting_id"),
        sa.CheckConstraint(f"{ONE_TARGET} = 1", name="exactly_one_target"),
    )

    id: Mapped[intpk]
    statement_id: Mapped[int] = mapped_column(sa.ForeignKey("statements.id", ondelete="CASCADE"), index=True)
    # Issues are threads of kind "issue" (the issues register), so an issue link is a thread link.
    thread_id: Mapped[int | None] = mapped_column(sa.ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]

    thread: Mapped[Thread | None] = relationship(lazy="raise")
    comment: Mapped[Comment | None] = relationship(lazy="raise")
    meeting: Mapped[Meeting | None] = relationship(lazy="raise")
    added_by: Mapped[User | None] = relationship(lazy="raise")

    @property
    def kind(self) -> str:
        """What the link points at, as the pickers name it: thread, issue, comment or meeting."""
        if self.comment_id is not None:
            return "comment"
        if self.meeting_id is not None:
            return "meeting"
        return "issue" if self.thread is not None and self.thread.kind == ThreadKind.ISSUE else "thread"
