"""End-to-end batches on the fixture notebooks: PDFs, failures, resume, atomicity, Dask.

One batch (3 municipalities × 2 reports, 2 workers) is shared by the tests of a module-scoped
fixture; the other tests run one small batch each.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from socialkit.data import load
from socialkit.i18n import format_number
from socialkit.reporting import run_reports

# One worker runs the whole module in file order: the tests share (and build on) one batch.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("reporting-batch")]

NOTEBOOKS = Path(__file__).resolve().parent / "fixtures" / "notebooks"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """A private copy of the 3-municipality catalog (tests write fail_ids.txt beside it)."""
    from socialkit.data.demo import write_demo

    mp = pytest.MonkeyPatch()
    mp.setenv("SOCIALKIT_NOTEBOOKS", str(NOTEBOOKS))
    catalog = write_demo(tmp_path_factory.mktemp("batch-data"), n=3)
    munis = load("municipalities", catalog)
    yield {"catalog": catalog, "munis": munis, "ids": list(munis["municipality_id"])}
    mp.undo()


@pytest.fixture(scope="module")
def batch(env, tmp_path_factory):
    """The first batch: the 2nd municipality's maturity report fails on purpose."""
    out = tmp_path_factory.mktemp("reports")
    fail = env["catalog"].parent / "fail_ids.txt"
    fail.write_text(env["ids"][1])
    try:
        summary = run_reports("all", catalog=env["catalog"], out=out, workers=2, progress=False)
    finally:
        fail.unlink()
    return summary


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_batch_writes_a_pdf_per_municipality_and_report(batch, env, pdf_text, tmp_path):
    ok = [r for r in batch.records if r["status"] == "ok"]
    assert len(ok) == 5
    first = env["munis"].iloc[0]
    pdf = batch.out / first["municipality_id"] / "maturity.en.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "3", str(pdf),
                        str(tmp_path / "page")], check=True)
        assert len(list(tmp_path.glob("page-*.png"))) == 3
    text = pdf_text(pdf)
    assert first["name"] in text
    assert format_number(first["population"], "en") in text  # the headline figure
    assert "Digital maturity of social services" in text and "Page 3 of 3" in text
    assert "Synthetic demonstration data" in text
    for absent in ("import ", "In [", "debug line on stderr", "must not reach the PDF"):
        assert absent not in text
    assert "population" in text  # the figure's axis label is text (SVG text, not glyph paths)


def test_figures_are_vector(batch, env):
    pdf = batch.out / env["ids"][0] / "maturity.en.pdf"
    if shutil.which("pdfimages") is None:
        pytest.skip("pdfimages missing")
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                             check=True).stdout.strip().splitlines()
    assert len(listing) == 2  # header lines only: no raster image in the PDF


def test_failure_is_recorded_and_others_go_on(batch, env):
    assert batch.exit_code == 1
    (failed,) = batch.failed
    assert (failed["municipality_id"], failed["report"]) == (env["ids"][1], "maturity")
    assert "ValueError: crafted failure" in failed["error"]
    kept = batch.out / failed["failed_notebook"]
    assert "crafted failure" in kept.read_text()
    assert not (batch.out / env["ids"][1] / "maturity.en.pdf").exists()
    assert (batch.out / env["ids"][1] / "needs.en.pdf").exists()
    manifest = json.loads((batch.out / "manifest.json").read_text())
    assert {r["status"] for r in manifest["reports"]} == {"ok", "failed"}
    assert manifest["fingerprint"] == batch.records[0]["fingerprint"]
    index = (batch.out / "index.html").read_text()
    for r in batch.records:
        if r["status"] == "ok":
            assert f'href="{r["output"]}"' in index
    assert list(batch.out.rglob("*.part")) == []


def test_resume_redoes_only_the_failed_one(batch, env):
    before = {p: _digest(p) for p in batch.out.rglob("*.pdf")}
    again = run_reports("all", catalog=env["catalog"], out=batch.out, workers=1, resume=True,
                        progress=False)
    statuses = sorted((r["municipality_id"], r["report"], r["status"]) for r in again.records)
    assert [s for s in statuses if s[2] != "skipped"] == [(env["ids"][1], "maturity", "ok")]
    assert again.exit_code == 0
    assert {p: _digest(p) for p in before} == before  # nothing else was rewritten
    assert not (batch.out / "_failed" / env["ids"][1] / "maturity.en.ipynb").exists()
    assert len(list((batch.out / "_runs").iterdir())) == 2


def test_failed_rerun_keeps_the_good_pdf(batch, env):
    target = env["ids"][0]
    pdf = batch.out / target / "maturity.en.pdf"
    good = _digest(pdf)
    fail = env["catalog"].parent / "fail_ids.txt"
    fail.write_text(target)
    try:
        rerun = run_reports("maturity", municipalities=[target], catalog=env["catalog"],
                            out=batch.out, workers=1, progress=False)
    finally:
        fail.unlink()
    assert rerun.exit_code == 1
    assert _digest(pdf) == good
    assert rerun.failed[0]["output"] == f"{target}/maturity.en.pdf"  # the earlier, good PDF
    assert list(batch.out.rglob("*.part")) == []


def test_ukrainian_report_via_cli(env, tmp_path, pdf_text):
    from socialkit.cli import app

    target = env["munis"].iloc[2]
    result = CliRunner().invoke(app, ["report", "maturity", "-m", target["municipality_id"],
                                      "--catalog", str(env["catalog"]), "--lang", "uk",
                                      "--out", str(tmp_path), "--workers", "1", "-q"])
    assert result.exit_code == 0, result.output
    assert "Готово: 1" in result.output
    text = pdf_text(tmp_path / target["municipality_id"] / "maturity.uk.pdf").replace("\xa0", " ")
    assert target["name_local"] in text
    for phrase in ("Цифрова зрілість соціальних послуг", "Дані станом на", "31 грудня 2021",
                   "Зміст", "Сторінка 3 з 3", "Населення",
                   format_number(target["population"], "uk").replace("\xa0", " ")):
        assert phrase in text


def test_dask_executor_produces_the_same_files(batch, env, tmp_path, pdf_text):
    import asyncio

    from distributed import LocalCluster
    from jupyter_core.utils import run_sync

    from socialkit.reporting.engine import shutdown_kernels

    # as in a session that already talked to a kernel from its main thread: jupyter_core keeps
    # that thread's event loop in a context variable, which Dask's threads inherit
    run_sync(asyncio.sleep)(0)

    ids = [env["ids"][0], env["ids"][2]]  # both reports of these succeeded in the first batch
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                      dashboard_address=None) as cluster:
        try:
            summary = run_reports("all", municipalities=ids, catalog=env["catalog"], out=tmp_path,
                                  executor="dask", scheduler=cluster, progress=False)
        finally:
            shutdown_kernels()
    assert summary.exit_code == 0
    made = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.pdf"))
    assert made == sorted(f"{m}/{r}.en.pdf" for m in ids for r in ("maturity", "needs"))
    for rel in made:
        assert pdf_text(tmp_path / rel) == pdf_text(batch.out / rel)


def test_batch_records_its_files_for_the_output_guard(batch):
    import json

    from socialkit.files import MARKER_NAME, claim_folder

    marker = json.loads((batch.out / MARKER_NAME).read_text(encoding="utf-8"))["files"]
    assert {"index.html", "manifest.json", "manifest.csv"} <= set(marker)
    assert {e["command"] for e in marker.values()} == {"socialkit report"}
    assert claim_folder(batch.out, command="socialkit report") == batch.out  # the next run
