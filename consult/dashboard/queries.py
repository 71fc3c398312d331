"""Reads for a person's start page and a process's "what you can do now": a fixed number of queries, however much."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, contains_eager

from consult.accounts.models import User
from consult.accounts.permissions import can_post
from consult.agreement.models import Mediation, MediationFlag, Statement, StatementStatus, Vote, Voter
from consult.agreement.permissions import can_propose_statement
from consult.db import utcnow
from consult.discussions.models import Comment, IssueStatus, Thread, ThreadKind
from consult.meetings.models import Meeting, Rsvp
from consult.moderation.models import Report
from consult.papers.models import CommentStatus, Paper, PaperComment, PaperStatus, PaperVersion
from consult.papers.queries import latest_published_papers
from consult.processes import permissions as process_permissions
from consult.processes.models import Membership, MembershipStatus, Process, Stage, WorkingGroup
from consult.processes.queries import process_state
from consult.processes.timeline import ProcessState

# Statements that count in the analysis are the ones people vote on (agreement.models.StatementStatus).
VOTABLE = [status for status in StatementStatus if status.counts_in_analysis]
REPLIES_SHOWN = 10
# The kinds of facilitator queue, in the order the start page lists them: (key, label).
QUEUE_KINDS = [
    ("reports", "Reports to moderate"),
    ("proposed", "Proposed statements to decide"),
    ("join_requests", "Requests to join a group"),
    ("mediation", "Requests for mediation"),
    ("issues", "Open issues"),
    ("review_comments", "Open review comments on papers"),
]


def waiting_counts(db: Session, user: Any, process_ids: Iterable[int]) -> dict[int, int]:
    """Statements each process asks this person to vote on and they have not yet, in one grouped query."""
    ids = list(process_ids)
    if not ids or not getattr(user, "is_authenticated", False):
        return {}
    voted = (
        sa.select(Vote.id)
        .join(Voter, Voter.id == Vote.voter_id)
        .where(Vote.statement_id == Statement.id, Voter.user_id == user.id)
        .exists()
    )
    rows = db.execute(
        sa.select(Statement.process_id, sa.func.count())
        .where(Statement.process_id.in_(ids), Statement.status.in_(VOTABLE), ~voted)
        .group_by(Statement.process_id)
    )
    return {process_id: int(count) for process_id, count in rows}


@dataclass
class ProcessActions:
    """What a person can do now in one process: only the moves their permissions allow."""

    stage: Stage | None
    state: ProcessState
    joinable: list[WorkingGroup] = field(default_factory=list)
    waiting: int = 0
    can_vote: bool = False
    can_propose: bool = False
    next_meeting: Meeting | None = None
    facilitating: bool = False
    queues: dict[str, int] = field(default_factory=dict)


def process_actions(
    db: Session, process: Process, user: Any, today: date, *, upcoming: list[Meeting]
) -> ProcessActions:
    """The "what you can do now" panel of a process page (process.groups loaded; `upcoming` meetings by date)."""
    stage, state = process_state(process, today)
    memberships = _memberships_in(db, process.id, user)
    standing = process_permissions.standing(memberships.values())
    can_post_here = state == ProcessState.OPEN and not standing.blocked
    actions = ProcessActions(stage=stage, state=state)
    actions.joinable = [
        group
        for group in process.groups
        if process_permissions.can_join_group(user, group, memberships.get(group.id), state)
    ]
    actions.can_propose = can_propose_statement(user, state, blocked=standing.blocked)
    actions.can_vote = can_post_here and can_post(user)
    if actions.can_vote:
        actions.waiting = waiting_counts(db, user, [process.id]).get(process.id, 0)
    actions.next_meeting = upcoming[0] if upcoming else None
    if process_permissions.can_manage_process(user, process):
        actions.facilitating = True
        actions.queues = facilitator_queues(db, [process.id]).get(process.id, {})
    return actions


def _memberships_in(db: Session, process_id: int, user: Any) -> dict[int, Membership]:
    if not getattr(user, "is_authenticated", False):
        return {}
    rows = db.scalars(
        sa.select(Membership)
        .join(WorkingGroup, WorkingGroup.id == Membership.group_id)
        .where(WorkingGroup.process_id == process_id, Membership.user_id == user.id)
    )
    return {membership.group_id: membership for membership in rows}


def facilitator_queues(db: Session, process_ids: list[int]) -> dict[int, dict[str, int]]:
    """Each queue's size per process, one grouped query per kind of queue (six in all, however many processes)."""
    found: dict[int, dict[str, int]] = defaultdict(dict)
    if not process_ids:
        return found
    counted = {
        "reports": sa.select(WorkingGroup.process_id, sa.func.count(Report.id))
        .join(Comment, Comment.id == Report.comment_id)
        .join(Thread, Thread.id == Comment.thread_id)
        .join(WorkingGroup, WorkingGroup.id == Thread.group_id)
        .where(Report.closed_at.is_(None)),
        "proposed": sa.select(Statement.process_id, sa.func.count(Statement.id)).where(
            Statement.status == StatementStatus.PROPOSED
        ),
        "join_requests": sa.select(WorkingGroup.process_id, sa.func.count(Membership.id))
        .join(WorkingGroup, WorkingGroup.id == Membership.group_id)
        .where(Membership.status == MembershipStatus.PENDING),
        "mediation": sa.select(Statement.process_id, sa.func.count(sa.distinct(Statement.id)))
        .join(MediationFlag, MediationFlag.statement_id == Statement.id)
        .where(~sa.select(Mediation.id).where(Mediation.statement_id == Statement.id).exists()),
        "issues": sa.select(WorkingGroup.process_id, sa.func.count(Thread.id))
        .join(WorkingGroup, WorkingGroup.id == Thread.group_id)
        .where(Thread.kind == ThreadKind.ISSUE, Thread.issue_status == IssueStatus.OPEN, Thread.hidden_at.is_(None)),
        "review_comments": sa.select(Paper.process_id, sa.func.count(PaperComment.id))
        .join(Paper, Paper.id == PaperComment.paper_id)
        .where(
            PaperComment.parent_id.is_(None),
            PaperComment.status == CommentStatus.OPEN,
            PaperComment.hidden_at.is_(None),
            Paper.status == PaperStatus.IN_REVIEW,
        ),
    }
    for key, query in counted.items():
        process_column = query.selected_columns[0]
        for process_id, count in db.execute(query.where(process_column.in_(process_ids)).group_by(process_column)):
            found[process_id][key] = int(count)
    return found


