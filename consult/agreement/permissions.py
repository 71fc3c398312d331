"""Who may vote, propose statements and run the agreement tools."""

from __future__ import annotations

from typing import Any

from consult.accounts.permissions import can_post
from consult.agreement.models import Statement
from consult.processes.permissions import is_facilitator
from consult.processes.timeline import ProcessState


def can_vote(user: Any, statement: Statement, state: ProcessState) -> bool:
    """Verified people vote on statements that count, while the process is open."""
    return can_post(user) and statement.status.counts_in_analysis and state == ProcessState.OPEN


def can_propose_statement(user: Any, state: ProcessState) -> bool:
    return can_post(user) and state == ProcessState.OPEN


def can_moderate_statements(user: Any) -> bool:
    return is_facilitator(user)


def can_view(user: Any, statement: Statement) -> bool:
    """Statements that count are public; one waiting for a decision or rejected is its author's and facilitators'."""
    if statement.status.counts_in_analysis or can_moderate_statements(user):
        return True
    return bool(getattr(user, "is_authenticated", False)) and statement.author_id == user.id
