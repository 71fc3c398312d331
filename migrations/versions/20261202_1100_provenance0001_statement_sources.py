"""Statements: links to the threads, comments, meetings and issues they came from (issue #14 item 2).

The old single statements.thread_id is copied into a link, so the evidence pages read links only; the column stays
(nothing writes it any more) so older code and data keep working until it is dropped in a later revision.

Revision ID: provenance0001
Revises: notify0001
Create Date: 2026-12-02 11:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "provenance0001"
down_revision: str | None = "notify0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ONE_TARGET = " + ".join(
    f"(CASE WHEN {column} IS NOT NULL THEN 1 ELSE 0 END)" for column in ("thread_id", "comment_id", "meeting_id")
)


def upgrade() -> None:
    op.create_table(
        "statement_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("comment_id", sa.Integer(), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"{ONE_TARGET} = 1", name=op.f("ck_statement_sources_exactly_one_target")),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["users.id"], name=op.f("fk_statement_sources_added_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["comment_id"], ["comments.id"], name=op.f("fk_statement_sources_comment_id_comments"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_statement_sources_meeting_id_meetings"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_statement_sources_statement_id_statements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"], ["threads.id"], name=op.f("fk_statement_sources_thread_id_threads"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement_sources")),
        sa.UniqueConstraint("statement_id", "comment_id", name=op.f("uq_statement_sources_statement_id_comment_id")),
        sa.UniqueConstraint("statement_id", "meeting_id", name=op.f("uq_statement_sources_statement_id_meeting_id")),
        sa.UniqueConstraint("statement_id", "thread_id", name=op.f("uq_statement_sources_statement_id_thread_id")),
    )
    with op.batch_alter_table("statement_sources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statement_sources_statement_id"), ["statement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_statement_sources_thread_id"), ["thread_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_statement_sources_comment_id"), ["comment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_statement_sources_meeting_id"), ["meeting_id"], unique=False)
    # The single thread a statement had becomes its first link, dated when the statement was made.
    op.execute(
        "INSERT INTO statement_sources (statement_id, thread_id, created_at) "
        "SELECT id, thread_id, created_at FROM statements WHERE thread_id IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("statement_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statement_sources_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_statement_sources_comment_id"))
        batch_op.drop_index(batch_op.f("ix_statement_sources_thread_id"))
        batch_op.drop_index(batch_op.f("ix_statement_sources_statement_id"))
    op.drop_table("statement_sources")
