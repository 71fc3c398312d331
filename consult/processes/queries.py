"""Reads for processes and working groups, with the eager loading their pages need."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import Session, contains_eager, joinedload, selectinload

from consult.accounts.models import User
from consult.processes.models import Membership, MembershipStatus, Process, Stage, StageKind, WorkingGroup
from consult.processes.permissions import Standing, standing
from consult.processes.timeline import ProcessState, current_stage, state


def list_processes(db: Session) -> list[Process]:
    return list(db.scalars(sa.select(Process).order_by(Process.created_at.desc())))


def get_process_or_404(db: Session, slug: str) -> Process:
    process = db.scalar(sa.select(Process).where(Process.slug == slug).options(selectinload(Process.groups)))
    return process or abort(404)


def get_group_or_404(db: Session, process_slug: str, group_slug: str) -> WorkingGroup:
    group = db.scalar(
        sa.select(WorkingGroup)
        .join(WorkingGroup.process)
        .where(Process.slug == process_slug, WorkingGroup.slug == group_slug)
        .options(
            contains_eager(WorkingGroup.process),
            selectinload(WorkingGroup.memberships).joinedload(Membership.user).joinedload(User.organisation),
        )
    )
    return group or abort(404)


def membership_of(db: Session, group_id: int, user) -> Membership | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.scalar(sa.select(Membership).where(Membership.group_id == group_id, Membership.user_id == user.id))


def memberships_by_process(db: Session, process_ids: list[int], user) -> dict[int, list[Membership]]:
    """A person's memberships in the groups of these processes, by process (one query)."""
    found: dict[int, list[Membership]] = defaultdict(list)
    if not process_ids or user is None or not getattr(user, "is_authenticated", False):
        return found
    rows = db.execute(
        sa.select(Membership, WorkingGroup.process_id)
        .join(WorkingGroup, WorkingGroup.id == Membership.group_id)
        .where(WorkingGroup.process_id.in_(process_ids), Membership.user_id == user.id)
    )
    for membership, process_id in rows:
        found[process_id].append(membership)
    return found


def process_standing(db: Session, process_id: int, user) -> Standing:
    """Member of any group of the process, and blocked in any (the rule for process-wide actions)."""
    return standing(memberships_by_process(db, [process_id], user).get(process_id, []))


def member_counts(db: Session, group_ids: list[int]) -> dict[int, int]:
    """Members per group in one grouped query."""
    if not group_ids:
        return {}
    rows = db.execute(
        sa.select(Membership.group_id, sa.func.count())
        .where(Membership.group_id.in_(group_ids), Membership.status != MembershipStatus.PENDING)
        .group_by(Membership.group_id)
    )
    counts: dict[int, int] = defaultdict(int)
    counts.update(dict(rows.all()))
    return counts


def get_membership_or_404(db: Session, membership_id: int) -> Membership:
    membership = db.scalar(
        sa.select(Membership).where(Membership.id == membership_id).options(joinedload(Membership.user))
    )
    return membership or abort(404)


def process_state(process: Process, today: date) -> tuple[Stage | None, ProcessState]:
    """The current stage and state of a process on a given day."""

    stage = current_stage(process.stages, today)
    closed = stage is not None and stage.kind == StageKind.CLOSED and stage.starts_on <= today <= stage.ends_on
    return stage, state(process.stages, today, closed_kind_active=closed)
