"""Excel round trip and crafted bad workbooks."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from socialkit.cli import main
from socialkit.data import load
from socialkit.errors import DataValidationError
from socialkit.monitoring.excel import SHEETS, export_workbook, read_workbook


def cli(*args: str) -> int:
    """Run the socialkit CLI in-process; return its exit code."""
    try:
        main(list(args))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


@pytest.fixture(scope="module")
def book(demo_catalog, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("book") / "book.xlsx"
    assert cli("monitoring", "export", "--catalog", str(demo_catalog), "--out", str(path)) == 0
    return path


@pytest.fixture(scope="module")
def small_book(demo_tables, tmp_path_factory) -> Path:
    """The same layout with the first rows only, so that crafted edits load fast."""
    path = tmp_path_factory.mktemp("small") / "book.xlsx"
    return export_workbook(demo_tables["indicator_values"].groupby("indicator_id").head(20),
                           demo_tables["indicator_targets"].head(60), path)


def _edit(book: Path, tmp_path: Path, fn) -> Path:
    wb = load_workbook(book)
    fn(wb)
    out = tmp_path / "edited.xlsx"
    wb.save(out)
    return out


def _problems(path: Path):
    with pytest.raises(DataValidationError) as exc:
        read_workbook(path)
    return exc.value.problems


def test_layout_and_formatting(book):
    wb = load_workbook(book)
    assert tuple(wb.sheetnames) == SHEETS
    for name in SHEETS:
        assert wb[name].freeze_panes == "A2"
        assert wb[name]["A1"].font.bold
    header = [c.value for c in wb["values"][1]]
    assert "value" in header
    prog = wb["progress"]
    col = [c.value for c in prog[1]].index("status") + 1
    fills = {prog.cell(r, col).value: prog.cell(r, col).fill.fgColor.rgb
             for r in range(2, prog.max_row + 1)}
    assert fills["on_track"].endswith("1A9850") and fills["off_track"].endswith("D73027")
    assert wb["values"].column_dimensions["A"].width > 10
    # streamed sheets still declare their size, so readers need not scan them to find it
    ro = load_workbook(book, read_only=True)
    assert ro["values"].max_row == wb["values"].max_row and ro["values"].max_column == 7


def test_round_trip_gives_identical_tables(book, demo_catalog, tmp_path):
    out = tmp_path / "imported"
    assert cli("monitoring", "import", str(book), "--out", str(out)) == 0
    for table in ("indicator_values", "indicator_targets"):
        pd.testing.assert_frame_equal(load(table, out / "catalog.yaml"), load(table, demo_catalog))


def test_round_trip_in_memory(tmp_path, tiny_fw, tiny_values, tiny_targets):
    path = export_workbook(tiny_values, tiny_targets, tmp_path / "tiny.xlsx", tiny_fw)
    tables = read_workbook(path, tiny_fw)
    from socialkit.data import validate_frame

    pd.testing.assert_frame_equal(tables["indicator_values"],
                                  validate_frame(tiny_values, "indicator_values"))
    pd.testing.assert_frame_equal(tables["indicator_targets"],
                                  validate_frame(tiny_targets, "indicator_targets"))


def test_text_in_numeric_column(small_book, tmp_path):
    path = _edit(small_book, tmp_path, lambda wb: wb["values"].cell(5, 6, "twelve"))
    (p,) = _problems(path)
    assert (p.source.endswith("sheet 'values'"), p.row, p.column, p.value) == (
        True, 5, "value", "twelve")
    assert "number" in p.expected


def test_unknown_indicator_id(small_book, tmp_path):
    def edit(wb):
        wb["values"].cell(7, 1, "no_such_element")
        wb["targets"].cell(3, 1, "no_such_indicator")

    probs = _problems(_edit(small_book, tmp_path, edit))
    where = {(p.source.split("'")[1], p.row, p.column, p.value) for p in probs}
    assert where == {("values", 7, "indicator_id", "no_such_element"),
                     ("targets", 3, "indicator_id", "no_such_indicator")}
    assert all("unknown indicator id" in p.message for p in probs)


def test_duplicate_row(small_book, tmp_path):
    def edit(wb):
        ws = wb["targets"]
        ws.append([c.value for c in ws[4]])

    probs = _problems(_edit(small_book, tmp_path, edit))
    assert len(probs) == 1
    last = load_workbook(small_book)["targets"].max_row + 1
    assert probs[0].row == last and "row 4" in probs[0].message
    assert probs[0].source.endswith("sheet 'targets'")


def test_missing_sheet_and_column(small_book, tmp_path):
    def edit(wb):
        del wb["targets"]
        wb["values"].delete_cols(6)  # the value column

    probs = _problems(_edit(small_book, tmp_path, edit))
    msgs = {(p.source, p.column, p.message) for p in probs}
    assert (small_book.name.replace("book", "edited"), None, "sheet 'targets' is missing") in msgs
    assert any(p.column == "value" and p.row == 1 and "missing" in p.message for p in probs)


def test_every_problem_reported_and_nothing_written(small_book, tmp_path, capsys):
    def edit(wb):
        wb["values"].cell(3, 6, "n/a")
        wb["values"].cell(4, 4, "females")  # sex not allowed
        wb["values"].cell(9, 3, "2021Q5")  # bad period
        wb["targets"].cell(2, 7).value = None  # target value missing

    path = _edit(small_book, tmp_path, edit)
    out = tmp_path / "out"
    assert cli("monitoring", "import", str(path), "--out", str(out)) == 1
    err = capsys.readouterr().err
    for needle in ("sheet 'values', row 3, column 'value'", "row 4, column 'sex'",
                   "row 9, column 'period'", "sheet 'targets', row 2, column 'value'"):
        assert needle in err
    assert not out.exists() or not any(out.iterdir())


def test_cell_must_match_disaggregation(small_book, tmp_path):
    wb = load_workbook(small_book, read_only=True)
    rows = list(wb["values"].iter_rows(min_row=2, values_only=True))
    r = next(i for i, row in enumerate(rows, start=2) if row[0] == "clients_served")
    path = _edit(small_book, tmp_path, lambda wb: wb["values"].cell(r, 4, "total"))
    probs = _problems(path)
    assert any(p.row == r and p.column == "sex" and "disaggregation" in p.message for p in probs)


def test_not_a_workbook(tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_text("not excel")
    from socialkit.errors import SocialkitError

    with pytest.raises(SocialkitError, match="cannot open"):
        read_workbook(bad)


def test_periods_must_fit_the_sheet(small_book, tmp_path):
    def edit(wb):
        wb["values"].cell(3, 3, "2021")  # a year in the quarterly values
        wb["targets"].cell(3, 3, "2021-03")  # a month target

    probs = _problems(_edit(small_book, tmp_path, edit))
    got = {(p.source.split("'")[1], p.row, p.column, p.value) for p in probs}
    assert got == {("values", 3, "period", "2021"), ("targets", 3, "period", "2021-03")}
