"""The store's tables as SQLAlchemy 2 models (the Alembic migrations create the same schema).

Generic on purpose, so the other parts of the suite (entry forms, the library, the professionals'
registry, contracting, strategies) reuse them:

================  ===========================================================================
table             holds
================  ===========================================================================
institutions      a CSW, a residential institution, a provider, a municipality's office, the
                  provincial institute …: id, kind, name, municipality, parent (a tree)
user_roles        a login name (the dashboard's credentials file) with a role at an
                  institution: ``worker``, ``head``, ``province`` or the ``dv`` right
forms             a form (id, version) records are entered with, and whether it is restricted
                  (domestic violence: only users with the ``dv`` right)
records           the current state of one (form, institution, period): values as JSON,
                  status, version number (optimistic locking), who created/changed it, when
record_versions   every saved state of every record, never changed afterwards: who, when, what
                  (action), the values, the changes (old → new) and the reason: the audit trail
comments          comments on a record (a head returning it says why)
library_items     the e-platform library's items (a document, map, video … of a municipality):
                  metadata per language, type, visibility, workflow status, the file's
                  checksum (the bytes live in :class:`socialkit.library.FileStore`)
library_events    every change of a library item (upload, edit, publish …): the audit trail
library_comments  comments of residents and organisations on a published item (public
                  consultation), without names, moderated before they are shown
library_roles     a user's library role: ``editor`` of a municipality, or ``admin``
prof_test_attempts  an assessment test taken in the served app: who, which test, the answers,
                  the score and whether it passed
prof_*            the registry of professionals (persons, employments, licences, training
                  programmes, sessions, participations) and its read log
                  (``prof_read_log``: every read of a person's record); operations in
                  :mod:`socialkit.store.registry`
================  ===========================================================================
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "ITEM_STATUSES",
    "ITEM_TYPES",
    "LIBRARY_ROLES",
    "ROLES",
    "STATUSES",
    "Base",
    "Comment",
    "Form",
    "Institution",
    "LibraryComment",
    "LibraryEvent",
    "LibraryItem",
    "LibraryRole",
    "ProfEmployment",
    "ProfLicence",
    "ProfParticipation",
    "ProfPerson",
    "ProfProgramme",
    "ProfReadLog",
    "ProfTestAttempt",
    "ProfSession",
    "Record",
    "RecordVersion",
    "UserRole",
]

#: Roles a user may hold at an institution (``dv``: the right to domestic-violence forms).
ROLES: tuple[str, ...] = ("worker", "head", "province", "dv")
#: A record's workflow states (``returned`` is the move back to ``draft`` with a comment).
STATUSES: tuple[str, ...] = ("draft", "submitted", "approved", "accepted")

#: What a library item is (the e-platform's categories).
ITEM_TYPES: tuple[str, ...] = ("strategy", "action_plan", "passport", "map", "report",
                               "training_material", "video", "minutes")
#: A library item's workflow: a draft is seen by its editors only; published is listed to
#: its audience (``public``: everyone, ``internal``: the municipality's officials); withdrawn
#: is kept (the audit trail) but listed to no one.
ITEM_STATUSES: tuple[str, ...] = ("draft", "published", "withdrawn")
#: Library roles: ``editor`` of one municipality, ``admin`` of all.
LIBRARY_ROLES: tuple[str, ...] = ("editor", "admin")

#: Constraint names the same on SQLite and PostgreSQL, so migrations can name them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: JSON on SQLite, JSONB on PostgreSQL.
JSONType = sa.JSON().with_variant(JSONB(), "postgresql")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING)


class Institution(Base):
    __tablename__ = "institutions"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(64))
    name: Mapped[str] = mapped_column(sa.String(300))
    #: The name in the country's language (e.g. Serbian Cyrillic), shown through
    #: :func:`socialkit.i18n.display_name`.
    name_local: Mapped[str | None] = mapped_column(sa.String(300))
    municipality_id: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    parent_id: Mapped[str | None] = mapped_column(sa.ForeignKey("institutions.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=_now)


class UserRole(Base):
    __tablename__ = "user_roles"
    __table_args__ = (
        sa.UniqueConstraint("user_name", "role", "institution_id"),
        sa.CheckConstraint("role IN ('worker', 'head', 'province', 'dv')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_name: Mapped[str] = mapped_column(sa.String(150), index=True)
    role: Mapped[str] = mapped_column(sa.String(16))
    #: ``None`` for a province role or a dv right over every institution.
    institution_id: Mapped[str | None] = mapped_column(sa.ForeignKey("institutions.id"))
    granted_by: Mapped[str] = mapped_column(sa.String(150))
    granted_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=_now)


class Form(Base):
    __tablename__ = "forms"

    form_id: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    version: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300), default="")
    #: Domestic-violence (or otherwise sensitive) form: only users with the ``dv`` right.
    restricted: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    registered_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=_now)


class Record(Base):
    __tablename__ = "records"
    __table_args__ = (
        sa.UniqueConstraint("form_id", "institution_id", "period"),
        sa.ForeignKeyConstraint(["form_id", "form_version"], ["forms.form_id", "forms.version"],
                                name="fk_records_form_forms"),
        sa.CheckConstraint("status IN ('draft', 'submitted', 'approved', 'accepted')",
                           name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[str] = mapped_column(sa.String(100))
    form_version: Mapped[str] = mapped_column(sa.String(64))
    institution_id: Mapped[str] = mapped_column(sa.ForeignKey("institutions.id"), index=True)
    period: Mapped[str] = mapped_column(sa.String(16))
    status: Mapped[str] = mapped_column(sa.String(16), default="draft")
    version_id: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    values: Mapped[dict[str, Any]] = mapped_column("values", JSONType)
    created_by: Mapped[str] = mapped_column(sa.String(150))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(sa.String(150))
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))

    __mapper_args__ = {"version_id_col": version_id}


class RecordVersion(Base):
    __tablename__ = "record_versions"
    __table_args__ = (sa.UniqueConstraint("record_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(sa.ForeignKey("records.id"), index=True)
    version: Mapped[int] = mapped_column(sa.Integer)
    #: ``create``, ``save``, ``submit``, ``approve``, ``return``, ``accept``, ``reopen``.
    action: Mapped[str] = mapped_column(sa.String(16))
    status: Mapped[str] = mapped_column(sa.String(16))
    values: Mapped[dict[str, Any]] = mapped_column("values", JSONType)
    #: ``{field: [old, new]}`` against the previous version (``None`` where a field was absent).
    changes: Mapped[dict[str, Any]] = mapped_column(JSONType)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    saved_by: Mapped[str] = mapped_column(sa.String(150))
    saved_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))


class Comment(Base):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(sa.ForeignKey("records.id"), index=True)
    #: The record version the comment was made on.
    version: Mapped[int] = mapped_column(sa.Integer)
    author: Mapped[str] = mapped_column(sa.String(150))
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=_now)


# --------------------------------------------------------------------- registry of professionals
# The tables of socialkit.professionals.schemas, checked by socialkit.professionals before they
# are saved; the database enforces the keys and links again (a participation of an unknown
# person, points claimed twice for one session).


class ProfPerson(Base):
    __tablename__ = "prof_persons"

    person_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    surname: Mapped[str] = mapped_column(sa.String(150))
    given_name: Mapped[str] = mapped_column(sa.String(150))
    #: The 13-digit personal number (JMBG): only the registry's administrator reads it.
    personal_number: Mapped[str] = mapped_column(sa.String(13), unique=True)
    profession: Mapped[str] = mapped_column(sa.String(100))
    email: Mapped[str | None] = mapped_column(sa.String(254))


class ProfEmployment(Base):
    __tablename__ = "prof_employments"
    __table_args__ = (sa.UniqueConstraint("person_id", "institution_id", "start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[str] = mapped_column(sa.ForeignKey("prof_persons.person_id"), index=True)
    institution_id: Mapped[str] = mapped_column(sa.ForeignKey("institutions.id"), index=True)
    start: Mapped[dt.date] = mapped_column(sa.Date)
    end: Mapped[dt.date | None] = mapped_column(sa.Date)


class ProfLicence(Base):
    __tablename__ = "prof_licences"

    licence_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    person_id: Mapped[str] = mapped_column(sa.ForeignKey("prof_persons.person_id"), index=True)
    licence_type: Mapped[str] = mapped_column(sa.String(64))
    number: Mapped[str] = mapped_column(sa.String(64))
    valid_from: Mapped[dt.date] = mapped_column(sa.Date)
    valid_to: Mapped[dt.date] = mapped_column(sa.Date)
    renews: Mapped[str | None] = mapped_column(sa.ForeignKey("prof_licences.licence_id"))


class ProfProgramme(Base):
    __tablename__ = "prof_programmes"

    programme_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    title_local: Mapped[str | None] = mapped_column(sa.String(300))
    activity: Mapped[str] = mapped_column(sa.String(64))
    accredited: Mapped[bool] = mapped_column(sa.Boolean)
    accreditation_number: Mapped[str | None] = mapped_column(sa.String(64))
    accredited_from: Mapped[dt.date | None] = mapped_column(sa.Date)
    accredited_to: Mapped[dt.date | None] = mapped_column(sa.Date)
    hours: Mapped[float | None] = mapped_column(sa.Float)
    knowledge_test: Mapped[bool] = mapped_column(sa.Boolean)


class ProfSession(Base):
    __tablename__ = "prof_sessions"

    session_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    programme_id: Mapped[str] = mapped_column(sa.ForeignKey("prof_programmes.programme_id"),
                                              index=True)
    date: Mapped[dt.date] = mapped_column(sa.Date)
    place: Mapped[str | None] = mapped_column(sa.String(200))
    online: Mapped[bool] = mapped_column(sa.Boolean)


class ProfParticipation(Base):
    __tablename__ = "prof_participations"
    #: points claimed twice for one session are refused by the database too
    __table_args__ = (sa.UniqueConstraint("person_id", "session_id"),)

    participation_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    person_id: Mapped[str] = mapped_column(sa.ForeignKey("prof_persons.person_id"), index=True)
    session_id: Mapped[str] = mapped_column(sa.ForeignKey("prof_sessions.session_id"),
                                            index=True)
    role: Mapped[str] = mapped_column(sa.String(64))


class ProfReadLog(Base):
    """Every read of a person's record: who (user and the role the read was made in), whose
    record, when, why. Only ever inserted; kept when a person leaves the registry (no link)."""

    __tablename__ = "prof_read_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    user_name: Mapped[str] = mapped_column(sa.String(150), index=True)
    role: Mapped[str] = mapped_column(sa.String(32))
    person_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    purpose: Mapped[str] = mapped_column(sa.String(100))


class ProfTestAttempt(Base):
    """One assessment test taken in the served app (its key: a file of the tests folder)."""

    __tablename__ = "prof_test_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    test_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    user_name: Mapped[str] = mapped_column(sa.String(150), index=True)
    #: ``{question name: chosen answer name}``
    answers: Mapped[dict[str, Any]] = mapped_column(JSONType)
    score: Mapped[float] = mapped_column(sa.Float)
    max_points: Mapped[float] = mapped_column(sa.Float)
    passed: Mapped[bool] = mapped_column(sa.Boolean)
    submitted_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))


# --------------------------------------------------------------------- the e-platform library


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class LibraryItem(Base):
    __tablename__ = "library_items"
    __table_args__ = (
        sa.CheckConstraint(_in("item_type", ITEM_TYPES), name="item_type"),
        sa.CheckConstraint(_in("status", ITEM_STATUSES), name="status"),
        sa.CheckConstraint("visibility IN ('public', 'internal')", name="visibility"),
        sa.UniqueConstraint("municipality_id", "source_path"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    item_type: Mapped[str] = mapped_column(sa.String(32))
    #: ``document``, ``image``, ``map``, ``video`` and the format (``pdf``, ``mp4`` …), both
    #: worked out from the file's content (:func:`socialkit.library.check_upload`).
    kind: Mapped[str] = mapped_column(sa.String(16))
    format: Mapped[str] = mapped_column(sa.String(16))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    file_name: Mapped[str] = mapped_column(sa.String(300))
    #: ``{language: text}``; at least one title.
    titles: Mapped[dict[str, Any]] = mapped_column(JSONType)
    descriptions: Mapped[dict[str, Any]] = mapped_column(JSONType)
    #: The language the content is in (``None``: no language, e.g. a map or a silent video).
    language: Mapped[str | None] = mapped_column(sa.String(16))
    item_date: Mapped[dt.date] = mapped_column(sa.Date)
    tags: Mapped[list[Any]] = mapped_column(JSONType)
    visibility: Mapped[str] = mapped_column(sa.String(16))
    status: Mapped[str] = mapped_column(sa.String(16))
    #: A training material's programme (the registry of professionals' ``programme_id``).
    programme_id: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    #: ``upload`` or ``report`` (a generated PDF report, registered from the reports folder).
    source: Mapped[str] = mapped_column(sa.String(16))
    #: A registered report's path relative to the reports folder (one item per path).
    source_path: Mapped[str | None] = mapped_column(sa.String(500))
    version_id: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    created_by: Mapped[str] = mapped_column(sa.String(150))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(sa.String(150))
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    published_by: Mapped[str | None] = mapped_column(sa.String(150))
    published_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    #: The last day residents may comment on it on the public page (a draft strategy put to
    #: public consultation); ``None``: no comments.
    comments_until: Mapped[dt.date | None] = mapped_column(sa.Date)

    __mapper_args__ = {"version_id_col": version_id}


class LibraryComment(Base):
    """A resident's or an organisation's comment on a published item (a public consultation),
    kept without a name; shown on the public page once a moderator published it."""

    __tablename__ = "library_comments"
    __table_args__ = (
        sa.CheckConstraint("author_kind IN ('resident', 'organisation')", name="author_kind"),
        sa.CheckConstraint("status IN ('pending', 'published', 'rejected')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("library_items.id"), index=True)
    author_kind: Mapped[str] = mapped_column(sa.String(16))
    organisation: Mapped[str | None] = mapped_column(sa.String(200))
    #: What the comment is about (a goal, objective or action id of the plan), if said.
    target: Mapped[str | None] = mapped_column(sa.String(40))
    text: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    moderated_by: Mapped[str | None] = mapped_column(sa.String(150))
    moderated_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))


class LibraryEvent(Base):
    """One change of a library item: who, when, what (``upload``, ``edit``, ``publish``,
    ``unpublish``, ``withdraw``, ``register``, ``replace``), the changes (old → new), why."""

    __tablename__ = "library_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("library_items.id"), index=True)
    version: Mapped[int] = mapped_column(sa.Integer)
    action: Mapped[str] = mapped_column(sa.String(16))
    changes: Mapped[dict[str, Any]] = mapped_column(JSONType)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    by: Mapped[str] = mapped_column(sa.String(150))
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))


class LibraryRole(Base):
    __tablename__ = "library_roles"
    __table_args__ = (
        sa.UniqueConstraint("user_name", "role", "municipality_id"),
        sa.CheckConstraint(_in("role", LIBRARY_ROLES), name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_name: Mapped[str] = mapped_column(sa.String(150), index=True)
    role: Mapped[str] = mapped_column(sa.String(16))
    #: The municipality an editor edits (``None`` for an administrator).
    municipality_id: Mapped[str | None] = mapped_column(sa.String(64))
    granted_by: Mapped[str] = mapped_column(sa.String(150))
    granted_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=_now)
