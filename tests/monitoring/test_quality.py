"""Data quality: completeness, outliers (z-score and median/MAD), validation rules."""

from __future__ import annotations

import pandas as pd
import pytest

from socialkit.monitoring.quality import (
    check_completeness,
    check_outliers,
    check_rules,
    quality_summary,
)


def test_completeness_counts_whole_reports(tiny_values, tiny_fw):
    c = check_completeness(tiny_values, ["A", "B"], ["2020Q1", "2020Q2"], tiny_fw)
    c = c.set_index(["municipality_id", "period"])
    # A 2020Q1 reports all 7 elements; B 2020Q2 lacks covered and workers and trained
    assert c.loc[("A", "2020Q1"), "received"] == 7
    assert c.loc[("A", "2020Q1"), "expected"] == 7
    assert c.loc[("B", "2020Q2"), "received"] == 4  # served, registered, queue, eligible
    assert c.loc[("B", "2020Q2"), "completeness"] == pytest.approx(4 / 7)


def test_completeness_missing_cell_or_missing_value(tiny_values, tiny_fw):
    v = tiny_values[~((tiny_values.indicator_id == "served") & (tiny_values.sex == "male")
                      & (tiny_values.municipality_id == "A") & (tiny_values.period == "2020Q1"))]
    c = check_completeness(v, ["A"], ["2020Q1", "2020Q3"], tiny_fw).set_index("period")
    assert c.loc["2020Q1", "received"] == 6  # 'served' has only one of its two cells
    assert c.loc["2020Q3", "received"] == 1  # only 'trained'; the queue value is NA


def _series(values, element="queue"):
    return pd.DataFrame({"indicator_id": element, "municipality_id": "A",
                         "period": [f"{2018 + i // 4}Q{i % 4 + 1}" for i in range(len(values))],
                         "sex": "total", "age_group": "total", "value": values})


def test_median_based_outlier(tiny_fw):
    out = check_outliers(_series([20.0, 22, 21, 19, 20, 23, 210, 21]), tiny_fw)
    assert out["period"].tolist() == ["2019Q3"]
    # median 21, MAD 1 -> 0.6745 * 189 / 1
    assert out["modified_z"].iloc[0] == pytest.approx(0.6745 * 189)
    assert out["method"].iloc[0] == "both"  # z = 2.47 > 2.0 in the tiny framework


def test_z_score_only_and_zero_mad_fallback(tiny_fw):
    # 10 values: MAD = 0 -> mean absolute deviation fallback; z-score flags the jump
    vals = [5.0] * 9 + [9.0]
    out = check_outliers(_series(vals), tiny_fw)
    assert len(out) == 1 and out["value"].iloc[0] == 9.0
    meanad = 4.0 / 10
    assert out["modified_z"].iloc[0] == pytest.approx(4.0 / (1.253314 * meanad))
    assert check_outliers(_series([20.0, 21, 22, 23, 24, 25]), tiny_fw).empty


def test_rule_breach_found(tiny_values, tiny_fw):
    assert check_rules(tiny_values, tiny_fw).empty
    v = tiny_values.copy()
    v.loc[(v.indicator_id == "served") & (v.municipality_id == "B") & (v.period == "2020Q1")
          & (v.sex == "female"), "value"] = 4.0  # registered is 1
    br = check_rules(v, tiny_fw)
    assert len(br) == 1
    row = br.iloc[0]
    assert (row.rule_id, row.municipality_id, row.period, row.sex) == (
        "served_le_registered", "B", "2020Q1", "female")
    assert (row.left_value, row.right_value) == (4.0, 1.0)


def test_demo_warts_are_flagged(demo_tables):
    v = demo_tables["indicator_values"]
    munis = demo_tables["municipalities"]["municipality_id"].tolist()
    periods = sorted(v["period"].unique())
    breaches = check_rules(v)
    assert len(breaches) == 1 and breaches["rule_id"].item() == "served_le_registered"
    summary = quality_summary(v, munis, periods)
    assert summary["completeness"].min() < 1.0  # missing reports
    assert summary["outliers"].sum() >= 3  # planted ×10 values
    out = check_outliers(v)
    assert (out["modified_z"].abs() > 20).sum() >= 3
