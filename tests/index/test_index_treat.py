import numpy as np
import pandas as pd
import pytest
from scipy import stats

from socialkit.frameworks.index_spec import TreatParams
from socialkit.index import build
from socialkit.index._stats import kurt, skew
from socialkit.index.treat import check_skew_kurt, log_ct, treat_vector, winsorise

X = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100.0])


def test_skew_kurt_are_bias_corrected():
    rng = np.random.default_rng(1)
    x = rng.lognormal(size=30)
    assert skew(x) == pytest.approx(stats.skew(x, bias=False))
    assert kurt(x) == pytest.approx(stats.kurtosis(x, bias=False))
    # hand value: x = 1, 2, 3, 10  ->  G1 = 1.76363..., G2 = 3.228
    assert skew(np.array([1, 2, 3, 10.0])) == pytest.approx(1.7636326148)
    assert kurt(np.array([1, 2, 3, 10.0])) == pytest.approx(3.228)
    assert np.isnan(skew(np.array([1.0, np.nan, 2.0])))


def test_check_needs_both_thresholds():
    ok, s, k = check_skew_kurt(X)
    assert ok is False and s > 2 and k > 3.5
    assert check_skew_kurt(X, skew_thresh=10)[0] is True
    assert check_skew_kurt(X, kurt_thresh=100)[0] is True


def test_winsorise_one_point_then_passes():
    y, n, side = winsorise(X)
    assert n == 1 and side == "high"
    assert y[-1] == 30 and y[-2] == 30 and (y[:-1] == X[:-1]).all()


def test_winsorise_negative_skew_low_end():
    y, n, side = winsorise(-X)
    assert side == "low" and y.min() == -30


def test_winmax_then_log_ct_on_original_values():
    x = np.r_[np.ones(20), 2, 3, 5, 50, 100, 1000.0]
    y, row = treat_vector(x, TreatParams(winmax=1))
    assert row["logged"] and row["n_winsorised"] == 0
    np.testing.assert_allclose(y, np.log(x - 1 + 0.01 * 999))
    assert row["skew_before"] == pytest.approx(skew(x))
    assert row["skew_after"] == pytest.approx(skew(y))


def test_log_ct_formula():
    np.testing.assert_allclose(log_ct(np.array([0.0, 100.0])), np.log([1.0, 101.0]))


def test_treatment_table_and_untouched_columns(imeta, idata):
    big = pd.concat([idata] * 3, ignore_index=True)
    big["uCode"] = [f"U{i}" for i in range(len(big))]
    big.loc[0, "a"] = 500.0
    res = build(big, imeta, {"steps": [{"treat": {}}]})
    assert list(res.stages) == ["treated"]
    t = res.treatment.set_index("iCode")
    assert list(t.index) == ["a", "b", "c", "d"]
    assert t.loc["a", "n_winsorised"] >= 1 or t.loc["a", "logged"]
    assert res.stages["treated"]["c"].tolist() == big["c"].tolist()
    assert {"skew_before", "kurtosis_before", "skew_after", "kurtosis_after",
            "n_winsorised", "logged"} <= set(t.columns)


def test_coinr_testthat_treat_num_cases():
    """The cases of COINr's tests/testthat/test-treat.R ("treat_num")."""
    x = np.r_[np.arange(1, 11), 100.0]
    assert check_skew_kurt(x)[0] is False
    y, row = treat_vector(x, TreatParams(winmax=5))
    assert y[-1] == 10 and (y[:10] == x[:10]).all()
    assert check_skew_kurt(y)[0] is True and row["n_winsorised"] == 1
    x2 = np.r_[np.arange(1, 21), 100.0, 200.0]
    y2, row2 = treat_vector(x2, TreatParams(winmax=1, log=False))
    assert check_skew_kurt(y2)[0] is False and row2["passed"] is False
    y3, row3 = treat_vector(x2, TreatParams(winmax=1))
    assert row3["logged"]
    np.testing.assert_allclose(y3, log_ct(x2))
