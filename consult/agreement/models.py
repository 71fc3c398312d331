"""Statements, voters, votes (current and every event) and cached analyses."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.db import Base, created_at, enum_column, intpk, utcnow
from consult.discussions.models import Thread
from consult.enums import LabelledEnum
from consult.meetings.models import Meeting


class StatementStatus(enum.StrEnum):
    PROPOSED = "proposed"  # put forward by a participant, waiting for a facilitator
    ACCEPTED = "accepted"
    UNMODERATED = "unmoderated"  # imported from Polis where nobody moderated it; Polis still counts it
    REJECTED = "rejected"

    @property
    def counts_in_analysis(self) -> bool:
        """As in Polis, only statements moderated out are left out of the analysis."""
        return self in {StatementStatus.ACCEPTED, StatementStatus.UNMODERATED}


class Statement(Base):
    """A short proposition people vote on; immutable once voted on (a correction is a new statement)."""

    __tablename__ = "statements"
    __table_args__ = (sa.UniqueConstraint("process_id", "external_id"),)

    id: Mapped[intpk]
    process_id: Mapped[int] = mapped_column(sa.ForeignKey("processes.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("working_groups.id", ondelete="SET NULL"))
    thread_id: Mapped[int | None] = mapped_column(sa.ForeignKey("threads.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(sa.String(400))
    status: Mapped[StatementStatus] = enum_column(StatementStatus, "statement_status", default=StatementStatus.ACCEPTED)
    status_reason: Mapped[str] = mapped_column(sa.String(500), default="")
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    corrects_id: Mapped[int | None] = mapped_column(sa.ForeignKey("statements.id", ondelete="SET NULL"))
    # The statement's id in an imported Polis conversation (comment-id), kept so exports round-trip.
    external_id: Mapped[str | None] = mapped_column(sa.String(40))
    created_at: Mapped[created_at]


class Voter(Base):
    """Who votes in a process: a consult user, or a participant imported from Polis (keeping their voter-id)."""

    __tablename__ = "voters"
    __table_args__ = (sa.UniqueConstraint("process_id", "user_id"), sa.UniqueConstraint("process_id", "external_id"))

    id: Mapped[intpk]
    process_id: Mapped[int] = mapped_column(sa.ForeignKey("processes.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    external_id: Mapped[str | None] = mapped_column(sa.String(40))


class Vote(Base):
    """The current vote of one voter on one statement: the unique constraint makes double counting impossible."""

    __tablename__ = "votes"
    __table_args__ = (
        sa.UniqueConstraint("statement_id", "voter_id"),
        sa.CheckConstraint("value IN (-1, 0, 1)", name="value_is_agree_disagree_or_pass"),
    )

    id: Mapped[intpk]
    statement_id: Mapped[int] = mapped_column(sa.ForeignKey("statements.id", ondelete="CASCADE"), index=True)
    voter_id: Mapped[int] = mapped_column(sa.ForeignKey("voters.id", ondelete="CASCADE"), index=True)
    value: Mapped[int] = mapped_column(sa.SmallInteger)
    reason: Mapped[str] = mapped_column(sa.String(280), default="")
    voted_at: Mapped[datetime] = mapped_column(default=utcnow)


class VoteEvent(Base):
    """Every vote ever cast, so changes of mind stay on the record."""

    __tablename__ = "vote_events"
    __table_args__ = (sa.CheckConstraint("value IN (-1, 0, 1)", name="value_is_agree_disagree_or_pass"),)

    id: Mapped[intpk]
    statement_id: Mapped[int] = mapped_column(sa.ForeignKey("statements.id", ondelete="CASCADE"), index=True)
    voter_id: Mapped[int] = mapped_column(sa.ForeignKey("voters.id", ondelete="CASCADE"))
    value: Mapped[int] = mapped_column(sa.SmallInteger)
    reason: Mapped[str] = mapped_column(sa.String(280), default="")
    voted_at: Mapped[datetime] = mapped_column(default=utcnow)


class AnalysisCache(Base):
    """The latest analysis of a process, computed off the request path whenever its votes have changed."""

    __tablename__ = "analysis_cache"

    process_id: Mapped[int] = mapped_column(sa.ForeignKey("processes.id", ondelete="CASCADE"), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    vote_events: Mapped[int] = mapped_column(default=0)
    report: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # What the next refresh warm-starts from (clustering.GroupingState.to_json): base clusters, the group
    # clustering for every k and the k-smoother, as Polis keeps them between updates. None: start clean.
    grouping_state: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)


class OutcomeKind(LabelledEnum):
    AGREED = "agreed", "Agreed (banked)"
    AGREED_WITH_CAVEATS = "agreed_with_caveats", "Agreed with caveats"
    OPTIONS = "options", "Options"
    STILL_TO_DISCUSS = "still_to_discuss", "Still to discuss"
    DISAGREEMENT_NOTED = "disagreement_noted", "Disagreement noted"
    PARKED = "parked", "Parked"

    @property
    def is_agreement(self) -> bool:
        return self in {OutcomeKind.AGREED, OutcomeKind.AGREED_WITH_CAVEATS}

    @property
    def needs_evidence(self) -> bool:
        """Findings that say where people stand need enough votes, or other evidence cited (ledger.record_outcome)."""
        return self in {OutcomeKind.AGREED, OutcomeKind.AGREED_WITH_CAVEATS, OutcomeKind.DISAGREEMENT_NOTED}


class Outcome(Base):
    """A facilitator's record of where a statement landed; every record is kept, the newest is current."""

    __tablename__ = "outcomes"

    id: Mapped[intpk]
    statement_id: Mapped[int] = mapped_column(sa.ForeignKey("statements.id", ondelete="CASCADE"), index=True)
    kind: Mapped[OutcomeKind] = enum_column(OutcomeKind, "outcome_kind")
    summary: Mapped[str] = mapped_column(sa.Text)
    caveats: Mapped[str] = mapped_column(sa.Text, default="")
    options: Mapped[str] = mapped_column(sa.Text, default="")
    reasons_for: Mapped[str] = mapped_column(sa.Text, default="")
    reasons_against: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    # The votes behind the entry when it was recorded (None for entries older than the rule).
    votes_counted: Mapped[int | None]
    sectors_counted: Mapped[int | None]
    # Other evidence the facilitator cited (one meeting's published notes or one thread of the process) and why it
    # supports the outcome: required when the votes fall short of the process's minimums, published beside it.
    basis_meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id", ondelete="SET NULL"))
    basis_thread_id: Mapped[int | None] = mapped_column(sa.ForeignKey("threads.id", ondelete="SET NULL"))
    basis_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    # Loaded with the ledger (ledger.current_outcomes, ledger.history); never one query per entry.
    basis_meeting: Mapped[Meeting | None] = relationship(lazy="raise")
    basis_thread: Mapped[Thread | None] = relationship(lazy="raise")


