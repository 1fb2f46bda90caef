"""Demo generators for indicator values/targets and service scores."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from socialkit.data.demo import geography, monitoring, services
from socialkit.data.schemas import SCHEMAS
from socialkit.monitoring import load_framework


@pytest.fixture(scope="module")
def geo():
    return geography.generate(np.random.default_rng([7, 0]), 12)


def test_deterministic_and_valid(geo):
    a = monitoring.generate(np.random.default_rng(5), geo)
    b = monitoring.generate(np.random.default_rng(5), geo)
    for name in ("indicator_values", "indicator_targets"):
        pd.testing.assert_frame_equal(a[name], b[name])
        SCHEMAS[name].validate(a[name])
    s1 = services.generate(np.random.default_rng(5), geo)
    s2 = services.generate(np.random.default_rng(5), geo)
    for name in ("services", "service_scores"):
        pd.testing.assert_frame_equal(s1[name], s2[name])
        SCHEMAS[name].validate(s1[name])


def test_values_follow_the_framework(geo):
    fw = load_framework()
    v = monitoring.generate(np.random.default_rng(5), geo)["indicator_values"]
    assert set(v["indicator_id"]) == set(fw.element_ids())
    assert set(v["period"]) == {f"{y}Q{q}" for y in (2020, 2021) for q in range(1, 5)}
    served = v[v.indicator_id == "clients_served"]
    assert set(served["sex"]) == {"female", "male"}
    assert set(served["age_group"]) == {"0-17", "18-59", "60+"}
    assert set(v.loc[v.indicator_id == "waiting_list", "sex"]) == {"total"}
    t = monitoring.generate(np.random.default_rng(5), geo)["indicator_targets"]
    assert set(t["indicator_id"]) == set(fw.indicator_ids())
    assert set(t["period"]) == {"2019", "2020", "2021"}
    base = t[(t.kind == "baseline") & (t.indicator_id == "staff_trained")]
    assert (base["value"] == 0).all()  # cumulative: nothing trained before the programme


def test_warts(geo):
    from socialkit.monitoring.quality import check_rules

    v = monitoring.generate(np.random.default_rng(5), geo)["indicator_values"]
    assert v["value"].isna().any()
    per_report = v.groupby(["municipality_id", "period"]).size()
    assert per_report.min() < per_report.max()  # some reports missing
    assert len(check_rules(v)) == 1


def test_services_have_three_to_five_evaluators(geo):
    s = services.generate(np.random.default_rng(5), geo)
    assert len(s["services"]) == 10
    n = s["service_scores"].groupby("service_id")["evaluator"].nunique()
    assert n.between(3, 5).all()
    assert set(s["services"]["municipality_id"]) <= set(geo["municipalities"]["municipality_id"])


def test_full_scale():
    # speed is measured in benchmarks/bench_monitoring.py, not here
    g = geography.generate(np.random.default_rng([1, 0]), 1469)
    out = monitoring.generate(np.random.default_rng(1), g)
    assert out["indicator_values"]["municipality_id"].nunique() == 1469
