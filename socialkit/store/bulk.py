"""Writing many records and their audit rows at once (a bulk import, :meth:`Store.save_many`).

New records and audit rows go to the database in one stream per table, with no ORM object and
no query per row: SQLAlchemy Core ``executemany`` (SQLite: ``sqlite3``'s own loop over one
prepared statement), ``COPY … FROM STDIN`` on PostgreSQL (psycopg: 100,000 rows in about a
quarter of the client time of its ``executemany`` pipeline and a fifth of 1,000-row multi-row
``INSERT`` statements; the server's work the same):

* every record's values are encoded to JSON **once** (:func:`encode_values`) and that text is
  written to ``records.values`` and ``record_versions.values`` as it is (:class:`EncodedJSON`:
  no second encoding by SQLAlchemy or the driver);
* new records are inserted without ``RETURNING`` and their ids read back with one query on the
  unique key ``(form, institution, period)`` (ordered ``RETURNING`` costs one statement per row
  on SQLite, and 1,000-row statements that psycopg has to parse on PostgreSQL);
* existing drafts are read with one query per 500 (locked ``FOR UPDATE`` on PostgreSQL) and
  updated with one ``UPDATE … WHERE id = :id AND version_id = :seen`` executemany whose row
  count must match, so a record changed meanwhile refuses the batch as a single save would.

Everything runs in the caller's transaction: all rows or none.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from .errors import StoreError
from .models import Record, RecordVersion

__all__ = ["EncodedJSON", "creation_changes", "encode_values", "insert_records", "insert_versions", "read_drafts",
           "update_drafts"]

#: Types a value of a record may have as it is (anything else goes through JSON and back).
_PLAIN = frozenset({str, int, float, bool, type(None)})
#: Rows per ``IN (…)`` list (SQLite allows 999 bound parameters in old builds).
_CHUNK = 500


class EncodedJSON(sa.types.TypeDecorator):
    """A JSON column (JSONB on PostgreSQL) bound with text that is already JSON: written as
    it is, not encoded again."""

    impl = sa.JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine:
        return dialect.type_descriptor(JSONB() if dialect.name == "postgresql" else sa.JSON())

    def bind_processor(self, dialect: sa.Dialect) -> None:
        return None


def _plain(obj: Any) -> Any:
    if hasattr(obj, "item") and callable(obj.item):
        return obj.item()
    if isinstance(obj, dt.date | dt.datetime):
        return obj.isoformat()
    raise TypeError(type(obj).__name__)


def encode_values(values: Mapping[str, Any], label: str) -> tuple[dict[str, Any], str]:
    """``(values as the store keeps them, their JSON text)``: a plain JSON object (keys text;
    no NaN or infinity; numpy scalars made plain, dates ISO text).

    >>> encode_values({"n": 3, "when": dt.date(2026, 1, 2)}, "f / i / p")
    ({'n': 3, 'when': '2026-01-02'}, '{"n": 3, "when": "2026-01-02"}')
    """
    if not isinstance(values, Mapping):
        raise StoreError("values_not_mapping", record=label, found=type(values).__name__)
    keys = set(map(type, values))
    if not keys <= {str} and not all(isinstance(k, str) for k in values):
        raise StoreError("values_not_json", record=label, error="field names must be text")
    try:
        text = json.dumps(values if type(values) is dict else dict(values), allow_nan=False,
                          default=_plain)
    except (TypeError, ValueError) as exc:
        raise StoreError("values_not_json", record=label, error=str(exc)) from None
    if keys <= {str} and set(map(type, values.values())) <= _PLAIN:
        return dict(values), text      # exactly what the JSON text gives back, not parsed
    return json.loads(text), text


def creation_changes(values: dict[str, Any]) -> str:
    """The JSON text of a new record's changes, ``{field: [null, value]}``, as
    ``json.dumps`` writes it.

    For values that are all scalars this is the values' own encoding with other separators
    (one C-level pass, no list per field); anything nested goes through the dict.

    >>> creation_changes({"a": 1, "b": "x, y"})
    '{"a": [null, 1], "b": [null, "x, y"]}'
    """
    if values and set(map(type, values.values())) <= _PLAIN:
        return json.dumps(values, separators=("], ", ": [null, "))[:-1] + "]}"
    return json.dumps({k: [None, v] for k, v in values.items()})


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _insert(conn: sa.Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (dicts by column name; ``<column>_json``: a JSON column's encoded text)
    in the caller's transaction: ``COPY … FROM STDIN`` on PostgreSQL with psycopg (no statement
    per row: the server parses each row once, the client sends a stream), one Core
    ``executemany`` elsewhere."""
    keys = list(rows[0])
    columns = [k.removesuffix("_json") if k.endswith("_json") else k for k in keys]
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        quote = conn.dialect.identifier_preparer.quote
        sql = (f"COPY {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
               "FROM STDIN")
        cursor = conn.connection.driver_connection.cursor()
        try:
            with cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row([row[k] for k in keys])
        except conn.dialect.loaded_dbapi.IntegrityError as exc:   # as SQLAlchemy would say it
            raise sa.exc.IntegrityError(sql, None, exc) from exc
        finally:
            cursor.close()
        return
    conn.execute(sa.insert(table).values({
        c: sa.bindparam(k, type_=EncodedJSON()) for c, k in zip(columns, keys, strict=True)
        if k != c}), list(rows))


