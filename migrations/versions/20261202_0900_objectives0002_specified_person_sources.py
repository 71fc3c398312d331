"""Specified persons: the Schedule 4 part, a group for pickers, the source read and any amending instrument.

Revision ID: objectives0002
Revises: accounts0002
Create Date: 2026-12-02 09:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "objectives0002"
down_revision: str | None = "accounts0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (("part", 80), ("category", 120), ("source", 300), ("amended_by", 300))


def upgrade() -> None:
    with op.batch_alter_table("specified_persons", schema=None) as batch_op:
        for name, length in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("specified_persons", schema=None) as batch_op:
        for name, _length in reversed(COLUMNS):
            batch_op.drop_column(name)
