"""Reads for moderation: the facilitators' queue and the public log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from consult.accounts.models import User
from consult.agreement.models import Statement, StatementStatus
from consult.discussions.models import Comment, Thread
from consult.moderation.models import ModerationAction, Report
from consult.processes.models import WorkingGroup


@dataclass
class QueueItem:
    comment: Comment
    thread: Thread
    reports: list[Report]


def open_queue(db: Session, process_id: int) -> list[QueueItem]:
    """Comments with open reports in a process, each with its reports (a fixed number of queries)."""
    reports = db.scalars(
        sa.select(Report)
        .join(Comment, Comment.id == Report.comment_id)
        .join(Thread, Thread.id == Comment.thread_id)
        .join(WorkingGroup, WorkingGroup.id == Thread.group_id)
        .where(WorkingGroup.process_id == process_id, Report.closed_at.is_(None))
        .order_by(Report.id)
    ).all()
    if not reports:
        return []
    comment_ids = {report.comment_id for report in reports}
    comments = {
        comment.id: comment
        for comment in db.scalars(
            sa.select(Comment)
            .where(Comment.id.in_(comment_ids))
            .options(joinedload(Comment.author), joinedload(Comment.thread))
        )
    }
    items: dict[int, QueueItem] = {}
    for entry in reports:
        comment = comments[entry.comment_id]
        items.setdefault(comment.id, QueueItem(comment, comment.thread, [])).reports.append(entry)
    return list(items.values())


def public_log(db: Session, process_id: int) -> list[ModerationAction]:
    return list(
        db.scalars(
            sa.select(ModerationAction)
            .where(ModerationAction.process_id == process_id)
            .options(joinedload(ModerationAction.actor))
            .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())
        )
    )


def group_names(db: Session, process_id: int) -> dict[int, str]:
    rows = db.execute(sa.select(WorkingGroup.id, WorkingGroup.name).where(WorkingGroup.process_id == process_id))
    return dict(rows.all())


@dataclass
class Rejection:
    """A rejected statement as the public log shows it: when, by which facilitator, why; never its author."""

    statement_id: int
    decided_at: datetime | None
    facilitator: str | None
    reason: str


def statement_rejections(db: Session, process_id: int) -> list[Rejection]:
    rows = db.execute(
        sa.select(Statement.id, Statement.decided_at, User.display_name, Statement.status_reason)
        .outerjoin(User, User.id == Statement.decided_by_id)
        .where(Statement.process_id == process_id, Statement.status == StatementStatus.REJECTED)
        .order_by(Statement.decided_at.desc().nulls_last(), Statement.id.desc())
    )
    return [Rejection(*row) for row in rows]
