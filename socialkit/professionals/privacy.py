"""Who may see what of a professional's record: the access rules in one place, and the read log.

Every read of a person's record goes through :func:`read_person` (one record) or
:func:`export_records` (a table of records for one recipient). Both

1. keep only the persons in the reader's **scope** (a registry administrator and the
   province see everyone; an institution head only the staff employed by their institution on
   the day of the read; a course author nobody by name),
2. keep only the **fields** of :data:`FIELDS` for the reader's role (the personal number only
   for the registry administrator), and
3. append one :class:`ReadEvent` per person shown to the :class:`ReadLog` (who, role, which
   person, when, why).

A role not in :data:`FIELDS` is refused (:class:`AccessDenied`), as is reading a person out of
scope. This is the file path (the CLI appends the log to a CSV file); a registry in the store is
read through :mod:`socialkit.store.registry`, which applies the same field lists from the user's
store roles and writes the log to the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from ..errors import SocialkitError

__all__ = ["FIELDS", "AccessDenied", "ReadEvent", "ReadLog", "Reader", "allowed_fields",
           "export_records", "read_person"]

_BASE = ("person_id", "surname", "given_name", "profession", "institution_id",
         "licence_id", "licence_type", "number", "valid_from", "valid_to", "earned", "planned",
         "required", "shortfall", "on_schedule", "status", "act_by", "days_left",
         "next_session_id", "next_session_date")

#: Fields each role may receive. The one place these rules live (docs/professionals.md).
FIELDS: dict[str, frozenset[str]] = {
    # keeps the registry: everything, the personal number and e-mail included
    "registry_admin": frozenset(_BASE + ("personal_number", "email")),
    # head of a centre for social work: own staff, no personal number
    "institution_head": frozenset(_BASE + ("email",)),
    # the province's overview: the same record fields, without contact or personal number
    "province": frozenset(_BASE),
    # authors of a course: no one by name (item analysis uses anonymous candidate numbers)
    "course_author": frozenset(),
}


class AccessDenied(SocialkitError):
    """A reader asked for a record or a field they have no right to."""


@dataclass(frozen=True)
class Reader:
    """Who reads: a user name, a role of :data:`FIELDS`, and for an institution head the
    institutions they lead."""

    user: str
    role: str
    institutions: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.role not in FIELDS:
            raise AccessDenied(f"role '{self.role}' is not known; expected one of "
                               + ", ".join(FIELDS))


@dataclass(frozen=True)
class ReadEvent:
    """One read of one person's record."""

    at: dt.datetime
    user: str
    role: str
    person_id: str
    purpose: str


@dataclass
class ReadLog:
    """The read log: append-only in memory (the store persists it as an audit table)."""

    events: list[ReadEvent] = field(default_factory=list)

    def record(self, reader: Reader, person_ids: Iterable[str], purpose: str,
               at: dt.datetime | None = None) -> None:
        at = at or dt.datetime.now(dt.UTC)
        self.events.extend(ReadEvent(at, reader.user, reader.role, str(p), purpose)
                           for p in person_ids)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([e.__dict__ for e in self.events],
                            columns=["at", "user", "role", "person_id", "purpose"])


def allowed_fields(role: str) -> frozenset[str]:
    """The fields ``role`` may receive."""
    if role not in FIELDS:
        raise AccessDenied(f"role '{role}' is not known; expected one of " + ", ".join(FIELDS))
    return FIELDS[role]


def _in_scope(reader: Reader, frame: pd.DataFrame, staff: pd.DataFrame | None) -> pd.Series:
    if reader.role in ("registry_admin", "province"):
        return pd.Series(True, index=frame.index)
    if reader.role == "institution_head":
        if staff is None:
            raise AccessDenied("an institution head's scope needs the current employments")
        mine = set(staff.loc[staff["institution_id"].isin(reader.institutions), "person_id"])
        return frame["person_id"].isin(mine)
    return pd.Series(False, index=frame.index)


def export_records(frame: pd.DataFrame, reader: Reader, log: ReadLog, *, purpose: str,
                   staff: pd.DataFrame | None = None, at: dt.datetime | None = None
                   ) -> pd.DataFrame:
    """The rows and columns of ``frame`` (one row per person record, a ``person_id`` column)
    that ``reader`` may receive; each person shown is logged.

    Parameters
    ----------
    frame : DataFrame
        Records with ``person_id`` (e.g. the compliance list joined with persons).
    reader : Reader
    log : ReadLog
        Gets one event per distinct person in the result.
    purpose : str
        Why it is read (``"reminders"``, ``"certificate"``…), kept in the log.
    staff : DataFrame, optional
        ``person_id, institution_id`` of current employments (needed for an institution head).
    """
    keep = [c for c in frame.columns if c in allowed_fields(reader.role)]
    if "person_id" not in keep:
        raise AccessDenied(f"role '{reader.role}' may not receive records of persons")
    rows = frame.loc[_in_scope(reader, frame, staff), keep].reset_index(drop=True)
    log.record(reader, pd.unique(rows["person_id"]), purpose, at)
    return rows


def read_person(record: pd.DataFrame, person_id: str, reader: Reader, log: ReadLog, *,
                purpose: str, staff: pd.DataFrame | None = None,
                at: dt.datetime | None = None) -> dict:
    """One person's record (the allowed fields only), logged; :class:`AccessDenied` when the
    person is out of the reader's scope or unknown."""
    rows = record[record["person_id"] == person_id]
    if rows.empty:
        raise AccessDenied(f"no record of person '{person_id}'")
    if not bool(_in_scope(reader, rows, staff).iloc[0]):
        raise AccessDenied(f"user '{reader.user}' ({reader.role}) may not read person "
                           f"'{person_id}'")
    keep = [c for c in rows.columns if c in allowed_fields(reader.role)]
    log.record(reader, [person_id], purpose, at)
    return rows.iloc[0][keep].to_dict()
