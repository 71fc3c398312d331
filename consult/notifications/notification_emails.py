"""Email for notifications: queued for each event once its transaction commits, or a daily digest (the worker's
periodic job, or `flask --app consult notifications send-digests`, both calling `send_due_digests`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime

import sqlalchemy as sa
from flask import Flask, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from consult import mail_delivery
from consult.accounts.models import User
from consult.clock import LONDON
from consult.links import external_url, site_url
from consult.notifications.models import DECISION_KINDS, EmailMode, Notification, NotificationDigest
from consult.notifications.services import PENDING_MAIL, link_of

log = logging.getLogger(__name__)
_registered = False


def init_app(app: Flask) -> None:
    """Send queued per-event mail only once the data is committed; drop it on rollback."""
    global _registered
    if _registered:
        return
    event.listen(Session, "after_commit", _send_pending)
    event.listen(Session, "after_soft_rollback", lambda session, previous: session.info.pop(PENDING_MAIL, None))
    _registered = True


def _body(message: str, detail: str, path: str) -> str:
    """A notification as an email says it: the message, the reason or note that came with it, the link."""
    reason = f"\n\n{detail}" if detail else ""
    return f"{message}{reason}\n\n{site_url(path)}"


def _send_pending(session: Session) -> None:
    pending = session.info.pop(PENDING_MAIL, [])
    if not pending or not has_app_context():
        return
    settings = external_url("notifications.settings")
    for address, message, detail, path in pending:
        try:
            mail_delivery.send(
                address,
                f"consult: {message}"[:150],
                f"{_body(message, detail, path)}\n\nChange how often we email you: {settings}\n",
            )
        except Exception:  # the change is saved; a mail server fault must not turn it into an error page
            log.exception("could not send a notification email")


def _in_digest() -> sa.ColumnElement[bool]:
    """Notifications whose kind the person wants in the daily email (by the setting that applies to it)."""
    decisions = [kind.value for kind in DECISION_KINDS]
    return sa.or_(
        sa.and_(Notification.kind.in_(decisions), User.decision_email == EmailMode.DAILY.value),
        sa.and_(Notification.kind.not_in(decisions), User.notification_email == EmailMode.DAILY.value),
    )


def _claim(db: Session, user_id: int, period: date, now: datetime) -> NotificationDigest | None:
    """Claim this person's digest for the period, or None when another run has (the unique row decides)."""
    digest = NotificationDigest(user_id=user_id, period=period, sent_at=now)
    try:
        with db.begin_nested():
            db.add(digest)
    except sa.exc.IntegrityError:
        return None
    return digest


def send_due_digests(db: Session, now: datetime, progress: Callable[[int], None] = lambda _n: None) -> int:
    """Mail everyone whose daily digest is due what was not mailed yet; the number of digests sent is returned.

    A digest is due once per London day for a person with something waiting. Each is claimed (a unique row per
    person and day, committed with the items marked emailed) before its mail goes, so running this again, or two
    runs at once, never mails anyone twice; a mail that fails gives the claim back for the next run.
    """
    period = now.astimezone(LONDON).date()
    claimed_today = sa.select(NotificationDigest.id).where(
        NotificationDigest.user_id == User.id, NotificationDigest.period == period
    )
    waiting = (
        sa.select(Notification.id)
        .where(Notification.user_id == User.id, Notification.emailed_at.is_(None), _in_digest())
        .correlate(User)
    )
    people = db.execute(
        sa.select(User.id, User.email)
        .where(User.disabled.is_(False), sa.exists(waiting), ~sa.exists(claimed_today.correlate(User)))
        .order_by(User.id)
    ).all()
    settings = external_url("notifications.settings")
    sent = 0
    for user_id, address in people:
        digest = _claim(db, user_id, period, now)
        if digest is None:
            continue
        items = list(
            db.scalars(
                sa.select(Notification)
                .join(User, User.id == Notification.user_id)
                .where(Notification.user_id == user_id, Notification.emailed_at.is_(None), _in_digest())
                .order_by(Notification.id)
            )
        )
        for notification in items:
            notification.emailed_at = now
        digest.items = len(items)
        db.commit()  # the claim: from here no other run mails this person today
        lines = [f"- {_body(n.message, n.detail, link_of(n)).replace(chr(10), chr(10) + '  ')}" for n in items]
        try:
            mail_delivery.send(
                address,
                f"consult: {len(items)} new notification{'s' if len(items) != 1 else ''}",
                "Here is what happened since our last email:\n\n"
                + "\n\n".join(lines)
                + f"\n\nChange how often we email you: {settings}\n",
            )
        except Exception:
            log.exception("could not send a digest; it will be tried again on the next run")
            _give_back(db, digest, [n.id for n in items])
            continue
        sent += 1
        progress(1)
    return sent


def _give_back(db: Session, digest: NotificationDigest, notification_ids: list[int]) -> None:
    """Undo a claim whose mail failed, so the next run sends it."""
    db.execute(sa.update(Notification).where(Notification.id.in_(notification_ids)).values(emailed_at=None))
    db.delete(digest)
    db.commit()
