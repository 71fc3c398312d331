"""Who may start, reply to, edit, delete and facilitate threads.

A thread hidden by a facilitator takes no replies, edits or reports until it is restored; a block in the
group stops the same things (consult.processes.permissions.is_blocked states the rule).
"""

from __future__ import annotations

from typing import Any

from consult.discussions.models import Comment, Thread, ThreadKind
from consult.processes import permissions as process_permissions
from consult.processes.models import Membership
from consult.processes.timeline import ProcessState


def can_start_thread(user: Any, membership: Membership | None, state: ProcessState) -> bool:
    return process_permissions.can_contribute(user, membership, state)


def can_reply(user: Any, thread: Thread, comment: Comment, membership: Membership | None, state: ProcessState) -> bool:
    """Replies go to visible comments of visible threads, by members of the group, while the process is open."""
    return thread.is_visible and comment.is_visible and process_permissions.can_contribute(user, membership, state)


def _is_author(user: Any, author_id: int | None) -> bool:
    return getattr(user, "is_authenticated", False) and author_id is not None and author_id == user.id


def can_edit_comment(
    user: Any, thread: Thread, comment: Comment, membership: Membership | None, state: ProcessState
) -> bool:
    """Authors edit their own visible comments while the process is open and they are not blocked in the group."""
    return (
        _is_author(user, comment.author_id)
        and thread.is_visible
        and comment.is_visible
        and state == ProcessState.OPEN
        and not process_permissions.is_blocked(membership)
    )


def can_edit_thread_title(user: Any, thread: Thread, membership: Membership | None, state: ProcessState) -> bool:
    """Authors correct their title on the same terms as their comments; facilitators of the group at any time."""
    if can_facilitate_thread(user, thread, membership):
        return True
    return (
        _is_author(user, thread.author_id)
        and thread.is_visible
        and state == ProcessState.OPEN
        and not process_permissions.is_blocked(membership)
    )


def can_delete_comment(user: Any, comment: Comment) -> bool:
    """Authors may always take their words back, blocked or not (the block rule: processes.permissions)."""
    return _is_author(user, comment.author_id) and comment.deleted_at is None


def can_facilitate_thread(user: Any, thread: Thread, membership: Membership | None) -> bool:
    return process_permissions.can_facilitate_group(user, thread.group, membership)


def can_set_issue_status(user: Any, thread: Thread, membership: Membership | None) -> bool:
    return thread.kind == ThreadKind.ISSUE and can_facilitate_thread(user, thread, membership)
