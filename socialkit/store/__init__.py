"""The suite's database: SQLAlchemy 2 models, Alembic migrations, records with an audit trail.

A SQLite file by default (:func:`socialkit.config.db_url`), PostgreSQL through
``SOCIALKIT_DB_URL``. Entry forms save records here; analyses read the accepted ones through the
intake catalog (``catalogs/store_*.yaml``), never by importing this package. See
``docs/store.md``.

>>> from socialkit.store import Actor, open_store
>>> store = open_store("sqlite://")          # in memory; an empty database gets the schema
>>> admin = Actor.system()
>>> store.add_institution(admin, "csw-1", "csw", "CSW Novi Sad", municipality_id="NS")
>>> store.register_form(admin, "csw_state", "2026.1")
>>> store.grant(admin, "ana", "worker", "csw-1")
>>> ana = store.actor("ana")
>>> rec = store.save(ana, "csw_state", "2026.1", "csw-1", "2026Q1", {"staff": 12})
>>> rec.status, rec.version
('draft', 1)
>>> store.save(ana, "csw_state", "2026.1", "csw-1", "2026Q1", {"staff": 13},
...            expected_version=1).version
2
"""

from __future__ import annotations

from .access import Actor
from .core import RECORD_COLUMNS, Store, StoredRecord, close_stores, open_store
from .engine import create_store_engine
from .errors import (
    AccessDeniedError,
    BatchRefusedError,
    ConcurrentEditError,
    NotFoundError,
    SchemaError,
    StoreError,
    WorkflowError,
)
from .schema import ensure_schema, status, upgrade

__all__ = [
    "RECORD_COLUMNS",
    "AccessDeniedError",
    "Actor",
    "BatchRefusedError",
    "ConcurrentEditError",
    "NotFoundError",
    "SchemaError",
    "Store",
    "StoreError",
    "StoredRecord",
    "WorkflowError",
    "close_stores",
    "create_store_engine",
    "ensure_schema",
    "open_store",
    "status",
    "upgrade",
]
