"""Text core: per-department glossaries (English / zh-Hant-HK / zh-Hans term tables).

Revision ID: text_0001_glossaries
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "text_0001_glossaries"
down_revision = "0001_foundation"
branch_labels = ("text",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "text_glossaries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("department_id", sa.Integer, sa.ForeignKey("departments.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("created_by", sa.String(64), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("department_id", "name", name="uq_text_glossaries_department_name"),
    )
    op.create_index("ix_text_glossaries_department_id", "text_glossaries", ["department_id"])
    op.create_table(
        "text_glossary_terms",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("glossary_id", sa.Integer, sa.ForeignKey("text_glossaries.id", ondelete="CASCADE"), nullable=False),
        sa.Column("en", sa.String(300), nullable=False, server_default=""),
        sa.Column("zh_hant", sa.String(300), nullable=False, server_default=""),
        sa.Column("zh_hans", sa.String(300), nullable=False, server_default=""),
        sa.Column("protect", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_text_glossary_terms_glossary_id", "text_glossary_terms", ["glossary_id"])


def downgrade() -> None:
    op.drop_index("ix_text_glossary_terms_glossary_id", "text_glossary_terms")
    op.drop_table("text_glossary_terms")
    op.drop_index("ix_text_glossaries_department_id", "text_glossaries")
    op.drop_table("text_glossaries")
