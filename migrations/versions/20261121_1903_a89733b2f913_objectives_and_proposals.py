"""Objectives in force, Schedule 4 reference list, proposals with versions, audit log, board, consultees and assessments.

Revision ID: a89733b2f913
Revises: e82631ea37e2
Create Date: 2026-11-21 19:03:59.494622+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a89733b2f913"
down_revision: str | None = "e82631ea37e2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "objectives_in_force",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("statutory_source", sa.String(length=300), nullable=False),
        sa.Column("jurisdiction", sa.Text(), nullable=False),
        sa.Column("persons", sa.Text(), nullable=False),
        sa.Column("persons_verified", sa.Boolean(), nullable=False),
        sa.Column("persons_note", sa.Text(), nullable=False),
        sa.Column("definitions", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("page", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objectives_in_force")),
        sa.UniqueConstraint("slug", name=op.f("uq_objectives_in_force_slug")),
    )
    op.create_table(
        "specified_persons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("paragraph", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("nation", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("is_hmrc", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_specified_persons")),
        sa.UniqueConstraint("paragraph", name=op.f("uq_specified_persons_paragraph")),
    )
    op.create_table(
        "proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                "conditions_assessed",
                "open_policy_discussion",
                "review_board",
                "ministerial_decision",
                "consultation",
                "response_published",
                "laid",
                "in_force",
                "withdrawn",
                "rejected",
                "paused",
                name="proposal_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "paused_from",
            sa.Enum(
                "draft",
                "submitted",
                "conditions_assessed",
                "open_policy_discussion",
                "review_board",
                "ministerial_decision",
                "consultation",
                "response_published",
                "laid",
                "in_force",
                "withdrawn",
                "rejected",
                "paused",
                name="paused_from_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("process_id", sa.Integer(), nullable=True),
        sa.Column("response_url", sa.String(length=500), nullable=False),
        sa.Column("si_number", sa.String(length=40), nullable=False),
        sa.Column("in_force_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_proposals_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["department_id"], ["organisations.id"], name=op.f("fk_proposals_department_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["process_id"], ["processes.id"], name=op.f("fk_proposals_process_id_processes"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposals")),
    )
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proposals_department_id"), ["department_id"], unique=False)

    op.create_table(
        "board_recommendations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column(
            "recommendation",
            sa.Enum(
                "proceed", "revise", "reject", name="board_recommendation", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["users.id"], name=op.f("fk_board_recommendations_member_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_board_recommendations_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_recommendations")),
        sa.UniqueConstraint("proposal_id", "member_id", name=op.f("uq_board_recommendations_proposal_id_member_id")),
    )
    with op.batch_alter_table("board_recommendations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_board_recommendations_proposal_id"), ["proposal_id"], unique=False)

    op.create_table(
        "consultee_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column(
            "consultee",
            sa.Enum(
                "ico",
                "hmrc",
                "scottish_ministers",
                "welsh_ministers",
                "dof_ni",
                name="consultee",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("consulted_on", sa.Date(), nullable=False),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("replied_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_consultee_replies_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultee_replies")),
        sa.UniqueConstraint("proposal_id", "consultee", name=op.f("uq_consultee_replies_proposal_id_consultee")),
    )
    with op.batch_alter_table("consultee_replies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consultee_replies_proposal_id"), ["proposal_id"], unique=False)

    op.create_table(
        "proposal_transitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column(
            "from_status",
            sa.Enum(
                "draft",
                "submitted",
                "conditions_assessed",
                "open_policy_discussion",
                "review_board",
                "ministerial_decision",
                "consultation",
                "response_published",
                "laid",
                "in_force",
                "withdrawn",
                "rejected",
                "paused",
                name="from_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "draft",
                "submitted",
                "conditions_assessed",
                "open_policy_discussion",
                "review_board",
                "ministerial_decision",
                "consultation",
                "response_published",
                "laid",
                "in_force",
                "withdrawn",
                "rejected",
                "paused",
                name="to_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=2000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_proposal_transitions_actor_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_proposal_transitions_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_transitions")),
    )
    with op.batch_alter_table("proposal_transitions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proposal_transitions_proposal_id"), ["proposal_id"], unique=False)

    op.create_table(
        "proposal_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("change_note", sa.String(length=1000), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_proposal_versions_author_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_proposal_versions_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_versions")),
        sa.UniqueConstraint("proposal_id", "number", name=op.f("uq_proposal_versions_proposal_id_number")),
    )
    with op.batch_alter_table("proposal_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proposal_versions_proposal_id"), ["proposal_id"], unique=False)

    op.create_table(
        "criterion_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column(
            "criterion",
            sa.Enum("purpose", "wellbeing", "functions", name="criterion", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column(
            "view",
            sa.Enum("met", "not_met", "contested", name="group_view", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("evidence_thread_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_thread_id"],
            ["threads.id"],
            name=op.f("fk_criterion_assessments_evidence_thread_id_threads"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_criterion_assessments_proposal_id_proposals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_criterion_assessments_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_criterion_assessments")),
    )
    with op.batch_alter_table("criterion_assessments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_criterion_assessments_proposal_id"), ["proposal_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("criterion_assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_criterion_assessments_proposal_id"))

    op.drop_table("criterion_assessments")
    with op.batch_alter_table("proposal_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_versions_proposal_id"))

    op.drop_table("proposal_versions")
    with op.batch_alter_table("proposal_transitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_transitions_proposal_id"))

    op.drop_table("proposal_transitions")
    with op.batch_alter_table("consultee_replies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultee_replies_proposal_id"))

    op.drop_table("consultee_replies")
    with op.batch_alter_table("board_recommendations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_board_recommendations_proposal_id"))

    op.drop_table("board_recommendations")
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposals_department_id"))

    op.drop_table("proposals")
    op.drop_table("specified_persons")
    op.drop_table("objectives_in_force")
