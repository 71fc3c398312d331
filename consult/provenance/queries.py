"""Reads for provenance: a statement's sources, a thread's statements, and what the pickers offer (flat counts)."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, lazyload

from consult.accounts.models import User
from consult.agreement.models import Outcome, Statement
from consult.discussions.models import Comment, Thread, ThreadKind
from consult.meetings.models import Meeting
from consult.processes.models import WorkingGroup
from consult.provenance.models import StatementSource

#: How many of a thread's newest comments the comment picker offers.
RECENT_COMMENTS = 30


def sources_of(db: Session, statement_ids: Iterable[int]) -> dict[int, list[StatementSource]]:
    """Each statement's links with what they point to (authors and organisations too), in one query."""
    ids = sorted(set(statement_ids))
    found: dict[int, list[StatementSource]] = {sid: [] for sid in ids}
    if not ids:
        return found
    rows = db.scalars(
        sa.select(StatementSource)
        .where(StatementSource.statement_id.in_(ids))
        .options(
            joinedload(StatementSource.thread),
            joinedload(StatementSource.comment).joinedload(Comment.thread),
            joinedload(StatementSource.comment).joinedload(Comment.author).joinedload(User.organisation),
            joinedload(StatementSource.meeting).lazyload(Meeting.papers),
        )
        .order_by(StatementSource.id)
    ).unique()
    for source in rows:
        found[source.statement_id].append(source)
    return found


def get_source(db: Session, statement_id: int, source_id: int) -> StatementSource | None:
    source = db.get(StatementSource, source_id)
    return source if source is not None and source.statement_id == statement_id else None


def statements_from_thread(db: Session, thread_id: int) -> list[tuple[Statement, Outcome | None]]:
    """Statements linked to a thread or to one of its comments, oldest first, each with its current outcome."""
    linked = (
        sa.select(StatementSource.statement_id)
        .outerjoin(Comment, Comment.id == StatementSource.comment_id)
        .where(sa.or_(StatementSource.thread_id == thread_id, Comment.thread_id == thread_id))
    )
    statements = list(db.scalars(sa.select(Statement).where(Statement.id.in_(linked)).order_by(Statement.id)))
    if not statements:
        return []
    latest = (
        sa.select(sa.func.max(Outcome.id))
        .where(Outcome.statement_id.in_([s.id for s in statements]))
        .group_by(Outcome.statement_id)
    )
    outcomes = {o.statement_id: o for o in db.scalars(sa.select(Outcome).where(Outcome.id.in_(latest)))}
    return [(statement, outcomes.get(statement.id)) for statement in statements]


def thread_statements_version(db: Session, thread_id: int) -> tuple:
    """What changes whenever the statements a thread page lists change: a link added or removed, a statement
    decided, an outcome recorded (one query), so a cached thread page (consult.caching) is never stale."""
    linked = (
        sa.select(StatementSource.statement_id)
        .outerjoin(Comment, Comment.id == StatementSource.comment_id)
        .where(sa.or_(StatementSource.thread_id == thread_id, Comment.thread_id == thread_id))
    )
    return tuple(
        db.execute(
            sa.select(
                sa.select(sa.func.count()).select_from(linked.subquery()).scalar_subquery(),
                sa.select(sa.func.max(StatementSource.id)).scalar_subquery(),
                sa.select(sa.func.max(Statement.decided_at)).where(Statement.id.in_(linked)).scalar_subquery(),
                sa.select(sa.func.max(Outcome.id)).where(Outcome.statement_id.in_(linked)).scalar_subquery(),
            )
        ).one()
    )


def threads_of_process(db: Session, process_id: int) -> list[Thread]:
    """Every thread of the process no facilitator has hid, issues included, newest activity first (for pickers)."""
    return list(
        db.scalars(
            sa.select(Thread)
            .join(WorkingGroup, WorkingGroup.id == Thread.group_id)
            .where(WorkingGroup.process_id == process_id, Thread.hidden_at.is_(None))
            .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
        )
    )


def meetings_of_process(db: Session, process_id: int) -> list[Meeting]:
    return list(
        db.scalars(
            sa.select(Meeting)
            .where(Meeting.process_id == process_id)
            .options(lazyload(Meeting.papers))
            .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        )
    )


def recent_comments(db: Session, thread_id: int, *, limit: int = RECENT_COMMENTS) -> list[Comment]:
    """A thread's newest visible comments with their authors, newest first (what the comment picker offers)."""
    return list(
        db.scalars(
            sa.select(Comment)
            .where(Comment.thread_id == thread_id, Comment.deleted_at.is_(None), Comment.hidden_at.is_(None))
            .options(joinedload(Comment.author))
            .order_by(Comment.id.desc())
            .limit(limit)
        )
    )


def is_issue(thread: Thread) -> bool:
    return thread.kind == ThreadKind.ISSUE
