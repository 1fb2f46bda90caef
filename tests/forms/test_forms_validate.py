"""Validating submissions: types, relevance, calculations, required, constraints, repeats."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from socialkit.forms import validate_frame, validate_submission

EN, SR = "English (en)", "Српски (sr)"

SURVEY = [
    {"type": "select_one yn", "name": "has_staff", f"label::{EN}": "Staff?",
     f"label::{SR}": "Особље?", "required": "yes"},
    {"type": "begin group", "name": "staff", f"label::{EN}": "Staff", f"label::{SR}": "Особље",
     "relevant": "${has_staff} = 'yes'"},
    {"type": "integer", "name": "total", f"label::{EN}": "Total", f"label::{SR}": "Укупно",
     "required": "yes", "constraint": ". >= 0",
     f"constraint_message::{EN}": "Not negative", f"constraint_message::{SR}": "Није негативан"},
    {"type": "integer", "name": "women", f"label::{EN}": "Women", f"label::{SR}": "Жене",
     "required": "yes", "constraint": ". <= ${total}"},
    {"type": "end group"},
    {"type": "calculate", "name": "share", "calculation":
     "if(${total} > 0, round(${women} div ${total}, 2), '')"},
    {"type": "decimal", "name": "area", f"label::{EN}": "Area", f"label::{SR}": "Површина",
     "default": "10.5"},
    {"type": "date", "name": "visited", f"label::{EN}": "Visited", f"label::{SR}": "Посета",
     "constraint": ". <= today()"},
    {"type": "select_multiple svc", "name": "services", f"label::{EN}": "Services",
     f"label::{SR}": "Услуге"},
    {"type": "text", "name": "other", f"label::{EN}": "Other", f"label::{SR}": "Друго",
     "required": "yes", "relevant": "selected(${services}, 'other')"},
    {"type": "geopoint", "name": "where", f"label::{EN}": "Where", f"label::{SR}": "Где"},
    {"type": "text", "name": "code", f"label::{EN}": "Code", f"label::{SR}": "Шифра",
     "constraint": "regex(., '^[A-Z]{2}[0-9]{3}$') and string-length(.) = 5"},
    {"type": "note", "name": "n1", f"label::{EN}": "Thanks", f"label::{SR}": "Хвала"},
]
CHOICES = [
    {"list_name": "yn", "name": "yes", f"label::{EN}": "Yes", f"label::{SR}": "Да"},
    {"list_name": "yn", "name": "no", f"label::{EN}": "No", f"label::{SR}": "Не"},
    {"list_name": "svc", "name": "day_care", f"label::{EN}": "Day care", f"label::{SR}": "Д"},
    {"list_name": "svc", "name": "home_help", f"label::{EN}": "Home help", f"label::{SR}": "П"},
    {"list_name": "svc", "name": "other", f"label::{EN}": "Other", f"label::{SR}": "Друго"},
]
TODAY = dt.date(2024, 6, 30)


@pytest.fixture
def form(make_form):
    return make_form(SURVEY, CHOICES, {"form_id": "t", "version": "1"})


def check(form, values, lang="en"):
    return validate_submission(form, values, lang, today=TODAY)


def test_a_valid_submission_is_cleaned_and_calculated(form):
    r = check(form, {"has_staff": "yes", "total": "10", "women": 4, "services": "day_care",
                     "visited": "2024-06-01", "where": "45.25 19.84", "code": "AB123"})
    assert r.ok, r.errors
    assert r.values["share"] == 0.4
    assert r.values["total"] == 10 and r.values["women"] == 4
    assert r.values["area"] == 10.5          # the default fills an absent field
    assert r.values["visited"] == "2024-06-01"
    assert "other" not in r.values


def test_required_only_when_relevant(form):
    r = check(form, {"has_staff": "no"})
    assert r.ok, r.errors                     # total/women are required but not relevant
    r = check(form, {"has_staff": "yes"})
    assert set(r.errors) == {"total", "women"}
    assert r.errors["total"] == ["This field is required"]
    r = check(form, {})
    assert set(r.errors) == {"has_staff"}


def test_non_relevant_values_are_cleared(form):
    r = check(form, {"has_staff": "no", "total": 5, "women": 9, "other": "x"})
    assert r.ok, r.errors                     # women > total is not checked when not relevant
    assert "total" not in r.values and "women" not in r.values and "other" not in r.values
    assert "share" not in r.values


def test_relevance_through_a_select_multiple(form):
    r = check(form, {"has_staff": "no", "services": "home_help other"})
    assert r.errors == {"other": ["This field is required"]}
    r = check(form, {"has_staff": "no", "services": "home_help other", "other": "meals"})
    assert r.ok and r.values["other"] == "meals"


def test_constraint_messages_in_the_users_language(form):
    r = check(form, {"has_staff": "yes", "total": -1, "women": -5}, "sr")
    assert r.errors == {"total": ["Није негативан"]}
    r = check(form, {"has_staff": "yes", "total": -1, "women": -5}, "en")
    assert r.errors == {"total": ["Not negative"]}
    r = check(form, {"has_staff": "yes", "total": -1, "women": -5}, "uk")
    assert r.errors == {"total": ["Not negative"]}      # no Ukrainian text: the default one
    # no message in the form: socialkit's own, in the user's language, naming the condition
    r = check(form, {"has_staff": "yes", "total": 3, "women": 5}, "uk")
    assert r.errors == {"women": ["Значення не відповідає умові форми: . <= ${total}"]}


@pytest.mark.parametrize("field, value, message", [
    ("total", "3.5", "Enter a whole number"),
    ("total", "many", "Enter a whole number"),
    ("area", "ten", "Enter a number"),
    ("visited", "30.06.2024", "Enter a date as YYYY-MM-DD"),
    ("visited", "2024-02-30", "Enter a date as YYYY-MM-DD"),
    ("has_staff", "maybe", "Choose one of the options in the list"),
    ("services", "day_care lunch", "Choose only options from the list"),
    ("where", "95 19", "Enter a location as latitude and longitude in degrees"),
    ("where", "45.2", "Enter a location as latitude and longitude in degrees"),
])
def test_type_errors(form, field, value, message):
    values = {"has_staff": "yes", "total": 1, "women": 0, field: value}
    r = check(form, values)
    assert r.errors == {field: [message]}


def test_other_constraints(form):
    base = {"has_staff": "no"}
    assert check(form, {**base, "visited": "2024-07-01"}).errors == {
        "visited": ["The value does not meet the form's condition: . <= today()"]}
    assert check(form, {**base, "visited": "2024-06-30"}).ok
    assert "code" in check(form, {**base, "code": "AB12"}).errors
    assert "code" in check(form, {**base, "code": "ab123"}).errors
    assert check(form, {**base, "code": "AB123"}).ok


def test_decimal_comma_and_numbers_from_excel(form):
    r = check(form, {"has_staff": "yes", "total": 10.0, "women": "4", "area": "12,5"})
    assert r.ok, r.errors
    assert r.values["area"] == 12.5 and r.values["total"] == 10


def test_messages_in_six_languages(form):
    msgs = {lang: check(form, {}, lang).errors["has_staff"][0]
            for lang in ("en", "uk", "sr")}
    assert msgs == {"en": "This field is required", "uk": "Це поле обов'язкове",
                    "sr": "Ово поље је обавезно"}


def test_a_reader_of_serbian_latin_gets_socialkits_messages_in_latin(form):
    assert check(form, {}, "sr-Latn").errors["has_staff"] == ["Ovo polje je obavezno"]
    assert check(form, {}, "sr-Cyrl").errors["has_staff"] == ["Ово поље је обавезно"]


def test_relevance_is_reported_for_the_entry_page_to_hide_fields(form):
    assert check(form, {"has_staff": "no"}).relevant["total"] is False
    assert check(form, {"has_staff": "yes"}).relevant["total"] is True
    r = check(form, {"has_staff": "yes", "women": "x"})
    assert r.missing_required == ["total"] and [i.field for i in r.blocking] == ["women"]


def test_repeats_with_aggregates(make_form):
    form = make_form([
        {"type": "integer", "name": "expected", "label": "Expected members",
         "constraint": ". = count(${age})"},
        {"type": "begin repeat", "name": "member", "label": "Member",
         "relevant": "${expected} > 0"},
        {"type": "integer", "name": "age", "label": "Age", "required": "yes",
         "constraint": ". >= 0 and . < ${limit}"},
        {"type": "calculate", "name": "child", "calculation": "if(${age} < 18, 1, 0)"},
        {"type": "end repeat"},
        {"type": "integer", "name": "limit", "label": "Limit", "default": "120"},
        {"type": "calculate", "name": "children", "calculation": "sum(${child})"},
        {"type": "calculate", "name": "oldest", "calculation": "max(${age})"},
    ])
    r = validate_submission(form, {"expected": 3, "member": [{"age": 5}, {"age": 40},
                                                              {"age": 12}]})
    assert r.ok, r.errors
    assert r.values["children"] == 2 and r.values["oldest"] == 40
    assert [m["child"] for m in r.values["member"]] == [1, 0, 1]
    r = validate_submission(form, {"expected": 2, "member": [{"age": 5}, {"age": 130}, {}]})
    assert r.errors == {
        "expected": ["The value does not meet the form's condition: . = count(${age})"],
        "member[2]/age": ["The value does not meet the form's condition: "
                          ". >= 0 and . < ${limit}"],
        "member[3]/age": ["This field is required"]}
    r = validate_submission(form, {"expected": 0, "member": []})
    assert r.errors == {} and r.values["children"] == 0


def test_a_frame_gives_the_same_answers_as_one_submission_at_a_time(form):
    rng = np.random.default_rng(7)
    n = 120
    frame = pd.DataFrame({
        "has_staff": rng.choice(["yes", "no", "maybe", None], n),
        "total": rng.choice(["5", "-1", "2.5", "", "12"], n),
        "women": rng.choice(["0", "6", "x", ""], n),
        "services": rng.choice(["day_care", "other", "home_help other", "bad", ""], n),
        "other": rng.choice(["", "meals"], n),
        "visited": rng.choice(["2024-01-01", "2025-01-01", "junk", ""], n),
        "code": rng.choice(["AB123", "A1", ""], n),
    })
    res = validate_frame(form, frame, today=TODAY)
    by_row = res.issues_by_row()
    records = res.records()
    for i, row in enumerate(frame.to_dict("records")):
        one = check(form, {k: v for k, v in row.items() if v is not None})
        frame_errors = {}
        for issue in by_row.get(i, []):
            frame_errors.setdefault(issue.key(form), []).append(issue.message(form))
        assert frame_errors == one.errors, i
        assert records[i] == one.values, i
