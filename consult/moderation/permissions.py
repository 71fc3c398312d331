"""Who may report and who may moderate."""

from __future__ import annotations

from typing import Any

from consult.discussions.models import Comment, Thread
from consult.processes import permissions as process_permissions
from consult.processes.models import Membership, WorkingGroup


def can_report(user: Any, thread: Thread, comment: Comment, membership: Membership | None) -> bool:
    """Anyone signed in may report a visible comment that is not their own, unless blocked in its group.

    `membership` is the reporter's in the comment's group; a block stops reporting there, as Discourse's
    silencing stops flagging (the block rule: processes.permissions.is_blocked).
    """
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and thread.is_visible
        and comment.is_visible
        and comment.author_id != user.id
        and not process_permissions.is_blocked(membership)
    )


def can_moderate(user: Any, group: WorkingGroup, membership: Membership | None) -> bool:
    return process_permissions.can_facilitate_group(user, group, membership)
