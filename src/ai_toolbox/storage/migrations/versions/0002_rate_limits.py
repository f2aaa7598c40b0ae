"""Foundation: request counts per key and minute, so several server processes share one rate limit.

Revision ID: 0002_rate_limits
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_rate_limits"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_limit_counts",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("window", sa.Integer, primary_key=True),
        sa.Column("hits", sa.Integer, nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_table("rate_limit_counts")
