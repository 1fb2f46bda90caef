"""Crafted bad files are refused with a message that names file, row, column and expectation."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from socialkit.data import load, validate_catalog
from socialkit.errors import DataValidationError


@pytest.fixture()
def bad_demo(demo_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the demo data set, to be broken by a test."""
    out = tmp_path / "demo"
    shutil.copytree(demo_dir, out)
    return out


def _edit(folder: Path, table: str, edit) -> Path:
    path = folder / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = edit(frame)
    frame.to_csv(path, index=False, lineterminator="\n")
    return path


def _problems(folder: Path) -> list[str]:
    with pytest.raises(DataValidationError) as info:
        validate_catalog(folder / "catalog.yaml")
    return [str(p) for p in info.value.problems]


def test_missing_column(bad_demo: Path):
    path = _edit(bad_demo, "settlements", lambda f: f.drop(columns=["lat"]))
    problems = _problems(bad_demo)
    assert any(str(path) in p and "column 'lat'" in p and "required column is missing" in p
               for p in problems), problems


def test_wrong_dtype_names_row_and_value(bad_demo: Path):
    def edit(f):
        f.loc[4, "population"] = "many"
        return f

    path = _edit(bad_demo, "settlements", edit)
    problems = _problems(bad_demo)
    # row 6 of the file: header is line 1, frame index 4 is line 6
    assert any(f"{path}, row 6, column 'population': wrong type (found 'many'); "
               "expected a whole number" in p for p in problems), problems


def test_duplicate_id(bad_demo: Path):
    def edit(f):
        f.loc[3, "facility_id"] = f.loc[2, "facility_id"]
        return f

    _edit(bad_demo, "facilities", edit)
    problems = _problems(bad_demo)
    assert any("row 5, column 'facility_id': duplicate id" in p for p in problems), problems


def test_orphan_foreign_key(bad_demo: Path):
    def edit(f):
        f.loc[0, "municipality_id"] = "UA99999999999999999"
        return f

    path = _edit(bad_demo, "settlements", edit)
    problems = _problems(bad_demo)
    assert any(str(path) in p and "row 2, column 'municipality_id': unknown municipality id"
               in p and "UA99999999999999999" in p and "municipalities" in p
               for p in problems), problems


def test_negative_population(bad_demo: Path):
    def edit(f):
        f.loc[0, "population"] = "-5"
        return f

    _edit(bad_demo, "municipalities", edit)
    problems = _problems(bad_demo)
    assert any("row 2, column 'population': value not allowed (found -5); expected a value ≥ 0"
               in p for p in problems), problems


def test_malformed_period(bad_demo: Path):
    def edit(f):
        f.loc[7, "period"] = "Q1-2021"
        return f

    _edit(bad_demo, "indicator_values", edit)
    problems = _problems(bad_demo)
    assert any("row 9, column 'period'" in p and "'Q1-2021'" in p
               and "ISO period such as 2021, 2021Q1 or 2021-03" in p for p in problems), problems


def test_unknown_framework_item(bad_demo: Path):
    def edit(f):
        f.loc[0, "item_id"] = "NOPE.9"
        return f

    _edit(bad_demo, "maturity_responses", edit)
    problems = _problems(bad_demo)
    assert any("column 'item_id': unknown id (found 'NOPE.9')" in p and "maturity.yaml" in p
               for p in problems), problems


def test_every_problem_reported_in_one_run(bad_demo: Path):
    _edit(bad_demo, "settlements", lambda f: f.assign(population=f["population"].where(
        f.index != 1, "x")))
    _edit(bad_demo, "facilities", lambda f: f.assign(kind=f["kind"].where(f.index != 0, "zoo")))
    problems = _problems(bad_demo)
    assert any("settlements.csv, row 3" in p for p in problems)
    assert any("facilities.csv, row 2, column 'kind'" in p and "'zoo'" in p for p in problems)


def test_malformed_csv_file(bad_demo: Path):
    (bad_demo / "services.csv").write_bytes(b'service_id,name\n"unterminated,\x00\n')
    problems = _problems(bad_demo)
    assert any("services.csv" in p for p in problems), problems


def test_load_raises_for_bad_table(bad_demo: Path):
    _edit(bad_demo, "municipalities", lambda f: f.assign(lat="north"))
    with pytest.raises(DataValidationError, match=r"municipalities.csv, row 2, column 'lat'"):
        load("municipalities", bad_demo / "catalog.yaml")


def test_cli_validate_ok_and_bad(demo_catalog: Path, bad_demo: Path):
    ok = subprocess.run([sys.executable, "-m", "socialkit", "validate", "--catalog",
                         str(demo_catalog)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "valid" in ok.stdout
    _edit(bad_demo, "settlements", lambda f: f.drop(columns=["lon"]))
    bad = subprocess.run([sys.executable, "-m", "socialkit", "validate", "--catalog",
                          str(bad_demo / "catalog.yaml"), "--lang", "uk"],
                         capture_output=True, text=True)
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr
    assert "Знайдено проблем" in bad.stderr
    assert "рядок" not in bad.stderr.split("стовпець 'lon'")[0].splitlines()[-1]  # whole column
    assert "стовпець 'lon': відсутній обов'язковий стовпець; очікується наявність стовпця" in (
        bad.stderr)


def test_cli_missing_catalog_is_a_clear_error(tmp_path: Path):
    res = subprocess.run([sys.executable, "-m", "socialkit", "validate", "--catalog",
                          str(tmp_path / "nope.yaml")], capture_output=True, text=True)
    assert res.returncode == 1
    assert "catalog file not found" in res.stderr and "Traceback" not in res.stderr


def test_problems_render_in_ukrainian(bad_demo: Path):
    def edit(f):
        f.loc[4, "population"] = "many"
        return f

    path = _edit(bad_demo, "settlements", edit)
    with pytest.raises(DataValidationError) as info:
        validate_catalog(bad_demo / "catalog.yaml")
    texts = [p.render("uk") for p in info.value.problems]
    assert f"{path}, рядок 6, стовпець 'population': неправильний тип (знайдено 'many'); " \
        "очікується ціле число" in texts, texts


def test_one_bad_cell_does_not_make_other_checks_misfire(bad_demo: Path):
    """A table that fails its schema is still checked across tables, on numbers not text."""
    def edit(f):
        f.loc[1, "municipality_id"] = ""
        return f

    _edit(bad_demo, "settlements", edit)
    problems = _problems(bad_demo)
    assert len(problems) == 1, problems
    assert "row 3, column 'municipality_id': empty value" in problems[0]