@dataclass
class StartPage:
    """Everything on a person's start page, each part already filtered to what they may see and do."""

    memberships: list[Membership]
    waiting: list[tuple[Process, int]]
    meetings: list[Meeting]
    replies: list[Reply]
    queues: list[tuple[Process, dict[str, int]]]
    group_requests: list[tuple[WorkingGroup, int]]


def start_page(db: Session, user: Any, today: date) -> StartPage:
    """A signed-in person's groups, votes waiting, meetings, replies and (for facilitators) queues."""
    memberships = list(
        db.scalars(
            sa.select(Membership)
            .join(Membership.group)
            .join(WorkingGroup.process)
            .where(Membership.user_id == user.id)
            .options(contains_eager(Membership.group).contains_eager(WorkingGroup.process))
            .order_by(Process.title, WorkingGroup.name)
        )
    )
    by_process: dict[int, list[Membership]] = defaultdict(list)
    for membership in memberships:
        by_process[membership.group.process_id].append(membership)
    facilitator = process_permissions.is_facilitator(user)
    voted_in = set(db.scalars(sa.select(Voter.process_id).where(Voter.user_id == user.id)))
    # Votes are asked for in the processes a person takes part in: a group of it, or votes already cast.
    asked = set(by_process) | voted_in
    shown = sa.true() if facilitator else Process.id.in_(asked)
    processes = {p.id: p for p in db.scalars(sa.select(Process).where(shown).order_by(Process.title))}
    can_vote_in = [
        pid
        for pid, process in processes.items()
        if pid in asked
        and process_state(process, today)[1] == ProcessState.OPEN
        and not process_permissions.blocked_in_any(by_process.get(pid, []))
        and can_post(user)
    ]
    counts = waiting_counts(db, user, can_vote_in)
    waiting = [(process, counts[pid]) for pid, process in processes.items() if counts.get(pid)]
    queues: list[tuple[Process, dict[str, int]]] = []
    group_requests: list[tuple[WorkingGroup, int]] = []
    if facilitator:
        found = facilitator_queues(db, list(processes))
        queues = [(process, found[pid]) for pid, process in processes.items() if any(found.get(pid, {}).values())]
    else:
        facilitated = [m.group for m in memberships if m.status == MembershipStatus.FACILITATOR]
        group_requests = _requests_to_join(db, facilitated)
    return StartPage(
        memberships=memberships,
        waiting=waiting,
        meetings=_meetings_going_to(db, user.id),
        replies=_replies_to(db, user.id),
        queues=queues,
        group_requests=group_requests,
    )


