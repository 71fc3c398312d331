"""Reads for threads and comments: a whole thread loads in a fixed number of queries."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import Session, contains_eager, joinedload

from consult.accounts.models import User
from consult.conflicts import Conflict, conflict_between
from consult.discussions.models import Comment, CommentRevision, IssueStatusChange, SummaryRevision, Thread, ThreadKind
from consult.processes.models import Process, WorkingGroup


def list_threads(db: Session, group_id: int) -> list[tuple[Thread, int]]:
    """Threads of a group, most recently active first, each with its number of replies (one query)."""
    replies = (
        sa.select(Comment.thread_id, sa.func.count().label("replies"))
        .where(Comment.parent_id.is_not(None), Comment.deleted_at.is_(None))
        .group_by(Comment.thread_id)
        .subquery()
    )
    rows = db.execute(
        sa.select(Thread, sa.func.coalesce(replies.c.replies, 0))
        .outerjoin(replies, replies.c.thread_id == Thread.id)
        .where(Thread.group_id == group_id)
        .order_by(Thread.last_activity_at.desc())
    )
    return [(thread, count) for thread, count in rows]


def get_thread_or_404(db: Session, thread_id: int) -> Thread:
    """A thread with its group and process, which its pages show and its permissions read."""
    thread = db.scalar(
        sa.select(Thread)
        .where(Thread.id == thread_id)
        .options(joinedload(Thread.group).joinedload(WorkingGroup.process))
    )
    return thread or abort(404)


def load_comments(db: Session, thread_id: int) -> list[Comment]:
    """Every comment of a thread with its author and organisation, in one query."""
    return list(
        db.scalars(
            sa.select(Comment)
            .where(Comment.thread_id == thread_id)
            .options(joinedload(Comment.author).joinedload(User.organisation))
            .order_by(Comment.id)
        ).unique()
    )


def thread_version(db: Session, thread: Thread) -> tuple:
    """What changes whenever a reader would see the thread differently: any reply, edit, deletion, hiding or
    restoring of a comment, a status change, and the thread's own title, summary, status and tombstone (one query)."""
    comments = db.execute(
        sa.select(
            sa.func.count(Comment.id),
            sa.func.max(Comment.id),
            sa.func.max(Comment.edited_at),
            sa.func.max(Comment.deleted_at),
            sa.func.max(Comment.hidden_at),
            sa.func.count(Comment.deleted_at),
            sa.func.count(Comment.hidden_at),
            sa.select(sa.func.count(IssueStatusChange.id))
            .where(IssueStatusChange.thread_id == thread.id)
            .scalar_subquery(),
        ).where(Comment.thread_id == thread.id)
    ).one()
    own = (thread.id, thread.created_at, thread.title, thread.summary_version, thread.issue_status, thread.hidden_at)
    return (*own, *comments)


def comment_skeleton(db: Session, thread_id: int) -> list[sa.Row[tuple[int, int | None]]]:
    """Only ids and parents of a thread's comments: enough to lay out the tree and pick the page shown."""
    return list(
        db.execute(sa.select(Comment.id, Comment.parent_id).where(Comment.thread_id == thread_id).order_by(Comment.id))
    )


def comments_by_id(db: Session, thread_id: int, ids: list[int]) -> dict[int, Comment]:
    """The comments a page shows, with authors and organisations, in one query however many there are."""
    if not ids:
        return {}
    rows = db.scalars(
        sa.select(Comment)
        .where(Comment.thread_id == thread_id, Comment.id.in_(ids))
        .options(joinedload(Comment.author).joinedload(User.organisation))
    ).unique()
    return {comment.id: comment for comment in rows}


def opening_comment(db: Session, thread_id: int) -> Comment | None:
    return db.scalar(
        sa.select(Comment)
        .where(Comment.thread_id == thread_id, Comment.parent_id.is_(None))
        .options(joinedload(Comment.author))
        .order_by(Comment.id)
        .limit(1)
    )


def revision_counts(db: Session, thread_id: int) -> dict[int, int]:
    rows = db.execute(
        sa.select(CommentRevision.comment_id, sa.func.count())
        .join(Comment, Comment.id == CommentRevision.comment_id)
        .where(Comment.thread_id == thread_id)
        .group_by(CommentRevision.comment_id)
    )
    return dict(rows.all())


def find_comment(db: Session, comment_id: int | None) -> Comment | None:
    if not comment_id:
        return None
    return db.scalar(
        sa.select(Comment)
        .where(Comment.id == comment_id)
        .options(
            joinedload(Comment.author),
            joinedload(Comment.thread).joinedload(Thread.group).joinedload(WorkingGroup.process),
        )
    )


def get_comment_or_404(db: Session, comment_id: int) -> Comment:
    return find_comment(db, comment_id) or abort(404)


def list_revisions(db: Session, comment_id: int) -> list[CommentRevision]:
    return list(
        db.scalars(
            sa.select(CommentRevision).where(CommentRevision.comment_id == comment_id).order_by(CommentRevision.id)
        )
    )


def summary_conflict(db: Session, thread: Thread, body: str) -> Conflict:
    """The summary someone saved while this person edited it, compared with what they typed."""
    newer = db.scalar(
        sa.select(SummaryRevision)
        .where(SummaryRevision.thread_id == thread.id, SummaryRevision.version == thread.summary_version)
        .options(joinedload(SummaryRevision.author))
    )
    return conflict_between(
        [("Summary", thread.summary, body)],
        version=thread.summary_version,
        saved_by=newer.author.display_name if newer and newer.author else None,
        saved_at=newer.created_at if newer else None,
    )


def list_summary_revisions(db: Session, thread_id: int) -> list[SummaryRevision]:
    return list(
        db.scalars(
            sa.select(SummaryRevision)
            .where(SummaryRevision.thread_id == thread_id)
            .options(joinedload(SummaryRevision.author))
            .order_by(SummaryRevision.version.desc())
        )
    )


def list_status_changes(db: Session, thread_id: int) -> list[IssueStatusChange]:
    return list(
        db.scalars(
            sa.select(IssueStatusChange).where(IssueStatusChange.thread_id == thread_id).order_by(IssueStatusChange.id)
        )
    )


def list_issues(db: Session, process_id: int) -> list[Thread]:
    """The process-wide register of issues raised, oldest first."""
    return list(
        db.scalars(
            sa.select(Thread)
            .join(WorkingGroup, WorkingGroup.id == Thread.group_id)
            .join(Process, Process.id == WorkingGroup.process_id)
            .where(Process.id == process_id, Thread.kind == ThreadKind.ISSUE)
            .options(contains_eager(Thread.group))
            .order_by(Thread.created_at)
        )
    )


def list_recent_threads(db: Session, process_id: int, *, limit: int) -> list[Thread]:
    """The newest threads of a process that no moderator has hidden, with their group, for the process feed."""
    return list(
        db.scalars(
            sa.select(Thread)
            .join(WorkingGroup, WorkingGroup.id == Thread.group_id)
            .where(WorkingGroup.process_id == process_id, Thread.hidden_at.is_(None))
            .options(contains_eager(Thread.group))
            .order_by(Thread.created_at.desc())
            .limit(limit)
        )
    )
