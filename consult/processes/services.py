"""Changes to processes, stages, groups and memberships: verb functions that flush and never commit."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from consult import events
from consult.accounts.models import Sector, User
from consult.db import utcnow
from consult.errors import PermissionDenied, ValidationError
from consult.processes import permissions, timeline
from consult.processes.models import (
    DEFAULT_OUTCOME_MIN_SECTORS,
    DEFAULT_OUTCOME_MIN_VOTES,
    JoinPolicy,
    Membership,
    MembershipStatus,
    Process,
    Stage,
    StageKind,
    WorkingGroup,
)

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_SLUGS = {"new", "feeds", "issues", "edit"}


def _check_slug(slug: str) -> None:
    if not SLUG.match(slug):
        raise ValidationError("slug", "Web address must use only lower-case letters, numbers and single hyphens")
    if slug in RESERVED_SLUGS:
        raise ValidationError("slug", "That web address is reserved. Choose another")


def _check_minimums(min_votes: int, min_sectors: int) -> None:
    """What a finding needs (the form says the same): at least one vote, and no more sectors than there are."""
    if not 1 <= min_votes <= 100_000:
        raise ValidationError("outcome_min_votes", "Votes a finding needs must be between 1 and 100,000")
    if not 0 <= min_sectors <= len(Sector):
        raise ValidationError("outcome_min_sectors", f"Sectors a finding needs must be between 0 and {len(Sector)}")


def create_process(
    db: Session,
    *,
    actor: User,
    title: str,
    slug: str,
    summary: str,
    principles: str = "",
    objectives_concerned: str = "",
    outcome_min_votes: int = DEFAULT_OUTCOME_MIN_VOTES,
    outcome_min_sectors: int = DEFAULT_OUTCOME_MIN_SECTORS,
) -> Process:
    """Open a new process; its stages are added afterwards."""
    if not permissions.can_create_process(actor):
        raise PermissionDenied
    _check_slug(slug)
    _check_minimums(outcome_min_votes, outcome_min_sectors)
    if db.scalar(sa.select(Process.id).where(Process.slug == slug)) is not None:
        raise ValidationError("slug", "A process already uses that web address")
    process = Process(
        title=title.strip(),
        slug=slug,
        summary=summary,
        principles=principles,
        objectives_concerned=objectives_concerned,
        created_by_id=actor.id,
        outcome_min_votes=outcome_min_votes,
        outcome_min_sectors=outcome_min_sectors,
    )
    db.add(process)
    db.flush()
    return process


def update_process(
    db: Session,
    process: Process,
    *,
    actor: User,
    title: str,
    summary: str,
    principles: str,
    objectives_concerned: str,
    outcome_min_votes: int | None = None,
    outcome_min_sectors: int | None = None,
) -> None:
    """Change a process's details and settings (left out, the evidence minimums stay as they are)."""
    if not permissions.can_manage_process(actor, process):
        raise PermissionDenied
    min_votes = process.outcome_min_votes if outcome_min_votes is None else outcome_min_votes
    min_sectors = process.outcome_min_sectors if outcome_min_sectors is None else outcome_min_sectors
    _check_minimums(min_votes, min_sectors)
    process.outcome_min_votes, process.outcome_min_sectors = min_votes, min_sectors
    process.title = title.strip()
    process.summary = summary
    process.principles = principles
    process.objectives_concerned = objectives_concerned
    db.flush()


def add_stage(
    db: Session, process: Process, *, actor: User, kind: str, starts_on: date, ends_on: date, description: str = ""
) -> Stage:
    """Add a dated stage; stages may not overlap, so there is always one current stage."""
    if not permissions.can_manage_process(actor, process):
        raise PermissionDenied
    problem = timeline.overlap_problem(starts_on, ends_on, process.stages)
    if problem:
        raise ValidationError("ends_on" if "end date" in problem else "starts_on", problem)
    stage = Stage(kind=StageKind(kind), starts_on=starts_on, ends_on=ends_on, description=description.strip())
    process.stages.append(stage)
    db.flush()
    return stage


