"""Users, their roles and organisations."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.db import Base, created_at, enum_column, intpk
from consult.enums import LabelledEnum


class Sector(LabelledEnum):
    """Declared sector: agreement is analysed per sector, so every participant states one."""

    CIVIL_SOCIETY = "civil_society", "Civil society organisation"
    PUBLIC_SECTOR = "public_sector", "Public sector body"
    GOVERNMENT_DEPARTMENT = "government_department", "Government department"
    ACADEMIC = "academic", "Academic or expert"
    INDIVIDUAL = "individual", "Individual"


#: Each sector's display name by stored value, for figures by sector (pages, papers and the evidence page).
SECTOR_NAMES = dict(Sector.choices())


class Role(LabelledEnum):
    """Roles beyond the participant role every verified user has."""

    PARTICIPANT = "participant", "Participant"
    DEPARTMENT_OFFICER = "department_officer", "Department officer"
    FACILITATOR = "facilitator", "Facilitator"
    REVIEW_BOARD = "review_board", "Review board member"
    ADMIN = "admin", "Administrator"


class ClaimStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class Organisation(Base):
    """A body participants belong to; its sector decides who may be a department officer."""

    __tablename__ = "organisations"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    sector: Mapped[Sector] = enum_column(Sector, "sector")
    approved: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[created_at]


class User(Base):
    """A person with an account; the email is stored lower-cased so it is unique however typed."""

    __tablename__ = "users"

    id: Mapped[intpk]
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    pending_email: Mapped[str | None] = mapped_column(sa.String(254))
    display_name: Mapped[str] = mapped_column(sa.String(80))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    sector: Mapped[Sector] = enum_column(Sector, "sector")
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    email_verified_at: Mapped[datetime | None]
    # Bumped on sign-out-everywhere, password change and role change: older cookies stop working.
    session_generation: Mapped[int] = mapped_column(default=1)
    # Rotated whenever an emailed token is used, so each link works once.
    token_nonce: Mapped[int] = mapped_column(default=0)
    disabled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[created_at]
    last_sign_in_at: Mapped[datetime | None]
    # "each", "daily" or "none": how notifications reach this person by email (see notifications.models.EmailMode).
    notification_email: Mapped[str] = mapped_column(sa.String(10), default="daily", server_default="daily")
    # The same for decisions about this person's own contributions (notifications.models.DecisionEmailMode).
    decision_email: Mapped[str] = mapped_column(sa.String(10), default="each", server_default="each")

    # Lazy, not raise: permissions and services read one user's organisation; list queries load it explicitly.
    organisation: Mapped[Organisation | None] = relationship()
    role_grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user",
        lazy="selectin",
        cascade="all, delete-orphan",
        foreign_keys="RoleGrant.user_id",
    )
    claims: Mapped[list[OrganisationClaim]] = relationship(
        back_populates="user",
        lazy="selectin",
        cascade="all, delete-orphan",
        foreign_keys="OrganisationClaim.user_id",
        order_by="OrganisationClaim.id",
    )

    # Flask-Login protocol ---------------------------------------------------------------
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return not self.disabled

    @property
    def is_anonymous(self) -> bool:
        return False

    #: Set when signing in: the token of this device's UserSession row (never stored in clear).
    session_token: str = ""

    def get_id(self) -> str:
        """Carry the session generation and this device's session token, so both can be revoked."""
        return f"{self.id}:{self.session_generation}:{self.session_token}"

    # Derived facts ----------------------------------------------------------------------
    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def roles(self) -> frozenset[Role]:
        granted = {grant.role for grant in self.role_grants}
        return frozenset(granted | {Role.PARTICIPANT})

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def pending_claim(self) -> OrganisationClaim | None:
        return next((c for c in self.claims if c.status == ClaimStatus.PENDING), None)

    @property
    def claimed_organisation_name(self) -> str:
        """The organisation the profile shows: the one awaiting approval, else the approved one."""
        if self.pending_claim:
            return self.pending_claim.organisation.name
        return self.organisation.name if self.organisation else ""


class RoleGrant(Base):
    """A role given to a user by an admin; who and when are kept."""

    __tablename__ = "role_grants"
    __table_args__ = (sa.UniqueConstraint("user_id", "role"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[Role] = enum_column(Role, "role")
    granted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    granted_at: Mapped[created_at]

    user: Mapped[User] = relationship(back_populates="role_grants", foreign_keys=[user_id])


class OrganisationClaim(Base):
    """A user's claim to belong to an organisation; an admin approves or rejects it."""

    __tablename__ = "organisation_claims"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"))
    status: Mapped[ClaimStatus] = enum_column(ClaimStatus, "claim_status", default=ClaimStatus.PENDING)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[created_at]

    user: Mapped[User] = relationship(back_populates="claims", foreign_keys=[user_id])
    # Lazy, not raise: deciding or showing one claim reads it; the admin list loads it explicitly.
    organisation: Mapped[Organisation] = relationship()


class UserSession(Base):
    """A signed-in session (one per device), so signing out ends that session even if its cookie was copied."""

    __tablename__ = "user_sessions"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[created_at]


class SignInAttempt(Base):
    """A failed sign-in, kept in the database so the waits of accounts.throttle hold across workers."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (sa.Index("ix_sign_in_attempts_email_attempted_at", "email", "attempted_at"),)

    id: Mapped[intpk]
    email: Mapped[str] = mapped_column(sa.String(254))
    # Who failed: the client's network ("203.0.113.9", "2001:db8:1:2::/64") or a trusted device ("device:…").
    source: Mapped[str] = mapped_column(sa.String(64), default="", server_default="")
    attempted_at: Mapped[created_at]


class MailLog(Base):
    """Emails sent per address, so verification and reset mail cannot be used to spam someone."""

    __tablename__ = "mail_log"
    __table_args__ = (sa.Index("ix_mail_log_address_sent_at", "address", "sent_at"),)

    id: Mapped[intpk]
    address: Mapped[str] = mapped_column(sa.String(254))
    purpose: Mapped[str] = mapped_column(sa.String(40))
    sent_at: Mapped[created_at]
