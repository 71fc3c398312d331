"""Who may report and who may moderate."""

from __future__ import annotations

from typing import Any

from consult.discussions.models import Comment
from consult.processes import permissions as process_permissions
from consult.processes.models import Membership, WorkingGroup


def can_report(user: Any, comment: Comment) -> bool:
    """Anyone signed in may report a visible comment that is not their own."""
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and comment.is_visible
        and comment.author_id != user.id
    )


def can_moderate(user: Any, group: WorkingGroup, membership: Membership | None) -> bool:
    return process_permissions.can_facilitate_group(user, group, membership)
