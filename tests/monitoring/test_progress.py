"""Hand-checked indicator values, aggregation rules, progress and status."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from socialkit.monitoring.indicators import compute_indicators, period_quarters
from socialkit.monitoring.progress import (
    compute_progress,
    compute_trends,
    progress_ratio,
    share_on_track,
    status_of,
)


def _one(frame, **where):
    sel = frame
    for k, v in where.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, sel
    return sel.iloc[0]


# -- progress formula ---------------------------------------------------------------------------
def test_progress_higher_is_better():
    # baseline 50, target 70, actual 64 -> 14 / 20
    assert progress_ratio([64.0], [50.0], [70.0], ["higher"])[0] == pytest.approx(0.7)
    # falling below the baseline is negative progress
    assert progress_ratio([45.0], [50.0], [70.0], ["higher"])[0] == pytest.approx(-0.25)


def test_progress_lower_is_better():
    # waiting list: baseline 40, target 20, actual 25 -> (25-40)/(20-40) = 0.75
    assert progress_ratio([25.0], [40.0], [20.0], ["lower"])[0] == pytest.approx(0.75)
    # rising waiting list is negative progress
    assert progress_ratio([50.0], [40.0], [20.0], ["lower"])[0] == pytest.approx(-0.5)


def test_progress_maintain_target_and_missing():
    p = progress_ratio([10.0, 9.0, 9.0, np.nan], [10.0] * 4, [10.0] * 4,
                       ["higher", "higher", "lower", "higher"])
    assert p[0] == 1.0 and p[1] == 0.0 and p[2] == 1.0 and np.isnan(p[3])


def test_status_thresholds_are_inclusive():
    s = status_of([0.9, 0.8999, 0.6, 0.5999, np.nan, 2.0], 0.9, 0.6)
    assert list(s) == ["on_track", "at_risk", "at_risk", "off_track", "no_data", "on_track"]


# -- aggregation rules ----------------------------------------------------------------------------
def test_period_windows():
    assert period_quarters("2020") == ["2020Q1", "2020Q2", "2020Q3", "2020Q4"]
    assert period_quarters("2020Q3", cumulative=True, start="2020Q1") == [
        "2020Q1", "2020Q2", "2020Q3"]


def test_time_sum_ratio_of_sums(tiny_values, tiny_fw):
    r = compute_indicators(tiny_values, tiny_fw, periods=["2020"])
    a = _one(r, indicator_id="served_share", unit_id="A")
    assert (a["numerator"], a["denominator"]) == (45.0, 70.0)
    assert a["value"] == pytest.approx(100 * 45 / 70)


def test_time_last_takes_latest_reported_quarter(tiny_values, tiny_fw):
    r = compute_indicators(tiny_values, tiny_fw, periods=["2020", "2020Q1"])
    assert _one(r, indicator_id="queue", unit_id="A", period="2020")["value"] == 20  # not 50
    assert _one(r, indicator_id="queue", unit_id="B", period="2020")["value"] == 7
    assert _one(r, indicator_id="queue", unit_id="A", period="2020Q1")["value"] == 30


def test_time_average_uses_pairwise_complete_quarters(tiny_values, tiny_fw):
    r = compute_indicators(tiny_values, tiny_fw, periods=["2020"])
    assert _one(r, indicator_id="coverage", unit_id="A")["value"] == pytest.approx(15.0)
    # B reported the denominator only in Q2: Q2 is left out of both parts -> 30/50
    assert _one(r, indicator_id="coverage", unit_id="B")["value"] == pytest.approx(60.0)
    assert _one(r, indicator_id="workers", unit_id="A")["value"] == pytest.approx(5.0)


def test_cumulative_window_starts_at_programme_start(tiny_values, tiny_fw):
    r = compute_indicators(tiny_values, tiny_fw, periods=["2020Q2", "2020Q3"])
    assert _one(r, indicator_id="trained", period="2020Q2")["value"] == 5  # 2 + 3, not 3
    assert _one(r, indicator_id="trained", period="2020Q3")["value"] == 9


def test_space_sum_divides_sums_never_averages_ratios(tiny_values, tiny_fw, tiny_munis):
    r = compute_indicators(tiny_values, tiny_fw, periods=["2020"], level="programme",
                           municipalities=tiny_munis)
    p = _one(r, indicator_id="served_share")
    assert p["value"] == pytest.approx(100 * 53 / 90)  # 58.89 %
    assert p["value"] != pytest.approx((100 * 45 / 70 + 100 * 8 / 20) / 2)  # 52.14 %
    assert p["n_municipalities"] == 2
    assert _one(r, indicator_id="queue")["value"] == 27  # stocks add up across places


def test_space_average(tiny_values, tiny_fw, tiny_munis):
    r = compute_indicators(tiny_values, tiny_fw, periods=["2020"], level="district",
                           municipalities=tiny_munis)
    w = _one(r, indicator_id="workers", unit_id="D1")
    assert w["value"] == pytest.approx(3.5)  # mean(5, 2), not 7


def test_disaggregated_margins(tiny_values, tiny_fw):
    r = compute_indicators(tiny_values, tiny_fw, periods=["2020"], cells="all")
    f = _one(r, indicator_id="served_share", unit_id="A", sex="female")
    assert f["value"] == pytest.approx(100 * 30 / 40)
    m = _one(r, indicator_id="served_share", unit_id="A", sex="male")
    assert (m["numerator"], m["denominator"]) == (15.0, 30.0)


def test_missing_cell_makes_total_missing(tiny_values, tiny_fw):
    v = tiny_values.copy()
    hole = (v.indicator_id == "served") & (v.municipality_id == "A") & (v.period == "2020Q1") & (
        v.sex == "male")
    v.loc[hole, "value"] = np.nan
    r = compute_indicators(v, tiny_fw, periods=["2020Q1"])
    assert _one(r, indicator_id="served_share", unit_id="B")["value"] == pytest.approx(20.0)
    assert r[(r.indicator_id == "served_share") & (r.unit_id == "A")].empty


def test_inputs_not_mutated(tiny_values, tiny_targets, tiny_fw):
    before_v, before_t = tiny_values.copy(), tiny_targets.copy()
    compute_progress(tiny_values, tiny_targets, tiny_fw)
    pd.testing.assert_frame_equal(tiny_values, before_v)
    pd.testing.assert_frame_equal(tiny_targets, before_t)


# -- progress and status ----------------------------------------------------------------------
def test_progress_per_municipality(tiny_values, tiny_targets, tiny_fw):
    p = compute_progress(tiny_values, tiny_targets, tiny_fw)
    a = _one(p, indicator_id="served_share", unit_id="A")
    assert a["actual"] == pytest.approx(100 * 45 / 70)
    assert a["progress"] == pytest.approx((100 * 45 / 70 - 50) / 20)  # 0.714
    assert a["status"] == "at_risk"
    assert _one(p, indicator_id="queue", unit_id="A")["status"] == "on_track"  # 20 -> target
    b = _one(p, indicator_id="queue", unit_id="B")
    assert b["progress"] == pytest.approx(0.6) and b["status"] == "at_risk"
    t = p[p.indicator_id == "trained"].set_index("period")
    assert t.loc["2020Q2", "progress"] == pytest.approx(5 / 5)
    assert t.loc["2020Q3", "progress"] == pytest.approx(9 / 12)
    assert t.loc["2020Q3", "status"] == "at_risk"


def test_progress_aggregated_weights_targets_by_denominator(tiny_values, tiny_targets, tiny_fw,
                                                             tiny_munis):
    p = compute_progress(tiny_values, tiny_targets, tiny_fw, level="programme",
                         municipalities=tiny_munis)
    s = _one(p, indicator_id="served_share")
    assert s["baseline"] == pytest.approx((50 * 70 + 30 * 20) / 90)
    assert s["target"] == pytest.approx((70 * 70 + 50 * 20) / 90)
    assert s["actual"] == pytest.approx(100 * 53 / 90)
    assert s["progress"] == pytest.approx((100 * 53 / 90 - 4100 / 90) / (5900 / 90 - 4100 / 90))
    q = _one(p, indicator_id="queue")
    assert (q["baseline"], q["target"], q["actual"]) == (50.0, 25.0, 27.0)
    assert q["progress"] == pytest.approx(0.92) and q["status"] == "on_track"


def test_no_actual_is_no_data(tiny_values, tiny_targets, tiny_fw):
    t = pd.concat([tiny_targets, tiny_targets.iloc[[0]].assign(municipality_id="C"),
                   tiny_targets.iloc[[1]].assign(municipality_id="C")], ignore_index=True)
    p = compute_progress(tiny_values, t, tiny_fw)
    assert _one(p, indicator_id="served_share", unit_id="C")["status"] == "no_data"


def test_share_on_track(tiny_values, tiny_targets, tiny_fw):
    p = compute_progress(tiny_values, tiny_targets, tiny_fw)
    s = share_on_track(p, by=["unit_id"]).set_index("unit_id")
    # A: served at_risk, queue on_track, trained on_track (Q2) and at_risk (Q3) -> 2 of 4
    assert s.loc["A", "on_track"] == 2 and s.loc["A", "n_assessed"] == 4
    assert s.loc["A", "share_on_track"] == pytest.approx(0.5)
    assert s.loc["B", "share_on_track"] == 0.0


def test_trends_respect_direction(tiny_fw):
    rows = []
    for q, (queue, served) in enumerate([(40, 10), (35, 12), (30, 14), (25, 16)], start=1):
        rows += [{"indicator_id": "queue", "municipality_id": "A", "period": f"2020Q{q}",
                  "sex": "total", "age_group": "total", "value": float(queue)}]
        for sex in ("female", "male"):
            rows += [{"indicator_id": "served", "municipality_id": "A", "period": f"2020Q{q}",
                      "sex": sex, "age_group": "total", "value": float(served)},
                     {"indicator_id": "registered", "municipality_id": "A",
                      "period": f"2020Q{q}", "sex": sex, "age_group": "total", "value": 20.0}]
    tr = compute_trends(pd.DataFrame(rows), tiny_fw).set_index("indicator_id")
    assert tr.loc["queue", "slope"] == pytest.approx(-5.0)
    assert tr.loc["queue", "trend"] == "improving"  # falling waiting list is good
    assert tr.loc["served_share", "trend"] == "improving"
    flat = pd.DataFrame(rows).assign(value=lambda f: np.where(f.indicator_id == "queue", 30.0,
                                                              f.value))
    assert compute_trends(flat, tiny_fw).set_index("indicator_id").loc["queue", "trend"] == "stable"


def test_demo_progress_has_every_status(demo_tables):
    p = compute_progress(demo_tables["indicator_values"], demo_tables["indicator_targets"])
    assert {"on_track", "at_risk", "off_track"} <= set(p["status"])
    prog = compute_progress(demo_tables["indicator_values"], demo_tables["indicator_targets"],
                            level="region", municipalities=demo_tables["municipalities"])
    assert set(prog["unit_id"]) == set(demo_tables["municipalities"]["region"])
