"""Bad input is refused with file, row, column and rule, and nothing is written."""

from __future__ import annotations

import pandas as pd
import pytest
from contracting_tiny import tiny_tables, write_tables

from socialkit.cli import main
from socialkit.contracting import read_contracting
from socialkit.errors import DataValidationError


def _refused(tmp_path, edit) -> list:
    t = tiny_tables()
    edit(t)
    with pytest.raises(DataValidationError) as info:
        read_contracting(write_tables(tmp_path / "bad", t))
    return info.value.problems


def _one(problems, table: str):
    found = [p for p in problems if p.table == table]
    assert len(found) == 1, [str(p) for p in problems]
    return found[0]


def test_weights_not_adding_up_to_100(tmp_path):
    p = _one(_refused(tmp_path, lambda t: t["criteria"].__setitem__(
        "weight", [None, None, 40.0, 35.0, 30.0])), "criteria")
    assert (p.row, p.column, p.value) == (4, "weight", 105.0)
    assert "criteria.csv" in p.source and "weights add up to 100" in str(p)


def test_score_outside_the_scale(tmp_path):
    p = _one(_refused(tmp_path, lambda t: t["scores"].__setitem__(
        "score", [6.0, 8.0, 5.0, 5.0, 9.0, 11.0, 8.0, 10.0])), "scores")
    assert (p.row, p.column, p.value) == (7, "score", 11.0)
    assert "from 0 to 10" in str(p) and "rule: scale" in str(p)


def test_evaluator_scoring_without_a_declaration(tmp_path):
    def edit(t):
        t["declarations"].loc[1, "no_conflict"] = False
    problems = _refused(tmp_path, edit)
    assert [(p.row, p.column, p.value) for p in problems] == [
        (r, "evaluator_id", "e2") for r in (3, 5, 7, 9)]
    assert "declaration" in str(problems[0])


def test_application_after_the_deadline(tmp_path):
    # a4 at 18:00 on the deadline day is in time (a date deadline is the end of that day)
    p = _one(_refused(tmp_path, lambda t: t["applications"].__setitem__(
        "submitted", ["2025-02-01T10:00", "2025-02-03T10:00", "2025-02-04T10:00",
                      "2025-02-11T00:00"])), "applications")
    assert (p.row, p.column, p.value) == (5, "submitted", "2025-02-11T00:00")
    assert "rule: deadline" in str(p)


def test_payment_above_the_contract_value(tmp_path):
    p = _one(_refused(tmp_path, lambda t: t["payments"].__setitem__(
        "amount", [1000.0, 1500.0, 1000.0])), "payments")
    assert (p.row, p.column, p.value) == (4, "amount", 1000.0)
    assert "at most 500.00" in str(p) and "contract value" in str(p)


def test_unknown_lot_and_ngo_ids(tmp_path):
    def edit(t):
        t["applications"].loc[0, "lot_id"] = "l9"
        t["applications"].loc[2, "ngo_id"] = "n9"
    problems = _refused(tmp_path, edit)
    where = {(p.row, p.column, p.value) for p in problems}
    assert {(2, "lot_id", "l9"), (4, "ngo_id", "n9")} <= where


def test_schema_problems_name_row_and_column(tmp_path):
    def edit(t):
        t["applications"]["price"] = t["applications"]["price"].astype(object)
        t["applications"].loc[1, "price"] = "ten thousand"
        t["competitions"].loc[0, "weighting"] = "points"
    problems = _refused(tmp_path, edit)
    where = {(p.table, p.row, p.column) for p in problems}
    assert {("applications", 3, "price"), ("competitions", 2, "weighting")} == where


def test_a_workbook_reads_like_the_folder(tmp_path, tiny_folder):
    book = tmp_path / "tiny.xlsx"
    with pd.ExcelWriter(book) as w:
        for name, frame in tiny_tables().items():
            frame.to_excel(w, sheet_name=name, index=False)
    a, b = read_contracting(book), read_contracting(tiny_folder)
    for name, frame in a.tables().items():
        pd.testing.assert_frame_equal(frame, b.tables()[name], check_dtype=False)
    assert a.source("scores").endswith("tiny.xlsx[scores]")


def test_cli_refuses_bad_input_without_traceback_or_output(tmp_path, capsys):
    t = tiny_tables()
    t["criteria"].loc[2, "weight"] = 50.0
    folder = write_tables(tmp_path / "bad", t)
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as info:
        main(["contracting", "evaluate", str(folder), "--out", str(out)])
    assert info.value.code == 1
    err = capsys.readouterr().err
    assert "criteria.csv, row 4, column 'weight'" in err and "Traceback" not in err
    assert not out.exists()


def test_bad_input_in_the_users_language(tmp_path, capsys):
    """Every rule's problem has its message in ru and be; the CLI prints them in --lang."""
    t = tiny_tables()
    t["criteria"].loc[4, "weight"] = 30.0                       # 105 %
    t["applications"].loc[3, "submitted"] = "2025-02-11T09:00"  # after the deadline
    t["scores"].loc[5, "score"] = 11.0                          # off the 0..10 scale
    t["declarations"].loc[1, "no_conflict"] = False             # e2 scores undeclared
    t["payments"].loc[1, "amount"] = 1500.0                     # above the contract value
    t["applications"].loc[0, "ngo_id"] = "n9"                   # unknown NGO
    folder = write_tables(tmp_path / "bad", t)
    with pytest.raises(DataValidationError) as info:
        read_contracting(folder)
    problems = info.value.problems
    assert {p.code for p in problems} == {
        "contracting.problem.weights_total", "contracting.problem.after_deadline",
        "contracting.problem.off_scale", "contracting.problem.no_declaration",
        "contracting.problem.payments_above", "contracting.problem.unknown_id"}
    for lang in ("ru", "be", "uk", "ro", "sr-Cyrl"):
        for p in problems:
            text = p.render(lang)
            assert "rule:" not in text and "contracting." not in text, (lang, text)
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exit_info:
        main(["contracting", "evaluate", str(folder), "--out", str(out), "--lang", "ru"])
    assert exit_info.value.code == 1 and not out.exists()
    err = capsys.readouterr().err
    for needle in ("обнаружено проблем: 9",
                   "criteria.csv, строка 4, столбец 'weight': веса критериев оценки конкурса c1 "
                   "в сумме дают 105 % (правило: сумма весов 100 %)",
                   "applications.csv, строка 5, столбец 'submitted': заявка подана после "
                   "окончания срока 2025-02-10", "ожидается не позднее 2025-02-10",
                   "scores.csv, строка 7, столбец 'score': оценка вне шкалы",
                   "декларацию об отсутствии конфликта интересов",
                   "payments.csv, строка 4, столбец 'amount': выплаты по договору k1",
                   "applications.csv, строка 2, столбец 'ngo_id': неизвестный идентификатор"):
        assert needle in err, needle
    assert "Traceback" not in err and "rule:" not in err


def test_an_unreadable_csv_is_a_problem_not_a_traceback(tmp_path):
    folder = write_tables(tmp_path / "bad", tiny_tables())
    (folder / "scores.csv").write_bytes(b"application_id,criterion_id\n\xff\xfe\x00bad\n")
    with pytest.raises(DataValidationError) as info:
        read_contracting(folder)
    p = info.value.problems[0]
    assert p.source.endswith("scores.csv") and p.code == "unreadable"
