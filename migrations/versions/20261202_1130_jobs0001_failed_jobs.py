"""Jobs: the failed_jobs table, where jobs that failed with no retries left are kept for admins.

Revision ID: jobs0001
Revises: provenance0001
Create Date: 2026-12-02 11:30:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "jobs0001"
down_revision: str | None = "provenance0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "failed_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_name", sa.String(length=100), nullable=False),
        sa.Column("task_id", sa.String(length=64), nullable=False),
        sa.Column("arguments", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_failed_jobs")),
    )
    with op.batch_alter_table("failed_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_failed_jobs_failed_at"), ["failed_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("failed_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_failed_jobs_failed_at"))
    op.drop_table("failed_jobs")
