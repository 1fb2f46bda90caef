"""Fixtures: the tiny hand-checked competition (contracting_tiny.py) and the committed demo."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from contracting_tiny import tiny_tables, write_tables

from socialkit import config


@pytest.fixture
def tiny_folder(tmp_path: Path) -> Path:
    return write_tables(tmp_path / "tiny", tiny_tables())


@pytest.fixture(scope="session")
def tiny_data():
    from socialkit.contracting import read_contracting

    with tempfile.TemporaryDirectory() as tmp:
        return read_contracting(write_tables(Path(tmp) / "tiny", tiny_tables()))


DEMO = config.PROJECT_ROOT / "catalogs" / "belarus_contracting"


@pytest.fixture(scope="session")
def demo_data():
    from socialkit.contracting import read_contracting

    return {p.name: read_contracting(p) for p in sorted(DEMO.iterdir()) if p.is_dir()}
