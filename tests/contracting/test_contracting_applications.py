"""Applications entered through the XLSForm application form (socialkit.forms machinery)."""

from __future__ import annotations

import pandas as pd
import pytest
from contracting_tiny import tiny_tables, write_tables
from openpyxl import load_workbook

from socialkit.cli import main
from socialkit.contracting.applications import add_applications, write_application_form
from socialkit.errors import DataValidationError

GOOD = {"application_id": "a9", "competition_id": "c1", "lot_id": "l1", "ngo_id": "n2",
        "submitted": "2025-02-05T12:00", "price": 9000, "clients": 20, "hours": 1000,
        "visits": 500, "documents": "charter"}


def _book(tmp_path, *rows: dict) -> str:
    path = tmp_path / "filled.xlsx"
    pd.DataFrame(list(rows)).to_excel(path, index=False)
    return str(path)


def test_the_form_speaks_every_language(tmp_path):
    book = load_workbook(write_application_form(tmp_path / "form.xlsx"))
    survey = {c.value: i for i, c in enumerate(book["survey"][1])}
    assert {"label::Русский (ru)", "label::Беларуская (be)", "label::English (en)",
            "constraint_message::Русский (ru)"} <= set(survey)
    rows = list(book["survey"].iter_rows(min_row=2, values_only=True))
    price = next(r for r in rows if r[survey["name"]] == "price")
    assert price[survey["label::Русский (ru)"]] == "Цена (запрашиваемая субсидия)"
    assert price[survey["constraint_message::Русский (ru)"]] == "Введите сумму больше 0"
    choices = {c.value: i for i, c in enumerate(book["choices"][1])}
    docs = {r[choices["name"]]: r[choices["label::Беларуская (be)"]]
            for r in book["choices"].iter_rows(min_row=2, values_only=True)}
    assert docs["charter"] == "Статут арганізацыі"


def test_an_application_is_added_and_every_missing_document_listed(tiny_data, tmp_path):
    merged, complete = add_applications(tiny_data, _book(tmp_path, GOOD), "en")
    assert len(merged.applications) == len(tiny_data.applications) + 1
    assert complete.to_dict("records") == [
        {"application_id": "a9", "missing": "budget", "complete": False}]
    assert set(merged.application_documents.query("application_id == 'a9'")["document"]) == \
        {"charter"}


def test_a_bad_form_is_refused_whole_with_rows_and_columns(tiny_data, tmp_path):
    bad = [GOOD, {**GOOD, "application_id": "a1"},                       # id already used
           {**GOOD, "application_id": "a10", "submitted": "2025-02-11T09:00",
            "ngo_id": "n9"}]                                              # late; unknown NGO
    with pytest.raises(DataValidationError) as info:
        add_applications(tiny_data, _book(tmp_path, *bad), "ru")
    where = {(p.row, p.column) for p in info.value.problems}
    assert where == {(3, "application_id"), (4, "submitted"), (4, "ngo_id")}
    assert all(p.source == "filled.xlsx" for p in info.value.problems)
    text = "\n".join(p.render("ru") for p in info.value.problems)
    assert "заявка подана после окончания срока" in text and "rule:" not in text
    with pytest.raises(DataValidationError) as info:  # the form's own constraints
        add_applications(tiny_data, _book(tmp_path, {**GOOD, "price": -1}), "ru")
    assert "Введите сумму больше 0" in str(info.value.problems[0].render("ru"))


def test_apply_command_writes_all_or_nothing(tmp_path, capsys):
    folder = write_tables(tmp_path / "tiny", tiny_tables())
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as done:
        main(["contracting", "apply", str(folder), "--applications",
              _book(tmp_path, GOOD), "--out", str(out), "--lang", "ru"])
    assert done.value.code in (0, None)
    said = capsys.readouterr().out
    assert "a9: заявка неполная, не хватает: Смета (расчёт запрашиваемой субсидии)" in said
    assert len(pd.read_csv(out / "applications.csv")) == 5
    bad = tmp_path / "out2"
    with pytest.raises(SystemExit) as done:
        main(["contracting", "apply", str(folder), "--applications",
              _book(tmp_path, {**GOOD, "lot_id": "l9"}), "--out", str(bad), "--lang", "ru"])
    assert done.value.code == 1 and not bad.exists()
    assert "строка 2, столбец 'lot_id'" in capsys.readouterr().err
