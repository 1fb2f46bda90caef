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


@pytest.fixture(scope="session")
def report_pdfs(demo_catalog, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Every real report (maturity, needs, passport, monitoring) of the first demo
    municipality, in English and Ukrainian, as the batch renders them: ``{(report, lang):
    path}``. One pool of two warm workers renders all eight (session-wide; read only)."""
    from socialkit.data import load
    from socialkit.reporting.executors import LocalExecutor
    from socialkit.reporting.jobs import run_job
    from socialkit.reporting.runner import plan_jobs

    mid = load("municipalities", demo_catalog)["municipality_id"].iloc[0]
    jobs = [job for lang in ("en", "uk")
            for job in plan_jobs("all", [mid], demo_catalog, lang)[0]]
    out = tmp_path_factory.mktemp("report-pdfs")
    pdfs = {}
    for result in LocalExecutor(workers=2).map_unordered(run_job, jobs):
        if result.status != "ok":
            pytest.fail(f"{result.job.report}.{result.job.lang}: {result.error}")
        path = out / f"{result.job.report}.{result.job.lang}.pdf"
        path.write_bytes(result.pdf)
        pdfs[result.job.report, result.job.lang] = path
    return pdfs
