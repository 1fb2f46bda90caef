"""Loading XLSForms: the shipped instruments, and bad forms refused with sheet, row, column."""

from __future__ import annotations

import importlib.util

import openpyxl
import pytest

from socialkit import config
from socialkit.errors import SocialkitError
from socialkit.forms import (
    SHIPPED_FORMS,
    FormDefinitionError,
    form_path,
    language_code,
    load_form,
    load_rules,
    rules_path,
)

EN, SR = "English (en)", "Српски (sr)"


def test_shipped_forms_load_with_both_languages_and_their_settings(shipped):
    assert set(shipped) == set(SHIPPED_FORMS)
    dv = shipped["domestic_violence"]
    assert (dv.form_id, dv.period_type, dv.sensitive, dv.institution_type) == (
        "domestic_violence", "quarter", True, "csw")
    assert dv.version == "2026.1"
    for form in shipped.values():
        assert {"en", "sr-Cyrl"} <= set(form.languages), form.form_id
        for f in form.value_fields:
            if f.type != "calculate":
                assert f.labels.get("en") and f.labels.get("sr-Cyrl"), (form.form_id, f.name)
    assert dv.label("violence_stalking", "sr") == "Прогањање"
    assert dv.label("violence_stalking", "en") == "Stalking"
    assert dv.title("sr").startswith("Насиље у породици")
    assert shipped["csw_state"].choice_label("premises_condition", "poor", "sr").startswith("Лоше")
    assert shipped["research_template"].period_type is None


def test_dv_form_covers_the_eige_breakdowns(shipped):
    names = set(shipped["domestic_violence"].by_name)
    for kind in ("physical", "psychological", "sexual", "economic", "stalking"):
        assert f"violence_{kind}" in names
    assert {"victims_female", "victims_male", "perpetrator_partner",
            "perpetrator_former_partner", "perpetrator_family", "perpetrator_other",
            "urgent_measures", "protection_orders_issued", "ipv_women_18",
            "femicides"} <= names


def test_structure_groups_repeats_and_choices(shipped):
    rt = shipped["research_template"]
    age = rt.field("member_age")
    assert age.repeat == "member" and age.path == ("interview", "member", "member_age")
    assert age.column == "interview/member/member_age"
    assert rt.field("needs").type == "select_multiple"
    assert "other" in rt.field("needs").choice_names
    assert rt.field("household_size").type == "calculate"


def test_every_shipped_rules_file_loads(shipped):
    for name, form in shipped.items():
        path = rules_path(form_path(name))
        if name == "research_template":
            assert not path.exists()
            continue
        assert load_rules(path, form).rules


