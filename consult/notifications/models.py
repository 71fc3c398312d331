"""What people follow and what they are told about."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from consult.db import Base, created_at, enum_column, intpk
from consult.enums import LabelledEnum


class TargetType(enum.StrEnum):
    PROCESS = "process"
    GROUP = "group"
    THREAD = "thread"


class NotificationKind(enum.StrEnum):
    REPLY_TO_YOU = "reply_to_you"
    MENTION = "mention"
    THREAD_REPLY = "thread_reply"
    NEW_THREAD = "new_thread"
    ISSUE_STATUS = "issue_status"
    NEW_MEETING = "new_meeting"
    # Decisions about the person's own contributions (emailed as their "decisions" setting says).
    COMMENT_MODERATED = "comment_moderated"
    STATEMENT_DECIDED = "statement_decided"
    JOIN_DECIDED = "join_decided"
    OWN_ISSUE_STATUS = "own_issue_status"
    REVIEW_RESOLVED = "review_resolved"
    PROPOSAL_MOVED = "proposal_moved"
    RECOMMENDATION = "recommendation"
    # Other things a person is told about.
    NOTES_PUBLISHED = "notes_published"
    PROPOSAL_AT_BOARD = "proposal_at_board"
    REVIEW_REPLY = "review_reply"
    # A facilitator's queues.
    REPORT = "report"
    PROPOSED_STATEMENT = "proposed_statement"
    NEW_ISSUE = "new_issue"
    MEDIATION_REQUEST = "mediation_request"
    JOIN_REQUEST = "join_request"
    REVIEW_COMMENT = "review_comment"

    @property
    def is_decision(self) -> bool:
        """A decision about the person's own contribution: mailed per User.decision_email, not notification_email."""
        return self in DECISION_KINDS


DECISION_KINDS = frozenset(
    {
        NotificationKind.COMMENT_MODERATED,
        NotificationKind.STATEMENT_DECIDED,
        NotificationKind.JOIN_DECIDED,
        NotificationKind.OWN_ISSUE_STATUS,
        NotificationKind.REVIEW_RESOLVED,
        NotificationKind.PROPOSAL_MOVED,
        NotificationKind.RECOMMENDATION,
    }
)


class EmailMode(LabelledEnum):
    EACH = "each", "An email for each notification"
    DAILY = "daily", "One email a day with everything new"
    NONE = "none", "No emails: I will check on the site"


class DecisionEmailMode(LabelledEnum):
    """How decisions about one's own contributions are mailed: each at once by default, since they matter most."""

    EACH = "each", "An email each time (recommended)"
    DAILY = "daily", "In the daily email with everything else"
    NONE = "none", "No emails: I will check on the site"


class Follow(Base):
    __tablename__ = "follows"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "target_type", "target_id"),
        sa.Index("ix_follows_target_type_target_id", "target_type", "target_id"),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    target_type: Mapped[TargetType] = enum_column(TargetType, "follow_target")
    target_id: Mapped[int]
    created_at: Mapped[created_at]


class Notification(Base):
    """One thing a person should know; the link is built from the target when shown."""

    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_user_id_read_at", "user_id", "read_at"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = enum_column(NotificationKind, "notification_kind")
    message: Mapped[str] = mapped_column(sa.String(500))
    target_type: Mapped[str] = mapped_column(sa.String(20))
    target_id: Mapped[int]
    anchor: Mapped[str] = mapped_column(sa.String(40), default="")
    # The reason or note that came with a decision, shown under the message and in the email.
    detail: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # Where it leads, stored when the target's address needs more than its id (a statement, a group, a paper…);
    # empty for threads and meetings, whose address path_for builds.
    link: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    created_at: Mapped[created_at]
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]


class NotificationDigest(Base):
    """One daily digest per person per day (London): the unique row is claimed before the mail goes, so two
    runs at once, or a second run the same day, never mail anyone twice."""

    __tablename__ = "notification_digests"
    __table_args__ = (sa.UniqueConstraint("user_id", "period"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    period: Mapped[date]
    items: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime]
