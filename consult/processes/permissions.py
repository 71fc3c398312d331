"""Who may run processes and take part in working groups."""

from __future__ import annotations

from typing import Any

from consult.accounts.models import Role
from consult.accounts.permissions import can_post
from consult.db import utcnow
from consult.processes.models import Membership, MembershipStatus, Process, WorkingGroup
from consult.processes.timeline import ProcessState


def is_facilitator(user: Any) -> bool:
    """Facilitators (and admins) run processes: neutral convenors, as Involve was."""
    return can_post(user) and (user.has_role(Role.FACILITATOR) or user.has_role(Role.ADMIN))


def can_create_process(user: Any) -> bool:
    return is_facilitator(user)


def can_manage_process(user: Any, process: Process) -> bool:
    return is_facilitator(user)


def can_facilitate_group(user: Any, group: WorkingGroup, membership: Membership | None) -> bool:
    if is_facilitator(user):
        return True
    return can_post(user) and membership is not None and membership.status == MembershipStatus.FACILITATOR


def can_join_group(user: Any, group: WorkingGroup, membership: Membership | None, state: ProcessState) -> bool:
    return can_post(user) and membership is None and state != ProcessState.CLOSED


def is_member(membership: Membership | None) -> bool:
    return membership is not None and membership.status in {MembershipStatus.MEMBER, MembershipStatus.FACILITATOR}


def can_contribute(user: Any, membership: Membership | None, state: ProcessState) -> bool:
    """Members may start threads and reply while the process is open and they are not blocked."""
    return (
        can_post(user) and is_member(membership) and state == ProcessState.OPEN and not membership.is_blocked(utcnow())
    )