def test_committed_workbooks_equal_the_build_script_output(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "build_forms", config.PROJECT_ROOT / "scripts" / "build_forms.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.build(tmp_path)
    for name in SHIPPED_FORMS:
        built = openpyxl.load_workbook(tmp_path / f"{name}.xlsx")
        committed = openpyxl.load_workbook(form_path(name))
        assert built.sheetnames == committed.sheetnames, name
        for sheet in built.sheetnames:
            a = [list(r) for r in built[sheet].iter_rows(values_only=True)]
            b = [list(r) for r in committed[sheet].iter_rows(values_only=True)]
            assert a == b, (f"{name}.xlsx, sheet {sheet} differs from scripts/build_forms.py: "
                            "run it and commit the result")


def test_language_codes():
    assert language_code("Srpski (sr)") == "sr-Cyrl"
    assert language_code("Srpski (sr-Latn)") == "sr-Latn"
    assert language_code("Українська (uk)") == "uk"
    assert language_code("Română (ro)") == "ro"
    assert language_code("Беларуская") == "be"


def test_a_form_with_only_default_labels_loads(make_form):
    form = make_form([{"type": "integer", "name": "n", "label": "Number"}])
    assert form.label("n", "uk") == "Number"


# ----------------------------------------------------------------------------- bad forms

def _problems(path):
    with pytest.raises(FormDefinitionError) as err:
        load_form(path)
    assert isinstance(err.value, SocialkitError)
    return err.value.problems, str(err.value)


GOOD = {"type": "integer", "name": "n", "label": "N"}


@pytest.mark.parametrize("row, column, fragment", [
    ({"type": "integr", "name": "x", "label": "X"}, "type (A)", "unknown or unsupported"),
    ({"type": "select_one nolist", "name": "x", "label": "X"}, "type (A)",
     "choice list 'nolist' is not on the choices sheet"),
    ({"type": "integer", "name": "n", "label": "again"}, "name (B)",
     "already used on row 2"),
    ({"type": "integer", "name": "x", "label": "X", "constraint": ". > /data/n"},
     "constraint (D)", "path"),
    ({"type": "integer", "name": "x", "label": "X", "relevant": "${missing} > 1"},
     "relevant (D)", "${missing} is not a field"),
    ({"type": "integer", "name": "x", "label": "X", "relevant": "pulldata('a','b','c','d')"},
     "relevant (D)", "pulldata() is not supported"),
    ({"type": "calculate", "name": "x", "calculation": "${n} +"}, "calculation (D)",
     "unexpected"),
    ({"type": "integer", "name": "x", "label": "X", "required": "${n} >> 2"},
     "required (D)", "unexpected"),
    ({"type": "integer", "name": "2x", "label": "X"}, "name (B)", "not a valid field name"),
    ({"type": "integer", "name": "x", "label": "X", "default": "ten"}, "default (D)",
     "not a valid integer"),
    ({"type": "text", "name": "x", "label": "X", "choice_filter": "a = 1"},
     "choice_filter (D)", "cascading"),
])
def test_bad_rows_are_named_by_sheet_row_and_column(xlsform, row, column, fragment):
    problems, text = _problems(xlsform([GOOD, row]))
    assert len(problems) == 1, text
    p = problems[0]
    assert p.table == "survey" and p.row == 3 and p.column == column, text
    assert fragment in p.message, text
    assert "sheet 'survey', row 3" in text


def test_every_problem_is_listed_at_once(xlsform):
    problems, text = _problems(xlsform([
        {"type": "integr", "name": "x", "label": "X"},
        {"type": "integer", "name": "a", "label": "A"},
        {"type": "integer", "name": "a", "label": "A"},
        {"type": "integer", "name": "b", "label": "B", "constraint": ". > ${zz}"},
    ]))
    assert sorted(p.row for p in problems) == [2, 4, 5], text


def test_nesting_problems(xlsform):
    problems, text = _problems(xlsform([
        {"type": "begin group", "name": "g", "label": "G"}, GOOD]))
    assert "never closed" in text and problems[0].row == 2
    problems, text = _problems(xlsform([GOOD, {"type": "end repeat"}]))
    assert "closes nothing" in text and problems[0].row == 3
    problems, text = _problems(xlsform([
        {"type": "begin repeat", "name": "r1", "label": "R"},
        {"type": "begin repeat", "name": "r2", "label": "R"},
        GOOD, {"type": "end repeat"}, {"type": "end repeat"}]))
    assert "repeat inside a repeat" in text and problems[0].row == 3


def test_a_repeat_field_outside_its_repeat_needs_an_aggregate(xlsform, make_form):
    rows = [{"type": "begin repeat", "name": "r", "label": "R"},
            {"type": "integer", "name": "a", "label": "A"},
            {"type": "end repeat"}]
    problems, text = _problems(xlsform([*rows, {"type": "calculate", "name": "c",
                                                "calculation": "${a} + 1"}]))
    assert "inside the repeat 'r'" in text and problems[0].row == 5
    form = make_form([*rows, {"type": "calculate", "name": "c", "calculation": "sum(${a})"}])
    assert form.field("c").calculation is not None


def test_a_cycle_of_calculations_is_refused(xlsform):
    problems, text = _problems(xlsform([
        {"type": "calculate", "name": "a", "calculation": "${b} + 1"},
        {"type": "calculate", "name": "b", "calculation": "${a} + 1"}]))
    assert "cycle" in text and problems[0].row in (2, 3)


def test_choices_sheet_problems(xlsform):
    problems, text = _problems(xlsform(
        [{"type": "select_one l", "name": "x", "label": "X"}],
        [{"list_name": "l", "name": "a", "label": "A"},
         {"list_name": "l", "name": "a", "label": "A again"}]))
    assert problems[0].table == "choices" and problems[0].row == 3
    assert "used twice" in text


def test_settings_problems(xlsform):
    problems, text = _problems(xlsform([GOOD], settings={"form_id": "f",
                                                         "period_type": "week"}))
    assert problems[0].table == "settings" and "period_type" in problems[0].column
    assert "quarter, year or month" in text


def test_no_survey_sheet_and_not_a_workbook(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "questions"
    wb.save(tmp_path / "f.xlsx")
    _, text = _problems(tmp_path / "f.xlsx")
    assert "no 'survey' sheet" in text
    (tmp_path / "g.xlsx").write_text("not a workbook")
    _, text = _problems(tmp_path / "g.xlsx")
    assert "not a readable .xlsx" in text


def test_labels_in_several_languages_map_to_socialkit_codes(make_form):
    form = make_form([{"type": "integer", "name": "n", f"label::{EN}": "Staff",
                       f"label::{SR}": "Особље", "label::Українська (uk)": "Персонал",
                       "constraint": ". < 5", f"constraint_message::{EN}": "Too many",
                       f"constraint_message::{SR}": "Превише"}])
    assert set(form.languages) == {"en", "sr-Cyrl", "uk"}
    assert form.label("n", "uk") == "Персонал"
    assert form.label("n", "sr-Cyrl") == "Особље"
    assert form.label("n", "ro") == "Staff"  # falls back to English


def test_serbian_latin_is_derived_from_cyrillic_by_the_suites_transliteration(
        shipped, monkeypatch):
    import sys
    import types

    import socialkit.i18n

    fake = types.ModuleType("socialkit.i18n.translit")
    fake.to_latin = lambda text: text.replace("Прогањање", "Proganjanje")
    monkeypatch.setitem(sys.modules, "socialkit.i18n.translit", fake)
    monkeypatch.setattr(socialkit.i18n, "translit", fake, raising=False)
    dv = shipped["domestic_violence"]
    assert dv.label("violence_stalking", "sr-Latn") == "Proganjanje"
    assert dv.label("violence_stalking", "sr") == "Прогањање"
