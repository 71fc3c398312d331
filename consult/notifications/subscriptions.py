"""Who is told about what: the handlers for the events features announce (consult/events.py), connected once."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from blinker import NamedSignal
from flask import Flask
from sqlalchemy.orm import Session

from consult import events
from consult.discussions.models import Comment
from consult.notifications.models import NotificationKind
from consult.notifications.services import follow_as, followers, follows, notify, retitle

COMMENT_REFERENCE = re.compile(r"(?:/comments/|#comment-)(\d{1,12})")


def on_thread_started(
    db: Session,
    *,
    thread_id: int,
    title: str,
    group_id: int,
    group_name: str,
    process_id: int,
    actor_id: int,
    actor_name: str,
) -> None:
    follow_as(db, actor_id, "thread", thread_id)
    message = f"{actor_name} started “{title}” in {group_name}"
    audience = followers(db, [("group", group_id), ("process", process_id)])
    notify(
        db,
        dict.fromkeys(audience, (NotificationKind.NEW_THREAD, message)),
        target_type="thread",
        target_id=thread_id,
        exclude={actor_id},
    )


def on_reply_posted(
    db: Session,
    *,
    thread_id: int,
    thread_title: str,
    comment_id: int,
    body: str,
    parent_author_id: int | None,
    actor_id: int,
    actor_name: str,
) -> None:
    follow_as(db, actor_id, "thread", thread_id)
    recipients: dict[int, tuple[NotificationKind, str]] = {}
    for user_id in followers(db, [("thread", thread_id)]):
        recipients[user_id] = (NotificationKind.THREAD_REPLY, f"{actor_name} replied in “{thread_title}”")
    referenced = {int(n) for n in COMMENT_REFERENCE.findall(body)} - {comment_id}
    if referenced:
        for author_id in db.scalars(sa.select(Comment.author_id).where(Comment.id.in_(referenced))):
            if author_id:
                recipients[author_id] = (
                    NotificationKind.MENTION,
                    f"{actor_name} mentioned your comment in “{thread_title}”",
                )
    if parent_author_id:
        recipients[parent_author_id] = (
            NotificationKind.REPLY_TO_YOU,
            f"{actor_name} replied to your comment in “{thread_title}”",
        )
    anchor = f"comment-{comment_id}"
    notify(db, recipients, target_type="thread", target_id=thread_id, anchor=anchor, exclude={actor_id})


def on_issue_status_changed(
    db: Session, *, thread_id: int, title: str, status_label: str, author_id: int | None, actor_id: int
) -> None:
    message = f"The issue “{title}” is now: {status_label.lower()}"
    audience = followers(db, [("thread", thread_id)])
    if author_id:
        audience.add(author_id)
    notify(
        db,
        dict.fromkeys(audience, (NotificationKind.ISSUE_STATUS, message)),
        target_type="thread",
        target_id=thread_id,
        exclude={actor_id},
    )


#: What a notification says instead of a hidden thread's title.
HIDDEN_THREAD = "a thread hidden by a facilitator"


def _as_quoted(title: str | None) -> str:
    """A thread as notification messages name it: its quoted title, or the placeholder while it is hidden."""
    return HIDDEN_THREAD if title is None else f"“{title}”"


def on_thread_renamed(db: Session, *, thread_id: int, old_title: str | None, new_title: str | None) -> None:
    retitle(db, thread_id, old=_as_quoted(old_title), new=_as_quoted(new_title))


def on_meeting_scheduled(
    db: Session, *, meeting_id: int, title: str, process_id: int, group_id: int | None, actor_id: int
) -> None:
    targets = [("process", process_id)] + ([("group", group_id)] if group_id else [])
    notify(
        db,
        dict.fromkeys(followers(db, targets), (NotificationKind.NEW_MEETING, f"New meeting: {title}")),
        target_type="meeting",
        target_id=meeting_id,
        exclude={actor_id},
    )


def on_follow_state_asked(db: Session, *, user_id: int, target_type: str, target_id: int) -> bool:
    return follows(db, user_id, target_type, target_id)


HANDLERS: dict[NamedSignal, Callable[..., Any]] = {
    events.thread_started: on_thread_started,
    events.reply_posted: on_reply_posted,
    events.issue_status_changed: on_issue_status_changed,
    events.thread_renamed: on_thread_renamed,
    events.meeting_scheduled: on_meeting_scheduled,
    events.follow_state_asked: on_follow_state_asked,
}


def init_app(app: Flask) -> None:
    """Connect the handlers. Signals are process-wide, so this connects them for every app; connecting twice is a
    no-op in blinker, and `weak=False` keeps them however this module is held."""
    for signal, handler in HANDLERS.items():
        signal.connect(handler, weak=False)
