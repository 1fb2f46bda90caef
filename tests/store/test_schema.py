"""The migrations and the models agree; an empty database gets the schema by itself; a
database that is not a socialkit store, or is newer, is refused."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from socialkit.store import SchemaError, create_store_engine, open_store, schema
from socialkit.store.models import Base


def test_models_and_migrations_agree(db_url):
    engine = create_store_engine(db_url)
    try:
        schema.upgrade(engine)
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, Base.metadata)
        assert diff == []
        views = set(sa.inspect(engine).get_view_names())
        assert {"accepted_values", "accepted_values_restricted"} <= views
    finally:
        engine.dispose()


def test_empty_database_is_upgraded_on_first_use(db_url):
    engine = create_store_engine(db_url)
    try:
        before = schema.status(engine)
        assert before.current is None and not before.up_to_date
        open_store(db_url)
        after = schema.status(engine)
        assert after.up_to_date and after.current == schema.head_revision()
    finally:
        engine.dispose()


def test_a_foreign_database_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'other.sqlite'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE payroll (id INTEGER)")
    engine.dispose()
    with pytest.raises(SchemaError, match=r"not socialkit's \(payroll\)"):
        open_store(url)


def test_a_newer_database_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'newer.sqlite'}"
    engine = create_store_engine(url)
    schema.upgrade(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()
    with pytest.raises(SchemaError, match="9999, newer than this socialkit"):
        open_store(url)


def test_the_default_database_is_a_sqlite_file_in_the_data_dir(monkeypatch, tmp_path):
    from socialkit import config

    monkeypatch.delenv("SOCIALKIT_DB_URL", raising=False)
    monkeypatch.setenv("SOCIALKIT_DATA_DIR", str(tmp_path / "data"))
    assert config.db_url() == f"sqlite:///{tmp_path / 'data' / 'socialkit.sqlite'}"
    store = open_store()
    assert (tmp_path / "data" / "socialkit.sqlite").is_file()
    assert store.engine.url.get_backend_name() == "sqlite"
    monkeypatch.setenv("SOCIALKIT_DB_URL", "postgresql+psycopg://u@/db?host=/run/postgresql")
    assert config.db_url().startswith("postgresql+psycopg://")