def _requests_to_join(db: Session, groups: list[WorkingGroup]) -> list[tuple[WorkingGroup, int]]:
    """Requests waiting in the groups a member facilitates (facilitators of the whole site see every queue)."""
    if not groups:
        return []
    counts = dict(
        db.execute(
            sa.select(Membership.group_id, sa.func.count())
            .where(Membership.group_id.in_([g.id for g in groups]), Membership.status == MembershipStatus.PENDING)
            .group_by(Membership.group_id)
        ).all()
    )
    return [(group, int(counts[group.id])) for group in groups if counts.get(group.id)]


def _meetings_going_to(db: Session, user_id: int) -> list[Meeting]:
    return list(
        db.scalars(
            sa.select(Meeting)
            .join(Rsvp, Rsvp.meeting_id == Meeting.id)
            .join(Meeting.process)
            .where(Rsvp.user_id == user_id, Meeting.ends_at >= utcnow())
            .options(contains_eager(Meeting.process))
            .order_by(Meeting.starts_at)
        )
    )


@dataclass(frozen=True)
class Reply:
    comment: Comment
    author_name: str | None
    thread: Thread
    process: Process


def _replies_to(db: Session, user_id: int) -> list[Reply]:
    """The newest visible replies by others to this person's comments, with where they are (one query)."""
    parent = aliased(Comment)
    rows = db.execute(
        sa.select(Comment, User.display_name, Thread, Process)
        .join(parent, parent.id == Comment.parent_id)
        .outerjoin(User, User.id == Comment.author_id)
        .join(Thread, Thread.id == Comment.thread_id)
        .join(WorkingGroup, WorkingGroup.id == Thread.group_id)
        .join(Process, Process.id == WorkingGroup.process_id)
        .where(
            parent.author_id == user_id,
            sa.or_(Comment.author_id.is_(None), Comment.author_id != user_id),
            Comment.hidden_at.is_(None),
            Comment.deleted_at.is_(None),
            Thread.hidden_at.is_(None),
        )
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(REPLIES_SHOWN)
    )
    return [Reply(comment, name, thread, process) for comment, name, thread, process in rows]


def live_processes(db: Session, today: date) -> list[tuple[Process, Stage | None]]:
    """Processes open now, with their current stage, for the home page."""
    found = []
    for process in db.scalars(sa.select(Process).order_by(Process.created_at.desc())):
        stage, state = process_state(process, today)
        if state == ProcessState.OPEN:
            found.append((process, stage))
    return found


def recent_papers(db: Session, limit: int = 5) -> list[tuple[Paper, PaperVersion, Process]]:
    """The newest published papers (never drafts), for the home page."""
    return latest_published_papers(db, limit=limit)
