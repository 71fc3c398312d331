"""Who may do what with accounts; views, services and templates all ask these predicates."""

from __future__ import annotations

from typing import Any

from consult.accounts.models import ClaimStatus, OrganisationClaim, Role, Sector, User


def _is_user(user: Any) -> bool:
    return isinstance(user, User) and user.is_active


def can_post(user: Any) -> bool:
    """Only verified, active accounts may contribute; anyone may read."""
    return _is_user(user) and user.is_verified


def can_manage_users(user: Any) -> bool:
    return _is_user(user) and user.has_role(Role.ADMIN)


def can_view_outbox(user: Any, env: str) -> bool:
    """The mail outbox holds other people's links, so only admins see it, and never in production."""
    return can_manage_users(user) and env in {"development", "testing"}


def role_refusal(target: User, role: Role) -> str | None:
    """Why `role` cannot be given to `target`, or None when it can."""
    if role == Role.PARTICIPANT:
        return "Everyone with an account is a participant already."
    if role == Role.DEPARTMENT_OFFICER:
        organisation = target.organisation
        if organisation is None or organisation.sector != Sector.GOVERNMENT_DEPARTMENT:
            return "A department officer must belong to an approved government department organisation."
    if not target.is_verified:
        return "The user must verify their email address first."
    return None


def can_grant_role(actor: Any, target: User, role: Role) -> bool:
    return can_manage_users(actor) and role_refusal(target, role) is None


def can_decide_claim(actor: Any, claim: OrganisationClaim) -> bool:
    return can_manage_users(actor) and claim.status == ClaimStatus.PENDING
