"""Who may vote, propose statements and run the agreement tools."""

from __future__ import annotations

from typing import Any

from consult.accounts.permissions import can_post
from consult.agreement.models import Statement
from consult.processes.permissions import is_facilitator
from consult.processes.timeline import ProcessState


def can_vote(user: Any, statement: Statement, state: ProcessState, *, blocked: bool) -> bool:
    """Verified people vote on statements that count, while the process is open.

    `blocked`: blocked in any working group of the process (processes.queries.process_standing); statements
    belong to the whole process, so a block in one group reaches them (processes.permissions.is_blocked).
    """
    return can_post(user) and statement.status.counts_in_analysis and state == ProcessState.OPEN and not blocked


def can_propose_statement(user: Any, state: ProcessState, *, blocked: bool) -> bool:
    return can_post(user) and state == ProcessState.OPEN and not blocked


def can_flag_for_mediation(user: Any, *, blocked: bool) -> bool:
    return can_post(user) and not blocked


def can_moderate_statements(user: Any) -> bool:
    return is_facilitator(user)


def can_view(user: Any, statement: Statement) -> bool:
    """Statements that count are public; one waiting for a decision or rejected is its author's and facilitators'."""
    if statement.status.counts_in_analysis or can_moderate_statements(user):
        return True
    return bool(getattr(user, "is_authenticated", False)) and statement.author_id == user.id
