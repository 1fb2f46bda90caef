"""The store's schema: Alembic migrations shipped in ``socialkit/store/migrations``.

:func:`upgrade` brings a database to the newest revision (``socialkit db upgrade``);
:func:`status` says where it is (``socialkit db status``); :func:`ensure_schema`, called when a
store is opened, upgrades an **empty** database by itself and refuses one that is behind (run
``socialkit db upgrade``, after a backup) or that is not a socialkit store.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from .engine import WRITE, display_url
from .errors import SchemaError

__all__ = ["SchemaStatus", "alembic_config", "ensure_schema", "head_revision", "status",
           "upgrade"]

#: Where the migrations live, as a package resource (no path built from ``__file__``).
SCRIPT_LOCATION = "socialkit.store:migrations"


def alembic_config(connection: sa.Connection | None = None) -> Config:
    """An Alembic config for the store's migrations, running on ``connection``."""
    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest migration this socialkit ships."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


@dataclass(frozen=True)
class SchemaStatus:
    """Where a database stands: its revision (``None``: no socialkit schema), the newest one,
    and whether it holds tables that are not socialkit's (an unrelated database)."""

    url: str
    current: str | None
    head: str
    foreign_tables: tuple[str, ...] = ()

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def status(engine: sa.Engine) -> SchemaStatus:
    """The schema status of the database behind ``engine``."""
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        tables = sa.inspect(conn).get_table_names()
    foreign = () if current else tuple(sorted(tables))
    return SchemaStatus(display_url(engine.url), current, head_revision(), foreign)


def upgrade(engine: sa.Engine, revision: str = "head") -> SchemaStatus:
    """Apply the migrations up to ``revision`` (in one transaction) and return the new status."""
    with engine.connect().execution_options(**{WRITE: True}) as conn:
        with conn.begin():
            command.upgrade(alembic_config(conn), revision)
    return status(engine)


def ensure_schema(engine: sa.Engine) -> SchemaStatus:
    """Upgrade an empty database; accept an up-to-date one; refuse anything else."""
    st = status(engine)
    if st.up_to_date:
        return st
    if st.current is None and not st.foreign_tables:
        try:
            return upgrade(engine)
        except sa.exc.DBAPIError:  # another process created the schema at the same moment
            again = status(engine)
            if again.up_to_date:
                return again
            raise
    if st.current is None:
        raise SchemaError("not_a_store", url=st.url, tables=", ".join(st.foreign_tables[:5]))
    known = {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if st.current not in known:
        raise SchemaError("newer", url=st.url, current=st.current, head=st.head)
    raise SchemaError("behind", url=st.url, current=st.current, head=st.head)
