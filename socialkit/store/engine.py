"""The store's database engine: a SQLite file by default, PostgreSQL through ``SOCIALKIT_DB_URL``.

SQLite is set up for many short writers (entry sessions of one server): write-ahead logging (a
reader never waits for a writer), ``foreign_keys=ON``, a 30 s busy timeout, and **write
transactions begin with** ``BEGIN IMMEDIATE``, so two sessions that read a record and then save
it queue for the write lock at the start instead of one failing at its first write (the
"database is locked" of a deferred transaction that cannot be upgraded). Read-only work uses
plain ``BEGIN``.

PostgreSQL runs at READ COMMITTED; a lost update is prevented by the records' version column
(``UPDATE … WHERE version_id = :seen``), see :mod:`socialkit.store.records`.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event

from .. import config

__all__ = ["WRITE", "create_store_engine", "display_url"]

#: Execution option of a connection that is going to write (SQLite: ``BEGIN IMMEDIATE``).
WRITE = "socialkit_write"


def display_url(url: str | sa.URL) -> str:
    """The URL with any password hidden, for messages."""
    return sa.make_url(url).render_as_string(hide_password=True)


def create_store_engine(url: str | None = None, **kwargs) -> sa.Engine:
    """An engine on ``url`` (default :func:`socialkit.config.db_url`); creates the folder of a
    SQLite file. Does not create or upgrade the schema (:func:`socialkit.store.open_store`
    does)."""
    url = url or config.db_url()
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        return sa.create_engine(parsed, **kwargs)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    kwargs.setdefault("connect_args", {}).setdefault("timeout", 30)
    engine = sa.create_engine(parsed, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - exercised by every test
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (below)
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        if parsed.database and parsed.database != ":memory:":
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")  # a commit survives a power cut
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE)
                             else "BEGIN")

    return engine
