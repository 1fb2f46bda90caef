"""Data are loaded once per process and catalog fingerprint; results are memoised."""

from __future__ import annotations

import time

from socialkit.views import data as vdata


def test_load_data_is_cached_per_fingerprint(demo_catalog, tmp_path):
    vdata.clear_cache()
    first = vdata.load_data(demo_catalog)
    assert vdata.load_data(demo_catalog) is first
    assert len(first.municipality_ids) == 10
    assert set(first.frames) >= {"municipalities", "settlements", "facilities"}


def test_fingerprint_changes_when_a_file_changes(tmp_path):
    cat = tmp_path / "catalog.yaml"
    cat.write_text("sources:\n  t:\n    args: {urlpath: '{CATALOG_DIR}/t.csv'}\n",
                   encoding="utf-8")
    table = tmp_path / "t.csv"
    table.write_text("a\n1\n", encoding="utf-8")
    before = vdata.catalog_fingerprint(cat)
    assert vdata.catalog_fingerprint(cat) == before
    time.sleep(0.01)
    table.write_text("a\n12\n", encoding="utf-8")
    assert vdata.catalog_fingerprint(cat) != before
    # a file the catalog does not reference does not count
    changed = vdata.catalog_fingerprint(cat)
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    assert vdata.catalog_fingerprint(cat) == changed


def test_computed_runs_once_per_key(data):
    calls = []

    def work(d, mid):
        calls.append(mid)
        return len(d.table("settlements").query("municipality_id == @mid"))

    assert data.computed("n", work, "UA00000000000000001") == 2
    assert data.computed("n", work, "UA00000000000000001") == 2
    assert data.computed("n", work, "UA00000000000000002") == 1
    assert calls == ["UA00000000000000001", "UA00000000000000002"]
    assert data.table("no_such_table").empty
