"""The registry of professionals in the store: save it, add participations, read it with the
reader's rights, and the read log.

The tables are those of :mod:`socialkit.professionals.schemas` (``institutions``, ``persons``,
``employments``, ``licences``, ``programmes``, ``sessions``, ``participations``). They are
checked by :mod:`socialkit.professionals` (file, row, column, the rule broken) **before** they
reach the store; the database enforces the keys and links again, so a second writer racing the
first cannot add points claimed twice for one session or a participation of an unknown person.
The registry's institutions are the store's ``institutions`` (the same ids the roles use).

**Who reads what** (checked here, on the server, for every read):

================  ==============================================  ==============================
actor             persons                                         fields of a person
================  ==============================================  ==============================
administrator     everyone                                        all (the personal number too)
``province``      employed on the day of the read at an           no personal number, no e-mail
                  institution in the province's scope
``head``          employed on the day of the read at the          no personal number
                  institution they head
``worker``        nobody (refused)                                –
================  ==============================================  ==============================

Every person whose record a read returns gets one row in ``prof_read_log`` (who, the role the
read was made in, whose record, when, why), written in the same transaction as the read: a read
that is not logged does not happen. The roles are those of :mod:`socialkit.store.access`; the
field lists mirror :data:`socialkit.professionals.privacy.FIELDS` (a test checks they agree).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from .access import Actor
from .core import Store
from .errors import AccessDeniedError, StoreError
from .models import (
    Institution,
    ProfEmployment,
    ProfLicence,
    ProfParticipation,
    ProfPerson,
    ProfProgramme,
    ProfReadLog,
    ProfSession,
)

__all__ = ["PERSON_FIELDS", "REGISTRY_TABLES", "StoredRegistry", "add_participations",
           "read_log", "read_registry", "reader_role", "save_registry"]

REGISTRY_TABLES: tuple[str, ...] = ("institutions", "persons", "employments", "licences",
                                    "programmes", "sessions", "participations")

_PERSON = ("person_id", "surname", "given_name", "personal_number", "profession", "email")
#: Person fields each reading role receives.
PERSON_FIELDS: dict[str, tuple[str, ...]] = {
    "registry_admin": _PERSON,
    "institution_head": tuple(c for c in _PERSON if c != "personal_number"),
    "province": tuple(c for c in _PERSON if c not in ("personal_number", "email")),
}

#: table -> (model, columns in file order, date columns, yes/no columns)
_TABLES = {
    "persons": (ProfPerson, _PERSON, (), ()),
    "employments": (ProfEmployment, ("person_id", "institution_id", "start", "end"),
                    ("start", "end"), ()),
    "licences": (ProfLicence, ("licence_id", "person_id", "licence_type", "number",
                               "valid_from", "valid_to", "renews"),
                 ("valid_from", "valid_to"), ()),
    "programmes": (ProfProgramme, ("programme_id", "title", "title_local", "activity",
                                   "accredited", "accreditation_number", "accredited_from",
                                   "accredited_to", "hours", "knowledge_test"),
                   ("accredited_from", "accredited_to"), ("accredited", "knowledge_test")),
    "sessions": (ProfSession, ("session_id", "programme_id", "date", "place", "online"),
                 ("date",), ("online",)),
    "participations": (ProfParticipation, ("participation_id", "person_id", "session_id",
                                           "role"), (), ()),
}
#: Rows are deleted children first and inserted parents first.
_ORDER = ("persons", "programmes", "sessions", "licences", "employments", "participations")
_BOOL = {"true": True, "false": False, "yes": True, "no": False, "1": True, "0": False}


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and v != v) or v is pd.NaT or (
        isinstance(v, str) and not v.strip()) or (not isinstance(v, str) and pd.isna(v))


def _as_date(v) -> dt.date | None:
    if _blank(v):
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v)[:10])


def _as_bool(v) -> bool:
    return v if isinstance(v, bool) else _BOOL[str(v).strip().lower()]


def _rows(table: str, frame: pd.DataFrame) -> list[dict]:
    _, cols, dates, bools = _TABLES[table]
    out = []
    for rec in frame.to_dict("records"):
        row = {}
        for c in cols:
            v = rec.get(c)
            if c in dates:
                row[c] = _as_date(v)
            elif c in bools:
                row[c] = _as_bool(v)
            elif c == "hours":
                row[c] = None if _blank(v) else float(v)
            else:
                row[c] = None if _blank(v) else str(v)
        out.append(row)
    return out


def _require_registry_admin(actor: Actor, what: str) -> None:
    if not (actor.is_system or None in actor.roles.get("province", ())):
        raise AccessDeniedError("admin_only", user=actor.user, what=what)


def _integrity(exc: sa.exc.IntegrityError) -> StoreError:
    return StoreError("registry_refused", error=str(exc.orig).splitlines()[0])


def save_registry(store: Store, actor: Actor, tables: Mapping[str, pd.DataFrame],
                  parent_id: str | None = None) -> dict[str, int]:
    """Replace the registry in the store by ``tables`` (checked by
    :func:`socialkit.professionals.check_registry` first), in one transaction: all or nothing.

    The registry's institutions are added to (or updated in) the store's institutions, under
    ``parent_id`` when given (e.g. the provincial institute, so its ``province`` role covers
    them); an existing institution keeps its parent. Only the administrator (or the province
    over every institution) may do this. Returns the number of rows saved per table.
    """
    _require_registry_admin(actor, "registry")
    missing = [t for t in REGISTRY_TABLES if t not in tables]
    if missing:
        raise StoreError("registry_refused", error="missing tables: " + ", ".join(missing))
    counts: dict[str, int] = {}
    try:
        with store._session(write=True) as s:
            if parent_id is not None and s.get(Institution, parent_id) is None:
                from .errors import NotFoundError

                raise NotFoundError("no_institution", institution=parent_id)
            for rec in tables["institutions"].to_dict("records"):
                inst = s.get(Institution, str(rec["institution_id"]))
                if inst is None:
                    inst = Institution(id=str(rec["institution_id"]), parent_id=parent_id)
                inst.kind, inst.name = str(rec["kind"]), str(rec["name"])
                inst.name_local = None if _blank(rec.get("name_local")) else str(rec["name_local"])
                inst.municipality_id = (None if _blank(rec.get("municipality"))
                                        else str(rec["municipality"]))
                s.add(inst)
            s.flush()
            for table in reversed(_ORDER):
                s.execute(sa.delete(_TABLES[table][0]))
            for table in _ORDER:
                rows = _rows(table, tables[table])
                if rows:
                    s.execute(sa.insert(_TABLES[table][0]), rows)
                counts[table] = len(rows)
    except sa.exc.IntegrityError as exc:
        raise _integrity(exc) from None
    counts["institutions"] = len(tables["institutions"])
    return counts


def add_participations(store: Store, actor: Actor, frame: pd.DataFrame) -> int:
    """Add participations (checked by :func:`socialkit.professionals.add_participations`
    first) in one transaction; the database refuses points claimed twice for one session and
    a participation of an unknown person or session (nothing is added then)."""
    _require_registry_admin(actor, "participations")
    rows = _rows("participations", frame)
    try:
        with store._session(write=True) as s:
            if rows:
                s.execute(sa.insert(ProfParticipation), rows)
    except sa.exc.IntegrityError as exc:
        raise _integrity(exc) from None
    return len(rows)


def reader_role(actor: Actor) -> str:
    """The role a read of the registry is made in: ``registry_admin`` (the administrator),
    ``province`` or ``institution_head``; :class:`AccessDeniedError` for anyone else."""
    if actor.is_system:
        return "registry_admin"
    if actor.roles.get("province"):
        return "province"
    if actor.roles.get("head"):
        return "institution_head"
    raise AccessDeniedError("registry_denied", user=actor.user)


@dataclass(frozen=True)
class StoredRegistry:
    """What a reader got: the tables as text (as read from files: dates ``YYYY-MM-DD``,
    yes/no ``true``/``false``), the role the read was made in, and whose records it holds."""

    tables: dict[str, pd.DataFrame]
    role: str
    person_ids: tuple[str, ...]


def _text(v) -> str | None:
    if v is None or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float):
        return format(v, "g")
    return str(v)


def _frame(rows, cols) -> pd.DataFrame:
    data = {c: [_text(r[i]) for r in rows] for i, c in enumerate(cols)}
    return pd.DataFrame(data, columns=list(cols), dtype=object)


def read_registry(store: Store, actor: Actor, as_of: dt.date | str, purpose: str
                  ) -> StoredRegistry:
    """The registry as ``actor`` may see it on ``as_of`` (see the module's table), every
    person in it logged in ``prof_read_log`` with ``purpose``, in the same transaction."""
    role = reader_role(actor)
    day = _as_date(as_of)
    with store._session(write=True) as s:
        parents = store._parents(s)
        if role == "registry_admin":
            scope = None
        elif role == "province":
            scope = actor.province_scope(parents)
        else:
            scope = {i for i in actor.roles.get("head", ()) if i is not None}
        persons_q = sa.select(*[getattr(ProfPerson, c) for c in PERSON_FIELDS[role]])
        if scope is not None:
            mine = (sa.select(ProfEmployment.person_id)
                    .where(ProfEmployment.institution_id.in_(sorted(scope)),
                           ProfEmployment.start <= day,
                           sa.or_(ProfEmployment.end.is_(None), ProfEmployment.end >= day)))
            persons_q = persons_q.where(ProfPerson.person_id.in_(mine))
        persons = _frame(s.execute(persons_q.order_by(ProfPerson.person_id)).all(),
                         PERSON_FIELDS[role])
        ids = persons["person_id"].tolist()
        tables = {"persons": persons}
        inst = s.execute(sa.select(Institution.id, Institution.name, Institution.name_local,
                                   Institution.municipality_id, Institution.kind)
                         .order_by(Institution.id)).all()
        tables["institutions"] = _frame(inst, ("institution_id", "name", "name_local",
                                               "municipality", "kind"))
        for table in ("employments", "licences", "participations", "programmes", "sessions"):
            model, cols, _, _ = _TABLES[table]
            q = sa.select(*[getattr(model, c) for c in cols])
            if hasattr(model, "person_id") and scope is not None:
                q = q.where(model.person_id.in_(ids))
            order = [getattr(model, c) for c in cols[:2]]
            tables[table] = _frame(s.execute(q.order_by(*order)).all(), cols)
        now = dt.datetime.now(dt.UTC)
        if ids:
            s.execute(sa.insert(ProfReadLog), [
                {"at": now, "user_name": actor.user, "role": role, "person_id": p,
                 "purpose": purpose} for p in ids])
    return StoredRegistry(tables, role, tuple(ids))


def read_log(store: Store, actor: Actor, person_ids: Iterable[str] | None = None
             ) -> pd.DataFrame:
    """The read log, oldest first (the administrator, or the province over every
    institution): ``at, user, role, person_id, purpose``."""
    _require_registry_admin(actor, "read log")
    q = sa.select(ProfReadLog.at, ProfReadLog.user_name, ProfReadLog.role,
                  ProfReadLog.person_id, ProfReadLog.purpose).order_by(ProfReadLog.id)
    if person_ids is not None:
        q = q.where(ProfReadLog.person_id.in_(list(person_ids)))
    with store._session() as s:
        rows = s.execute(q).all()
    return pd.DataFrame([tuple(r) for r in rows],
                        columns=["at", "user", "role", "person_id", "purpose"])
