"""Starting threads, replying, editing with history, deleting to a tombstone, statuses and summaries."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult import events
from consult.accounts.models import User
from consult.db import rows_matched, utcnow
from consult.discussions import permissions
from consult.discussions.models import (
    Comment,
    CommentRevision,
    IssueStatus,
    IssueStatusChange,
    Stance,
    SummaryRevision,
    Thread,
    ThreadKind,
)
from consult.errors import PermissionDenied, StaleEdit, ValidationError
from consult.moderation import services as moderation
from consult.posting import tokens
from consult.processes.models import Membership, WorkingGroup
from consult.processes.timeline import ProcessState

TITLE_MAX = 200


def _stance(value: str | None) -> Stance | None:
    return Stance(value) if value else None


def start_thread(
    db: Session,
    group: WorkingGroup,
    *,
    actor: User,
    membership: Membership | None,
    state: ProcessState,
    kind: str,
    title: str,
    body: str,
    stance: str | None = None,
    submission_token: str | None = None,
) -> Thread:
    """Open a thread with its first post; an issue raised starts with status 'open'.

    With a `submission_token` (the form's), a repeat of the same submission raises AlreadySubmitted instead.
    """
    if not permissions.can_start_thread(actor, membership, state):
        raise PermissionDenied
    claimed = tokens.claim(db, submission_token, actor=actor, kind="thread")
    thread_kind = ThreadKind(kind)
    thread = Thread(
        group_id=group.id,
        kind=thread_kind,
        title=title.strip(),
        author_id=actor.id,
        issue_status=IssueStatus.OPEN if thread_kind == ThreadKind.ISSUE else None,
    )
    db.add(thread)
    db.flush()
    opening = Comment(thread_id=thread.id, author_id=actor.id, body=body, stance=_stance(stance), depth=0)
    db.add(opening)
    db.flush()
    db.add(CommentRevision(comment_id=opening.id, body=body, stance=opening.stance))
    db.flush()
    tokens.record(db, claimed, thread.id)
    events.thread_started.send(
        db,
        thread_id=thread.id,
        title=thread.title,
        kind=thread_kind.value,
        group_id=group.id,
        group_name=group.name,
        process_id=group.process_id,
        actor_id=actor.id,
        actor_name=actor.display_name,
    )
    return thread


def reply(
    db: Session,
    parent: Comment,
    *,
    actor: User,
    membership: Membership | None,
    state: ProcessState,
    body: str,
    stance: str | None = None,
    submission_token: str | None = None,
) -> Comment:
    """Reply to a visible comment in the same thread; hidden or deleted comments take no replies."""
    thread = db.get_one(Thread, parent.thread_id)
    if not parent.is_visible:
        raise ValidationError(None, "You cannot reply to a comment that has been deleted or hidden")
    if not permissions.can_reply(actor, thread, parent, membership, state):
        raise PermissionDenied
    claimed = tokens.claim(db, submission_token, actor=actor, kind="comment")
    comment = Comment(
        thread_id=parent.thread_id,
        parent_id=parent.id,
        author_id=actor.id,
        body=body,
        stance=_stance(stance),
        depth=parent.depth + 1,
    )
    db.add(comment)
    db.flush()
    db.add(CommentRevision(comment_id=comment.id, body=body, stance=comment.stance))
    tokens.record(db, claimed, comment.id)
    db.execute(sa.update(Thread).where(Thread.id == parent.thread_id).values(last_activity_at=utcnow()))
    db.flush()
    events.reply_posted.send(
        db,
        thread_id=thread.id,
        thread_title=thread.title,
        comment_id=comment.id,
        body=comment.body,
        parent_author_id=parent.author_id,
        actor_id=actor.id,
        actor_name=actor.display_name,
    )
    return comment


def edit_comment(
    db: Session,
    comment: Comment,
    *,
    actor: User,
    membership: Membership | None,
    state: ProcessState,
    body: str,
    stance: str | None = None,
) -> None:
    """Change a comment's text; the new version is kept beside the old ones."""
    if not permissions.can_edit_comment(actor, db.get_one(Thread, comment.thread_id), comment, membership, state):
        raise PermissionDenied
    if body == comment.body and _stance(stance) == comment.stance:
        return
    comment.body = body
    comment.stance = _stance(stance)
    comment.edited_at = utcnow()
    db.add(CommentRevision(comment_id=comment.id, body=body, stance=comment.stance))
    db.flush()


def edit_thread_title(
    db: Session,
    thread: Thread,
    *,
    actor: User,
    membership: Membership | None,
    state: ProcessState,
    title: str,
    reason: str = "",
) -> None:
    """Correct a thread's title; a facilitator changing someone else's gives a reason, published in the log."""
    if not permissions.can_edit_thread_title(actor, thread, membership, state):
        raise PermissionDenied
    title = " ".join(title.split())
    if not title:
        raise ValidationError("title", "Enter a title")
    if len(title) > TITLE_MAX:
        raise ValidationError("title", f"Title must be {TITLE_MAX} characters or fewer")
    if title == thread.title:
        return
    if thread.author_id != actor.id:
        if not reason.strip():
            raise ValidationError("reason", "Enter a reason: changing someone else's title is shown in the public log")
        moderation.log_retitle(db, thread, actor=actor, reason=reason)
    if thread.is_visible:
        events.thread_renamed.send(db, thread_id=thread.id, old_title=thread.title, new_title=title)
    thread.title = title
    db.flush()


def delete_comment(db: Session, comment: Comment, *, actor: User) -> None:
    """Leave a tombstone: the text goes, the place in the tree (and its replies) stays."""
    if not permissions.can_delete_comment(actor, comment):
        raise PermissionDenied
    comment.deleted_at = utcnow()
    comment.body = ""
    comment.stance = None
    db.execute(sa.delete(CommentRevision).where(CommentRevision.comment_id == comment.id))
    db.flush()


def set_issue_status(
    db: Session, thread: Thread, *, actor: User, membership: Membership | None, status: str, note: str
) -> IssueStatusChange:
    if not permissions.can_set_issue_status(actor, thread, membership):
        raise PermissionDenied
    new_status = IssueStatus(status)
    if new_status == thread.issue_status:
        raise ValidationError("status", "The issue already has that status")
    thread.issue_status = new_status
    change = IssueStatusChange(thread_id=thread.id, status=new_status, note=note.strip(), actor_id=actor.id)
    db.add(change)
    db.flush()
    events.issue_status_changed.send(
        db,
        thread_id=thread.id,
        title=thread.title,
        status_label=thread.issue_status.label,
        note=change.note,
        author_id=thread.author_id,
        actor_id=actor.id,
    )
    return change


def save_summary(
    db: Session, thread: Thread, *, actor: User, membership: Membership | None, body: str, base_version: int
) -> int:
    """Save a new summary version; refused if someone saved since the editor opened it (no lost update)."""
    if not permissions.can_facilitate_thread(actor, thread, membership):
        raise PermissionDenied
    # A conditional UPDATE is atomic on SQLite and PostgreSQL: of two saves from one base, one wins.
    result = db.execute(
        sa.update(Thread)
        .where(Thread.id == thread.id, Thread.summary_version == base_version)
        .values(summary=body, summary_version=base_version + 1)
        .execution_options(synchronize_session=False)
    )
    if rows_matched(result) != 1:
        db.refresh(thread)
        raise StaleEdit(
            "body",
            "Someone else saved the summary while you were editing. Their version is shown below; "
            "your text is kept in the box. Merge them and save again.",
        )
    db.add(SummaryRevision(thread_id=thread.id, version=base_version + 1, body=body, author_id=actor.id))
    db.flush()
    db.refresh(thread)
    return base_version + 1
