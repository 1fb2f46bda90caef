"""Bad input to a strategy cycle: refused with item, file, row, column and rule, exit 1, no
traceback, nothing written."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from socialkit.cli import main
from socialkit.errors import DataValidationError
from socialkit.strategy.inputs import read_cycle


def cli(*args: str) -> int:
    try:
        main(list(args))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def _edit(folder: Path, table: str, row: int, column: str, value) -> None:
    path = folder / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row, column] = value
    frame.to_csv(path, index=False, lineterminator="\n")


def _append(folder: Path, table: str, row: dict) -> None:
    path = folder / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = pd.concat([frame, pd.DataFrame([row])], ignore_index=True)
    frame.to_csv(path, index=False, lineterminator="\n")


@pytest.mark.parametrize(("table", "row", "column", "value", "expected"), [
    ("excerpts", 2, "theme", "loneliness",
     "excerpts.csv, row 4, column 'theme': excerpt FG1.1.3: theme not in the code book"),
    ("actions", 1, "responsible", "",
     "actions.csv, row 3, column 'responsible': action A2: no responsible body"),
    ("objective_indicators", 0, "indicator_id", "happiness_index",
     "objective_indicators.csv, row 2, column 'indicator_id': objective G1.O1: indicator not in "
     "the indicator framework"),
    ("ratings", 5, "score", "9", "ratings.csv, row 7, column 'score'"),
    ("actions", 0, "end", "2026Q4", "action A1: ends before it starts"),
    ("actions", 0, "evidence", "", "action A1: no evidence item"),
    ("sessions", 0, "male", "5",
     "participants by age band do not add up to those by sex"),
])
def test_a_bad_cell_is_named(cycle_copy, table, row, column, value, expected):
    _edit(cycle_copy, table, row, column, value)
    with pytest.raises(DataValidationError) as err:
        read_cycle(cycle_copy)
    assert expected in str(err.value)


def test_a_comment_answered_twice(cycle_copy):
    _append(cycle_copy, "answers", {"comment_id": "C1", "answer": "not",
                                    "reason": "Din nou.", "changed": ""})
    with pytest.raises(DataValidationError) as err:
        read_cycle(cycle_copy)
    text = str(err.value)
    assert "answers.csv, row 7, column 'comment_id'" in text
    assert "comment C1: answered twice (first answer in row 2)" in text
    assert "expected one answer per comment" in text


def test_every_problem_is_listed_at_once(cycle_copy):
    _edit(cycle_copy, "excerpts", 0, "theme", "nope")
    _edit(cycle_copy, "actions", 0, "responsible", "")
    _edit(cycle_copy, "comments", 0, "target", "Z9")
    with pytest.raises(DataValidationError) as err:
        read_cycle(cycle_copy)
    text = str(err.value)
    assert "3 problem(s) in strategy cycle 'md_cantemir'" in text
    assert "theme not in the code book" in text and "no responsible body" in text
    assert "unknown part of the strategy" in text


def test_a_missing_table_and_an_unknown_column(cycle_copy):
    (cycle_copy / "goals.csv").unlink()
    with pytest.raises(DataValidationError, match="table missing"):
        read_cycle(cycle_copy)


def test_cli_refuses_bad_input_and_writes_nothing(cycle_copy, tmp_path, capsys):
    _edit(cycle_copy, "actions", 1, "responsible", "")
    out = tmp_path / "out"
    for cmd in ("render", "consultation", "priorities"):
        assert cli("strategy", cmd, "--cycle", str(cycle_copy), "--out", str(out)) == 1
        err = capsys.readouterr().err
        assert "actions.csv, row 3, column 'responsible'" in err
        assert "Traceback" not in err
        assert not out.exists() or not any(out.iterdir())


def test_cli_refuses_an_evidence_item_not_in_the_pack(cycle_copy, tmp_path, capsys):
    _edit(cycle_copy, "actions", 0, "evidence", "manual.elderly.alone;manual.not_there")
    assert cli("strategy", "render", "--cycle", str(cycle_copy), "--out",
               str(tmp_path / "o")) == 1
    err = capsys.readouterr().err
    assert "action A1: evidence item not in the evidence pack" in err
    assert "manual.not_there" in err
    assert not (tmp_path / "o").exists()


def test_cli_options_checked(tmp_path, capsys):
    from socialkit import config

    DEMO = config.PROJECT_ROOT / "catalogs" / "strategy"
    assert cli("strategy", "evidence", "--cycle", str(DEMO / "md_cantemir"), "--lang", "xx",
               "--out", str(tmp_path / "a")) == 1
    assert "--lang" in capsys.readouterr().err
    assert cli("strategy", "track", "--cycle", str(DEMO / "md_cantemir"), "--report", "27",
               "--out", str(tmp_path / "b")) == 1
    assert "expected a year such as 2027" in capsys.readouterr().err
    assert cli("strategy", "render", "--cycle", str(tmp_path), "--out", str(tmp_path / "c")) == 1
    assert "no strategy.yaml" in capsys.readouterr().err
    assert not any((tmp_path / d).exists() for d in "abc")


def _workbook(folder: Path, path: Path) -> Path:
    from socialkit.strategy.inputs import TABLES

    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        for table in TABLES:
            csv = folder / f"{table}.csv"
            if csv.is_file():
                pd.read_csv(csv, dtype=str, keep_default_na=False).to_excel(
                    xl, sheet_name=table, index=False)
    return path


def test_consultation_imported_from_a_workbook(cycle_copy, tmp_path):
    """The working group's workbook (one sheet a table) gives the same tables as the CSVs;
    a bad cell in it is named by sheet, row and column; a formula is refused."""
    book = _workbook(cycle_copy, tmp_path / "cycle.xlsx")
    assert cli("strategy", "consultation", "--cycle", str(cycle_copy), "--import", str(book),
               "--out", str(tmp_path / "xl")) == 0
    assert cli("strategy", "consultation", "--cycle", str(cycle_copy),
               "--out", str(tmp_path / "csv")) == 0
    for name in ("participation.csv", "themes.csv", "quotes.csv", "voices_and_data.csv"):
        assert (tmp_path / "xl" / name).read_text() == (tmp_path / "csv" / name).read_text()
    from openpyxl import load_workbook

    wb = load_workbook(book)
    wb["excerpts"]["C4"] = "loneliness"   # row 4 = third excerpt
    wb["sessions"]["H3"] = "=1+1"
    wb.save(tmp_path / "bad.xlsx")
    with pytest.raises(DataValidationError) as err:
        read_cycle(cycle_copy, tmp_path / "bad.xlsx")
    assert "formula" in str(err.value) and "sessions" in str(err.value)
    wb["sessions"]["H3"] = 4
    wb.save(tmp_path / "bad.xlsx")
    with pytest.raises(DataValidationError) as err:
        read_cycle(cycle_copy, tmp_path / "bad.xlsx")
    assert "bad.xlsx, sheet 'excerpts', row 4, column 'theme'" in str(err.value)


def test_evidence_from_a_catalog_refuses_unknown_units(tmp_path, capsys):
    from socialkit import config

    moldova = config.PROJECT_ROOT / "catalogs" / "moldova.yaml"
    assert cli("strategy", "evidence", "--catalog", str(moldova), "--district", "Nowhere",
               "--lang", "ro", "--out", str(tmp_path / "a")) == 1
    err = capsys.readouterr().err
    assert "--district 'Nowhere'" in err and "e.g. Cantemir" in err and "Traceback" not in err
    assert cli("strategy", "evidence", "--municipality", "UA0000", "--out",
               str(tmp_path / "b")) == 1
    err = capsys.readouterr().err
    assert "--municipality 'UA0000': not a municipality_id of" in err
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()
