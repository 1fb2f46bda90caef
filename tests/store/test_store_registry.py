"""The registry of professionals on both databases (SQLite and PostgreSQL): saved and read back
with the head's rights, every read logged, and points claimed twice refused by the database
with nothing added (the full behaviour is tested on SQLite in tests/professionals/test_store.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from socialkit import config
from socialkit.professionals import compliance, load_registry
from socialkit.professionals.registry import TABLES, _raw, stored_registry
from socialkit.store import Actor, StoreError, open_store
from socialkit.store.registry import add_participations, read_log, read_registry, save_registry

AS_OF = "2025-12-01"


@pytest.fixture(scope="module")
def demo():
    return load_registry(config.PROJECT_ROOT / "catalogs" / "serbia_professionals")


def test_registry_round_trip_scoping_and_refusal(db_url, demo):
    store = open_store(db_url)
    admin = Actor.system("admin")
    save_registry(store, admin, {t: _raw(demo, t) for t in TABLES})
    store.grant(admin, "hsu", "head", "csr-subotica")
    got = read_registry(store, store.actor("hsu"), AS_OF, "reminders")
    mine = stored_registry(got.tables)
    expected = compliance(demo, AS_OF, institution_id="csr-subotica")
    pd.testing.assert_frame_equal(compliance(mine, AS_OF, institution_id="csr-subotica"),
                                  expected)
    assert "personal_number" not in got.tables["persons"]
    log = read_log(store, admin)
    assert sorted(log["person_id"]) == sorted(got.person_ids) and set(log["user"]) == {"hsu"}
    first = demo.participations.iloc[0]
    rows = pd.DataFrame([{"participation_id": "new-ok", "person_id": "p0002",
                          "session_id": "s029", "role": "participant"},
                         {"participation_id": "new-twice", "person_id": first["person_id"],
                          "session_id": first["session_id"], "role": "participant"}])
    with pytest.raises(StoreError, match="nothing was saved"):
        add_participations(store, admin, rows)
    back = read_registry(store, admin, AS_OF, "test").tables["participations"]
    assert len(back) == len(demo.participations)


def test_migration_0002_goes_down_and_up_again(db_url):
    from alembic import command

    from socialkit.store import create_store_engine, schema
    from socialkit.store.engine import WRITE

    engine = create_store_engine(db_url)
    try:
        assert schema.upgrade(engine).current == schema.head_revision()
        with engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
            command.downgrade(schema.alembic_config(conn), "0001")
        assert schema.status(engine).current == "0001"
        assert schema.upgrade(engine).up_to_date
    finally:
        engine.dispose()
