"""Analysis: the registry of datasets.

Revision ID: data_0001_datasets
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "data_0001_datasets"
down_revision = "0001_foundation"
branch_labels = ("data",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analysis_datasets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("department_id", sa.Integer, sa.ForeignKey("departments.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("file_key", sa.String(64), nullable=False),
        sa.Column("source_name", sa.String(255), nullable=False, server_default=""),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("encoding", sa.String(32)),
        sa.Column("tables", sa.JSON, nullable=False),
        sa.Column("row_count", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("size_bytes", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("created_by", sa.String(100), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("department_id", "name", name="uq_analysis_datasets_dept_name"),
    )


def downgrade() -> None:
    op.drop_table("analysis_datasets")
