"""The registry of professionals (issue 19): persons, employments, licences, training
programmes, sessions, participations, and the read log of persons' records; institutions get a
``name_local`` (the name in the country's language).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, target_column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.{target_column}"],
                                   name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    with op.batch_alter_table("institutions") as batch:
        batch.add_column(sa.Column("name_local", sa.String(300), nullable=True))
    op.create_table(
        "prof_persons",
        sa.Column("person_id", sa.String(64), nullable=False),
        sa.Column("surname", sa.String(150), nullable=False),
        sa.Column("given_name", sa.String(150), nullable=False),
        sa.Column("personal_number", sa.String(13), nullable=False),
        sa.Column("profession", sa.String(100), nullable=False),
        sa.Column("email", sa.String(254), nullable=True),
        sa.PrimaryKeyConstraint("person_id", name="pk_prof_persons"),
        sa.UniqueConstraint("personal_number", name="uq_prof_persons_personal_number"),
    )
    op.create_table(
        "prof_employments",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("person_id", sa.String(64), nullable=False),
        sa.Column("institution_id", sa.String(64), nullable=False),
        sa.Column("start", sa.Date, nullable=False),
        sa.Column("end", sa.Date, nullable=True),
        _fk("prof_employments", "person_id", "prof_persons", "person_id"),
        _fk("prof_employments", "institution_id", "institutions", "id"),
        sa.PrimaryKeyConstraint("id", name="pk_prof_employments"),
        sa.UniqueConstraint("person_id", "institution_id", "start",
                            name="uq_prof_employments_person_id_institution_id_start"),
    )
    op.create_index("ix_prof_employments_person_id", "prof_employments", ["person_id"])
    op.create_index("ix_prof_employments_institution_id", "prof_employments",
                    ["institution_id"])
    op.create_table(
        "prof_licences",
        sa.Column("licence_id", sa.String(64), nullable=False),
        sa.Column("person_id", sa.String(64), nullable=False),
        sa.Column("licence_type", sa.String(64), nullable=False),
        sa.Column("number", sa.String(64), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_to", sa.Date, nullable=False),
        sa.Column("renews", sa.String(64), nullable=True),
        _fk("prof_licences", "person_id", "prof_persons", "person_id"),
        _fk("prof_licences", "renews", "prof_licences", "licence_id"),
        sa.PrimaryKeyConstraint("licence_id", name="pk_prof_licences"),
    )
    op.create_index("ix_prof_licences_person_id", "prof_licences", ["person_id"])
    op.create_table(
        "prof_programmes",
        sa.Column("programme_id", sa.String(64), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("title_local", sa.String(300), nullable=True),
        sa.Column("activity", sa.String(64), nullable=False),
        sa.Column("accredited", sa.Boolean, nullable=False),
        sa.Column("accreditation_number", sa.String(64), nullable=True),
        sa.Column("accredited_from", sa.Date, nullable=True),
        sa.Column("accredited_to", sa.Date, nullable=True),
        sa.Column("hours", sa.Float, nullable=True),
        sa.Column("knowledge_test", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("programme_id", name="pk_prof_programmes"),
    )
    op.create_table(
        "prof_sessions",
        sa.Column("session_id", sa.String(64), nullable=False),
        sa.Column("programme_id", sa.String(64), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("place", sa.String(200), nullable=True),
        sa.Column("online", sa.Boolean, nullable=False),
        _fk("prof_sessions", "programme_id", "prof_programmes", "programme_id"),
        sa.PrimaryKeyConstraint("session_id", name="pk_prof_sessions"),
    )
    op.create_index("ix_prof_sessions_programme_id", "prof_sessions", ["programme_id"])
    op.create_table(
        "prof_participations",
        sa.Column("participation_id", sa.String(64), nullable=False),
        sa.Column("person_id", sa.String(64), nullable=False),
        sa.Column("session_id", sa.String(64), nullable=False),
        sa.Column("role", sa.String(64), nullable=False),
        _fk("prof_participations", "person_id", "prof_persons", "person_id"),
        _fk("prof_participations", "session_id", "prof_sessions", "session_id"),
        sa.PrimaryKeyConstraint("participation_id", name="pk_prof_participations"),
        sa.UniqueConstraint("person_id", "session_id",
                            name="uq_prof_participations_person_id_session_id"),
    )
    op.create_index("ix_prof_participations_person_id", "prof_participations", ["person_id"])
    op.create_index("ix_prof_participations_session_id", "prof_participations", ["session_id"])
    op.create_table(
        "prof_read_log",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("user_name", sa.String(150), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("person_id", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_prof_read_log"),
    )
    op.create_index("ix_prof_read_log_user_name", "prof_read_log", ["user_name"])
    op.create_index("ix_prof_read_log_person_id", "prof_read_log", ["person_id"])


def downgrade() -> None:
    for table in ("prof_read_log", "prof_participations", "prof_sessions", "prof_programmes",
                  "prof_licences", "prof_employments", "prof_persons"):
        op.drop_table(table)
    # a plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy of the table would be
    # refused by the views of 0001 that read it
    op.drop_column("institutions", "name_local")
