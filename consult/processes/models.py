"""A process runs in dated stages and is organised in working groups that people join."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import User
from consult.db import Base, created_at, enum_column, intpk
from consult.enums import LabelledEnum


class StageKind(LabelledEnum):
    """The usual stages of an Involve-style process, in order."""

    SCOPING = "scoping", "Scoping"
    WORKING_GROUPS = "working_groups", "Working groups"
    DRAFTING = "drafting", "Drafting"
    CONSULTATION = "consultation", "Consultation"
    PAPER = "paper", "Paper"
    CLOSED = "closed", "Closed"

    @property
    def accepts_contributions(self) -> bool:
        """People may start threads and reply only while the process is open for discussion."""
        return self not in {StageKind.CLOSED}


class JoinPolicy(enum.StrEnum):
    OPEN = "open"
    REQUEST = "request"


class MembershipStatus(enum.StrEnum):
    PENDING = "pending"
    MEMBER = "member"
    FACILITATOR = "facilitator"


class Process(Base):
    """An open policy process about one or more objectives."""

    __tablename__ = "processes"

    id: Mapped[intpk]
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text)
    principles: Mapped[str] = mapped_column(sa.Text, default="")
    objectives_concerned: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]

    stages: Mapped[list[Stage]] = relationship(
        back_populates="process", order_by="Stage.starts_on", cascade="all, delete-orphan", lazy="selectin"
    )
    groups: Mapped[list[WorkingGroup]] = relationship(
        back_populates="process", order_by="WorkingGroup.name", cascade="all, delete-orphan", lazy="raise"
    )


class Stage(Base):
    """A dated stage; the stage whose dates include today is the current one."""

    __tablename__ = "process_stages"
    __table_args__ = (sa.CheckConstraint("ends_on >= starts_on", name="dates_in_order"),)

    id: Mapped[intpk]
    process_id: Mapped[int] = mapped_column(sa.ForeignKey("processes.id", ondelete="CASCADE"), index=True)
    kind: Mapped[StageKind] = enum_column(StageKind, "stage_kind")
    description: Mapped[str] = mapped_column(sa.String(500), default="")
    starts_on: Mapped[date]
    ends_on: Mapped[date]

    process: Mapped[Process] = relationship(back_populates="stages")


class WorkingGroup(Base):
    """A strand of a process with its own remit, facilitators and members."""

    __tablename__ = "working_groups"
    __table_args__ = (sa.UniqueConstraint("process_id", "slug"),)

    id: Mapped[intpk]
    process_id: Mapped[int] = mapped_column(sa.ForeignKey("processes.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(sa.String(80))
    name: Mapped[str] = mapped_column(sa.String(200))
    remit: Mapped[str] = mapped_column(sa.Text)
    join_policy: Mapped[JoinPolicy] = enum_column(JoinPolicy, "join_policy", default=JoinPolicy.OPEN)
    created_at: Mapped[created_at]

    # Lazy, not raise: a group's own pages read it; list queries load it explicitly.
    process: Mapped[Process] = relationship(back_populates="groups")
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="group", cascade="all, delete-orphan", lazy="raise"
    )


class Membership(Base):
    """A person's place in a working group, with the interests they declared."""

    __tablename__ = "group_memberships"
    __table_args__ = (sa.UniqueConstraint("group_id", "user_id"),)

    id: Mapped[intpk]
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("working_groups.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[MembershipStatus] = enum_column(MembershipStatus, "membership_status")
    declared_interests: Mapped[str] = mapped_column(sa.String(1000), default="")
    joined_at: Mapped[created_at]
    approved_at: Mapped[datetime | None]
    # A facilitator may block a member from posting in this group for a period.
    blocked_until: Mapped[datetime | None]

    def is_blocked(self, now: datetime) -> bool:
        return self.blocked_until is not None and self.blocked_until > now

    group: Mapped[WorkingGroup] = relationship(back_populates="memberships")
    # Lazy, not raise: moderation services read one member's user; the group page loads them explicitly.
    user: Mapped[User] = relationship()
