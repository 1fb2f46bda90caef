"""Excel workbook, CSV tables and the ``socialkit maturity`` command."""

from __future__ import annotations

import subprocess
import sys

import openpyxl
import pandas as pd
import pytest
from maturity_cases import TINY

from socialkit.data.demo import maturity as demo_maturity
from socialkit.maturity import TABLES, assess, write_excel
from socialkit.maturity.files import EXCEL_NAME, write_outputs


@pytest.fixture
def res(tiny, tiny_answers, tiny_municipalities):
    return assess(tiny_answers, tiny, municipalities=tiny_municipalities,
                  targets={"m3": {"A": 3}})


def test_excel_workbook(res, tmp_path):
    path = write_excel(res, tmp_path / "sub" / "plan.xlsx", "uk")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Про звіт", "Бали", "Рівні", "Порівняння", "Поступ", "Розриви",
                             "План заходів"]
    ws = wb["План заходів"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["Код громади", "Громада", "Раунд", "Черговість"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(res.action_plan)
    first_m3 = next(r for r in rows if r[0] == "m3")
    assert first_m3[1] == "Три" and "А до середнього" in first_m3
    assert ws.freeze_panes == "A2"
    en = openpyxl.load_workbook(write_excel(res, tmp_path / "en.xlsx"))
    levels = [c.value for c in en["Levels"][2]]
    assert levels[:4] == ["m1", "One", "2020-12", "Alpha"] and "High" in levels
    assert not list(tmp_path.glob(".maturity-*"))  # no temporary file left


def test_write_outputs_csv(res, tmp_path):
    written = write_outputs(res, tmp_path)
    assert sorted(written) == sorted([*TABLES, "excel"])
    for name in TABLES:
        back = pd.read_csv(tmp_path / f"{name}.csv", dtype={"municipality_id": str})
        assert len(back) == len(getattr(res, name))
    back = pd.read_csv(tmp_path / "scores.csv")
    assert back.loc[0, "score"] == pytest.approx(87.5)  # full precision, not display-rounded
    assert (tmp_path / EXCEL_NAME).is_file()



@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    """A catalog with municipalities and the demo answers (built from the demo parts only)."""
    import numpy as np

    from socialkit.data.catalog import write_catalog
    from socialkit.data.demo import geography

    out = tmp_path_factory.mktemp("cat")
    geo = geography.generate(np.random.default_rng([2021, 0]), 10)
    tables = {"municipalities": geo["municipalities"],
              **demo_maturity.generate(np.random.default_rng([2021, 2]), geo)}
    for name, frame in tables.items():
        frame.to_csv(out / f"{name}.csv", index=False)
    write_catalog(out / "catalog.yaml", list(tables), {"synthetic": True})
    return out / "catalog.yaml"


def run_cli(args):
    from typer.testing import CliRunner

    from socialkit.cli import app
    return CliRunner().invoke(app, args)


def test_cli_writes_tables_and_workbook(catalog, tmp_path):
    out = tmp_path / "out"
    r = run_cli(["maturity", "--catalog", str(catalog), "--out", str(out), "--lang", "uk"])
    assert r.exit_code == 0, r.output
    assert "Громад: 10" in r.output and "maturity.xlsx" in r.output
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{t}.csv" for t in TABLES] + ["maturity.xlsx", ".socialkit-outputs.json"])
    scores = pd.read_csv(out / "scores.csv")
    assert (scores["status"] == "insufficient_data").sum() >= 1   # the demo's thin dimension
    assert scores["municipality_id"].nunique() == 10


def test_cli_targets_file(catalog, tmp_path):
    targets = tmp_path / "targets.csv"
    targets.write_text("municipality_id,dimension,target_level\n,STR,5\n", encoding="utf-8")
    r = run_cli(["maturity", "--catalog", str(catalog), "--out", str(tmp_path / "o"),
                 "--targets", str(targets)])
    assert r.exit_code == 0, r.output
    gaps = pd.read_csv(tmp_path / "o" / "gaps.csv")
    assert set(gaps.loc[gaps["code"] == "STR", "target_level"]) == {5}
    targets.write_text("municipality_id,dimension,target_level\n,STR,high\n", encoding="utf-8")
    r = run_cli(["maturity", "--catalog", str(catalog), "--out", str(tmp_path / "p"),
                 "--targets", str(targets)])
    assert r.exit_code != 0


def test_cli_bad_framework_fails_cleanly(catalog, tmp_path):
    bad = tmp_path / "fw.yaml"
    bad.write_text(TINY.read_text(encoding="utf-8").replace("effort: high", "effort: huge", 1),
                   encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-c", "from socialkit.cli import main; main()",
                           "maturity", "--catalog", str(catalog), "--out", str(out),
                           "--framework", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert f"Error: {bad}, key 'actions[1].effort': unknown effort 'huge'" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists() or not any(out.iterdir())   # nothing partial written


def test_cli_answers_off_the_framework(catalog, tmp_path):
    """The demo answers checked against another framework: every unknown item is named."""
    proc = subprocess.run([sys.executable, "-c", "from socialkit.cli import main; main()",
                           "maturity", "--catalog", str(catalog), "--out", str(tmp_path / "o"),
                           "--framework", str(TINY)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "maturity_responses.csv, row 2, column 'item_id': unknown item (found 'STR.1')" \
        in proc.stderr


def test_cli_unknown_language(catalog, tmp_path):
    proc = subprocess.run([sys.executable, "-c", "from socialkit.cli import main; main()",
                           "maturity", "--catalog", str(catalog), "--out", str(tmp_path / "o"),
                           "--lang", "fr"], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "language 'fr': expected one of en, uk" in proc.stderr
    assert not (tmp_path / "o").exists()
