"""The store's operations: institutions and roles, forms, records, the workflow, the audit trail.

A **record** is the data one institution entered with one form for one period: ``(form id, form
version, institution id, period, values, status, version number)``; there is at most one per
``(form, institution, period)`` (a unique constraint, like a DHIS2 data set). Every save writes
a new row of ``record_versions`` (who, when, action, the values, the changes old → new, the
reason) in the same transaction as the change of the record, so the history is complete and a
crash leaves the previous state intact. Nothing is deleted or overwritten without a trace.

**Optimistic locking.** A user opens a record at version *v* and saves with
``expected_version=v``. If someone saved it since, the save is refused with
:class:`~socialkit.store.errors.ConcurrentEditError` naming the record and who saved it when;
the user's values are not written and the other user's are kept. A save first checks the
user's rights and the version in a read transaction (on SQLite that takes no write lock), then
writes the change and its audit row in one short write transaction that checks the version
again, as does the database itself (``UPDATE records … WHERE id = :id AND version_id = :v``,
SQLAlchemy's ``version_id_col``), so two saves racing between the read and the write cannot
both win.

**Workflow.** ``draft → submitted → approved → accepted``; a head returns a submitted record
(the province an approved one) to ``draft`` with a comment; approval locks the record: only
``draft`` can be edited, and a head reopening an approved record (the province an accepted one)
is a logged step with a reason. Only accepted records reach reports (:meth:`Store.accepted`).

Every method takes the acting user (:class:`~socialkit.store.access.Actor`) and checks their
rights (see :mod:`socialkit.store.access`).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from . import bulk
from .access import Actor
from .engine import WRITE, create_store_engine
from .errors import (
    AccessDeniedError,
    BatchRefusedError,
    ConcurrentEditError,
    NotFoundError,
    StoreError,
    WorkflowError,
)
from .models import ROLES, Comment, Form, Institution, Record, RecordVersion, UserRole
from .schema import ensure_schema

__all__ = ["RECORD_COLUMNS", "Store", "StoredRecord", "open_store"]

#: Columns of :meth:`Store.records` and the leading columns of :meth:`Store.accepted`.
RECORD_COLUMNS = ["record_id", "form_id", "form_version", "institution_id", "municipality_id",
                  "period", "status", "version", "updated_by", "updated_at"]

#: (action, status before) -> the right it needs; TARGET gives the status after.
_RIGHTS = {
    ("submit", "draft"): "write",
    ("approve", "submitted"): "head",
    ("return", "submitted"): "head",
    ("return", "approved"): "province",
    ("accept", "approved"): "province",
    ("reopen", "approved"): "head",
    ("reopen", "accepted"): "province",
}
_TARGET = {"submit": "submitted", "approve": "approved", "return": "draft",
           "accept": "accepted", "reopen": "draft"}
#: Actions that must say why.
_NEEDS_REASON = {"return", "reopen"}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class StoredRecord:
    """A record as the store holds it (a snapshot; change it through :class:`Store`)."""

    record_id: int
    form_id: str
    form_version: str
    institution_id: str
    period: str
    values: dict[str, Any]
    status: str
    version: int
    created_by: str
    created_at: dt.datetime
    updated_by: str
    updated_at: dt.datetime

    @property
    def label(self) -> str:
        """How messages name the record: ``form / institution / period``."""
        return _label(self.form_id, self.institution_id, self.period)


def _label(form_id: str, institution_id: str, period: str) -> str:
    return f"{form_id} / {institution_id} / {period}"


def _snapshot(rec: Record) -> StoredRecord:
    return StoredRecord(rec.id, rec.form_id, rec.form_version, rec.institution_id, rec.period,
                        dict(rec.values), rec.status, rec.version_id, rec.created_by,
                        rec.created_at, rec.updated_by, rec.updated_at)


def _clean_values(values: Mapping[str, Any], label: str) -> dict[str, Any]:
    """A plain JSON object (keys text; no NaN or infinity; numpy scalars made plain)."""
    return bulk.encode_values(values, label)[0]


def _changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, list[Any]]:
    if not old:
        return {k: [None, v] for k, v in new.items()}
    return {k: [old.get(k), new.get(k)] for k in list(old) + [k for k in new if k not in old]
            if old.get(k) != new.get(k) or (k in old) != (k in new)}


class Store:
    """The suite's database. Open it with :func:`open_store`; every method takes the acting
    user (:class:`Actor`) first."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write_engine = engine.execution_options(**{WRITE: True})
        self._writer = sessionmaker(self._write_engine, expire_on_commit=False)

    # ------------------------------------------------------------------ sessions and lookups
    @contextmanager
    def _session(self, write: bool = False) -> Iterator[Session]:
        with (self._writer if write else self._read)() as session:
            with session.begin():
                yield session

    @staticmethod
    def _parents(session: Session) -> dict[str, str | None]:
        return dict(session.execute(sa.select(Institution.id, Institution.parent_id)).all())

    def actor(self, user: str) -> Actor:
        """The user ``user`` with the roles the store gives them (none: an actor who may do
        nothing)."""
        with self._session() as s:
            rows = s.execute(sa.select(UserRole.role, UserRole.institution_id)
                             .where(UserRole.user_name == user)).all()
        return Actor.from_rows(user, [(r, i) for r, i in rows])

    # ------------------------------------------------------------------ administration
    def _require_admin(self, actor: Actor, what: str) -> None:
        if not actor.is_administrator:
            raise AccessDeniedError("admin_only", user=actor.user, what=what)

    def add_institution(self, actor: Actor, institution_id: str, kind: str, name: str,
                        municipality_id: str | None = None,
                        parent_id: str | None = None) -> None:
        """Add an institution, or change its kind, name, municipality or parent."""
        self._require_admin(actor, institution_id)
        with self._session(write=True) as s:
            if parent_id is not None and s.get(Institution, parent_id) is None:
                raise NotFoundError("no_institution", institution=parent_id)
            inst = s.get(Institution, institution_id) or Institution(id=institution_id)
            inst.kind, inst.name = kind, name
            inst.municipality_id, inst.parent_id = municipality_id, parent_id
            s.add(inst)

    def institutions(self, actor: Actor) -> pd.DataFrame:
        """The institutions the actor may read (all of them for the province)."""
        with self._session() as s:
            scope = actor.readable(self._parents(s))
            rows = s.execute(sa.select(Institution.id, Institution.kind, Institution.name,
                                       Institution.municipality_id, Institution.parent_id)
                             .order_by(Institution.id)).all()
        frame = pd.DataFrame(rows, columns=["institution_id", "kind", "name", "municipality_id",
                                            "parent_id"])
        if scope is not None:
            frame = frame[frame["institution_id"].isin(scope)].reset_index(drop=True)
        return frame

    def grant(self, actor: Actor, user: str, role: str, institution_id: str | None = None) -> None:
        """Give ``user`` a role at an institution (``None``: every institution, for ``province``
        and ``dv`` only). Granting a role twice is harmless."""
        self._require_admin(actor, user)
        if role not in ROLES:
            raise StoreError("unknown_role", role=role, roles=", ".join(ROLES))
        if institution_id is None and role in ("worker", "head"):
            raise StoreError("role_needs_institution", role=role)
        with self._session(write=True) as s:
            if institution_id is not None and s.get(Institution, institution_id) is None:
                raise NotFoundError("no_institution", institution=institution_id)
            exists = s.scalar(sa.select(UserRole.id).where(
                UserRole.user_name == user, UserRole.role == role,
                UserRole.institution_id.is_(None) if institution_id is None
                else UserRole.institution_id == institution_id))
            if exists is None:
                s.add(UserRole(user_name=user, role=role, institution_id=institution_id,
                               granted_by=actor.user))

    def revoke(self, actor: Actor, user: str, role: str, institution_id: str | None = None) -> int:
        """Take a role away; returns how many grants were removed."""
        self._require_admin(actor, user)
        with self._session(write=True) as s:
            cond = (UserRole.institution_id.is_(None) if institution_id is None
                    else UserRole.institution_id == institution_id)
            return s.execute(sa.delete(UserRole).where(
                UserRole.user_name == user, UserRole.role == role, cond)).rowcount

    def roles(self, actor: Actor) -> pd.DataFrame:
        """Every grant (administrators only)."""
        self._require_admin(actor, "roles")
        with self._session() as s:
            rows = s.execute(sa.select(UserRole.user_name, UserRole.role,
                                       UserRole.institution_id, UserRole.granted_by,
                                       UserRole.granted_at)
                             .order_by(UserRole.user_name, UserRole.role)).all()
        return pd.DataFrame(rows, columns=["user", "role", "institution_id", "granted_by",
                                           "granted_at"])

    def register_form(self, actor: Actor, form_id: str, version: str, title: str = "",
                      restricted: bool = False) -> None:
        """Make a form version known to the store (before records are saved with it).
        ``restricted``: domestic-violence data, only for users with the ``dv`` right."""
        self._require_admin(actor, form_id)
        with self._session(write=True) as s:
            form = s.get(Form, (form_id, version)) or Form(form_id=form_id, version=version)
            form.title, form.restricted = title, bool(restricted)
            s.add(form)
            # a form's versions share one flag: tightening one tightens them all
            s.execute(sa.update(Form).where(Form.form_id == form_id, Form.version != version)
                      .values(restricted=bool(restricted)))

    def forms(self, actor: Actor) -> pd.DataFrame:
        """The registered form versions the actor may use (restricted ones only with a
        ``dv`` right somewhere), newest version last."""
        with self._session() as s:
            rows = s.execute(sa.select(Form.form_id, Form.version, Form.title, Form.restricted)
                             .order_by(Form.form_id, Form.version)).all()
        frame = pd.DataFrame(rows, columns=["form_id", "version", "title", "restricted"])
        if not (actor.is_system or actor.roles.get("dv")):
            frame = frame[~frame["restricted"].astype(bool)].reset_index(drop=True)
        return frame

    # ------------------------------------------------------------------ rights
    def _check_read(self, s: Session, actor: Actor, rec_inst: str, form_id: str,
                    label: str) -> None:
        restricted = bool(s.scalar(sa.select(sa.func.max(sa.cast(Form.restricted, sa.Integer)))
                                   .where(Form.form_id == form_id)))
        if not actor.may_read(rec_inst, self._parents(s), restricted):
            raise AccessDeniedError("read_denied", user=actor.user, record=label)

    def _load(self, s: Session, actor: Actor, record_id: int) -> Record:
        rec = s.get(Record, record_id)
        if rec is None:
            raise NotFoundError("no_record", record=record_id)
        self._check_read(s, actor, rec.institution_id, rec.form_id,
                         _label(rec.form_id, rec.institution_id, rec.period))
        return rec

    # ------------------------------------------------------------------ reading
    def get(self, actor: Actor, form_id: str, institution_id: str,
            period: str) -> StoredRecord | None:
        """The record of ``(form, institution, period)``, or ``None`` if there is none yet."""
        label = _label(form_id, institution_id, period)
        with self._session() as s:
            self._check_read(s, actor, institution_id, form_id, label)
            rec = s.scalar(sa.select(Record).where(Record.form_id == form_id,
                                                   Record.institution_id == institution_id,
                                                   Record.period == period))
            return None if rec is None else _snapshot(rec)

    def record(self, actor: Actor, record_id: int) -> StoredRecord:
        """The record with this id."""
        with self._session() as s:
            return _snapshot(self._load(s, actor, record_id))

    def _visible(self, s: Session, actor: Actor, query: sa.Select) -> list[tuple[Record, str]]:
        parents = self._parents(s)
        scope = actor.readable(parents)
        if scope is not None:
            query = query.where(Record.institution_id.in_(sorted(scope)))
        restricted = {f for f, r in s.execute(
            sa.select(Form.form_id, sa.func.max(sa.cast(Form.restricted, sa.Integer)))
            .group_by(Form.form_id)).all() if r}
        return [(rec, mun) for rec, mun in s.execute(query).all()
                if actor.may_read(rec.institution_id, parents, rec.form_id in restricted)]

    def records(self, actor: Actor, form_id: str | None = None, status: str | None = None,
                institution_id: str | None = None, period: str | None = None,
                values: bool = False) -> pd.DataFrame:
        """The records the actor may read (the export), one row each, optionally filtered;
        with ``values=True`` one column per field too."""
        query = (sa.select(Record, Institution.municipality_id)
                 .join(Institution, Institution.id == Record.institution_id)
                 .order_by(Record.form_id, Record.institution_id, Record.period))
        for col, value in ((Record.form_id, form_id), (Record.status, status),
                           (Record.institution_id, institution_id), (Record.period, period)):
            if value is not None:
                query = query.where(col == value)
        with self._session() as s:
            rows = self._visible(s, actor, query)
        meta = [[r.id, r.form_id, r.form_version, r.institution_id, mun, r.period, r.status,
                 r.version_id, r.updated_by, r.updated_at] for r, mun in rows]
        frame = pd.DataFrame(meta, columns=RECORD_COLUMNS)
        if values:
            vals = pd.DataFrame.from_records([r.values for r, _ in rows], index=frame.index)
            frame = pd.concat([frame, vals.drop(columns=[c for c in vals if c in frame])],
                              axis=1)
        return frame

    def accepted(self, actor: Actor, form_id: str) -> pd.DataFrame:
        """The accepted records of a form that the actor may read, one row per record and one
        column per field: what reports use."""
        frame = self.records(actor, form_id=form_id, status="accepted", values=True)
        return frame.drop(columns=["status", "updated_by", "updated_at"])

    def history(self, actor: Actor, record_id: int) -> pd.DataFrame:
        """The audit trail of a record: every saved state, oldest first."""
        with self._session() as s:
            self._load(s, actor, record_id)
            rows = s.scalars(sa.select(RecordVersion).where(RecordVersion.record_id == record_id)
                             .order_by(RecordVersion.version)).all()
            return pd.DataFrame(
                [[v.version, v.action, v.status, v.saved_by, v.saved_at, v.reason, v.changes,
                  v.values] for v in rows],
                columns=["version", "action", "status", "saved_by", "saved_at", "reason",
                         "changes", "values"])

    def comments(self, actor: Actor, record_id: int) -> pd.DataFrame:
        """The comments on a record, oldest first."""
        with self._session() as s:
            self._load(s, actor, record_id)
            rows = s.scalars(sa.select(Comment).where(Comment.record_id == record_id)
                             .order_by(Comment.id)).all()
            return pd.DataFrame([[c.version, c.author, c.created_at, c.text] for c in rows],
                                columns=["version", "author", "created_at", "text"])

    # ------------------------------------------------------------------ writing
    def _who_saved(self, record_id: int | None, form_id: str, institution_id: str,
                   period: str) -> tuple[str, str, int]:
        with self._session() as s:
            rec = (s.get(Record, record_id) if record_id is not None else
                   s.scalar(sa.select(Record).where(Record.form_id == form_id,
                                                    Record.institution_id == institution_id,
                                                    Record.period == period)))
            if rec is None:
                return "?", "?", 0
            return rec.updated_by, f"{rec.updated_at:%Y-%m-%d %H:%M:%S}", rec.version_id

    def _conflict(self, label: str, expected: int | None, record_id: int | None,
                  form_id: str, institution_id: str, period: str) -> ConcurrentEditError:
        user, at, version = self._who_saved(record_id, form_id, institution_id, period)
        return ConcurrentEditError("concurrent_edit", record=label, user=user, at=at,
                                   version=version, yours=expected if expected else 0)

    def save(self, actor: Actor, form_id: str, form_version: str, institution_id: str,
             period: str, values: Mapping[str, Any], *, expected_version: int | None = None,
             reason: str | None = None) -> StoredRecord:
        """Save the values of a draft record (create it when ``expected_version`` is ``None``).

        Parameters
        ----------
        expected_version : int or None
            The version the user opened (``StoredRecord.version``); ``None`` for a new record.
            A different current version means someone saved meanwhile: refused
            (:class:`ConcurrentEditError`), nothing written.
        reason : str, optional
            Why (kept in the audit trail).
        """
        label = _label(form_id, institution_id, period)
        clean = _clean_values(values, label)
        # 1. rights and the version seen, in a read transaction (SQLite: no write lock held)
        with self._session() as s:
            if s.get(Institution, institution_id) is None:
                raise NotFoundError("no_institution", institution=institution_id)
            if s.get(Form, (form_id, form_version)) is None:
                raise NotFoundError("no_form", form=form_id, version=form_version)
            self._check_read(s, actor, institution_id, form_id, label)
            if not actor.may_write(institution_id):
                raise AccessDeniedError("write_denied", user=actor.user, record=label)
            found = s.execute(sa.select(Record.id, Record.version_id, Record.status)
                              .where(Record.form_id == form_id,
                                     Record.institution_id == institution_id,
                                     Record.period == period)).first()
        record_id = found.id if found is not None else None
        if found is not None and (expected_version is None
                                  or found.version_id != expected_version):
            raise self._conflict(label, expected_version, found.id, form_id, institution_id,
                                 period)
        if found is not None and found.status != "draft":
            raise WorkflowError("locked", record=label, status=found.status)
        # 2. the change and its audit row, in one short write transaction; the version is
        #    checked again here and by the UPDATE itself
        try:
            with self._session(write=True) as s:
                rec = s.get(Record, record_id) if record_id is not None else None
                now = _now()
                if rec is None:
                    if expected_version is not None:
                        raise NotFoundError("no_record", record=label)
                    rec = Record(form_id=form_id, form_version=form_version,
                                 institution_id=institution_id, period=period, status="draft",
                                 values=clean, created_by=actor.user, created_at=now,
                                 updated_by=actor.user, updated_at=now)
                    s.add(rec)
                    s.flush()
                    changes, action = _changes({}, clean), "create"
                else:
                    record_id = rec.id
                    if expected_version is None or rec.version_id != expected_version:
                        raise self._conflict(label, expected_version, rec.id, form_id,
                                             institution_id, period)
                    if rec.status != "draft":
                        raise WorkflowError("locked", record=label, status=rec.status)
                    changes = _changes(rec.values, clean)
                    if not changes and rec.form_version == form_version:
                        return _snapshot(rec)
                    rec.values = clean
                    rec.form_version = form_version
                    rec.updated_by, rec.updated_at = actor.user, now
                    s.flush()  # UPDATE … WHERE version_id = expected: StaleDataError if raced
                    action = "save"
                s.add(RecordVersion(record_id=rec.id, version=rec.version_id, action=action,
                                    status=rec.status, values=clean, changes=changes,
                                    reason=reason, saved_by=actor.user, saved_at=now))
                s.flush()
                return _snapshot(rec)
        except (StaleDataError, sa.exc.IntegrityError) as exc:
            if isinstance(exc, sa.exc.IntegrityError) and not _is_unique_violation(exc):
                raise
            raise self._conflict(label, expected_version, record_id, form_id, institution_id,
                                 period) from None

    def save_many(self, actor: Actor, form_id: str, form_version: str,
                  items: Sequence[tuple[str, str, Mapping[str, Any]]], *,
                  rows: Sequence[int] | None = None, source: str = "input",
                  reason: str | None = None) -> list[StoredRecord]:
        """Save many draft records in **one transaction**: all of them, or none (a bulk
        import).

        Each item is ``(institution id, period, values)``. A record that exists is updated
        if it is a draft (a new version, its old values kept in the audit trail, action
        ``import``); a record that is submitted, approved or accepted, an institution the
        actor may not enter data for, or values JSON cannot hold refuse the whole batch with
        :class:`BatchRefusedError` listing every such record (``rows``: the records' lines
        in the file; default 1, 2, …). A record changed by someone else between the check
        and the write refuses the batch with :class:`ConcurrentEditError`.
        """
        # A batch allocates a few objects per value of every row, all alive until the
        # commit: the cyclic garbage collector would scan them again and again (the time
        # grows faster than the rows); nothing here makes cycles, so it rests meanwhile.
        paused = gc.isenabled()
        gc.disable()
        try:
            return self._save_many(actor, form_id, form_version, items, rows=rows,
                                   source=source, reason=reason)
        finally:
            if paused:
                gc.enable()

    def _save_many(self, actor: Actor, form_id: str, form_version: str,
                   items: Sequence[tuple[str, str, Mapping[str, Any]]], *,
                   rows: Sequence[int] | None, source: str,
                   reason: str | None) -> list[StoredRecord]:
        rows = list(rows) if rows is not None else list(range(1, len(items) + 1))
        errors: list[tuple[int, StoreError]] = []
        cleaned: list[dict[str, Any]] = []
        texts: list[str] = []
        # 1. rights, keys and workflow, in a read transaction: one query for the records of
        #    the form that exist already
        with self._session() as s:
            if s.get(Form, (form_id, form_version)) is None:
                raise NotFoundError("no_form", form=form_id, version=form_version)
            parents = self._parents(s)
            restricted = bool(s.scalar(sa.select(
                sa.func.max(sa.cast(Form.restricted, sa.Integer))).where(
                Form.form_id == form_id)))
            existing = {(i, p): (rid, v, st) for rid, i, p, v, st in s.execute(
                sa.select(Record.id, Record.institution_id, Record.period, Record.version_id,
                          Record.status).where(Record.form_id == form_id)).all()}
        # rights decided once per institution (the tree is walked once, not once per row)
        readable = actor.may_read_each({inst for inst, _, _ in items}, parents, restricted)
        for row, (inst, period, values) in zip(rows, items, strict=True):
            label = _label(form_id, inst, period)
            try:
                clean, text = bulk.encode_values(values, label)
                cleaned.append(clean)
                texts.append(text)
                if inst not in parents:
                    raise NotFoundError("no_institution", institution=inst)
                if not readable[inst]:
                    raise AccessDeniedError("read_denied", user=actor.user, record=label)
                if not actor.may_write(inst):
                    raise AccessDeniedError("write_denied", user=actor.user, record=label)
                found = existing.get((inst, period))
                if found is not None and found[2] != "draft":
                    raise WorkflowError("locked", record=label, status=found[2])
            except StoreError as exc:
                errors.append((row, exc))
        if errors:
            raise BatchRefusedError(source, errors)
        # 2. the records and their audit rows, in one write transaction (bulk.py)
        user = actor.user
        out: list[StoredRecord | None] = [None] * len(items)
        try:
            with self._session(write=True) as s:
                conn = s.connection()
                now = _now()
                fresh = [k for k, (inst, period, _) in enumerate(items)
                         if (inst, period) not in existing]
                ids = bulk.insert_records(conn, form_id, form_version,
                                          [(items[k][0], items[k][1]) for k in fresh],
                                          [texts[k] for k in fresh], user, now)
                versions = []
                for k, rid in zip(fresh, ids, strict=True):
                    inst, period, _ = items[k]
                    clean = cleaned[k]
                    versions.append({"record_id": rid, "version": 1, "action": "import",
                                     "status": "draft", "values_json": texts[k],
                                     "changes_json": bulk.creation_changes(clean),
                                     "reason": reason, "saved_by": user, "saved_at": now})
                    out[k] = StoredRecord(rid, form_id, form_version, inst, period, clean,
                                          "draft", 1, user, now, user, now)
                # existing drafts: a new version each where the values or the form version
                # changed, checked against the version read in step 1
                kept = [k for k, (inst, period, _) in enumerate(items)
                        if (inst, period) in existing]
                current = bulk.read_drafts(conn, [existing[(items[k][0], items[k][1])][0]
                                                  for k in kept])
                updates = []
                for k in kept:
                    inst, period, _ = items[k]
                    rid, seen, _status = existing[(inst, period)]
                    rec = current.get(rid)
                    if rec is None or rec.version_id != seen or rec.status != "draft":
                        raise self._conflict(_label(form_id, inst, period), seen, rid,
                                             form_id, inst, period)
                    clean = cleaned[k]
                    old = rec._mapping["values"]
                    changes = _changes(old, clean)
                    if not changes and rec.form_version == form_version:
                        out[k] = StoredRecord(rid, form_id, rec.form_version, inst, period,
                                              dict(old), rec.status, rec.version_id,
                                              rec.created_by, rec.created_at, rec.updated_by,
                                              rec.updated_at)
                        continue
                    updates.append({"b_id": rid, "b_seen": seen, "version_id": seen + 1,
                                    "form_version": form_version, "values_json": texts[k],
                                    "updated_by": user, "updated_at": now})
                    versions.append({"record_id": rid, "version": seen + 1, "action": "import",
                                     "status": "draft", "values_json": texts[k],
                                     "changes_json": json.dumps(changes), "reason": reason,
                                     "saved_by": user, "saved_at": now})
                    out[k] = StoredRecord(rid, form_id, form_version, inst, period, clean,
                                          "draft", seen + 1, rec.created_by, rec.created_at,
                                          user, now)
                if not bulk.update_drafts(conn, updates):
                    raise ConcurrentEditError("batch_conflict", file=source)
                bulk.insert_versions(conn, versions)
        except sa.exc.IntegrityError as exc:
            if not _is_unique_violation(exc):
                raise
            raise ConcurrentEditError("batch_conflict", file=source) from None
        return out

    def _transition(self, actor: Actor, action: str, record_id: int, expected_version: int,
                    comment: str | None) -> StoredRecord:
        if action in _NEEDS_REASON and not (comment and comment.strip()):
            raise WorkflowError("reason_needed", action=action, record=record_id)
        label = str(record_id)
        try:
            with self._session(write=True) as s:
                rec = self._load(s, actor, record_id)
                label = _label(rec.form_id, rec.institution_id, rec.period)
                if rec.version_id != expected_version:
                    raise self._conflict(label, expected_version, rec.id, rec.form_id,
                                         rec.institution_id, rec.period)
                right = _RIGHTS.get((action, rec.status))
                if right is None:
                    raise WorkflowError("bad_step", record=label, action=action,
                                        status=rec.status)
                allowed = {"write": actor.may_write(rec.institution_id),
                           "head": actor.may_approve(rec.institution_id),
                           "province": actor.may_accept(rec.institution_id, self._parents(s))}
                if not allowed[right]:
                    raise AccessDeniedError(f"needs_{right}", user=actor.user, record=label,
                                            action=action)
                now = _now()
                rec.status = _TARGET[action]
                rec.updated_by, rec.updated_at = actor.user, now
                s.flush()
                s.add(RecordVersion(record_id=rec.id, version=rec.version_id, action=action,
                                    status=rec.status, values=dict(rec.values), changes={},
                                    reason=comment, saved_by=actor.user, saved_at=now))
                if comment and comment.strip():
                    s.add(Comment(record_id=rec.id, version=rec.version_id, author=actor.user,
                                  text=comment.strip(), created_at=now))
                s.flush()
                return _snapshot(rec)
        except StaleDataError:
            raise self._conflict(label, expected_version, record_id, "", "", "") from None

    def submit(self, actor: Actor, record_id: int, expected_version: int,
               comment: str | None = None) -> StoredRecord:
        """Submit a draft for approval (worker or head of its institution)."""
        return self._transition(actor, "submit", record_id, expected_version, comment)

    def approve(self, actor: Actor, record_id: int, expected_version: int,
                comment: str | None = None) -> StoredRecord:
        """Approve a submitted record (its institution's head); it is locked from now on."""
        return self._transition(actor, "approve", record_id, expected_version, comment)

    def return_record(self, actor: Actor, record_id: int, expected_version: int,
                      comment: str) -> StoredRecord:
        """Send a record back to draft with a comment (the head a submitted one, the province
        an approved one)."""
        return self._transition(actor, "return", record_id, expected_version, comment)

    def accept(self, actor: Actor, record_id: int, expected_version: int,
               comment: str | None = None) -> StoredRecord:
        """Accept an approved record (the province): from now on reports use it."""
        return self._transition(actor, "accept", record_id, expected_version, comment)

    def reopen(self, actor: Actor, record_id: int, expected_version: int,
               reason: str) -> StoredRecord:
        """Unlock a record for editing (the head an approved one, the province an accepted
        one), with the reason logged."""
        return self._transition(actor, "reopen", record_id, expected_version, reason)


def _is_unique_violation(exc: sa.exc.IntegrityError) -> bool:
    text = str(exc.orig).lower()
    return "unique" in text or "duplicate key" in text


_STORES: dict[str, Store] = {}
_LOCK = threading.Lock()


def open_store(url: str | None = None, *, upgrade_empty: bool = True) -> Store:
    """The store at ``url`` (default :func:`socialkit.config.db_url`), one per URL and
    process. An empty database gets the schema; one behind this socialkit is refused (run
    ``socialkit db upgrade``)."""
    from .. import config

    url = url or config.db_url()
    with _LOCK:
        store = _STORES.get(url)
        if store is None:
            engine = create_store_engine(url)
            try:
                if upgrade_empty:
                    ensure_schema(engine)
            except BaseException:
                engine.dispose()
                raise
            store = _STORES[url] = Store(engine)
        return store


def close_stores() -> None:
    """Dispose of every engine :func:`open_store` made (tests; forked workers)."""
    with _LOCK:
        for store in _STORES.values():
            store.engine.dispose()
        _STORES.clear()
