"""The store's first schema: institutions, user roles, forms, records, their versions, comments;
the views ``accepted_values`` and ``accepted_values_restricted`` that the intake catalog reads.

Revision ID: 0001
Revises:
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)

#: One row per field of every accepted record (values as text): what reports read. The
#: ``restricted`` variant holds the domestic-violence forms only, so a PostgreSQL role can be
#: given one view and not the other.
_VIEW = """
CREATE VIEW {name} AS
SELECT r.id AS record_id, r.form_id, r.form_version, r.institution_id, i.kind AS institution_kind,
       i.municipality_id, r.period, r.version_id AS version, j.key AS field, {value} AS value
FROM records r
JOIN forms f ON f.form_id = r.form_id AND f.version = r.form_version
JOIN institutions i ON i.id = r.institution_id
CROSS JOIN {each}(r."values") j
WHERE r.status = 'accepted' AND {where}
"""


def _views() -> list[str]:
    pg = op.get_bind().dialect.name == "postgresql"
    each = "jsonb_each_text" if pg else "json_each"
    value = "j.value" if pg else "CAST(j.value AS TEXT)"
    return [_VIEW.format(name=name, each=each, value=value, where=where)
            for name, where in (("accepted_values", "NOT f.restricted"),
                                ("accepted_values_restricted", "f.restricted"))]


def upgrade() -> None:
    op.create_table(
        "institutions",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("municipality_id", sa.String(64), nullable=True),
        sa.Column("parent_id", sa.String(64), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["institutions.id"],
                                name="fk_institutions_parent_id_institutions"),
        sa.PrimaryKeyConstraint("id", name="pk_institutions"),
    )
    op.create_index("ix_institutions_municipality_id", "institutions", ["municipality_id"])
    op.create_index("ix_institutions_parent_id", "institutions", ["parent_id"])
    op.create_table(
        "user_roles",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("user_name", sa.String(150), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("institution_id", sa.String(64), nullable=True),
        sa.Column("granted_by", sa.String(150), nullable=False),
        sa.Column("granted_at", TS, nullable=False),
        sa.CheckConstraint("role IN ('worker', 'head', 'province', 'dv')",
                           name="ck_user_roles_role"),
        sa.ForeignKeyConstraint(["institution_id"], ["institutions.id"],
                                name="fk_user_roles_institution_id_institutions"),
        sa.PrimaryKeyConstraint("id", name="pk_user_roles"),
        sa.UniqueConstraint("user_name", "role", "institution_id",
                            name="uq_user_roles_user_name_role_institution_id"),
    )
    op.create_index("ix_user_roles_user_name", "user_roles", ["user_name"])
    op.create_table(
        "forms",
        sa.Column("form_id", sa.String(100), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("restricted", sa.Boolean, nullable=False),
        sa.Column("registered_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("form_id", "version", name="pk_forms"),
    )
    op.create_table(
        "records",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("form_id", sa.String(100), nullable=False),
        sa.Column("form_version", sa.String(64), nullable=False),
        sa.Column("institution_id", sa.String(64), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("version_id", sa.Integer, nullable=False),
        sa.Column("values", JSON, nullable=False),
        sa.Column("created_by", sa.String(150), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_by", sa.String(150), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.CheckConstraint("status IN ('draft', 'submitted', 'approved', 'accepted')",
                           name="ck_records_status"),
        sa.ForeignKeyConstraint(["form_id", "form_version"], ["forms.form_id", "forms.version"],
                                name="fk_records_form_forms"),
        sa.ForeignKeyConstraint(["institution_id"], ["institutions.id"],
                                name="fk_records_institution_id_institutions"),
        sa.PrimaryKeyConstraint("id", name="pk_records"),
        sa.UniqueConstraint("form_id", "institution_id", "period",
                            name="uq_records_form_id_institution_id_period"),
    )
    op.create_index("ix_records_institution_id", "records", ["institution_id"])
    op.create_table(
        "record_versions",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("record_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("values", JSON, nullable=False),
        sa.Column("changes", JSON, nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("saved_by", sa.String(150), nullable=False),
        sa.Column("saved_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"],
                                name="fk_record_versions_record_id_records"),
        sa.PrimaryKeyConstraint("id", name="pk_record_versions"),
        sa.UniqueConstraint("record_id", "version", name="uq_record_versions_record_id_version"),
    )
    op.create_index("ix_record_versions_record_id", "record_versions", ["record_id"])
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("record_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("author", sa.String(150), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"],
                                name="fk_comments_record_id_records"),
        sa.PrimaryKeyConstraint("id", name="pk_comments"),
    )
    op.create_index("ix_comments_record_id", "comments", ["record_id"])
    for sql in _views():
        op.execute(sql)


def downgrade() -> None:
    op.execute("DROP VIEW accepted_values_restricted")
    op.execute("DROP VIEW accepted_values")
    for table in ("comments", "record_versions", "records", "forms", "user_roles",
                  "institutions"):
        op.drop_table(table)
