"""Reads for statements and votes: one query for tallies, one for the reader's own votes."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import Session, lazyload

from consult.accounts.models import User
from consult.agreement.models import AnalysisCache, Statement, StatementStatus, Vote, VoteEvent, Voter
from consult.discussions.models import Thread
from consult.meetings.models import Meeting, NoteStatus
from consult.processes.models import WorkingGroup

VALUE_KEYS = {1: "agree", -1: "disagree", 0: "pass"}


def list_statements(db: Session, process_id: int, *, include_proposed: bool = False) -> list[Statement]:
    statuses = [StatementStatus.ACCEPTED, StatementStatus.UNMODERATED]
    if include_proposed:
        statuses.append(StatementStatus.PROPOSED)
    return list(
        db.scalars(
            sa.select(Statement)
            .where(Statement.process_id == process_id, Statement.status.in_(statuses))
            .order_by(Statement.id)
        )
    )


def tallies(db: Session, process_id: int) -> dict[int, tuple[int, int, int]]:
    """Agree, disagree and pass counts of current votes per statement, in one grouped query."""
    rows = db.execute(
        sa.select(
            Vote.statement_id,
            sa.func.sum(sa.case((Vote.value == 1, 1), else_=0)),
            sa.func.sum(sa.case((Vote.value == -1, 1), else_=0)),
            sa.func.sum(sa.case((Vote.value == 0, 1), else_=0)),
        )
        .join(Statement, Statement.id == Vote.statement_id)
        .where(Statement.process_id == process_id)
        .group_by(Vote.statement_id)
    )
    return {sid: (int(a or 0), int(d or 0), int(p or 0)) for sid, a, d, p in rows}


def my_votes(db: Session, process_id: int, user) -> dict[int, int]:
    if not getattr(user, "is_authenticated", False):
        return {}
    rows = db.execute(
        sa.select(Vote.statement_id, Vote.value)
        .join(Voter, Voter.id == Vote.voter_id)
        .where(Voter.process_id == process_id, Voter.user_id == user.id)
    )
    return dict(rows.all())


def get_statement_or_404(db: Session, process_id: int, statement_id: int) -> Statement:
    statement = db.get(Statement, statement_id)
    if statement is None or statement.process_id != process_id:
        abort(404)
    return statement


def cached_report(db: Session, process_id: int) -> AnalysisCache | None:
    return db.get(AnalysisCache, process_id)


def has_votes(db: Session, statement_id: int) -> bool:
    return db.scalar(sa.select(VoteEvent.id).where(VoteEvent.statement_id == statement_id).limit(1)) is not None


def vote_event_count(db: Session, process_id: int) -> int:
    """Every vote ever cast in the process: the cache is stale when this differs from the count it was made from."""
    return (
        db.scalar(
            sa.select(sa.func.count())
            .select_from(VoteEvent)
            .join(Statement, Statement.id == VoteEvent.statement_id)
            .where(Statement.process_id == process_id)
        )
        or 0
    )


def my_undecided_statements(db: Session, process_id: int, user) -> list[Statement]:
    """The reader's own statements that are waiting or were rejected: they see what happened and why."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        db.scalars(
            sa.select(Statement)
            .where(
                Statement.process_id == process_id,
                Statement.author_id == user.id,
                Statement.status.in_([StatementStatus.PROPOSED, StatementStatus.REJECTED]),
            )
            .order_by(Statement.id)
        )
    )


def live_entry(db: Session, statement_id: int) -> dict:
    """A statement's current votes, overall and by declared sector, read now (the cached analysis may lag a few
    seconds): shaped like an analysis entry so agreement.figures makes its figures. One grouped query."""
    rows = db.execute(
        sa.select(User.sector, Vote.value, sa.func.count())
        .select_from(Vote)
        .join(Voter, Voter.id == Vote.voter_id)
        .outerjoin(User, User.id == Voter.user_id)
        .where(Vote.statement_id == statement_id)
        .group_by(User.sector, Vote.value)
    )
    entry: dict = {"agree": 0, "disagree": 0, "pass": 0, "sectors": {}}
    for sector, value, count in rows:
        key = VALUE_KEYS[value]
        entry[key] += count
        if sector is not None:  # a voter imported from Polis declared no sector
            counts = entry["sectors"].setdefault(sector.value, {"agree": 0, "disagree": 0, "votes": 0})
            counts["votes"] += count
            if key != "pass":
                counts[key] += count
    return entry


def citable_meetings(db: Session, process_id: int) -> list[Meeting]:
    """Meetings of the process whose notes are published: what an outcome may cite as its basis, newest first."""
    return list(
        db.scalars(
            sa.select(Meeting)
            .where(Meeting.process_id == process_id, Meeting.notes_status == NoteStatus.PUBLISHED)
            .options(lazyload(Meeting.papers))
            .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        )
    )


def citable_threads(db: Session, process_id: int) -> list[Thread]:
    """Threads of the process's groups that are not hidden, most recently active first."""
    return list(
        db.scalars(
            sa.select(Thread)
            .join(WorkingGroup, WorkingGroup.id == Thread.group_id)
            .where(WorkingGroup.process_id == process_id, Thread.hidden_at.is_(None))
            .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
        )
    )
