"""Who may link statements to their sources, who may propose a statement from a comment, and who sees a link."""

from __future__ import annotations

from typing import Any

from consult.agreement import permissions as agreement_permissions
from consult.discussions.models import Comment, Thread
from consult.processes.timeline import ProcessState
from consult.provenance.models import StatementSource


def can_manage_sources(user: Any) -> bool:
    """Linking is part of moderating statements: facilitators, who also accept and reject them."""
    return agreement_permissions.can_moderate_statements(user)


def can_propose_from_comment(
    user: Any, comment: Comment, thread: Thread, state: ProcessState, *, blocked: bool
) -> bool:
    """Whoever may propose statements in the process, from a comment everyone can read."""
    return (
        comment.is_visible
        and thread.is_visible
        and agreement_permissions.can_propose_statement(user, state, blocked=blocked)
    )


def is_public(source: StatementSource) -> bool:
    """A link anyone may see: its comment and thread are not deleted or hidden (meetings' pages are public)."""
    if source.comment is not None:
        return source.comment.is_visible and source.comment.thread.is_visible
    if source.thread is not None:
        return source.thread.is_visible
    return source.meeting is not None


def can_see_source(user: Any, source: StatementSource) -> bool:
    """Facilitators see every link, hidden ones marked, so they can remove them; others see the public ones."""
    return is_public(source) or can_manage_sources(user)
