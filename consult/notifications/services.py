"""Follow and unfollow; turn events (replies, new threads, issue statuses, meetings) into notifications."""

from __future__ import annotations

import re
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult.accounts.models import User
from consult.db import rows_matched, utcnow
from consult.discussions.models import Comment
from consult.notifications.models import EmailMode, Follow, Notification, NotificationKind, TargetType

PENDING_MAIL = "consult.pending_mail"
COMMENT_REFERENCE = re.compile(r"(?:/comments/|#comment-)(\d{1,12})")


def set_email_mode(db: Session, user: User, mode: str) -> None:
    """How notifications reach this person by email: each event, a daily digest, or none."""
    user.notification_email = EmailMode(mode).value
    db.flush()


def mark_all_read(db: Session, *, actor: User) -> int:
    """Mark every unread notification of this person read in one statement; the number marked is returned."""
    result = db.execute(
        sa.update(Notification)
        .where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return rows_matched(result)


def follow(db: Session, user: User, target_type: str, target_id: int) -> None:
    """Follow something; following twice is harmless."""
    kind = TargetType(target_type)
    exists = db.scalar(
        sa.select(Follow.id).where(Follow.user_id == user.id, Follow.target_type == kind, Follow.target_id == target_id)
    )
    if exists is not None:
        return
    try:
        with db.begin_nested():
            db.add(Follow(user_id=user.id, target_type=kind, target_id=target_id))
    except sa.exc.IntegrityError:
        pass  # a concurrent request followed it first: the outcome is the same


def unfollow(db: Session, user: User, target_type: str, target_id: int) -> None:
    db.execute(
        sa.delete(Follow).where(
            Follow.user_id == user.id, Follow.target_type == TargetType(target_type), Follow.target_id == target_id
        )
    )
    db.flush()


def is_following(db: Session, user, target_type: str, target_id: int) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    found = db.scalar(
        sa.select(Follow.id).where(
            Follow.user_id == user.id, Follow.target_type == TargetType(target_type), Follow.target_id == target_id
        )
    )
    return found is not None


def followers(db: Session, targets: Iterable[tuple[str, int]]) -> set[int]:
    conditions = [sa.and_(Follow.target_type == TargetType(t), Follow.target_id == i) for t, i in targets]
    if not conditions:
        return set()
    return set(db.scalars(sa.select(Follow.user_id).where(sa.or_(*conditions))))


def notify(
    db: Session,
    recipients: dict[int, tuple[NotificationKind, str]],
    *,
    target_type: str,
    target_id: int,
    anchor: str = "",
    exclude: Iterable[int] = (),
) -> int:
    """Write one notification per recipient; those who want mail for each event get it after commit."""
    skip = set(exclude)
    wanted = {user_id: value for user_id, value in recipients.items() if user_id not in skip}
    if not wanted:
        return 0
    people = db.execute(
        sa.select(User.id, User.email, User.notification_email, User.disabled).where(User.id.in_(wanted))
    ).all()
    for user_id, email, mode, disabled in people:
        if disabled:
            continue
        kind, message = wanted[user_id]
        db.add(
            Notification(
                user_id=user_id,
                kind=kind,
                message=message[:500],
                target_type=target_type,
                target_id=target_id,
                anchor=anchor,
                emailed_at=utcnow() if mode == EmailMode.EACH else None,
            )
        )
        if mode == EmailMode.EACH:
            db.info.setdefault(PENDING_MAIL, []).append((email, message, path_for(target_type, target_id, anchor)))
    db.flush()
    return len(people)


def path_for(target_type: str, target_id: int, anchor: str = "") -> str:
    """Where a notification leads (kept in one place so links in mail and on the site agree)."""
    base = {"thread": f"/threads/{target_id}", "meeting": f"/meetings/{target_id}"}[target_type]
    return base + (f"#{anchor}" if anchor else "")


def retitle(db: Session, thread_id: int, *, old: str, new: str) -> None:
    """Rewrite the thread's notifications that quote `old` (its title, when it changes or is hidden)."""
    db.execute(
        sa.update(Notification)
        .where(Notification.target_type == "thread", Notification.target_id == thread_id)
        .values(message=sa.func.substr(sa.func.replace(Notification.message, old, new), 1, 500))
        .execution_options(synchronize_session=False)
    )


# Events -------------------------------------------------------------------------------------


def on_new_thread(db: Session, thread, *, actor: User, group) -> None:
    follow(db, actor, "thread", thread.id)
    message = f"{actor.display_name} started “{thread.title}” in {group.name}"
    audience = followers(db, [("group", group.id), ("process", group.process_id)])
    notify(
        db,
        dict.fromkeys(audience, (NotificationKind.NEW_THREAD, message)),
        target_type="thread",
        target_id=thread.id,
        exclude={actor.id},
    )


def on_reply(db: Session, comment, *, parent, thread, actor: User) -> None:
    follow(db, actor, "thread", thread.id)
    recipients: dict[int, tuple[NotificationKind, str]] = {}
    for user_id in followers(db, [("thread", thread.id)]):
        recipients[user_id] = (NotificationKind.THREAD_REPLY, f"{actor.display_name} replied in “{thread.title}”")
    referenced = {int(n) for n in COMMENT_REFERENCE.findall(comment.body)} - {comment.id}
    if referenced:
        for author_id in db.scalars(sa.select(Comment.author_id).where(Comment.id.in_(referenced))):
            if author_id:
                recipients[author_id] = (
                    NotificationKind.MENTION,
                    f"{actor.display_name} mentioned your comment in “{thread.title}”",
                )
    if parent.author_id:
        recipients[parent.author_id] = (
            NotificationKind.REPLY_TO_YOU,
            f"{actor.display_name} replied to your comment in “{thread.title}”",
        )
    notify(
        db, recipients, target_type="thread", target_id=thread.id, anchor=f"comment-{comment.id}", exclude={actor.id}
    )


def on_issue_status(db: Session, thread, *, actor: User) -> None:
    message = f"The issue “{thread.title}” is now: {thread.issue_status.label.lower()}"
    audience = followers(db, [("thread", thread.id)])
    if thread.author_id:
        audience.add(thread.author_id)
    notify(
        db,
        dict.fromkeys(audience, (NotificationKind.ISSUE_STATUS, message)),
        target_type="thread",
        target_id=thread.id,
        exclude={actor.id},
    )


def on_new_meeting(db: Session, meeting, *, actor: User) -> None:
    targets = [("process", meeting.process_id)] + ([("group", meeting.group_id)] if meeting.group_id else [])
    message = f"New meeting: {meeting.title}"
    notify(
        db,
        dict.fromkeys(followers(db, targets), (NotificationKind.NEW_MEETING, message)),
        target_type="meeting",
        target_id=meeting.id,
        exclude={actor.id},
    )
