"""Bulk import: the form's layout, KoboToolbox and ODK Central exports; accepted whole or refused
whole with every problem (file, sheet, row, column, value, expected)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from socialkit.errors import DataValidationError
from socialkit.forms import FormImportError, import_file

TODAY = dt.date(2024, 6, 30)

CSW_ROW = {
    "institution_id": "csw_subotica", "period": "2024Q1",
    "staff_social_workers": 12, "staff_psychologists": 3, "staff_pedagogues": 2,
    "staff_special_educators": 1, "staff_lawyers": 2, "staff_other": 5,
    "positions_approved": 30, "vacancies": 4, "new_hires": 1, "departures": 0,
    "case_managers": 10, "active_cases": 620, "new_cases": 80, "computers": 20, "vehicles": 2,
    "internet": "yes", "case_software": "no", "premises_m2": 410.5,
    "premises_condition": "adequate", "premises_accessible": "yes",
    "private_interview_room": "no",
}


def write_xlsx(path, sheets):
    with pd.ExcelWriter(path) as xw:
        for name, frame in sheets.items():
            frame.to_excel(xw, sheet_name=name, index=False)
    return path


def test_the_forms_own_layout_is_accepted_whole(tmp_path, shipped):
    rows = [CSW_ROW, {**CSW_ROW, "institution_id": "csw_sombor", "active_cases": 300},
            {**CSW_ROW, "period": "2024Q2"}]
    path = write_xlsx(tmp_path / "csw.xlsx", {"data": pd.DataFrame(rows)})
    res = import_file(shipped["csw_state"], path, today=TODAY)
    assert len(res.records) == 3
    r = res.records[1]
    assert (r.form_id, r.form_version, r.institution_id, r.period, r.source_row) == (
        "csw_state", "2026.1", "csw_sombor", "2024Q1", 3)
    assert r.values["staff_total"] == 25 and r.values["cases_per_manager"] == 30.0
    assert r.values["premises_condition"] == "adequate"


def test_csv_works_too(tmp_path, shipped):
    path = tmp_path / "csw.csv"
    pd.DataFrame([CSW_ROW]).to_csv(path, index=False)
    assert import_file(shipped["csw_state"], path).records[0].values["vacancies"] == 4


def test_a_bad_file_is_refused_whole_with_every_problem(tmp_path, shipped):
    rows = [
        CSW_ROW,
        {**CSW_ROW, "institution_id": "csw_sombor", "vacancies": 40},     # > positions
        {**CSW_ROW, "institution_id": "csw_kikinda", "computers": "many"},  # not a number
        {**CSW_ROW, "institution_id": "csw_senta", "internet": "maybe"},    # not in the list
        {**CSW_ROW, "institution_id": "csw_ada", "period": "2024-Q1"},      # bad period
        {**CSW_ROW},                                                        # duplicate key
        {**CSW_ROW, "institution_id": "csw_becej", "case_managers": None},  # required
    ]
    frame = pd.DataFrame(rows)
    frame["staff_count"] = 1                                                # unknown column
    path = write_xlsx(tmp_path / "csw.xlsx", {"Q1": frame})
    with pytest.raises(FormImportError) as err:
        import_file(shipped["csw_state"], path, today=TODAY)
    assert isinstance(err.value, DataValidationError)
    found = {(p.row, p.column): p for p in err.value.problems}
    assert set(found) == {(1, "staff_count"), (3, "vacancies"), (4, "computers"),
                          (5, "internet"), (6, "period"), (7, "institution_id, period"),
                          (8, "case_managers")}
    for p in err.value.problems:
        assert p.source == "csw.xlsx, sheet 'Q1'"
    assert found[(3, "vacancies")].message == "Cannot exceed the approved positions"
    assert found[(3, "vacancies")].value == "40"
    assert found[(4, "computers")].expected == "a whole number"
    assert found[(5, "internet")].expected == "one of: no, yes"
    assert found[(6, "period")].expected == "a quarter such as 2024Q1"
    assert "row 2" in found[(7, "institution_id, period")].message
    text = str(err.value)
    assert text.startswith("csw.xlsx was not imported: 7 problems found")
    assert "csw.xlsx, sheet 'Q1', row 4, column 'computers'" in text


def test_the_refusal_in_the_users_language(tmp_path, shipped):
    path = write_xlsx(tmp_path / "csw.xlsx", {"d": pd.DataFrame([{**CSW_ROW, "vacancies": 99}])})
    with pytest.raises(FormImportError) as err:
        import_file(shipped["csw_state"], path, lang="sr")
    assert err.value.header.startswith("Датотека csw.xlsx није увезена: пронађен је 1 проблем")
    assert err.value.problems[0].message.startswith("Не може бити већи")


def test_periodic_forms_need_institution_and_period(tmp_path, shipped):
    row = {k: v for k, v in CSW_ROW.items() if k not in ("institution_id", "period")}
    path = write_xlsx(tmp_path / "csw.xlsx", {"d": pd.DataFrame([row])})
    with pytest.raises(FormImportError) as err:
        import_file(shipped["csw_state"], path)
    assert {p.column for p in err.value.problems} == {"institution_id", "period"}
    res = import_file(shipped["csw_state"], path, institution_id="csw_ada", period="2024Q3")
    assert (res.records[0].institution_id, res.records[0].period) == ("csw_ada", "2024Q3")


def test_a_kobo_export_with_groups_and_a_repeat_sheet(tmp_path, shipped):
    form = shipped["research_template"]
    main = pd.DataFrame([
        {"start": "2024-05-01T10:00:00", "consent": "yes", "interview/interview_date":
         "2024-05-01", "interview/respondent_role": "user",
         "interview/location": "45.25 19.84 80 5", "interview/needs": "care other",
         "interview/needs/care": 1, "interview/needs/other": 1, "interview/needs/income": 0,
         "interview/needs_other": "transport", "interview/phone": "+381 21 555 123",
         "_id": 101, "_uuid": "u1", "_submission_time": "2024-05-01T12:00:00",
         "_index": 1, "_tags": None},
        {"start": None, "consent": "no", "_id": 102, "_uuid": "u2",
         "_submission_time": "2024-05-02T12:00:00", "_index": 2},
    ])
    members = pd.DataFrame([
        {"member_age": 44, "member_sex": "female", "_index": 1, "_parent_index": 1,
         "_parent_table_name": "research_template"},
        {"member_age": 9, "member_sex": "male", "_index": 2, "_parent_index": 1,
         "_parent_table_name": "research_template"},
    ])
    path = write_xlsx(tmp_path / "kobo.xlsx", {"research_template": main, "member": members})
    res = import_file(form, path, today=TODAY)
    first, second = (r.values for r in res.records)
    assert first["household_size"] == 2 and first["children"] == 1
    assert first["needs"] == "care other" and first["needs_other"] == "transport"
    assert [m["member_age"] for m in first["member"]] == [44, 9]
    assert second == {"consent": "no"}  # the interview group is not relevant: all cleared

    members.loc[1, "member_age"] = 150
    members.loc[2] = {"member_age": 3, "member_sex": "x", "_index": 3, "_parent_index": 9,
                      "_parent_table_name": "research_template"}
    path = write_xlsx(tmp_path / "kobo2.xlsx", {"research_template": main, "member": members})
    with pytest.raises(FormImportError) as err:
        import_file(form, path, today=TODAY)
    found = {(p.source, p.row, p.column) for p in err.value.problems}
    assert found == {("kobo2.xlsx, sheet 'member'", 3, "member_age"),
                     ("kobo2.xlsx, sheet 'member'", 4, "_parent_index")}


def test_an_odk_central_csv_export(tmp_path, shipped):
    form = shipped["research_template"]
    path = tmp_path / "central.csv"
    pd.DataFrame([{"SubmissionDate": "2024-05-01T12:00:00.000Z", "consent": "yes",
                   "interview-interview_date": "2024-05-01",
                   "interview-respondent_role": "family", "interview-location": "",
                   "interview-needs": "income", "meta-instanceID": "uuid:1", "KEY": "uuid:1",
                   "SubmitterID": 5, "SubmitterName": "a", "AttachmentsPresent": 0,
                   "AttachmentsExpected": 0, "Status": "", "ReviewState": "",
                   "DeviceID": "", "Edits": 0, "FormVersion": "2026.1"}]).to_csv(path,
                                                                                 index=False)
    res = import_file(form, path, today=TODAY)
    assert res.records[0].values["respondent_role"] == "family"
    assert res.records[0].values["needs"] == "income"


def test_unreadable_and_unsupported_files(tmp_path, shipped):
    (tmp_path / "x.xlsx").write_text("not a workbook")
    with pytest.raises(FormImportError) as err:
        import_file(shipped["csw_state"], tmp_path / "x.xlsx")
    assert "cannot open as an Excel workbook" in str(err.value)
    (tmp_path / "x.csv").write_bytes(b"vacancies\n\xff\xfe\xfa\n")
    with pytest.raises(FormImportError) as err:
        import_file(shipped["csw_state"], tmp_path / "x.csv")
    assert "cannot be read (UnicodeDecodeError)" in str(err.value)
    (tmp_path / "x.json").write_text("{}")
    with pytest.raises(FormImportError) as err:
        import_file(shipped["csw_state"], tmp_path / "x.json")
    assert err.value.problems[0].value == ".json"


def test_formula_cells_are_refused(tmp_path, shipped):
    import openpyxl

    path = write_xlsx(tmp_path / "csw.xlsx", {"d": pd.DataFrame([CSW_ROW])})
    wb = openpyxl.load_workbook(path)
    ws = wb["d"]
    col = [c.value for c in ws[1]].index("vacancies") + 1
    ws.cell(row=2, column=col, value="=2+2")
    wb.save(path)
    with pytest.raises(FormImportError) as err:
        import_file(shipped["csw_state"], path)
    (p,) = err.value.problems
    assert (p.row, p.column, p.value) == (2, "vacancies", "=2+2")
    assert "formula" in p.message


def test_a_zip_bomb_is_refused_before_reading(tmp_path, shipped, monkeypatch):
    monkeypatch.setenv("SOCIALKIT_MAX_XLSX_MB", "0.001")
    path = write_xlsx(tmp_path / "csw.xlsx", {"d": pd.DataFrame([CSW_ROW] * 50)})
    with pytest.raises(FormImportError) as err:
        import_file(shipped["csw_state"], path)
    assert "inflates" in str(err.value)
