"""Thread moderation (hidden threads, thread actions in the moderation log) and one-time submission tokens.

Revision ID: participation0001
Revises: agreement0002
Create Date: 2026-11-22 09:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "participation0001"
down_revision: str | None = "agreement0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = ("hide", "restore", "block", "unblock", "dismiss")
NEW_KINDS = (*OLD_KINDS, "hide_thread", "restore_thread", "retitle_thread")


def _kinds(values: tuple[str, ...]) -> str:
    return "kind IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def _set_kinds(values: tuple[str, ...], old_length: int, new_length: int) -> None:
    # moderation_actions is referenced by no table, so SQLite's batch copy of it cascades nothing.
    with op.batch_alter_table("moderation_actions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_moderation_actions_moderation_action"), type_="check")
        batch_op.alter_column(
            "kind", existing_type=sa.String(length=old_length), type_=sa.String(length=new_length), nullable=False
        )
        batch_op.create_check_constraint("moderation_action", _kinds(values))


def upgrade() -> None:
    # Never a rebuild of threads on SQLite: dropping the old table would cascade-delete every comment.
    with op.batch_alter_table("threads", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("hidden_reason", sa.String(length=500), nullable=True))

    _set_kinds(NEW_KINDS, 7, 14)
    with op.batch_alter_table("moderation_actions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("thread_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_moderation_actions_thread_id_threads"), "threads", ["thread_id"], ["id"], ondelete="SET NULL"
        )

    op.create_table(
        "submission_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_submission_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission_tokens")),
        sa.UniqueConstraint("token", name=op.f("uq_submission_tokens_token")),
    )
    with op.batch_alter_table("submission_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_submission_tokens_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("submission_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submission_tokens_user_id"))
    op.drop_table("submission_tokens")

    op.execute(sa.text("DELETE FROM moderation_actions WHERE kind IN ('hide_thread', 'restore_thread', 'retitle_thread')"))
    with op.batch_alter_table("moderation_actions", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_moderation_actions_thread_id_threads"), type_="foreignkey")
        batch_op.drop_column("thread_id")
    _set_kinds(OLD_KINDS, 14, 7)

    # Never a rebuild of threads on SQLite: dropping the old table would cascade-delete every comment.
    with op.batch_alter_table("threads", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("hidden_reason")
        batch_op.drop_column("hidden_at")
