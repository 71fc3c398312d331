"""Reads for accounts: look-ups by email and the admin lists, eager-loaded."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import Session, joinedload, selectinload

from consult.accounts.models import ClaimStatus, Organisation, OrganisationClaim, User


def normalise_email(email: str) -> str:
    return email.strip().lower()


def get_user_by_email(db: Session, email: str) -> User | None:
    return db.scalar(sa.select(User).where(User.email == normalise_email(email)))


def get_user_or_404(db: Session, user_id: int) -> User:
    return db.get(User, user_id, options=[joinedload(User.organisation)]) or abort(404)


def get_signed_in_user(db: Session, user_id: int) -> User | None:
    """The user behind a session, with what every page reads of them: organisation, roles and claims."""
    return db.get(
        User,
        user_id,
        options=[joinedload(User.organisation), selectinload(User.claims).joinedload(OrganisationClaim.organisation)],
    )


def find_organisation(db: Session, name: str) -> Organisation | None:
    return db.scalar(sa.select(Organisation).where(sa.func.lower(Organisation.name) == name.strip().lower()))


def list_users(db: Session, *, search: str = "", page: int = 1, per_page: int = 50) -> tuple[list[User], int]:
    """A page of users (newest first) and the total count, for the admin list."""
    query = sa.select(User)
    if search:
        pattern = f"%{search.strip().lower()}%"
        query = query.where(sa.or_(User.email.like(pattern), sa.func.lower(User.display_name).like(pattern)))
    total = db.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    users = db.scalars(
        query.options(joinedload(User.organisation))
        .order_by(User.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return list(users), total


def list_pending_claims(db: Session) -> list[OrganisationClaim]:
    return list(
        db.scalars(
            sa.select(OrganisationClaim)
            .where(OrganisationClaim.status == ClaimStatus.PENDING)
            .options(joinedload(OrganisationClaim.user), joinedload(OrganisationClaim.organisation))
            .order_by(OrganisationClaim.id)
        )
    )


def get_claim_or_404(db: Session, claim_id: int) -> OrganisationClaim:
    return db.get(OrganisationClaim, claim_id, options=[joinedload(OrganisationClaim.organisation)]) or abort(404)


def list_organisation_names(db: Session) -> list[str]:
    return list(db.scalars(sa.select(Organisation.name).where(Organisation.approved).order_by(Organisation.name)))
