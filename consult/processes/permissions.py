"""Who may run processes and take part in working groups."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
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


def can_leave_group(user: Any, membership: Membership | None) -> bool:
    """Members may leave, except while blocked: leaving and joining again would wipe the block."""
    return (
        getattr(user, "is_authenticated", False)
        and membership is not None
        and membership.user_id == user.id
        and not is_blocked(membership)
    )


def is_member(membership: Membership | None) -> bool:
    return membership is not None and membership.status in {MembershipStatus.MEMBER, MembershipStatus.FACILITATOR}


def is_blocked(membership: Membership | None, now: datetime | None = None) -> bool:
    """The block rule, in one place: what a facilitator's block on a membership in group G stops until it ends.

    In G itself: starting threads and raising issues, replying, editing one's comments and thread titles,
    reporting comments, replying to G's meetings and commenting on their notes.
    In G's whole process, because statements, votes, position papers and whole-process meetings belong to
    every group of it (a block in any one group reaches them, see `blocked_in_any`): proposing statements,
    voting, asking for mediation, commenting on position papers, replying to whole-process meetings and
    commenting on their notes. Joining the remote meeting (its link) counts as taking part.
    It never stops reading, deleting one's own comments, or posting in another group of the process.
    While blocked one cannot leave G (leaving and joining again would wipe the block).
    """
    return membership is not None and membership.is_blocked(now or utcnow())


def blocked_in_any(memberships: Iterable[Membership], now: datetime | None = None) -> bool:
    """Process-wide actions are stopped by a block in any group of the process (see `is_blocked`)."""
    return any(is_blocked(membership, now) for membership in memberships)


@dataclass(frozen=True)
class Standing:
    """Where a person stands in a set of groups (one group, or every group of a process): member, and blocked."""

    member: bool = False
    blocked: bool = False


def standing(memberships: Iterable[Membership], now: datetime | None = None) -> Standing:
    """Member of any of these groups (pending requests do not count), and blocked in any of them."""
    memberships = list(memberships)
    return Standing(member=any(is_member(m) for m in memberships), blocked=blocked_in_any(memberships, now))


def can_contribute(user: Any, membership: Membership | None, state: ProcessState) -> bool:
    """Members may start threads and reply while the process is open and they are not blocked."""
    return can_post(user) and is_member(membership) and state == ProcessState.OPEN and not is_blocked(membership)
