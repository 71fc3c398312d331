"""Notifications of decisions and facilitators' queues: new kinds, the reason and link they carry, each person's
email setting for decisions about their own contributions, and one claimed row per daily digest.

Revision ID: notify0001
Revises: outcomes0001
Create Date: 2026-12-02 11:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "notify0001"
down_revision: str | None = "outcomes0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = ("reply_to_you", "mention", "thread_reply", "new_thread", "issue_status", "new_meeting")
NEW_KINDS = (
    *OLD_KINDS,
    "comment_moderated",
    "statement_decided",
    "join_decided",
    "own_issue_status",
    "review_resolved",
    "proposal_moved",
    "recommendation",
    "notes_published",
    "proposal_at_board",
    "review_reply",
    "report",
    "proposed_statement",
    "new_issue",
    "mediation_request",
    "join_request",
    "review_comment",
)


def _kinds(values: tuple[str, ...]) -> str:
    return "kind IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def _set_kinds(batch_op, values: tuple[str, ...], old_length: int, new_length: int) -> None:
    batch_op.drop_constraint(op.f("ck_notifications_notification_kind"), type_="check")
    batch_op.alter_column(
        "kind", existing_type=sa.String(length=old_length), type_=sa.String(length=new_length), nullable=False
    )
    batch_op.create_check_constraint("notification_kind", _kinds(values))


def upgrade() -> None:
    # notifications is referenced by no table, so SQLite's batch copy of it cascades nothing.
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        _set_kinds(batch_op, NEW_KINDS, 12, 18)
        batch_op.add_column(sa.Column("detail", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("link", sa.String(length=300), server_default="", nullable=False))

    # Never a rebuild of users on SQLite: dropping the old table would cascade-delete everyone's content.
    with op.batch_alter_table("users", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("decision_email", sa.String(length=10), server_default="each", nullable=False))

    op.create_table(
        "notification_digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notification_digests_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_digests")),
        sa.UniqueConstraint("user_id", "period", name=op.f("uq_notification_digests_user_id_period")),
    )


def downgrade() -> None:
    op.drop_table("notification_digests")

    with op.batch_alter_table("users", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("decision_email")

    notifications = sa.table("notifications", sa.column("kind", sa.String))
    op.execute(notifications.delete().where(notifications.c.kind.not_in(OLD_KINDS)))
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_column("link")
        batch_op.drop_column("detail")
        _set_kinds(batch_op, OLD_KINDS, 18, 12)
