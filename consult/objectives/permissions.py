"""Who may see, edit and move proposals; private drafts are visible only to their own department."""

from __future__ import annotations

from typing import Any

from consult.accounts.models import Role, Sector
from consult.accounts.permissions import can_post
from consult.objectives import lifecycle
from consult.objectives.lifecycle import Status
from consult.objectives.models import Proposal
from consult.processes.permissions import is_facilitator


def is_department_officer(user: Any) -> bool:
    return (
        can_post(user)
        and user.has_role(Role.DEPARTMENT_OFFICER)
        and user.organisation is not None
        and user.organisation.sector == Sector.GOVERNMENT_DEPARTMENT
    )


def is_officer_of(user: Any, proposal: Proposal) -> bool:
    return is_department_officer(user) and user.organisation_id == proposal.department_id


def can_create_proposal(user: Any) -> bool:
    return is_department_officer(user)


def can_view_proposal(user: Any, proposal: Proposal) -> bool:
    return proposal.is_public or is_officer_of(user, proposal)


def can_edit_proposal(user: Any, proposal: Proposal) -> bool:
    return is_officer_of(user, proposal) and proposal.status not in lifecycle.TERMINAL


def lifecycle_roles(user: Any, proposal: Proposal) -> frozenset[str]:
    """The lifecycle roles this user holds for this proposal."""
    roles = set()
    if is_officer_of(user, proposal):
        roles.add(lifecycle.DEPARTMENT)
    if is_facilitator(user):
        roles.add(lifecycle.FACILITATOR)
    if can_post(user) and user.has_role(Role.REVIEW_BOARD):
        roles.add(lifecycle.BOARD)
    if can_post(user) and user.has_role(Role.ADMIN):
        roles.add(lifecycle.ADMIN)
    return frozenset(roles)


# Who owns each field a lifecycle move can carry: only that role may set it. The government response link is
# the department's own publication, so only officers of the proposing department set or change it; anyone
# else's move leaves it as it is (SI details are stored only by the move into force, itself theirs or an admin's).
RESPONSE_LINK_OWNERS = frozenset({lifecycle.DEPARTMENT})


def can_set_response_link(user: Any, proposal: Proposal) -> bool:
    """Whether this user's moves may set the government response link (see RESPONSE_LINK_OWNERS)."""
    return bool(lifecycle_roles(user, proposal) & RESPONSE_LINK_OWNERS)


def can_assess_criteria(user: Any, proposal: Proposal) -> bool:
    return is_facilitator(user) and proposal.status == Status.OPEN_POLICY_DISCUSSION


def can_link_process(user: Any, proposal: Proposal) -> bool:
    return is_facilitator(user) and proposal.is_public and proposal.status not in lifecycle.TERMINAL


def can_recommend(user: Any, proposal: Proposal) -> bool:
    return can_post(user) and user.has_role(Role.REVIEW_BOARD) and proposal.status == Status.REVIEW_BOARD


def recommendations_public(proposal: Proposal) -> bool:
    """The board's recommendations are published once a decision has moved the proposal past the board."""
    after_board = lifecycle.MAIN_PATH[lifecycle.MAIN_PATH.index(Status.MINISTERIAL_DECISION) :]
    return proposal.status in after_board or proposal.status in {Status.REJECTED, Status.WITHDRAWN}


def can_see_recommendations(user: Any, proposal: Proposal) -> bool:
    """Review board members see the board's recommendations at once; everyone else once they are public."""
    return recommendations_public(proposal) or (
        bool(getattr(user, "is_authenticated", False)) and user.has_role(Role.REVIEW_BOARD)
    )


def can_see_readiness(user: Any, proposal: Proposal) -> bool:
    """The checklist panel is for the proposing department while it can still act on it."""
    return is_officer_of(user, proposal) and proposal.status in lifecycle.CHECKLIST_STAGES


def shows_statutory_consultation(proposal: Proposal) -> bool:
    """The consultees table appears once the proposal has reached the statutory consultation."""
    return proposal.status in lifecycle.STATUTORY_CONSULTATION_STAGES


def can_record_consultees(user: Any, proposal: Proposal) -> bool:
    return is_officer_of(user, proposal) and proposal.status == Status.CONSULTATION
