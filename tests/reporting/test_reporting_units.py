"""Fast tests of the batch runner's pieces (no kernel is started here)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from typer.testing import CliRunner

from socialkit.data.fingerprint import catalog_digest as data_fingerprint
from socialkit.data.fingerprint import catalog_files
from socialkit.errors import ReportError
from socialkit.files import atomic_write_bytes
from socialkit.reporting import get_executor, plan_jobs, resolve_reports
from socialkit.reporting.catalog import catalog_info
from socialkit.reporting.index_page import render_index
from socialkit.reporting.manifest import is_up_to_date
from socialkit.reporting.render import TitlePage, _css_page_of, html_to_pdf, notebook_to_html

FIXTURES = Path(__file__).resolve().parent / "fixtures"


# --- atomic writes ---------------------------------------------------------------------------

def test_atomic_write_replaces_and_leaves_no_temp(tmp_path):
    target = tmp_path / "a" / "r.pdf"
    atomic_write_bytes(target, b"one")
    atomic_write_bytes(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["r.pdf"]


def test_atomic_write_failure_keeps_old_file(tmp_path, monkeypatch):
    target = tmp_path / "r.pdf"
    target.write_bytes(b"good earlier PDF")

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_bytes(target, b"half")
    assert target.read_bytes() == b"good earlier PDF"
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]


# --- catalog fingerprint -----------------------------------------------------------------------

def test_fingerprint_covers_data_files_and_survives_a_move(small_catalog, tmp_path):
    copy = tmp_path / "moved"
    shutil.copytree(small_catalog.parent, copy)
    cat = copy / "catalog.yaml"
    files = {p.name for p in catalog_files(cat)}
    assert {"catalog.yaml", "municipalities.csv", "settlements.csv"} <= files
    before = data_fingerprint(cat)
    assert before == data_fingerprint(small_catalog)  # same bytes, other folder
    csv = copy / "settlements.csv"
    csv.write_text(csv.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert data_fingerprint(cat) != before


def test_catalog_info_reads_metadata(small_catalog):
    info = catalog_info(small_catalog)
    assert info.synthetic is True
    assert info.data_as_of == "2021-12-31"
    assert len(info.fingerprint) == 20


# --- up-front checks ---------------------------------------------------------------------------

def test_unknown_report_lists_choices(fixture_notebooks):
    with pytest.raises(ReportError, match="expected one of: maturity, needs, passport"):
        resolve_reports("budget")


def test_all_means_the_notebooks_that_exist(fixture_notebooks):
    assert [s.name for s in resolve_reports("all")] == ["maturity", "needs"]
    with pytest.raises(ReportError, match="social_passport.ipynb not found"):
        resolve_reports("passport")


def test_several_reports_separated_by_commas(fixture_notebooks):
    assert [s.name for s in resolve_reports("needs, maturity,needs")] == ["needs", "maturity"]
    assert [s.name for s in resolve_reports("maturity,all")] == ["maturity", "needs"]
    with pytest.raises(ReportError, match="expected one of"):
        resolve_reports("maturity,budget")
    with pytest.raises(ReportError, match="social_passport.ipynb not found"):
        resolve_reports("maturity,passport")


def test_parameters_cell_is_checked(monkeypatch, small_catalog):
    monkeypatch.setenv("SOCIALKIT_NOTEBOOKS", str(FIXTURES / "bad_notebooks"))
    with pytest.raises(ReportError, match="does not define 'lang'"):
        plan_jobs("maturity", catalog=small_catalog)


def test_unknown_municipality_fails_up_front_listing_valid_ids(fixture_notebooks, small_catalog):
    from socialkit.data import load

    valid = list(load("municipalities", small_catalog)["municipality_id"])
    with pytest.raises(ReportError) as err:
        plan_jobs("all", municipalities=[valid[0], "UA99999999999999999"], catalog=small_catalog)
    message = str(err.value)
    assert "UA99999999999999999" in message
    assert all(v in message for v in valid)


def test_plan_jobs_one_per_municipality_and_report(fixture_notebooks, small_catalog):
    jobs, info = plan_jobs("all", catalog=small_catalog, lang="uk")
    assert len(jobs) == 3 * 2
    job = jobs[0]
    assert job.output == f"{job.municipality_id}/maturity.uk.pdf"
    assert job.parameters == {"catalog": str(small_catalog.resolve()),
                              "municipality_id": job.municipality_id, "lang": "uk"}
    assert any("\u0400" <= ch <= "\u04ff" for ch in job.municipality)  # name_local for uk
    assert job.fingerprint == info.fingerprint


def test_bad_language_and_executor(fixture_notebooks, small_catalog):
    with pytest.raises(ReportError, match="unknown language 'de'"):
        plan_jobs("all", catalog=small_catalog, lang="de")
    with pytest.raises(ReportError, match="unknown executor 'slurm'; expected one of: local, dask"):
        get_executor("slurm")
    with pytest.raises(ReportError, match="at least 1"):
        get_executor("local", workers=0)
    with pytest.raises(ReportError, match="only used with --executor dask"):
        get_executor("local", scheduler="tcp://x:1")


def test_cli_reports_bad_input_without_traceback(fixture_notebooks, small_catalog):
    from socialkit.cli import app

    result = CliRunner().invoke(app, ["report", "maturity", "--catalog", str(small_catalog),
                                      "-m", "UA0"])
    assert result.exit_code == 1
    assert isinstance(result.exception, ReportError)
    assert "unknown municipality id(s): UA0" in str(result.exception)


# --- resume decision ---------------------------------------------------------------------------

def test_is_up_to_date(fixture_notebooks, small_catalog, tmp_path):
    jobs, _ = plan_jobs("maturity", catalog=small_catalog)
    job = jobs[0]
    record = {"status": "ok", "output": job.output, "parameters": job.parameters,
              "fingerprint": job.fingerprint, "socialkit_version": "0.1.0"}
    assert not is_up_to_date(job, record, tmp_path, "0.1.0")  # PDF missing
    (tmp_path / job.output).parent.mkdir(parents=True)
    (tmp_path / job.output).write_bytes(b"%PDF")
    assert is_up_to_date(job, record, tmp_path, "0.1.0")
    assert is_up_to_date(job, {**record, "status": "skipped"}, tmp_path, "0.1.0")
    assert not is_up_to_date(job, {**record, "status": "failed"}, tmp_path, "0.1.0")
    assert not is_up_to_date(job, {**record, "fingerprint": "other"}, tmp_path, "0.1.0")
    assert not is_up_to_date(job, {**record, "parameters": {}}, tmp_path, "0.1.0")
    assert not is_up_to_date(job, record, tmp_path, "0.2.0")


# --- rendering (a hand-made executed notebook: no kernel) -------------------------------------

def _executed_notebook() -> nbformat.NotebookNode:
    code = new_code_cell("import secret_code_marker\nprint('x')", execution_count=1)
    code.outputs = [
        new_output("stream", name="stderr", text="UserWarning: stderr must not print\n"),
        new_output("display_data", data={"text/markdown": "# Заголовок розділу\n\n## Part two"}),
        new_output("display_data", data={
            "text/html": "<table><thead><tr><th>Громада</th><th>Value</th></tr></thead>"
                         "<tbody><tr><td>Țară șI č ć đ š ž</td><td>1 234,5</td></tr></tbody></table>"}),
        new_output("execute_result", data={"text/plain": "'matplotlib'"}, execution_count=1),
        new_output("display_data", data={"image/svg+xml": '<svg xmlns="http://www.w3.org/2000/svg" '
                                         'width="40" height="20"><rect width="40" height="20" '
                                         'fill="#0072B2"/></svg>', "text/plain": "<Figure>"}),
    ]
    err = new_code_cell("1/0", execution_count=2)
    err.outputs = [new_output("error", ename="ZeroDivisionError", evalue="division by zero",
                              traceback=["Traceback In [2]"])]
    return new_notebook(cells=[new_markdown_cell("Intro text."), code, err])


_TITLE = TitlePage(report="needs", municipality="Святогірськ", region="Donetsk", country="UA",
                   data_as_of="2021-12-31", synthetic=True, lang="uk", generated="2026-11-23")


def test_print_html_has_title_page_contents_and_no_code():
    page = notebook_to_html(_executed_notebook(), _TITLE)
    assert "Аналіз соціальних потреб" in page  # report title in Ukrainian
    assert "31 грудня 2021" in page  # data as of, Ukrainian date
    assert "Синтетичні" in page  # synthetic-data notice
    assert 'href="#sk-sec-1"' in page and 'id="sk-sec-1"' in page  # contents → heading
    assert 'href="#sk-sec-2"' in page
    assert "counter(pages)" in page and '"Сторінка "' in page
    for absent in ("secret_code_marker", "stderr must not print", "ZeroDivisionError",
                   "'matplotlib'", "In [", "&lt;Figure&gt;"):
        assert absent not in page
    assert "data:image/svg+xml" in page  # the figure stays SVG


def test_page_counter_css():
    assert _css_page_of("en") == '"Page " counter(page) " of " counter(pages)'
    assert _css_page_of("uk") == '"Сторінка " counter(page) " з " counter(pages)'


@pytest.mark.slow
def test_pdf_of_hand_made_notebook(tmp_path, pdf_text):
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(html_to_pdf(notebook_to_html(_executed_notebook(), _TITLE)))
    text = pdf_text(pdf)
    assert "Святогірськ" in text and "Заголовок розділу" in text
    assert "Țară șI č ć đ š ž" in text  # Romanian and Serbian Latin glyphs survive
    assert "Сторінка 3 з 3" in text
    assert "secret_code_marker" not in text and "ZeroDivisionError" not in text


def test_index_links_are_relative():
    records = [
        {"municipality_id": "UA1", "municipality": "A", "report": "needs", "lang": "en",
         "status": "ok", "output": "UA1/needs.en.pdf"},
        {"municipality_id": "UA2", "municipality": "B", "report": "needs", "lang": "en",
         "status": "failed", "output": None, "error": "cell 3: ValueError: bad",
         "failed_notebook": "_failed/UA2/needs.en.ipynb"},
    ]
    page = render_index(records, "en", "2026-11-23")
    assert 'href="UA1/needs.en.pdf"' in page
    assert 'href="_failed/UA2/needs.en.ipynb"' in page
    assert "cell 3: ValueError: bad" in page
    assert "1 of 2 reports ready; 1 failed" in page
    assert "http" not in page


def test_manifest_round_trip(tmp_path):
    from socialkit.reporting.manifest import read_state, write_manifests

    rec = {"municipality_id": "UA1", "municipality": "A", "report": "needs", "lang": "en",
           "status": "ok", "output": "UA1/needs.en.pdf", "parameters": {"lang": "en"}}
    run_json, state_json = write_manifests(tmp_path, {"run_id": "r1"}, [rec], {})
    assert json.loads(run_json.read_text())["reports"][0]["status"] == "ok"
    rec2 = {**rec, "municipality_id": "UA2", "status": "failed"}
    write_manifests(tmp_path, {"run_id": "r2"}, [rec2], read_state(tmp_path))
    state = read_state(tmp_path)
    assert set(state) == {("UA1", "needs", "en"), ("UA2", "needs", "en")}
    csv = (tmp_path / "manifest.csv").read_text().splitlines()
    assert csv[0].startswith("municipality_id,municipality,report,lang,status,output")
    assert len(csv) == 3


def test_default_row_numbers_are_not_printed_but_real_labels_are():
    """The report kernel's DataFrame HTML (plots.tables, registered by plots.setup) hides a
    default RangeIndex; the renderer marks number cells."""
    import pandas as pd

    from socialkit.plots.tables import dataframe_html
    from socialkit.reporting.render import _mark_numbers

    frame = pd.DataFrame({"Municipality": ["Lyman", "Siversk"], "Population": ["21,004", "9"]})
    out = dataframe_html(frame)
    assert ">0</th>" not in out and ">1</th>" not in out
    assert "Lyman" in out and "Population" in out
    assert "<th>Lyman</th>" in dataframe_html(frame.set_index("Municipality"))
    marked = _mark_numbers(frame.to_html())
    assert '<td class="num">21,004</td>' in marked and "<td>Lyman</td>" in marked


def test_data_cache_hands_out_private_copies_and_sees_changed_files(small_catalog, tmp_path,
                                                                    monkeypatch):
    """socialkit.data.load with the data layer's table cache switched on (as a warm report
    kernel does): read and validated once, private copies, a changed file is a miss."""
    from socialkit.data import cache, load, loading

    copy = tmp_path / "data"
    shutil.copytree(small_catalog.parent, copy)
    cat = copy / "catalog.yaml"
    calls = []
    real = loading._load_uncached

    def counting(name, path, **params):
        calls.append(name)
        return real(name, path, **params)

    monkeypatch.setattr(loading, "_load_uncached", counting)
    assert cache.enable_cache() is True
    try:
        first = load("municipalities", cat)
        first["population"] = 0  # a notebook changing its frame ...
        second = load("municipalities", cat)
        assert calls == ["municipalities"]  # ... read and validated once
        assert (second["population"] > 0).all()  # ... never changes the cached one
        csv = copy / "municipalities.csv"
        csv.write_text(csv.read_text(encoding="utf-8").replace("Lyman", "Lymanx", 1),
                       encoding="utf-8")
        os.utime(csv, ns=(1, 1))  # a different mtime even on coarse file systems
        load("municipalities", cat)
        assert calls == ["municipalities", "municipalities"]
    finally:
        cache.enable_cache(False)
    load("municipalities", cat)  # off again: every call reads
    assert calls == ["municipalities"] * 3
    monkeypatch.setenv("SOCIALKIT_REPORT_CACHE", "0")
    assert cache.enable_cache() is False


def test_warm_up_chooses_static_figures_without_the_environment():
    """The kernel's warm-up makes figures static through socialkit.plots, not an environment
    variable; a notebook's later setup() keeps that choice (in a fresh process, as a kernel)."""
    code = (
        "import os\n"
        "from socialkit.plots import theme\n"
        "from socialkit.data import cache\n"
        "from socialkit.reporting import kernel\n"
        "before = theme.is_static()\n"
        "kernel.warm_up(modules=())\n"
        "print(before, theme.is_static(), cache.cache_enabled(), theme.setup(),\n"
        "      'SOCIALKIT_STATIC_FIGURES' in os.environ)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "SOCIALKIT_STATIC_FIGURES"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True).stdout.split()
    assert out == ["False", "True", "True", "matplotlib", "False"]


def test_kernel_freezes_what_it_keeps_between_reports_once(monkeypatch):
    import gc

    from socialkit.data import cache
    from socialkit.reporting import kernel

    monkeypatch.setattr(kernel, "_FROZEN", None)
    monkeypatch.setattr(cache, "_CACHE", {})
    try:
        assert kernel.freeze_long_lived() is True
        assert gc.get_freeze_count() > 0
        assert kernel.freeze_long_lived() is False  # nothing new kept: no collection
        cache._CACHE[("settlements", "catalog.yaml", ())] = object()
        assert kernel.freeze_long_lived() is True  # a table entered the cache
        assert kernel.freeze_long_lived() is False
    finally:
        gc.unfreeze()
