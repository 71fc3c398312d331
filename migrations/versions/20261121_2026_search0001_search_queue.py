"""Search index queue: documents to re-index, recorded in the same transaction as each change.

Revision ID: search0001
Revises: ff60b1e33ffd
Create Date: 2026-11-21 20:26:48.355615+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "search0001"
down_revision: str | None = "ff60b1e33ffd"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "search_queue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doc_type", sa.String(length=40), nullable=False),
        sa.Column("doc_id", sa.Integer(), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_queue")),
    )


def downgrade() -> None:
    op.drop_table("search_queue")