def insert_records(conn: sa.Connection, form_id: str, form_version: str,
                   keys: Sequence[tuple[str, str]], texts: Sequence[str], user: str,
                   now: dt.datetime) -> list[int]:
    """Insert new draft records (version 1) of ``keys`` (institution, period) with the
    encoded ``texts``; returns their ids in the order of ``keys``."""
    if not keys:
        return []
    table = Record.__table__
    before = conn.scalar(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0)))
    _insert(conn, table, [
        {"form_id": form_id, "form_version": form_version, "institution_id": inst,
         "period": period, "status": "draft", "version_id": 1, "values_json": text,
         "created_by": user, "created_at": now, "updated_by": user, "updated_at": now}
        for (inst, period), text in zip(keys, texts, strict=True)])
    # ids come from the table's sequence (PostgreSQL) or max + 1 (SQLite): above `before`,
    # unless a sequence was set back below ids written by hand (then: the form's records)
    query = sa.select(table.c.id, table.c.institution_id, table.c.period).where(
        table.c.form_id == form_id)
    ids = {(inst, period): rid for rid, inst, period in conn.execute(
        query.where(table.c.id > before))}
    if len(ids) < len(keys):
        ids = {(inst, period): rid for rid, inst, period in conn.execute(query)}
    return [ids[key] for key in keys]


def read_drafts(conn: sa.Connection, record_ids: Sequence[int]) -> dict[int, sa.Row]:
    """The current state of existing records, locked until the end of the transaction (rows
    ``FOR UPDATE`` on PostgreSQL; SQLite's write transaction holds the whole database)."""
    table = Record.__table__
    out: dict[int, sa.Row] = {}
    for chunk in _chunks(list(record_ids)):
        out.update((row.id, row) for row in conn.execute(
            sa.select(table).where(table.c.id.in_(chunk)).with_for_update()))
    return out


def update_drafts(conn: sa.Connection, updates: Sequence[Mapping[str, Any]]) -> bool:
    """Write new versions of drafts: each update has ``b_id``, ``b_seen`` (the version read),
    ``version_id``, ``form_version``, ``values_json``, ``updated_by``, ``updated_at``. Whether
    every record was still at the version read (else nothing may be committed)."""
    if not updates:
        return True
    table = Record.__table__
    result = conn.execute(
        sa.update(table)
        .where(table.c.id == sa.bindparam("b_id"), table.c.version_id == sa.bindparam("b_seen"))
        .values({"values": sa.bindparam("values_json", type_=EncodedJSON())}), list(updates))
    return result.rowcount == len(updates)


def insert_versions(conn: sa.Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert audit rows: each has ``record_id``, ``version``, ``action``, ``status``,
    ``values_json``, ``changes_json``, ``reason``, ``saved_by``, ``saved_at``."""
    if not rows:
        return
    _insert(conn, RecordVersion.__table__, rows)
