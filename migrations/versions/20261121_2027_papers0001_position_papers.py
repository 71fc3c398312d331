"""Position papers: versions, paragraph review comments, public history and naming consent.

Revision ID: papers0001
Revises: search0001
Create Date: 2026-11-21 20:27:11.711022+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "papers0001"
down_revision: str | None = "search0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "papers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("process_id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "drafting",
                "in_review",
                "approved",
                "published",
                "superseded",
                name="paper_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_papers_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["process_id"], ["processes.id"], name=op.f("fk_papers_process_id_processes"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposals.id"], name=op.f("fk_papers_proposal_id_proposals"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_papers")),
    )
    with op.batch_alter_table("papers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_papers_process_id"), ["process_id"], unique=False)

    op.create_table(
        "paper_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("paragraph", sa.Integer(), nullable=True),
        sa.Column("anchor_text", sa.Text(), nullable=False),
        sa.Column("unplaced_since", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("open", "resolved", name="paper_comment_status", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("resolved_note", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_paper_comments_author_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["paper_id"], ["papers.id"], name=op.f("fk_paper_comments_paper_id_papers"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["paper_comments.id"],
            name=op.f("fk_paper_comments_parent_id_paper_comments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paper_comments")),
    )
    with op.batch_alter_table("paper_comments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_paper_comments_paper_id"), ["paper_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_paper_comments_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "paper_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column(
            "from_status",
            sa.Enum(
                "drafting",
                "in_review",
                "approved",
                "published",
                "superseded",
                name="from_paper_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "drafting",
                "in_review",
                "approved",
                "published",
                "superseded",
                name="to_paper_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_paper_events_actor_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["paper_id"], ["papers.id"], name=op.f("fk_paper_events_paper_id_papers"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paper_events")),
    )
    with op.batch_alter_table("paper_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_paper_events_paper_id"), ["paper_id"], unique=False)

    op.create_table(
        "paper_naming_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("given_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["given_by_id"], ["users.id"], name=op.f("fk_paper_naming_consents_given_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_paper_naming_consents_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["paper_id"], ["papers.id"], name=op.f("fk_paper_naming_consents_paper_id_papers"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paper_naming_consents")),
        sa.UniqueConstraint(
            "paper_id", "organisation_id", name=op.f("uq_paper_naming_consents_paper_id_organisation_id")
        ),
    )
    with op.batch_alter_table("paper_naming_consents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_paper_naming_consents_paper_id"), ["paper_id"], unique=False)

    op.create_table(
        "paper_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("change_note", sa.String(length=500), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=True),
        sa.Column("named_organisations", sa.JSON(), nullable=True),
        sa.Column("open_comments_at_publication", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_paper_versions_author_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["paper_id"], ["papers.id"], name=op.f("fk_paper_versions_paper_id_papers"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paper_versions")),
        sa.UniqueConstraint("paper_id", "number", name=op.f("uq_paper_versions_paper_id_number")),
    )
    with op.batch_alter_table("paper_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_paper_versions_paper_id"), ["paper_id"], unique=False)



def downgrade() -> None:
    with op.batch_alter_table("paper_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_paper_versions_paper_id"))

    op.drop_table("paper_versions")
    with op.batch_alter_table("paper_naming_consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_paper_naming_consents_paper_id"))

    op.drop_table("paper_naming_consents")
    with op.batch_alter_table("paper_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_paper_events_paper_id"))

    op.drop_table("paper_events")
    with op.batch_alter_table("paper_comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_paper_comments_parent_id"))
        batch_op.drop_index(batch_op.f("ix_paper_comments_paper_id"))

    op.drop_table("paper_comments")
    with op.batch_alter_table("papers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_papers_process_id"))

    op.drop_table("papers")
