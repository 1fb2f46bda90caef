"""Speed of the dashboard's data layer (issue 18): one computation per result however many
sessions ask at once; validated tables and whole-data results kept on disk for the next
start, keyed by data and code; the background warm-up of ``socialkit serve``."""

from __future__ import annotations

import threading
import time

import pytest

from socialkit.views import data as vdata


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SOCIALKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SOCIALKIT_DASHBOARD_CACHE", raising=False)
    vdata.clear_cache()
    yield tmp_path / "cache" / "dashboard"
    vdata.clear_cache()


def test_sessions_asking_at_once_share_one_computation(data):
    calls = []

    def slow(d, key):
        calls.append(key)
        time.sleep(0.3)
        return object()

    results = []
    threads = [threading.Thread(target=lambda: results.append(data.computed("x", slow, 1)))
               for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [1]
    assert all(r is results[0] for r in results)


def test_a_restarted_server_reads_tables_and_results_from_disk(demo_catalog, cache,
                                                                monkeypatch):
    from socialkit.views.needs import _vulnerability

    first = vdata.load_data(demo_catalog)
    assert first.store is not None and (first.store / "tables.pkl").is_file()
    index = first.computed("needs.vulnerability", _vulnerability)
    vdata.clear_cache()  # what a restart loses

    def no(*_a, **_k):
        raise AssertionError("computed again")

    import socialkit.data

    monkeypatch.setattr(socialkit.data, "load_all", no)
    again = vdata.load_data(demo_catalog)
    assert again is not first and again.store == first.store
    assert list(again.frames) == list(first.frames)
    assert again.frames["settlements"].equals(first.frames["settlements"])
    from_disk = again.computed("needs.vulnerability", no)
    assert from_disk.scores.equals(index.scores)
    # a result not meant for the disk is computed in every process
    assert again.computed("overview.summary", lambda d: 42) == 42
    assert not any(p.name.startswith("overview") for p in again.store.iterdir())


def test_other_code_or_other_data_is_another_cache(demo_catalog, cache, monkeypatch):
    first = vdata.load_data(demo_catalog)
    vdata.clear_cache()
    monkeypatch.setattr(vdata, "_CODE_STAMP", "changedcode0")
    second = vdata.load_data(demo_catalog)
    assert second.store != first.store and second.store.name.endswith("changedcode0")


def test_an_unreadable_cache_file_is_computed_again(data, tmp_path):
    data.store = tmp_path / "store"
    data.store.mkdir()
    data._path(("passport", "UA1", None)).write_bytes(b"not a pickle")
    assert data.computed("passport", lambda d, m, v: "fresh", "UA1", None) == "fresh"
    data._memo.clear()
    assert data.computed("passport", lambda d, m, v: "again", "UA1", None) == "fresh"


def test_no_disk_cache_when_switched_off(demo_catalog, cache, monkeypatch):
    monkeypatch.setenv("SOCIALKIT_DASHBOARD_CACHE", "0")
    assert vdata.load_data(demo_catalog).store is None
    assert not cache.exists()


def test_warm_up_asks_for_what_the_first_pages_read(data, monkeypatch):
    """The wiring (the computations themselves are the pages' own, tested with them): the
    shared analyses, then every municipality's at-a-glance findings; a failing step is
    reported and the others still run."""
    import socialkit.views.glance as glance
    from socialkit.views.warmup import warm_up

    asked, seen = [], []
    monkeypatch.setattr(data, "computed", lambda name, func, *args: asked.append(name))

    def findings(state):
        seen.append(state.municipality_id)
        if state.municipality_id == data.municipality_ids[1]:
            raise ValueError("bad data")

    monkeypatch.setattr(glance, "glance_findings", findings)
    failed = warm_up(data, "uk")
    assert {"needs.scoped_vulnerability", "needs.scoped_clusters", "maturity.assess",
            "monitoring.overview"} <= set(asked)
    assert seen == data.municipality_ids
    assert failed == [f"glance {data.municipality_ids[1]}"]


class _Boom:
    """Unpickling this writes a file: the proof that a cache file ran code."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_a_pickle_not_signed_by_the_server_never_runs(demo_catalog, cache, tmp_path):
    """Opening a file never runs code: a pickle someone put in the cache folder (no valid
    HMAC tag) is ignored, the tables are loaded from the catalog again."""
    import pickle

    first = vdata.load_data(demo_catalog)
    tables = first.store / "tables.pkl"
    marker = tmp_path / "ran"
    tables.write_bytes(pickle.dumps(_Boom(marker)))          # no tag at all
    vdata.clear_cache()
    again = vdata.load_data(demo_catalog)
    assert not marker.exists() and list(again.frames) == list(first.frames)
    forged = b"\0" * 32 + pickle.dumps(_Boom(marker))        # a tag made without the key
    tables.write_bytes(forged)
    vdata.clear_cache()
    vdata.load_data(demo_catalog)
    assert not marker.exists()


def test_a_key_others_may_read_turns_the_cache_off(demo_catalog, cache):
    first = vdata.load_data(demo_catalog)
    key = cache / ".key"
    assert key.stat().st_mode & 0o777 == 0o600
    key.chmod(0o644)
    (first.store / "tables.pkl").unlink()
    vdata.clear_cache()
    vdata.load_data(demo_catalog)
    assert not (first.store / "tables.pkl").exists()  # nothing written with a public key
