"""Catalog stamps: a changed file changes the stamp; a missing file is a clear error."""

from __future__ import annotations

import shutil

import pytest

from socialkit.data.fingerprint import catalog_digest, catalog_stamp
from socialkit.errors import SocialkitError


def _catalog(tmp_path):
    (tmp_path / "t.csv").write_text("a\n1\n", encoding="utf-8")
    (tmp_path / "catalog.yaml").write_text(
        "version: 2\nentries: {}\ndata:\n  t:\n    datatype: intake.readers.datatypes:CSV\n"
        "    kwargs: {url: '{CATALOG_DIR}/t.csv'}\n", encoding="utf-8")
    return tmp_path / "catalog.yaml"


def test_stamp_follows_the_referenced_files(tmp_path):
    cat = _catalog(tmp_path)
    before, digest = catalog_stamp(cat), catalog_digest(cat)
    assert [p for p, *_ in before] == [str(cat), str(tmp_path / "t.csv")]
    (tmp_path / "t.csv").write_text("a\n1\n2\n", encoding="utf-8")
    assert catalog_stamp(cat) != before and catalog_digest(cat) != digest


def test_missing_catalog_or_referenced_file_is_named(tmp_path):
    with pytest.raises(SocialkitError, match="missing.yaml: catalog file not found"):
        catalog_stamp(tmp_path / "missing.yaml")
    cat = _catalog(tmp_path / "c" if (tmp_path / "c").mkdir() is None else tmp_path)
    catalog_stamp(cat)  # remembers the referenced files
    shutil.move(tmp_path / "c" / "t.csv", tmp_path / "gone.csv")
    with pytest.raises(SocialkitError, match=r"names the file .*t\.csv.*expected an existing"):
        catalog_stamp(cat)
