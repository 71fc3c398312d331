"""Outcomes need evidence: per-process minimum votes and sectors, and the basis an outcome below them cites.

Revision ID: outcomes0001
Revises: agreement0003
Create Date: 2026-12-02 11:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "outcomes0001"
down_revision: str | None = "agreement0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("processes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outcome_min_votes", sa.Integer(), server_default="10", nullable=False))
        batch_op.add_column(sa.Column("outcome_min_sectors", sa.Integer(), server_default="3", nullable=False))
        batch_op.create_check_constraint(
            "outcome_minimums_in_range", "outcome_min_votes >= 1 AND outcome_min_sectors >= 0"
        )
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("votes_counted", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("sectors_counted", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("basis_meeting_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("basis_thread_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("basis_reason", sa.Text(), server_default="", nullable=False))
        batch_op.create_foreign_key(
            "fk_outcomes_basis_meeting_id_meetings", "meetings", ["basis_meeting_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_foreign_key(
            "fk_outcomes_basis_thread_id_threads", "threads", ["basis_thread_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.drop_constraint("fk_outcomes_basis_thread_id_threads", type_="foreignkey")
        batch_op.drop_constraint("fk_outcomes_basis_meeting_id_meetings", type_="foreignkey")
        batch_op.drop_column("basis_reason")
        batch_op.drop_column("basis_thread_id")
        batch_op.drop_column("basis_meeting_id")
        batch_op.drop_column("sectors_counted")
        batch_op.drop_column("votes_counted")
    with op.batch_alter_table("processes", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_processes_outcome_minimums_in_range"), type_="check")
        batch_op.drop_column("outcome_min_sectors")
        batch_op.drop_column("outcome_min_votes")
