"""Objectives in force, specified persons, and proposals with their versions, audit log, review and consultation."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import Organisation, User
from consult.db import Base, created_at, enum_column, intpk
from consult.enums import LabelledEnum
from consult.objectives.lifecycle import Status


class SpecifiedPerson(Base):
    """An entry of Schedule 4 to the Act; `verified` is false where the paragraph was inferred, not read."""

    __tablename__ = "specified_persons"

    id: Mapped[intpk]
    paragraph: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    nation: Mapped[str] = mapped_column(sa.String(20))
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    verified: Mapped[bool] = mapped_column(default=False)
    is_hmrc: Mapped[bool] = mapped_column(default=False)
    part: Mapped[str] = mapped_column(sa.String(80), default="", server_default="")
    category: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    source: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    amended_by: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")


class ObjectiveInForce(Base):
    """An objective already made by regulations, seeded from content/objectives.yaml."""

    __tablename__ = "objectives_in_force"

    id: Mapped[intpk]
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    purpose: Mapped[str] = mapped_column(sa.Text)
    statutory_source: Mapped[str] = mapped_column(sa.String(300))
    jurisdiction: Mapped[str] = mapped_column(sa.Text)
    persons: Mapped[str] = mapped_column(sa.Text)
    persons_verified: Mapped[bool] = mapped_column(default=False)
    persons_note: Mapped[str] = mapped_column(sa.Text, default="")
    definitions: Mapped[list[Any]] = mapped_column(sa.JSON, default=list)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    page: Mapped[str] = mapped_column(sa.String(200), default="")


class Proposal(Base):
    """A department's proposed objective; `answers` holds the working text, `version` guards against lost updates."""

    __tablename__ = "proposals"

    id: Mapped[intpk]
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[Status] = enum_column(Status, "proposal_status", default=Status.DRAFT)
    paused_from: Mapped[Status | None] = enum_column(Status, "paused_from_status", nullable=True)
    answers: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    version: Mapped[int] = mapped_column(default=1)
    submitted_at: Mapped[datetime | None]
    process_id: Mapped[int | None] = mapped_column(sa.ForeignKey("processes.id", ondelete="SET NULL"))
    response_url: Mapped[str] = mapped_column(sa.String(500), default="")
    si_number: Mapped[str] = mapped_column(sa.String(40), default="")
    in_force_on: Mapped[date | None]
    created_at: Mapped[created_at]
    updated_at: Mapped[datetime | None]

    # Lazy, not raise: a proposal's own pages read it; list queries load it explicitly.
    department: Mapped[Organisation] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def title(self) -> str:
        return str(self.answers.get("title") or "Untitled proposal")

    @property
    def is_public(self) -> bool:
        """Drafts are private to their department until first submitted; after that every version is public."""
        return self.submitted_at is not None


class ProposalVersion(Base):
    """An immutable, public snapshot of a proposal after submission, with its change note."""

    __tablename__ = "proposal_versions"
    __table_args__ = (sa.UniqueConstraint("proposal_id", "number"),)

    id: Mapped[intpk]
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    answers: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    change_note: Mapped[str] = mapped_column(sa.String(1000))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]

    author: Mapped[User | None] = relationship(lazy="raise")


class Transition(Base):
    """The public audit log: every change of status with who, when and why."""

    __tablename__ = "proposal_transitions"

    id: Mapped[intpk]
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[Status] = enum_column(Status, "from_status")
    to_status: Mapped[Status] = enum_column(Status, "to_status")
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(sa.String(2000))
    created_at: Mapped[created_at]

    actor: Mapped[User | None] = relationship(lazy="raise")


class Recommendation(LabelledEnum):
    PROCEED = "proceed", "Proceed"
    REVISE = "revise", "Revise"
    REJECT = "reject", "Reject"


class BoardRecommendation(Base):
    """A review board member's recommendation; public once the proposal has passed the board."""

    __tablename__ = "board_recommendations"
    __table_args__ = (sa.UniqueConstraint("proposal_id", "member_id"),)

    id: Mapped[intpk]
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    recommendation: Mapped[Recommendation] = enum_column(Recommendation, "board_recommendation")
    reasons: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[created_at]

    member: Mapped[User] = relationship(lazy="raise")


class Consultee(LabelledEnum):
    """The consultees s.44(4) names, plus others the authority thinks appropriate."""

    ICO = "ico", "Information Commissioner"
    HMRC = "hmrc", "Commissioners for HMRC"
    SCOTTISH_MINISTERS = "scottish_ministers", "Scottish Ministers"
    WELSH_MINISTERS = "welsh_ministers", "Welsh Ministers"
    DOF_NI = "dof_ni", "Department of Finance in Northern Ireland"


class ConsulteeReply(Base):
    """When a statutory consultee was consulted, and what they said."""

    __tablename__ = "consultee_replies"
    __table_args__ = (sa.UniqueConstraint("proposal_id", "consultee"),)

    id: Mapped[intpk]
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    consultee: Mapped[Consultee] = enum_column(Consultee, "consultee")
    consulted_on: Mapped[date]
    reply: Mapped[str] = mapped_column(sa.Text, default="")
    replied_on: Mapped[date | None]


class Criterion(LabelledEnum):
    PURPOSE = "purpose", "Purpose condition"
    WELLBEING = "wellbeing", "Well-being condition"
    FUNCTIONS = "functions", "Functions condition"


class GroupView(LabelledEnum):
    MET = "met", "Met"
    NOT_MET = "not_met", "Not met"
    CONTESTED = "contested", "Contested"


class CriterionAssessment(Base):
    """The working group's view on one condition, with a link to the evidence (a thread or other record)."""

    __tablename__ = "criterion_assessments"

    id: Mapped[intpk]
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    criterion: Mapped[Criterion] = enum_column(Criterion, "criterion")
    view: Mapped[GroupView] = enum_column(GroupView, "group_view")
    evidence_thread_id: Mapped[int | None] = mapped_column(sa.ForeignKey("threads.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
