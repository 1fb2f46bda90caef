"""Fixtures of the reporting tests: a 3-municipality demo catalog and the fixture notebooks."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
NOTEBOOKS = FIXTURES / "notebooks"


@pytest.fixture(scope="session")
def small_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A freshly generated demo catalog with 3 municipalities (session-wide; read only)."""
    from socialkit.data.demo import write_demo

    return write_demo(tmp_path_factory.mktemp("demo3"), n=3)


@pytest.fixture
def fixture_notebooks(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point ``config.notebooks_dir()`` at the fixture notebooks."""
    monkeypatch.setenv("SOCIALKIT_NOTEBOOKS", str(NOTEBOOKS))
    return NOTEBOOKS


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


@pytest.fixture(scope="session")
def pdf_text():
    """A function returning the text of a PDF (poppler's ``pdftotext``)."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: apt-get install -y poppler-utils")
    return _pdf_text
