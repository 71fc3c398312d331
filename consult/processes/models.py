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


# How much voting a finding of agreement or disagreement needs before it may rest on the votes alone (below it the
# facilitator cites a meeting's notes or a thread, with a reason: agreement.ledger.record_outcome). Per process.
#
# 10 votes: below ten, one person is more than a tenth of the vote, so a single change of mind moves the shares by
# over ten points; and at ten, Polis's own test for a majority statement (POLIS-MATH.md §6: pa > 0.5 and
# pat > 1.2816) passes with 7 agreeing and fails with 6, so "agreed" then means roughly two in three, not a
# coin-flip. 3 sectors (of the five declared): a finding never rests on one side of the table alone (government
# with one ally, or campaigners with individuals), which is what an open policy process exists to avoid.
DEFAULT_OUTCOME_MIN_VOTES = 10
DEFAULT_OUTCOME_MIN_SECTORS = 3


class Process(Base):
    """An open policy process about one or more objectives."""

    __tablename__ = "processes"
    __table_args__ = (
        sa.CheckConstraint("outcome_min_votes >= 1 AND outcome_min_sectors >= 0", name="outcome_minimums_in_range"),
    )

    id: Mapped[intpk]
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text)
    principles: Mapped[str] = mapped_column(sa.Text, default="")
    objectives_concerned: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    # The evidence a finding needs (see DEFAULT_OUTCOME_MIN_VOTES above): votes cast, passes included, and sectors.
    outcome_min_votes: Mapped[int] = mapped_column(
        default=DEFAULT_OUTCOME_MIN_VOTES, server_default=str(DEFAULT_OUTCOME_MIN_VOTES)
    )
    outcome_min_sectors: Mapped[int] = mapped_column(
        default=DEFAULT_OUTCOME_MIN_SECTORS, server_default=str(DEFAULT_OUTCOME_MIN_SECTORS)
    )

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