class MediationResult(LabelledEnum):
    OPEN = "open", "Under way"
    RESOLVED = "resolved", "Resolved"
    AGREE_TO_DISAGREE = "agree_to_disagree", "Agree to disagree"
    REFRAMED = "reframed", "Reframed as a new statement"


class MediationFlag(Base):
    """A participant asks for a statement to be mediated."""

    __tablename__ = "mediation_flags"
    __table_args__ = (sa.UniqueConstraint("statement_id", "user_id"),)

    id: Mapped[intpk]
    statement_id: Mapped[int] = mapped_column(sa.ForeignKey("statements.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(sa.String(500))
    created_at: Mapped[created_at]


class Mediation(Base):
    """A facilitator's mediation of a contested statement; published without naming anyone."""

    __tablename__ = "mediations"

    id: Mapped[intpk]
    statement_id: Mapped[int] = mapped_column(sa.ForeignKey("statements.id", ondelete="CASCADE"), index=True)
    parties: Mapped[str] = mapped_column(sa.String(1000))
    meeting_url: Mapped[str] = mapped_column(sa.String(500), default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    result: Mapped[MediationResult] = enum_column(MediationResult, "mediation_result", default=MediationResult.OPEN)
    new_statement_id: Mapped[int | None] = mapped_column(sa.ForeignKey("statements.id", ondelete="SET NULL"))
    facilitator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    updated_at: Mapped[datetime | None]
