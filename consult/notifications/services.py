"""Follow and unfollow; write notifications (subscriptions.py decides who is told about which event)."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult.accounts.models import User
from consult.db import rows_matched, utcnow
from consult.notifications.models import EmailMode, Follow, Notification, NotificationKind, TargetType

PENDING_MAIL = "consult.pending_mail"


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
    follow_as(db, user.id, target_type, target_id)


def follow_as(db: Session, user_id: int, target_type: str, target_id: int) -> None:
    """follow() by the person's id, as events carry it."""
    kind = TargetType(target_type)
    exists = db.scalar(
        sa.select(Follow.id).where(Follow.user_id == user_id, Follow.target_type == kind, Follow.target_id == target_id)
    )
    if exists is not None:
        return
    try:
        with db.begin_nested():
            db.add(Follow(user_id=user_id, target_type=kind, target_id=target_id))
    except sa.exc.IntegrityError:
        pass  # a concurrent request followed it first: the outcome is the same


def unfollow(db: Session, user: User, target_type: str, target_id: int) -> None:
    db.execute(
        sa.delete(Follow).where(
            Follow.user_id == user.id, Follow.target_type == TargetType(target_type), Follow.target_id == target_id
        )
    )
    db.flush()


def follows(db: Session, user_id: int, target_type: str, target_id: int) -> bool:
    found = db.scalar(
        sa.select(Follow.id).where(
            Follow.user_id == user_id, Follow.target_type == TargetType(target_type), Follow.target_id == target_id
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
    if target_type == "thread" and anchor.startswith("comment-"):
        # A comment's permalink finds the page of a long thread that shows it (discussions.views.permalink).
        return f"/comments/{anchor.removeprefix('comment-')}/in-thread"
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
