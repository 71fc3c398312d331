"""Reporting, hiding, restoring and blocking comments and threads; every facilitator action is in the public log."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult import events
from consult.accounts.models import User
from consult.db import utcnow
from consult.discussions.models import HIDDEN_REASON_MAX, Comment, Thread
from consult.errors import PermissionDenied, ValidationError
from consult.moderation import permissions
from consult.moderation.models import ActionKind, ModerationAction, Report
from consult.processes.models import Membership, WorkingGroup
from consult.search import queue as search_queue


def report(db: Session, comment: Comment, *, actor: User, membership: Membership | None, reason: str) -> Report:
    if not permissions.can_report(actor, db.get_one(Thread, comment.thread_id), comment, membership):
        raise PermissionDenied
    existing = db.scalar(sa.select(Report).where(Report.comment_id == comment.id, Report.reporter_id == actor.id))
    if existing is not None:
        raise ValidationError(None, "You have already reported this comment. A facilitator will look at it.")
    entry = Report(comment_id=comment.id, reporter_id=actor.id, reason=reason.strip())
    try:
        with db.begin_nested():
            db.add(entry)
    except sa.exc.IntegrityError as error:
        raise ValidationError(None, "You have already reported this comment.") from error
    thread = db.get_one(Thread, comment.thread_id)
    events.comment_reported.send(
        db,
        comment_id=comment.id,
        thread_id=thread.id,
        group_id=thread.group_id,
        process_id=thread.group.process_id,
        reason=entry.reason,
        actor_id=actor.id,
    )
    return entry


def _log(
    db: Session,
    group: WorkingGroup,
    *,
    actor: User,
    kind: ActionKind,
    reason: str,
    comment: Comment | None = None,
    thread: Thread | None = None,
    target: User | None = None,
    until: datetime | None = None,
) -> None:
    db.add(
        ModerationAction(
            process_id=group.process_id,
            group_id=group.id,
            actor_id=actor.id,
            kind=kind,
            reason=reason.strip(),
            comment_id=comment.id if comment else None,
            thread_id=thread.id if thread else None,
            target_user_id=target.id if target else None,
            until=until,
        )
    )


def log_retitle(db: Session, thread: Thread, *, actor: User, reason: str) -> None:
    """A facilitator changed someone else's thread title: logged publicly, without the old title."""
    _log(db, thread.group, actor=actor, kind=ActionKind.RETITLE_THREAD, reason=reason, thread=thread)


def _check_hidden_reason(reason: str) -> None:
    if not reason.strip():
        raise ValidationError("reason", "Enter a reason")
    if len(reason.strip()) > HIDDEN_REASON_MAX:
        raise ValidationError("reason", f"Reason must be {HIDDEN_REASON_MAX:,} characters or fewer")


def _close_reports(db: Session, comment_ids: Any) -> None:
    """Close the open reports on these comments (a list of ids or a subquery of them)."""
    db.execute(
        sa.update(Report)
        .where(Report.comment_id.in_(comment_ids), Report.closed_at.is_(None))
        .values(closed_at=utcnow())
    )


def hide(
    db: Session, comment: Comment, group: WorkingGroup, *, actor: User, membership: Membership | None, reason: str
) -> None:
    """Hide a comment behind a placeholder that shows the public reason; replies stay in place."""
    if not permissions.can_moderate(actor, group, membership):
        raise PermissionDenied
    if comment.hidden_at is not None:
        raise ValidationError(None, "That comment is already hidden")
    if comment.deleted_at is not None:
        raise ValidationError(None, "That comment has been deleted by its author")
    _check_hidden_reason(reason)
    comment.hidden_at = utcnow()
    comment.hidden_reason = reason.strip()
    _close_reports(db, [comment.id])
    _log(db, group, actor=actor, kind=ActionKind.HIDE, reason=reason, comment=comment)
    db.flush()
    _announce_moderated(db, comment, hidden=True, reason=comment.hidden_reason or "", actor=actor)


def restore(
    db: Session, comment: Comment, group: WorkingGroup, *, actor: User, membership: Membership | None, reason: str
) -> None:
    if not permissions.can_moderate(actor, group, membership):
        raise PermissionDenied
    if comment.hidden_at is None:
        raise ValidationError(None, "That comment is not hidden")
    comment.hidden_at = None
    comment.hidden_reason = None
    _log(db, group, actor=actor, kind=ActionKind.RESTORE, reason=reason, comment=comment)
    db.flush()
    _announce_moderated(db, comment, hidden=False, reason=reason.strip(), actor=actor)


