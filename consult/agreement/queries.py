"""Reads for statements and votes: one query for tallies, one for the reader's own votes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

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


# How the statements list can be ordered (?sort=): the label, and whether it needs every statement's vote count.
SORTS = {
    "oldest": "Oldest first",
    "newest": "Newest first",
    "fewest-votes": "Fewest votes first",
    "most-votes": "Most votes first",
}


def statements_page(
    db: Session, process_id: int, *, include_proposed: bool, sort: str, page: int, per_page: int
) -> tuple[list[Statement], int]:
    """One page of the statements list in the chosen order, and how many statements there are (two queries).

    For facilitators (include_proposed), statements waiting for their decision come first, whatever the order, so
    the queue their start page links to is on the first page however long the list is."""
    statuses = [StatementStatus.ACCEPTED, StatementStatus.UNMODERATED]
    if include_proposed:
        statuses.append(StatementStatus.PROPOSED)
    shown = sa.and_(Statement.process_id == process_id, Statement.status.in_(statuses))
    total = db.scalar(sa.select(sa.func.count(Statement.id)).where(shown)) or 0
    query = sa.select(Statement).where(shown)
    if include_proposed:
        query = query.order_by(sa.case((Statement.status == StatementStatus.PROPOSED, 0), else_=1))
    if sort in {"fewest-votes", "most-votes"}:
        counts = (
            sa.select(Vote.statement_id, sa.func.count().label("votes"))
            .join(Statement, Statement.id == Vote.statement_id)
            .where(Statement.process_id == process_id)
            .group_by(Vote.statement_id)
            .subquery()
        )
        votes = sa.func.coalesce(counts.c.votes, 0)
        query = query.outerjoin(counts, counts.c.statement_id == Statement.id).order_by(
            votes.desc() if sort == "most-votes" else votes, Statement.id
        )
    else:
        query = query.order_by(Statement.id.desc() if sort == "newest" else Statement.id)
    return list(db.scalars(query.limit(per_page).offset((page - 1) * per_page))), total


def newest_vote_event(db: Session) -> int | None:
    """The id of the newest vote cast anywhere: it changes with every vote, and reading it is one index lookup."""
    return db.scalar(sa.select(sa.func.max(VoteEvent.id)))


def statements_version(db: Session, process_id: int) -> tuple:
    """Changes when a statement is added, accepted or rejected in the process, or any vote is cast anywhere.

    The newest vote event's id is one index lookup, where counting a big process's votes is not."""
    statements = db.execute(
        sa.select(
            sa.func.count(Statement.id),
            sa.func.max(Statement.id),
            sa.func.sum(sa.case((Statement.status == StatementStatus.ACCEPTED, 1), else_=0)),
            sa.func.sum(sa.case((Statement.status == StatementStatus.REJECTED, 1), else_=0)),
        ).where(Statement.process_id == process_id)
    ).one()
    return (*statements, newest_vote_event(db))


def tallies(db: Session, process_id: int, statement_ids: list[int] | None = None) -> dict[int, tuple[int, int, int]]:
    """Agree, disagree and pass counts of current votes per statement (or only those given), in one grouped query."""
    query = (
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
    if statement_ids is not None:
        query = query.where(Vote.statement_id.in_(statement_ids))
    rows = db.execute(query)
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


def analysis_version(db: Session, process_id: int) -> sa.Row[tuple[datetime, int]] | None:
    """When the cached analysis was made and from how many votes, without reading (or decoding) the report."""
    return db.execute(
        sa.select(AnalysisCache.computed_at, AnalysisCache.vote_events).where(AnalysisCache.process_id == process_id)
    ).one_or_none()


def analysis_report(db: Session, process_id: int) -> dict[str, Any]:
    """The cached report alone: callers keep it decoded per analysis version (consult.caching.memo)."""
    return db.scalar(sa.select(AnalysisCache.report).where(AnalysisCache.process_id == process_id)) or {}


def statement_texts(db: Session, process_id: int) -> dict[str, str]:
    """Statement texts by the id the analysis uses (the Polis id of imported ones), without building ORM objects."""
    rows = db.execute(
        sa.select(Statement.id, Statement.external_id, Statement.text).where(
            Statement.process_id == process_id,
            Statement.status.in_([StatementStatus.ACCEPTED, StatementStatus.UNMODERATED]),  # as list_statements
        )
    )
    return {external_id or str(statement_id): text for statement_id, external_id, text in rows}


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
