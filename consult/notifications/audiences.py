"""Who is told: the facilitators of a group's or a process's queue, a department's officers, the review board,
a meeting's attendees, a paper's readers.

Every set is checked with the feature's own permission predicate, person by person, so that only those who can
act on a thing (or still see it) hear about it: someone who lost a role, left a department, or left every group
of a process is not told.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from consult.accounts.models import Role, RoleGrant, User
from consult.meetings.models import Rsvp
from consult.objectives import lifecycle
from consult.objectives import permissions as objective_permissions
from consult.objectives.models import Proposal
from consult.papers import permissions as paper_permissions
from consult.processes import permissions as process_permissions
from consult.processes.models import Membership, MembershipStatus, Process, WorkingGroup


def users(db: Session, ids: Iterable[int]) -> list[User]:
    """These accounts, with what the permission predicates read (roles, organisation) loaded up front."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return []
    return list(
        db.scalars(
            sa.select(User).where(User.id.in_(wanted)).options(selectinload(User.organisation)).order_by(User.id)
        )
    )


def _with_role(db: Session, role: Role) -> list[User]:
    granted = sa.select(RoleGrant.user_id).where(RoleGrant.role == role)
    return users(db, db.scalars(granted))


def _keep(people: Iterable[User], allowed: Callable[[User], bool]) -> set[int]:
    return {person.id for person in people if allowed(person)}


def site_facilitators(db: Session) -> set[int]:
    """Everyone with the facilitator role: told when a process or group has no facilitator of its own."""
    return _keep(_with_role(db, Role.FACILITATOR), process_permissions.is_facilitator)


def group_facilitators(db: Session, group_id: int) -> set[int]:
    """Those who facilitate this group (its facilitator members, and the facilitator who opened the process)."""
    group = db.get_one(WorkingGroup, group_id)
    memberships = {
        m.user_id: m
        for m in db.scalars(
            sa.select(Membership).where(
                Membership.group_id == group_id, Membership.status == MembershipStatus.FACILITATOR
            )
        )
    }
    creator = db.scalar(sa.select(Process.created_by_id).where(Process.id == group.process_id))
    people = users(db, [*memberships, creator] if creator else memberships)
    found = _keep(people, lambda u: process_permissions.can_facilitate_group(u, group, memberships.get(u.id)))
    return found or site_facilitators(db)


def process_facilitators(db: Session, process_id: int, *, also: Iterable[int | None] = ()) -> set[int]:
    """Facilitators who run this process (its creator and the facilitators of its groups) and can act on what
    belongs to the whole process (statements, mediation, papers), plus `also` (a paper's author) if they can."""
    group_facilitator_ids = db.scalars(
        sa.select(Membership.user_id)
        .join(WorkingGroup, WorkingGroup.id == Membership.group_id)
        .where(WorkingGroup.process_id == process_id, Membership.status == MembershipStatus.FACILITATOR)
    )
    creator = db.scalar(sa.select(Process.created_by_id).where(Process.id == process_id))
    candidates = {*group_facilitator_ids, creator, *also} - {None}
    found = _keep(users(db, candidates), process_permissions.is_facilitator)
    return found or site_facilitators(db)


def department_officers(db: Session, proposal: Proposal) -> set[int]:
    """The officers of the proposing department (who alone may see a draft)."""
    officers = db.scalars(
        sa.select(User.id)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(User.organisation_id == proposal.department_id, RoleGrant.role == Role.DEPARTMENT_OFFICER)
    )
    return _keep(users(db, officers), lambda u: objective_permissions.is_officer_of(u, proposal))


def review_board(db: Session, proposal: Proposal) -> set[int]:
    """Review board members who can see the proposal."""
    return _keep(
        _with_role(db, Role.REVIEW_BOARD),
        lambda u: (
            lifecycle.BOARD in objective_permissions.lifecycle_roles(u, proposal)
            and objective_permissions.can_view_proposal(u, proposal)
        ),
    )


def meeting_attendees(db: Session, meeting_id: int) -> set[int]:
    """Those who replied to the meeting and were not marked absent."""
    return set(
        db.scalars(
            sa.select(Rsvp.user_id).where(
                Rsvp.meeting_id == meeting_id, sa.or_(Rsvp.attended.is_(None), Rsvp.attended.is_(True))
            )
        )
    )


def working_text_readers(db: Session, process_id: int, ids: Iterable[int | None]) -> set[int]:
    """Of these people, those who may still read a paper's working text: facilitators, and members of a group of
    its process (someone who has left every group is not told about review comments any more)."""
    people = users(db, [i for i in ids if i is not None])
    if not people:
        return set()
    memberships: dict[int, list[Membership]] = defaultdict(list)
    for membership in db.scalars(
        sa.select(Membership)
        .join(WorkingGroup, WorkingGroup.id == Membership.group_id)
        .where(WorkingGroup.process_id == process_id, Membership.user_id.in_([p.id for p in people]))
    ):
        memberships[membership.user_id].append(membership)

    def reads(person: Any) -> bool:
        member = process_permissions.standing(memberships[person.id]).member
        return paper_permissions.can_read_working_text(person, member)

    return _keep(people, reads)
