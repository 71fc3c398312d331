"""Analysis cache: the opinion groups' state (warm-started clusters and k-smoother) carried between refreshes.

Revision ID: agreement0002
Revises: papers0001
Create Date: 2026-11-21 21:47:37.591138+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "agreement0002"
down_revision: str | None = "papers0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("analysis_cache", schema=None) as batch_op:
        batch_op.add_column(sa.Column("grouping_state", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("analysis_cache", schema=None) as batch_op:
        batch_op.drop_column("grouping_state")
