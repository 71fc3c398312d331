"""The outcomes ledger, mediation requests and mediation records.

Revision ID: ff60b1e33ffd
Revises: 4ad9a34e3e60
Create Date: 2026-11-21 19:35:27.852724+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ff60b1e33ffd"
down_revision: str | None = "4ad9a34e3e60"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mediation_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_mediation_flags_statement_id_statements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_mediation_flags_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediation_flags")),
        sa.UniqueConstraint("statement_id", "user_id", name=op.f("uq_mediation_flags_statement_id_user_id")),
    )
    with op.batch_alter_table("mediation_flags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mediation_flags_statement_id"), ["statement_id"], unique=False)

    op.create_table(
        "mediations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("parties", sa.String(length=1000), nullable=False),
        sa.Column("meeting_url", sa.String(length=500), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column(
            "result",
            sa.Enum(
                "open",
                "resolved",
                "agree_to_disagree",
                "reframed",
                name="mediation_result",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("new_statement_id", sa.Integer(), nullable=True),
        sa.Column("facilitator_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["facilitator_id"], ["users.id"], name=op.f("fk_mediations_facilitator_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["new_statement_id"],
            ["statements.id"],
            name=op.f("fk_mediations_new_statement_id_statements"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"], ["statements.id"], name=op.f("fk_mediations_statement_id_statements"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediations")),
    )
    with op.batch_alter_table("mediations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mediations_statement_id"), ["statement_id"], unique=False)

    op.create_table(
        "outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "agreed",
                "agreed_with_caveats",
                "options",
                "still_to_discuss",
                "disagreement_noted",
                "parked",
                name="outcome_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("caveats", sa.Text(), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
        sa.Column("reasons_for", sa.Text(), nullable=False),
        sa.Column("reasons_against", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_outcomes_recorded_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"], ["statements.id"], name=op.f("fk_outcomes_statement_id_statements"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcomes")),
    )
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outcomes_statement_id"), ["statement_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outcomes_statement_id"))

    op.drop_table("outcomes")
    with op.batch_alter_table("mediations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mediations_statement_id"))

    op.drop_table("mediations")
    with op.batch_alter_table("mediation_flags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mediation_flags_statement_id"))

    op.drop_table("mediation_flags")
