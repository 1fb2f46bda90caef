"""Shared fixtures: a freshly generated demo catalog in a temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Tests never touch the network and never write into the source tree.
os.environ.setdefault("SOCIALKIT_REPORTS_DIR", str(Path(os.environ.get("TMPDIR", "/tmp"))
                                                  / "socialkit-test-reports"))


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder holding the 10-municipality demo data set and its ``catalog.yaml``."""
    from socialkit.data.demo import write_demo

    out = tmp_path_factory.mktemp("demo")
    write_demo(out)
    return out


@pytest.fixture(scope="session")
def demo_catalog(demo_dir: Path) -> Path:
    """Path of the demo ``catalog.yaml`` (session-wide; do not modify its files)."""
    return demo_dir / "catalog.yaml"


@pytest.fixture(scope="session")
def demo_tables(demo_catalog: Path) -> dict:
    """Every demo table, loaded and validated."""
    from socialkit.data import load_all

    return load_all(demo_catalog)
