"""Knowledge bases: bases, sources, chunks, unanswered questions.

Revision ID: kb_0001_knowledge_bases
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "kb_0001_knowledge_bases"
down_revision = "0001_foundation"
branch_labels = ("kb",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kb_bases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("department_id", sa.Integer, sa.ForeignKey("departments.id"), nullable=False, index=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("slug", sa.String(120), nullable=False, unique=True),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("published", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("version", sa.Integer, nullable=False, server_default="0"),
        sa.Column("indexed_version", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_by", sa.String(100), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("department_id", "name", name="uq_kb_bases_dept_name"),
    )
    op.create_table(
        "kb_sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kb_id", sa.Integer, sa.ForeignKey("kb_bases.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("language", sa.String(16), nullable=False, server_default=""),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("n_chunks", sa.Integer, nullable=False, server_default="0"),
        sa.Column("added_by", sa.String(100), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "kb_chunks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kb_id", sa.Integer, sa.ForeignKey("kb_bases.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column(
            "source_id", sa.Integer, sa.ForeignKey("kb_sources.id", ondelete="CASCADE"), nullable=False, index=True
        ),
        sa.Column("ordinal", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("section", sa.String(500), nullable=False, server_default=""),
        sa.Column("page", sa.Integer),
        sa.Column("meta", sa.JSON),
    )
    op.create_table(
        "kb_questions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kb_id", sa.Integer, sa.ForeignKey("kb_bases.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("language", sa.String(16), nullable=False, server_default=""),
        sa.Column("confidence", sa.Float, nullable=False, server_default="0"),
        sa.Column("handoff", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("audit_id", sa.Integer),
        sa.Column("asked_by", sa.String(100), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("kb_questions")
    op.drop_table("kb_chunks")
    op.drop_table("kb_sources")
    op.drop_table("kb_bases")
