"""Email for notifications: queued for each event once its transaction commits, or a daily digest (a worker job)."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable

import sqlalchemy as sa
from flask import Flask, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from consult import mail_delivery
from consult.accounts.models import User
from consult.db import utcnow
from consult.links import external_url, site_url
from consult.notifications.models import EmailMode, Notification
from consult.notifications.services import PENDING_MAIL, path_for

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


def _send_pending(session: Session) -> None:
    pending = session.info.pop(PENDING_MAIL, [])
    if not pending or not has_app_context():
        return
    settings = external_url("notifications.settings")
    for address, message, path in pending:
        try:
            mail_delivery.send(
                address,
                f"consult: {message}"[:150],
                f"{message}\n\n{site_url(path)}\n\nChange how often we email you: {settings}\n",
            )
        except Exception:  # the change is saved; a mail server fault must not turn it into an error page
            log.exception("could not send a notification email")


def send_digests(db: Session, progress: Callable[[int], None] = lambda _n: None) -> int:
    """Mail each 'daily' person everything not yet emailed, then mark it emailed (safe to run again)."""
    rows = db.execute(
        sa.select(Notification, User.email)
        .join(User, User.id == Notification.user_id)
        .where(Notification.emailed_at.is_(None), User.notification_email == EmailMode.DAILY, User.disabled.is_(False))
        .order_by(Notification.user_id, Notification.id)
    ).all()
    by_person: dict[str, list[Notification]] = defaultdict(list)
    for notification, email in rows:
        by_person[email].append(notification)
    settings = external_url("notifications.settings")
    now = utcnow()
    for address, items in by_person.items():
        lines = [f"- {n.message}\n  {site_url(path_for(n.target_type, n.target_id, n.anchor))}" for n in items]
        mail_delivery.send(
            address,
            f"consult: {len(items)} new notification{'s' if len(items) != 1 else ''}",
            "Here is what happened since our last email:\n\n"
            + "\n".join(lines)
            + f"\n\nChange how often we email you: {settings}\n",
        )
        for notification in items:
            notification.emailed_at = now
        db.commit()  # per person, so a failure part-way never mails anyone twice
        progress(1)
    return len(by_person)
