"""Assessment tests taken in the served app (issue 19): one row per attempt.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "prof_test_attempts",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("test_id", sa.String(64), nullable=False),
        sa.Column("user_name", sa.String(150), nullable=False),
        sa.Column("answers", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("max_points", sa.Float, nullable=False),
        sa.Column("passed", sa.Boolean, nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_prof_test_attempts"),
    )
    op.create_index("ix_prof_test_attempts_test_id", "prof_test_attempts", ["test_id"])
    op.create_index("ix_prof_test_attempts_user_name", "prof_test_attempts", ["user_name"])


def downgrade() -> None:
    op.drop_table("prof_test_attempts")