def remove_stage(db: Session, process: Process, stage: Stage, *, actor: User) -> None:
    if not permissions.can_manage_process(actor, process):
        raise PermissionDenied
    if stage.process_id != process.id:
        raise ValidationError(None, "That stage belongs to another process")
    process.stages.remove(stage)
    db.flush()


def create_group(
    db: Session, process: Process, *, actor: User, name: str, slug: str, remit: str, join_policy: str
) -> WorkingGroup:
    if not permissions.can_manage_process(actor, process):
        raise PermissionDenied
    _check_slug(slug)
    exists = db.scalar(
        sa.select(WorkingGroup.id).where(WorkingGroup.process_id == process.id, WorkingGroup.slug == slug)
    )
    if exists is not None:
        raise ValidationError("slug", "A group in this process already uses that web address")
    group = WorkingGroup(
        process=process, name=name.strip(), slug=slug, remit=remit, join_policy=JoinPolicy(join_policy)
    )
    db.add(group)
    db.flush()
    # The facilitator who creates a group facilitates it.
    db.add(Membership(group=group, user_id=actor.id, status=MembershipStatus.FACILITATOR, approved_at=utcnow()))
    db.flush()
    return group


def join_group(
    db: Session, group: WorkingGroup, *, actor: User, declared_interests: str = "", state: timeline.ProcessState
) -> Membership:
    """Join an open group at once, or ask to join a 'request to join' group."""
    existing = db.scalar(sa.select(Membership).where(Membership.group_id == group.id, Membership.user_id == actor.id))
    if existing is not None:
        raise ValidationError(None, "You have already joined this group or asked to join it")
    if not permissions.can_join_group(actor, group, None, state):
        raise PermissionDenied
    status = MembershipStatus.MEMBER if group.join_policy == JoinPolicy.OPEN else MembershipStatus.PENDING
    membership = Membership(
        group_id=group.id,
        user_id=actor.id,
        status=status,
        declared_interests=declared_interests.strip(),
        approved_at=utcnow() if status == MembershipStatus.MEMBER else None,
    )
    try:
        with db.begin_nested():  # a double-click race hits the unique constraint, not a 500
            db.add(membership)
    except sa.exc.IntegrityError as error:
        raise ValidationError(None, "You have already joined this group or asked to join it") from error
    if status == MembershipStatus.PENDING:
        events.join_requested.send(
            db,
            membership_id=membership.id,
            group_id=group.id,
            group_name=group.name,
            process_id=group.process_id,
            actor_id=actor.id,
            actor_name=actor.display_name,
        )
    return membership


def leave_group(db: Session, membership: Membership, *, actor: User) -> None:
    """Leave a group; refused while blocked, since joining again would start a membership without the block."""
    if not permissions.can_leave_group(actor, membership):
        raise PermissionDenied
    db.delete(membership)
    db.flush()


def decide_membership(
    db: Session, membership: Membership, *, actor: User, approve: bool, actor_membership: Membership | None
) -> None:
    """A group's facilitator lets a person in, or turns the request down."""
    if not permissions.can_facilitate_group(actor, membership.group, actor_membership):
        raise PermissionDenied
    if membership.status != MembershipStatus.PENDING:
        raise ValidationError(None, "That request has already been decided")
    if approve:
        membership.status = MembershipStatus.MEMBER
        membership.approved_at = utcnow()
    else:
        db.delete(membership)
    db.flush()
    group = membership.group
    events.join_decided.send(
        db, group_id=group.id, group_name=group.name, user_id=membership.user_id, approved=approve, actor_id=actor.id
    )


def make_group_facilitator(db: Session, membership: Membership, *, actor: User) -> None:
    if not permissions.is_facilitator(actor):
        raise PermissionDenied
    membership.status = MembershipStatus.FACILITATOR
    membership.approved_at = membership.approved_at or utcnow()
    db.flush()
