"""Follow and unfollow; write notifications (subscriptions.py decides who is told about which event)."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult.accounts.models import User
from consult.db import rows_matched, utcnow
from consult.notifications.models import (
    DecisionEmailMode,
    EmailMode,
    Follow,
    Notification,
    NotificationKind,
    TargetType,
)

PENDING_MAIL = "consult.pending_mail"


def set_email_mode(db: Session, user: User, mode: str, decisions: str | None = None) -> None:
    """How notifications reach this person by email: each event, a daily digest, or none; `decisions` the same
    for decisions about their own contributions (left as it is when not given)."""
    user.notification_email = EmailMode(mode).value
    if decisions is not None:
        user.decision_email = DecisionEmailMode(decisions).value
    db.flush()


def email_mode(kind: NotificationKind, notification_email: str, decision_email: str) -> str:
    """Which of a person's two settings applies to this kind of notification."""
    return decision_email if kind.is_decision else notification_email


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
    detail: str = "",
    link: str = "",
) -> int:
    """Write one notification per recipient (never to a disabled account); those whose setting for its kind is
    'each' get an email once the transaction commits. `detail` is the decision's reason or note; `link` the
    target's address when path_for cannot build it from the id."""
    skip = set(exclude)
    wanted = {user_id: value for user_id, value in recipients.items() if user_id not in skip}
    if not wanted:
        return 0
    people = db.execute(
        sa.select(User.id, User.email, User.notification_email, User.decision_email).where(
            User.id.in_(wanted), User.disabled.is_(False)
        )
    ).all()
    path = link or path_for(target_type, target_id, anchor)
    for user_id, email, general, decisions in people:
        kind, message = wanted[user_id]
        each = email_mode(kind, general, decisions) == EmailMode.EACH
        db.add(
            Notification(
                user_id=user_id,
                kind=kind,
                message=message[:500],
                detail=detail,
                target_type=target_type,
                target_id=target_id,
                anchor=anchor,
                link=link,
                emailed_at=utcnow() if each else None,
            )
        )
        if each:
            db.info.setdefault(PENDING_MAIL, []).append((email, message, detail, path))
    db.flush()
    return len(people)


def path_for(target_type: str, target_id: int, anchor: str = "") -> str:
    """Where a notification leads (kept in one place so links in mail and on the site agree)."""
    if target_type == "thread" and anchor.startswith("comment-"):
        # A comment's permalink finds the page of a long thread that shows it (discussions.views.permalink).
        return f"/comments/{anchor.removeprefix('comment-')}/in-thread"
    base = {
        "thread": f"/threads/{target_id}",
        "meeting": f"/meetings/{target_id}",
        "proposal": f"/objectives/proposals/{target_id}",
        "paper": f"/papers/{target_id}/draft",
    }[target_type]
    return base + (f"#{anchor}" if anchor else "")


def link_of(notification: Notification) -> str:
    """A stored notification's address: its own link, or the one path_for builds from its target."""
    return notification.link or path_for(notification.target_type, notification.target_id, notification.anchor)


def retitle(db: Session, thread_id: int, *, old: str, new: str) -> None:
    """Rewrite the thread's notifications that quote `old` (its title, when it changes or is hidden)."""
    db.execute(
        sa.update(Notification)
        .where(Notification.target_type == "thread", Notification.target_id == thread_id)
        .values(message=sa.func.substr(sa.func.replace(Notification.message, old, new), 1, 500))
        .execution_options(synchronize_session=False)
    )
