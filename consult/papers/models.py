"""Position papers, every saved version of their text, paragraph review comments and their public history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import User
from consult.db import Base, created_at, enum_column, intpk
from consult.enums import LabelledEnum
from consult.processes.models import Process


class PaperStatus(LabelledEnum):
    """Where the working text of a paper is; each published version keeps its own record."""

    DRAFTING = "drafting", "Drafting"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Superseded"


class Paper(Base):
    """A position paper of a process; `current_version` is the number of its newest saved version."""

    __tablename__ = "papers"

    id: Mapped[intpk]
    process_id: Mapped[int] = mapped_column(sa.ForeignKey("processes.id", ondelete="CASCADE"), index=True)
    # A paper about one proposed objective names it; the paper still belongs to the process that discussed it.
    proposal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("proposals.id", ondelete="SET NULL"))
    status: Mapped[PaperStatus] = enum_column(PaperStatus, "paper_status", default=PaperStatus.DRAFTING)
    current_version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]

    # Lazy, not raise: a paper's own pages read it; list queries load it explicitly.
    process: Mapped[Process] = relationship()


class PaperVersion(Base):
    """One saved text of a paper; a published version is never changed again."""

    __tablename__ = "paper_versions"
    __table_args__ = (sa.UniqueConstraint("paper_id", "number"),)

    id: Mapped[intpk]
    paper_id: Mapped[int] = mapped_column(sa.ForeignKey("papers.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")
    change_note: Mapped[str] = mapped_column(sa.String(500), default="")
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    published_at: Mapped[datetime | None]
    superseded_at: Mapped[datetime | None]
    # At publication: the evidence behind every finding, so later votes do not change the published record.
    evidence: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    # Organisations that agreed to be named, frozen at publication.
    named_organisations: Mapped[list[str] | None] = mapped_column(sa.JSON)
    # How many review comments were still open when it was published (the facilitator confirmed this).
    open_comments_at_publication: Mapped[int | None]

    author: Mapped[User | None] = relationship(lazy="raise")

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class CommentStatus(LabelledEnum):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class PaperComment(Base):
    """A review comment on one paragraph, with its replies; it moves with the paragraph to newer versions."""

    __tablename__ = "paper_comments"

    id: Mapped[intpk]
    paper_id: Mapped[int] = mapped_column(sa.ForeignKey("papers.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("paper_comments.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.Text)
    depth: Mapped[int] = mapped_column(default=0)
    # The anchor (for the opening comment of a thread): the version and paragraph it is on now, and that
    # paragraph's text, used to find it again in the next version.
    version_number: Mapped[int] = mapped_column(default=1)
    paragraph: Mapped[int | None]
    anchor_text: Mapped[str] = mapped_column(sa.Text, default="")
    # Set when no paragraph of a newer version matches: the comment stays, shown as on an earlier version.
    unplaced_since: Mapped[int | None]
    status: Mapped[CommentStatus] = enum_column(CommentStatus, "paper_comment_status", default=CommentStatus.OPEN)
    resolved_note: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[created_at]
    hidden_at: Mapped[datetime | None]

    author: Mapped[User | None] = relationship(lazy="raise")

    @property
    def is_visible(self) -> bool:
        return self.hidden_at is None


class PaperEvent(Base):
    """The public history of a paper: each status change, with a note (no names: publication is unattributed)."""

    __tablename__ = "paper_events"

    id: Mapped[intpk]
    paper_id: Mapped[int] = mapped_column(sa.ForeignKey("papers.id", ondelete="CASCADE"), index=True)
    version_number: Mapped[int]
    from_status: Mapped[PaperStatus | None] = enum_column(PaperStatus, "from_paper_status", nullable=True)
    to_status: Mapped[PaperStatus] = enum_column(PaperStatus, "to_paper_status")
    note: Mapped[str] = mapped_column(sa.String(1000), default="")
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]


class NamingConsent(Base):
    """An organisation's agreement, given by one of its verified members, to be named in a process's papers."""

    __tablename__ = "paper_naming_consents"
    __table_args__ = (sa.UniqueConstraint("paper_id", "organisation_id"),)

    id: Mapped[intpk]
    paper_id: Mapped[int] = mapped_column(sa.ForeignKey("papers.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"))
    given_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
