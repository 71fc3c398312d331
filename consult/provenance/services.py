"""Linking statements to their sources, and proposing a statement from a comment (flush only; views commit)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from consult.agreement import services as agreement_services
from consult.agreement.models import Statement
from consult.discussions.models import Comment, Thread, ThreadKind
from consult.errors import PermissionDenied, ValidationError
from consult.meetings.models import Meeting
from consult.processes.models import WorkingGroup
from consult.processes.timeline import ProcessState
from consult.provenance import permissions
from consult.provenance.models import StatementSource
from consult.search.schema import plain_text

STATEMENT_LIMIT = 400  # consult.agreement.services.create_statement's limit
KINDS = ("thread", "issue", "comment", "meeting")
ALREADY_LINKED = "This statement is already linked to that {}"


def trim_at_word(text: str, limit: int = STATEMENT_LIMIT) -> str:
    """A comment's words as one line, cut at the last whole word that fits the statement limit."""
    words = " ".join(text.split())
    if len(words) <= limit:
        return words
    cut = words[: limit + 1].rsplit(" ", 1)[0]
    return cut if 0 < len(cut) <= limit else words[:limit]


def suggested_text(comment: Comment) -> str:
    """What the propose form starts with: the comment's words, without Markdown, within the statement limit."""
    return trim_at_word(plain_text(comment.body))


def find_comment_in_process(db: Session, process_id: int, comment_id: Any) -> Comment:
    """A comment of this process that everyone can read, with its thread; anything else is refused."""
    comment = None
    if isinstance(comment_id, int) and comment_id > 0:
        comment = db.scalar(
            sa.select(Comment)
            .join(Thread, Thread.id == Comment.thread_id)
            .join(WorkingGroup, WorkingGroup.id == Thread.group_id)
            .where(Comment.id == comment_id, WorkingGroup.process_id == process_id)
            .options(joinedload(Comment.thread), joinedload(Comment.author))
        )
    if comment is None:
        raise ValidationError("target", "Choose a comment from a thread of this process")
    if not (comment.is_visible and comment.thread.is_visible):
        raise ValidationError("target", "That comment was deleted or hidden, so it cannot be a source")
    return comment


def _thread_in_process(db: Session, process_id: int, thread_id: Any, *, issue: bool) -> Thread:
    thread = None
    if isinstance(thread_id, int) and thread_id > 0:
        thread = db.scalar(
            sa.select(Thread)
            .join(WorkingGroup, WorkingGroup.id == Thread.group_id)
            .where(Thread.id == thread_id, WorkingGroup.process_id == process_id)
        )
    noun = "an issue" if issue else "a thread"
    if thread is None or (issue and thread.kind != ThreadKind.ISSUE):
        raise ValidationError("target", f"Choose {noun} of this process")
    if not thread.is_visible:
        raise ValidationError("target", f"That {noun.split()[1]} was hidden by a facilitator, so it cannot be a source")
    return thread


def _meeting_in_process(db: Session, process_id: int, meeting_id: Any) -> Meeting:
    meeting = db.get(Meeting, meeting_id) if isinstance(meeting_id, int) and meeting_id > 0 else None
    if meeting is None or meeting.process_id != process_id:
        raise ValidationError("target", "Choose a meeting of this process")
    return meeting


def _link(db: Session, statement: Statement, actor: Any, noun: str, **target: int) -> StatementSource:
    """Insert the link; the unique constraints, not a prior read, decide whether it is a duplicate."""
    source = StatementSource(statement_id=statement.id, added_by_id=actor.id, **target)
    try:
        with db.begin_nested():
            db.add(source)
    except sa.exc.IntegrityError as error:
        raise ValidationError("target", ALREADY_LINKED.format(noun)) from error
    return source


def add_source(db: Session, statement: Statement, *, actor: Any, kind: str, target: Any) -> StatementSource:
    """A facilitator links a statement to a thread, issue, comment or meeting of the same process."""
    if not permissions.can_manage_sources(actor):
        raise PermissionDenied
    process_id = statement.process_id
    if kind in ("thread", "issue"):
        thread = _thread_in_process(db, process_id, target, issue=kind == "issue")
        return _link(db, statement, actor, kind, thread_id=thread.id)
    if kind == "comment":
        comment = find_comment_in_process(db, process_id, target)
        return _link(db, statement, actor, "comment", comment_id=comment.id)
    if kind == "meeting":
        meeting = _meeting_in_process(db, process_id, target)
        return _link(db, statement, actor, "meeting", meeting_id=meeting.id)
    raise ValidationError(None, "Choose what to link: a thread, an issue, a comment or a meeting")


def remove_source(db: Session, source: StatementSource, *, actor: Any) -> None:
    """A facilitator removes a link (the statement and the record it pointed to stay)."""
    if not permissions.can_manage_sources(actor):
        raise PermissionDenied
    db.delete(source)
    db.flush()


def propose_from_comment(
    db: Session,
    process_id: int,
    *,
    actor: Any,
    state: ProcessState,
    comment_id: Any,
    text: str,
    submission_token: str | None,
    blocked: bool,
) -> Statement:
    """Propose (or, for a facilitator, add) a statement and keep the comment it came from as its first source."""
    try:
        comment = find_comment_in_process(db, process_id, comment_id)
    except ValidationError as error:
        raise ValidationError(None, error.message) from error
    if not permissions.can_propose_from_comment(actor, comment, comment.thread, state, blocked=blocked):
        raise PermissionDenied
    statement = agreement_services.add_statement(
        db, process_id, actor=actor, state=state, text=text, submission_token=submission_token, blocked=blocked
    )
    _link(db, statement, actor, "comment", comment_id=comment.id)
    return statement
