"""Framework files are parsed once per version of the file; callers get private copies."""

from __future__ import annotations

import os

import pytest

from socialkit.errors import FrameworkError
from socialkit.frameworks import read_yaml


def test_a_changed_file_is_read_again_and_copies_are_private(tmp_path):
    path = tmp_path / "fw.yaml"
    path.write_text("name: first\nitems: [1, 2]\n", encoding="utf-8")
    data, source = read_yaml(path, "maturity")
    assert data == {"name": "first", "items": [1, 2]} and source == str(path)
    data["items"].append(3)  # a caller changing its copy ...
    assert read_yaml(path, "maturity")[0]["items"] == [1, 2]  # ... changes nothing else
    path.write_text("name: second\nitems: [1, 2]\n", encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a different mtime even on coarse file systems
    assert read_yaml(path, "maturity")[0]["name"] == "second"
    path.write_text("- not a mapping\n", encoding="utf-8")
    os.utime(path, ns=(2, 2))
    with pytest.raises(FrameworkError, match="expected a mapping"):
        read_yaml(path, "maturity")
