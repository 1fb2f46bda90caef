"""A bulk save (Store.save_many: Core executemany, JSON encoded once, ids read back in one
query) stores exactly what saving the same rows one by one (Store.save) stores — the records,
the JSON text of their values, every audit row — and refuses exactly what it refuses; on SQLite
and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import numpy as np
import pytest
import sqlalchemy as sa

from socialkit.store import Actor, BatchRefusedError, ConcurrentEditError, StoreError
from socialkit.store.models import Record, RecordVersion

ADMIN = Actor.system("importer")


def _values(k: int) -> dict:
    """Values of every kind a record holds, different per row; every fourth row plain
    scalars only (the encoder's fast path)."""
    if k % 4 == 0:
        return {"staff": k, "share": k / 7, "ok": True, "note": f"a, b: [{k}]\" }}", "x": None}
    return {"staff": k, "share": k / 7, "ok": k % 2 == 0, "note": f"„navodnici\" {k} – ćž",
            "services": ["home_care", "day_care"][: k % 3], "empty_text": "",
            "children": [{"age": k % 18, "sex": "f"}, {"age": 3, "sex": "m"}][: k % 2 + 1],
            "when": dt.date(2026, 1, 1 + k % 28), "count64": np.int64(k * 1000),
            "ratio64": np.float64(k) / 4, "missing": None}


def _keys(n: int) -> list[tuple[str, str]]:
    insts = ["csw-a", "csw-b", "pzsz"]
    return [(insts[k % 3], f"P{k:04d}") for k in range(n)]


def _stored(store, form_id: str) -> tuple[list, list]:
    """The rows of the form's records and of their audit trail, without ids, form and times,
    values as the database keeps their text."""
    r, v = Record.__table__, RecordVersion.__table__
    with store.engine.connect() as con:
        records = con.execute(
            sa.select(r.c.institution_id, r.c.period, r.c.form_version, r.c.status,
                      r.c.version_id, sa.cast(r.c["values"], sa.Text), r.c.created_by,
                      r.c.updated_by)
            .where(r.c.form_id == form_id).order_by(r.c.institution_id, r.c.period)).all()
        versions = con.execute(
            sa.select(r.c.institution_id, r.c.period, v.c.version, v.c.action, v.c.status,
                      sa.cast(v.c["values"], sa.Text),
                      sa.cast(v.c.changes, sa.Text), v.c.reason, v.c.saved_by)
            .join(r, r.c.id == v.c.record_id).where(r.c.form_id == form_id)
            .order_by(r.c.institution_id, r.c.period, v.c.version)).all()
    return [tuple(x) for x in records], [tuple(x) for x in versions]


def _same(bulk, single) -> list[tuple]:
    """StoredRecords without id, form and times."""
    def strip(rec):
        return (rec.institution_id, rec.period, rec.form_version, rec.values, rec.status,
                rec.version, rec.created_by, rec.updated_by)
    assert [strip(b) for b in bulk] == [strip(s) for s in single]
    return [strip(b) for b in bulk]


def test_a_bulk_save_stores_what_saving_row_by_row_stores(world):
    """Create 60 records, then re-save them changed, unchanged and with a new form version,
    plus new ones: the records, their JSON text and the audit trail are the same either way
    (the bulk path's action is ``import`` where a single save logs ``create``/``save``)."""
    store = world.store
    for form_id in ("bulk_form", "single_form"):
        store.register_form(ADMIN, form_id, "1")
        store.register_form(ADMIN, form_id, "2")
    keys = _keys(60)
    rounds = [
        ("1", [(i, p, _values(k)) for k, (i, p) in enumerate(keys)]),
        # every third changed, the others unchanged, ten new records
        ("1", [(i, p, {**_values(k), "staff": -k - 1} if k % 3 == 0 else _values(k))
               for k, (i, p) in enumerate(keys)]
         + [(i, p + "n", _values(k)) for k, (i, p) in enumerate(keys[:10])]),
        # a new form version: a new version of each record even where no value changed
        ("2", [(i, p, _values(k)) for k, (i, p) in enumerate(keys[:20])]),
    ]
    opened: dict[tuple[str, str], int] = {}
    for reason, (version, items) in zip(["first", "second", "third"], rounds, strict=True):
        bulk = store.save_many(ADMIN, "bulk_form", version, items, reason=reason)
        single = [store.save(ADMIN, "single_form", version, i, p, vals, reason=reason,
                             expected_version=opened.get((i, p)))
                  for i, p, vals in items]
        _same(bulk, single)
        opened.update({(r.institution_id, r.period): r.version for r in single})
        (b_records, b_versions), (s_records, s_versions) = (_stored(store, "bulk_form"),
                                                            _stored(store, "single_form"))
        assert b_records == s_records
        assert len(b_versions) == len(s_versions)
        for b, s in zip(b_versions, s_versions, strict=True):
            assert b[3] == "import" and s[3] in ("create", "save")
            assert b[:3] + b[4:] == s[:3] + s[4:]
    assert [len(x) for x in _stored(store, "bulk_form")] == [70, 60 + 20 + 10 + 20]
    # what the store gives back is what it was given, made plain JSON
    rec = store.get(ADMIN, "bulk_form", "csw-a", "P0003")
    assert rec.version == 3 and rec.form_version == "2"
    assert rec.values["when"] == "2026-01-04" and rec.values["count64"] == 3000
    assert rec.values["children"] == [{"age": 3, "sex": "f"}, {"age": 3, "sex": "m"}]
    assert store.history(ADMIN, rec.record_id)["reason"].tolist() == ["first", "second",
                                                                     "third"]

def test_bulk_and_single_saves_refuse_the_same_users(world):
    """Rights are checked on the server per row, the same way: every user × institution ×
    form (open and restricted) is refused by save_many exactly when save refuses it."""
    store = world.store
    users = ["wa", "wb", "ha", "hb", "prov", "dva", "provdv", "nobody"]
    for user in users:
        actor = store.actor(user)
        for form_id in ("csw_state", "dv_quarterly"):
            for inst in ("csw-a", "csw-b", "pzsz", "no-such-csw"):
                period = f"{user}-{form_id[:2]}"
                try:
                    store.save(actor, form_id, "1", inst, period, {"n": 1})
                    single = None
                except StoreError as exc:
                    single = (type(exc), exc.key)
                try:
                    store.save_many(actor, form_id, "1", [(inst, period + "b", {"n": 1})])
                    bulk = None
                except BatchRefusedError as exc:
                    (row, err), = exc.errors
                    bulk = (type(err), err.key)
                assert bulk == single, (user, form_id, inst)


def test_a_refused_batch_writes_nothing(world):
    """One bad row among 1,200 (more than a statement's page and an IN list) refuses all."""
    store = world.store
    items = [(i, p, {"n": k}) for k, (i, p) in enumerate(_keys(1200))]
    items[1111] = ("csw-a", "P9999", {"n": float("nan")})
    with pytest.raises(BatchRefusedError) as err:
        store.save_many(ADMIN, "csw_state", "1", items, source="big.csv")
    assert [row for row, _ in err.value.errors] == [1112]
    assert "big.csv, row 1112" in err.value.render("en")
    assert _stored(store, "csw_state") == ([], [])


def test_many_existing_drafts_get_a_new_version_each(world):
    """1,200 drafts re-imported (items as lists; read back in chunks, one checked UPDATE): a
    new version with its changes where a value changed; the others keep version 1 and get no
    audit row."""
    store = world.store
    items = [(i, p, {"n": k}) for k, (i, p) in enumerate(_keys(1200))]
    first = store.save_many(ADMIN, "csw_state", "1", items)
    again = store.save_many(ADMIN, "csw_state", "1",
                            [[i, p, {"n": v["n"] + (k % 2)}]
                             for k, (i, p, v) in enumerate(items)])
    assert [r.record_id for r in again] == [r.record_id for r in first]
    assert [r.version for r in again] == [1 + k % 2 for k in range(1200)]
    records, versions = _stored(store, "csw_state")
    assert len(versions) == 1200 + 600
    hist = store.history(ADMIN, again[1].record_id)
    assert hist["changes"].tolist() == [{"n": [None, 1]}, {"n": [1, 2]}]


def test_a_draft_changed_meanwhile_refuses_the_whole_batch(world):
    """Someone saves one of the drafts between the batch's check and its write: the batch is
    refused naming that record, nothing of it is written, their save stays."""
    store = world.store
    items = [(i, p, {"n": k}) for k, (i, p) in enumerate(_keys(30))]
    store.save_many(ADMIN, "csw_state", "1", items)
    real, raced = store._session, []

    @contextmanager
    def racing(write=False):
        if write and not raced:
            raced.append(True)
            rec = store.get(world.wa, "csw_state", "csw-a", "P0003")
            store.save(world.wa, "csw_state", "1", "csw-a", "P0003", {"n": "theirs"},
                       expected_version=rec.version)
        with real(write) as session:
            yield session

    store._session = racing
    try:
        with pytest.raises(ConcurrentEditError) as err:
            store.save_many(ADMIN, "csw_state", "1",
                            [(i, p, {"n": -1}) for i, p, _ in items] + [("csw-a", "new", {})])
    finally:
        store._session = real
    assert "csw_state / csw-a / P0003" in str(err.value)
    assert store.get(ADMIN, "csw_state", "csw-a", "new") is None
    assert store.get(ADMIN, "csw_state", "csw-a", "P0003").values == {"n": "theirs"}
    assert {r.values["n"] for r in (store.get(ADMIN, "csw_state", i, p) for i, p, _ in items)
            if r.period != "P0003"} == set(range(30)) - {3}


def test_ids_are_found_when_the_sequence_is_below_an_id_written_by_hand(world):
    """A record inserted with an id above the sequence (a restored dump without setval):
    the new records' ids are still read back (PostgreSQL; SQLite just counts on)."""
    store = world.store
    with store.engine.begin() as con:
        con.execute(sa.insert(Record.__table__).values(
            id=1_000_000, form_id="csw_state", form_version="1", institution_id="csw-a",
            period="old", status="draft", version_id=1, values={}, created_by="x",
            created_at=dt.datetime.now(dt.UTC), updated_by="x",
            updated_at=dt.datetime.now(dt.UTC)))
    saved = store.save_many(ADMIN, "csw_state", "1", [("csw-b", "P1", {"n": 1}),
                                                      ("csw-a", "P2", {"n": 2})])
    assert [store.record(ADMIN, r.record_id).period for r in saved] == ["P1", "P2"]
    assert [store.history(ADMIN, r.record_id)["values"][0] for r in saved] == [{"n": 1},
                                                                               {"n": 2}]
