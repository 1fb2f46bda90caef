"""The e-platform library (issue 18): items with metadata per language, their workflow and
visibility, every change of an item (the audit trail), the library's roles, and the comments of
a public consultation on an item (issue 21).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(JSONB(), "postgresql")
ITEM_TYPES = ("strategy", "action_plan", "passport", "map", "report", "training_material",
              "video", "minutes")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.create_table(
        "library_items",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("municipality_id", sa.String(64), nullable=False),
        sa.Column("item_type", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("file_name", sa.String(300), nullable=False),
        sa.Column("titles", JSON, nullable=False),
        sa.Column("descriptions", JSON, nullable=False),
        sa.Column("language", sa.String(16), nullable=True),
        sa.Column("item_date", sa.Date, nullable=False),
        sa.Column("tags", JSON, nullable=False),
        sa.Column("visibility", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("programme_id", sa.String(64), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("source_path", sa.String(500), nullable=True),
        sa.Column("version_id", sa.Integer, nullable=False),
        sa.Column("created_by", sa.String(150), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_by", sa.String(150), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("published_by", sa.String(150), nullable=True),
        sa.Column("published_at", TS, nullable=True),
        sa.Column("comments_until", sa.Date, nullable=True),
        sa.CheckConstraint(_in("item_type", ITEM_TYPES), name="ck_library_items_item_type"),
        sa.CheckConstraint(_in("status", ("draft", "published", "withdrawn")),
                           name="ck_library_items_status"),
        sa.CheckConstraint("visibility IN ('public', 'internal')",
                           name="ck_library_items_visibility"),
        sa.PrimaryKeyConstraint("id", name="pk_library_items"),
        sa.UniqueConstraint("municipality_id", "source_path",
                            name="uq_library_items_municipality_id_source_path"),
    )
    op.create_index("ix_library_items_municipality_id", "library_items", ["municipality_id"])
    op.create_index("ix_library_items_programme_id", "library_items", ["programme_id"])
    op.create_table(
        "library_events",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("item_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("changes", JSON, nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("by", sa.String(150), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["library_items.id"],
                                name="fk_library_events_item_id_library_items"),
        sa.PrimaryKeyConstraint("id", name="pk_library_events"),
    )
    op.create_index("ix_library_events_item_id", "library_events", ["item_id"])
    op.create_table(
        "library_comments",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("item_id", sa.Integer, nullable=False),
        sa.Column("author_kind", sa.String(16), nullable=False),
        sa.Column("organisation", sa.String(200), nullable=True),
        sa.Column("target", sa.String(40), nullable=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("moderated_by", sa.String(150), nullable=True),
        sa.Column("moderated_at", TS, nullable=True),
        sa.CheckConstraint("author_kind IN ('resident', 'organisation')",
                           name="ck_library_comments_author_kind"),
        sa.CheckConstraint("status IN ('pending', 'published', 'rejected')",
                           name="ck_library_comments_status"),
        sa.ForeignKeyConstraint(["item_id"], ["library_items.id"],
                                name="fk_library_comments_item_id_library_items"),
        sa.PrimaryKeyConstraint("id", name="pk_library_comments"),
    )
    op.create_index("ix_library_comments_item_id", "library_comments", ["item_id"])
    op.create_table(
        "library_roles",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("user_name", sa.String(150), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("municipality_id", sa.String(64), nullable=True),
        sa.Column("granted_by", sa.String(150), nullable=False),
        sa.Column("granted_at", TS, nullable=False),
        sa.CheckConstraint("role IN ('editor', 'admin')", name="ck_library_roles_role"),
        sa.PrimaryKeyConstraint("id", name="pk_library_roles"),
        sa.UniqueConstraint("user_name", "role", "municipality_id",
                            name="uq_library_roles_user_name_role_municipality_id"),
    )
    op.create_index("ix_library_roles_user_name", "library_roles", ["user_name"])


def downgrade() -> None:
    for table in ("library_roles", "library_comments", "library_events", "library_items"):
        op.drop_table(table)
