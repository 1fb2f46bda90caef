"""DHIS2-style validation rules (operators, missing-value strategies, previous period) and
modified z-score outliers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from socialkit.errors import FrameworkError
from socialkit.forms import evaluate_rules, flag_outliers, form_path, load_rules, rules_path
from socialkit.forms.rules import previous_period

SURVEY = [{"type": "integer", "name": n, "label": n} for n in ("a", "b", "c", "total")]


@pytest.fixture
def form(make_form):
    return make_form(SURVEY, settings={"form_id": "t", "period_type": "quarter"})


def rules(tmp_path, form, *items):
    path = tmp_path / "t.rules.yaml"
    path.write_text(yaml.safe_dump({"form_id": "t", "rules": list(items)}, allow_unicode=True))
    return load_rules(path, form)


def rule(left, op, right, lstrat="SKIP_IF_ALL_VALUES_MISSING",
         rstrat="SKIP_IF_ALL_VALUES_MISSING", **kw):
    return {"id": kw.get("id", "r"), "name": {"en": "Rule", "sr": "Правило"},
            "importance": kw.get("importance", "medium"), "operator": op,
            "left": {"expression": left, "missing_value_strategy": lstrat},
            "right": {"expression": right, "missing_value_strategy": rstrat}}


def frame(**cols):
    n = len(next(iter(cols.values())))
    out = pd.DataFrame({"institution_id": [f"i{k}" for k in range(n)], "period": "2024Q1"})
    for k, v in cols.items():
        out[k] = pd.array(v, dtype="Int64")
    return out


def violations(form, rs, df, lang="en"):
    return evaluate_rules(form, rs, df, lang)["institution_id"].tolist()


def test_sum_equals_total(tmp_path, form):
    rs = rules(tmp_path, form, rule("${a} + ${b}", "==", "${total}", "NEVER_SKIP"))
    df = frame(a=[1, 2, None, None], b=[2, 2, 3, None], total=[3, 5, 3, 0])
    # row 3: both missing, NEVER_SKIP counts them as 0 → 0 == 0
    assert violations(form, rs, df) == ["i1"]


@pytest.mark.parametrize("strategy, expected", [
    ("SKIP_IF_ANY_VALUE_MISSING", ["i0"]),
    ("SKIP_IF_ALL_VALUES_MISSING", ["i0", "i1"]),
    ("NEVER_SKIP", ["i0", "i1", "i2"]),
])
def test_missing_value_strategies(tmp_path, form, strategy, expected):
    rs = rules(tmp_path, form, rule("${a} + ${b}", ">=", "${total}", strategy))
    df = frame(a=[1, 1, None], b=[1, None, None], total=[5, 5, 5])
    assert violations(form, rs, df) == expected


@pytest.mark.parametrize("op, expected", [
    ("==", ["i1", "i2"]), ("!=", ["i0"]), (">", ["i0", "i1"]), (">=", ["i1"]),
    ("<", ["i0", "i2"]), ("<=", ["i2"]),
])
def test_operators(tmp_path, form, op, expected):
    rs = rules(tmp_path, form, rule("${a}", op, "${b}"))
    df = frame(a=[2, 1, 3], b=[2, 2, 1])
    assert violations(form, rs, df) == expected


def test_pairs(tmp_path, form):
    df = frame(a=[1, None, 1, None], b=[None, 1, 1, None])
    rs = rules(tmp_path, form, rule("${a}", "compulsory_pair", "${b}"))
    assert violations(form, rs, df) == ["i0", "i1"]
    rs = rules(tmp_path, form, rule("${a}", "exclusive_pair", "${b}"))
    assert violations(form, rs, df) == ["i2"]


def test_previous_period(tmp_path, form):
    rs = rules(tmp_path, form, rule("${total}", "<=", "previous(${total}) + ${a}",
                                    "SKIP_IF_ANY_VALUE_MISSING", "SKIP_IF_ANY_VALUE_MISSING"))
    df = pd.DataFrame({"institution_id": ["x", "x", "x", "y"],
                       "period": ["2023Q4", "2024Q1", "2024Q3", "2024Q1"],
                       "total": [10, 14, 30, 5], "a": [0, 2, 0, 1]})
    out = evaluate_rules(form, rs, df)
    # x 2024Q1: 14 > 10 + 2; x 2024Q3 has no 2024Q2 and y no 2023Q4: skipped
    assert out[["institution_id", "period", "left", "right"]].to_dict("records") == [
        {"institution_id": "x", "period": "2024Q1", "left": 14.0, "right": 12.0}]
    assert previous_period("2024Q1", "quarter") == "2023Q4"
    assert previous_period("2024", "year") == "2023"
    assert previous_period("2024-01", "month") == "2023-12"


def test_violations_carry_name_importance_and_are_sorted(tmp_path, form):
    rs = rules(tmp_path, form, rule("${a}", "<=", "${b}", id="low1", importance="low"),
               rule("${a}", "<=", "${c}", id="high1", importance="high"))
    out = evaluate_rules(form, rs, frame(a=[5], b=[1], c=[1]), "sr")
    assert out["rule_id"].tolist() == ["high1", "low1"]
    assert out["rule"].tolist() == ["Правило", "Правило"]


def test_bad_rules_files(tmp_path, form):
    with pytest.raises(FrameworkError, match="rules\\[0\\].operator"):
        rules(tmp_path, form, rule("${a}", "≈", "${b}"))
    with pytest.raises(FrameworkError, match="zz. is not a field"):
        rules(tmp_path, form, rule("${zz}", "==", "${b}"))
    with pytest.raises(FrameworkError, match="rules\\[0\\].left.expression"):
        rules(tmp_path, form, rule("${a} +", "==", "${b}"))
    with pytest.raises(FrameworkError, match="missing_value_strategy"):
        rules(tmp_path, form, rule("${a}", "==", "${b}", "SKIP_SOMETIMES"))
    with pytest.raises(FrameworkError, match="used twice"):
        rules(tmp_path, form, rule("${a}", "==", "${b}"), rule("${a}", "==", "${c}"))


def test_shipped_dv_rules_catch_a_realistic_mistake(shipped):
    form = shipped["domestic_violence"]
    rs = load_rules(rules_path(form_path("domestic_violence")), form)
    good = {"institution_id": "csw_novi_sad", "period": "2024Q1", "reports_received": 40,
            "victims_total": 30, "victims_female": 24, "victims_male": 6,
            "victims_age_0_17": 5, "victims_age_18_29": 8, "victims_age_30_64": 14,
            "victims_age_65": 3, "perpetrator_partner": 15, "perpetrator_former_partner": 5,
            "perpetrator_family": 8, "perpetrator_other": 2, "ipv_women_18": 17,
            "protection_orders_requested": 6, "protection_orders_issued": 4}
    bad = {**good, "institution_id": "csw_zrenjanin", "victims_male": 9}
    out = evaluate_rules(form, rs, pd.DataFrame([good, bad]))
    assert out[["institution_id", "rule_id"]].to_dict("records") == [
        {"institution_id": "csw_zrenjanin", "rule_id": "victims_by_sex"}]


def test_outliers_by_modified_z_score():
    rng = np.random.default_rng(1)
    staff = rng.normal(20, 2, 40).round()
    staff[7] = 95
    df = pd.DataFrame({"institution_id": [f"c{i}" for i in range(40)], "period": "2024Q1",
                       "staff": staff, "cases": 100})
    out = flag_outliers(df, ["staff", "cases"])
    assert out["institution_id"].tolist() == ["c7"]
    med = np.median(staff)
    mad = np.median(np.abs(staff - med))
    assert out["z"].iloc[0] == pytest.approx(0.6745 * (95 - med) / mad)
    # 'cases' is constant: MAD = 0, not screened (the score is undefined)
    assert "cases" not in out["field"].tolist()
    # within each period separately
    two = pd.concat([df, df.assign(period="2024Q2", staff=df["staff"] * 10)])
    per = flag_outliers(two, ["staff"], by=["period"])
    assert sorted(per["period"]) == ["2024Q1", "2024Q2"]
    # groups that are too small are not screened
    assert flag_outliers(df.head(4), ["staff"]).empty