def _announce_moderated(db: Session, comment: Comment, *, hidden: bool, reason: str, actor: User) -> None:
    """Tell the comment's author (through notifications) that it was hidden or restored, and why."""
    thread = db.get_one(Thread, comment.thread_id)
    events.comment_moderated.send(
        db,
        comment_id=comment.id,
        thread_id=thread.id,
        thread_title=thread.title if thread.is_visible else None,
        author_id=comment.author_id,
        hidden=hidden,
        reason=reason,
        actor_id=actor.id,
    )


def _thread_changed_visibility(db: Session, thread: Thread) -> None:
    """A thread's comments are searchable only while it is visible: re-index them with it."""
    comment_ids = db.scalars(sa.select(Comment.id).where(Comment.thread_id == thread.id))
    search_queue.enqueue(db, [("comment", comment_id) for comment_id in comment_ids])


def hide_thread(db: Session, thread: Thread, *, actor: User, membership: Membership | None, reason: str) -> None:
    """Hide a whole thread, title included, behind a tombstone giving the public reason.

    The title leaves every page, feed and search result, and the notifications that quoted it.
    """
    group = thread.group
    if not permissions.can_moderate(actor, group, membership):
        raise PermissionDenied
    if thread.hidden_at is not None:
        raise ValidationError(None, "That thread is already hidden")
    _check_hidden_reason(reason)
    thread.hidden_at = utcnow()
    thread.hidden_reason = reason.strip()
    _close_reports(db, sa.select(Comment.id).where(Comment.thread_id == thread.id))
    events.thread_renamed.send(db, thread_id=thread.id, old_title=thread.title, new_title=None)
    _thread_changed_visibility(db, thread)
    _log(db, group, actor=actor, kind=ActionKind.HIDE_THREAD, reason=reason, thread=thread)
    db.flush()


def restore_thread(db: Session, thread: Thread, *, actor: User, membership: Membership | None, reason: str) -> None:
    group = thread.group
    if not permissions.can_moderate(actor, group, membership):
        raise PermissionDenied
    if thread.hidden_at is None:
        raise ValidationError(None, "That thread is not hidden")
    thread.hidden_at = None
    thread.hidden_reason = None
    events.thread_renamed.send(db, thread_id=thread.id, old_title=None, new_title=thread.title)
    _thread_changed_visibility(db, thread)
    _log(db, group, actor=actor, kind=ActionKind.RESTORE_THREAD, reason=reason, thread=thread)
    db.flush()


def dismiss_reports(
    db: Session, comment: Comment, group: WorkingGroup, *, actor: User, membership: Membership | None, reason: str
) -> None:
    if not permissions.can_moderate(actor, group, membership):
        raise PermissionDenied
    _close_reports(db, [comment.id])
    _log(db, group, actor=actor, kind=ActionKind.DISMISS, reason=reason, comment=comment)
    db.flush()


def block(
    db: Session,
    target: Membership,
    group: WorkingGroup,
    *,
    actor: User,
    membership: Membership | None,
    days: int | None,
    reason: str,
) -> None:
    """Stop a member posting in this group for a number of days; they can still read."""
    if not permissions.can_moderate(actor, group, membership):
        raise PermissionDenied
    if target.group_id != group.id:
        raise ValidationError(None, "That person is not a member of this group")
    if target.user_id == actor.id:
        raise ValidationError("days", "You cannot block yourself")
    if days is None or not 1 <= days <= 365:
        raise ValidationError("days", "Enter a number of days between 1 and 365")
    target.blocked_until = utcnow() + timedelta(days=days)
    _log(db, group, actor=actor, kind=ActionKind.BLOCK, reason=reason, target=target.user, until=target.blocked_until)
    db.flush()


def unblock(
    db: Session, target: Membership, group: WorkingGroup, *, actor: User, membership: Membership | None, reason: str
) -> None:
    if not permissions.can_moderate(actor, group, membership):
        raise PermissionDenied
    target.blocked_until = None
    _log(db, group, actor=actor, kind=ActionKind.UNBLOCK, reason=reason, target=target.user)
    db.flush()
