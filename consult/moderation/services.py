"""Reporting, hiding, restoring and blocking; every facilitator action is written to the public log."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult.accounts.models import User
from consult.db import utcnow
from consult.discussions.models import Comment
from consult.errors import ValidationError
from consult.moderation import permissions
from consult.moderation.models import ActionKind, ModerationAction, Report
from consult.processes.models import Membership, WorkingGroup
from consult.security import PermissionDenied


def report(db: Session, comment: Comment, *, actor: User, membership: Membership | None, reason: str) -> Report:
    if not permissions.can_report(actor, comment, membership):
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
    return entry


def _log(
    db: Session,
    group: WorkingGroup,
    *,
    actor: User,
    kind: ActionKind,
    reason: str,
    comment: Comment | None = None,
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
            target_user_id=target.id if target else None,
            until=until,
        )
    )


def _close_reports(db: Session, comment: Comment) -> None:
    db.execute(
        sa.update(Report).where(Report.comment_id == comment.id, Report.closed_at.is_(None)).values(closed_at=utcnow())
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
    comment.hidden_at = utcnow()
    comment.hidden_reason = reason.strip()
    _close_reports(db, comment)
    _log(db, group, actor=actor, kind=ActionKind.HIDE, reason=reason, comment=comment)
    db.flush()


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


def dismiss_reports(
    db: Session, comment: Comment, group: WorkingGroup, *, actor: User, membership: Membership | None, reason: str
) -> None:
    if not permissions.can_moderate(actor, group, membership):
        raise PermissionDenied
    _close_reports(db, comment)
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
