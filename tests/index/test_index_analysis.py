import numpy as np
import pandas as pd
import pytest
from scipy import stats

from socialkit.errors import DataValidationError, SocialkitError
from socialkit.index import build
from socialkit.index.analysis import (
    correlation_matrix,
    correlations,
    cronbach_alpha,
    effective_weights,
    indicator_stats,
    spearman_p,
    strengths_weaknesses,
    unit_summary,
)
from socialkit.index.panel import cagr, time_to_years, trends

SPEC = {"steps": [{"normalise": {}}, {"aggregate": {}}]}


def test_indicator_stats_hand_checked(idata, imeta):
    s = indicator_stats(build(idata, imeta, SPEC)).set_index("iCode")
    assert s.loc["a", "n"] == 4 and s.loc["a", "mean"] == 2.5
    assert s.loc["a", "sd"] == pytest.approx(np.sqrt(5 / 3))
    assert s.loc["d", "share_missing"] == 0.25 and s.loc["d", "n"] == 3
    assert (s.loc["b", "min"], s.loc["b", "max"], s.loc["b", "median"]) == (10, 100, 40)
    # normalised stage: minmax bounds
    n = indicator_stats(build(idata, imeta, SPEC), stage="normalised").set_index("iCode")
    assert (n["min"] == 0).all() and (n["max"] == 100).all()


def test_correlations_within_groups_and_flags(idata, imeta):
    res = build(idata, imeta, SPEC)
    c = correlations(res).set_index(["var1", "var2"])
    assert list(c.index) == [("a", "b"), ("c", "d")]
    r, p = stats.pearsonr(idata["a"], idata["b"])
    assert c.loc[("a", "b"), "r"] == pytest.approx(r)
    assert c.loc[("a", "b"), "p"] == pytest.approx(p)
    sp = correlations(res, method="spearman").set_index(["var1", "var2"])
    assert sp.loc[("a", "b"), "r"] == pytest.approx(stats.spearmanr(idata["a"], idata["b"])[0])
    # on normalised data c (flipped) and d are perfectly aligned on the 3 common units
    assert c.loc[("c", "d"), "flag"] == "collinear" and c.loc[("c", "d"), "n"] == 3


def test_negative_flag(idata, imeta):
    df = idata.assign(b=[100.0, 40.0, 30.0, 10.0])
    c = correlations(build(df, imeta, SPEC)).set_index(["var1", "var2"])
    assert c.loc[("a", "b"), "flag"] == "negative"


def test_correlations_across_levels(idata, imeta):
    res = build(idata, imeta, SPEC)
    c = correlations(res, level=1, other=2)
    assert len(c) == 8 and set(c["var2"]) == {"P1", "P2"}
    agg = res.stages["aggregated"]
    row = c[(c.var1 == "a") & (c.var2 == "P1")].iloc[0]
    assert row["r"] == pytest.approx(np.corrcoef(agg["a"], agg["P1"])[0, 1])
    assert correlation_matrix(res).shape == (4, 4)
    with pytest.raises(SocialkitError, match="method"):
        correlations(res, method="kendal")


def test_cronbach_alpha_formula(idata, imeta):
    res = build(idata, imeta, SPEC)
    a = cronbach_alpha(res).set_index("aggregate")
    x = res.stages["aggregated"][["a", "b"]].to_numpy()
    v1, v2 = x.var(axis=0, ddof=1)
    total = np.var(x.sum(axis=1), ddof=1)
    assert a.loc["P1", "alpha"] == pytest.approx(2 * (1 - (v1 + v2) / total))
    assert a.loc["P1", "k"] == 2


def test_unit_summary_and_strengths(idata, imeta):
    res = build(idata, imeta, SPEC)
    u = unit_summary(res, "U4")
    assert u["iCode"].tolist() == ["Index", "P1", "P2", "a", "b", "c", "d"]
    assert u.set_index("iCode").loc["P1", "rank"] == 1
    sw = strengths_weaknesses(res, "U4", top=2, bottom=2)
    assert sw["strengths"]["rank"].tolist() == [1, 1]
    sw1 = strengths_weaknesses(res, "U1", top=1, bottom=2, min_discard=False)
    # U1: a=1 (rank 4), b=10 (rank 4), c=4 with direction -1 (rank 4), d=0 (rank 3)
    assert sw1["strengths"][["iCode", "rank"]].values.tolist() == [["d", 3]]
    assert sw1["weaknesses"]["rank"].tolist() == [4, 4]
    # COINr's default min_discard: U1 is at the minimum of every indicator (d: 0 of 0/5/10),
    # so it has neither strengths nor weaknesses
    sw1 = strengths_weaknesses(res, "U1", top=1, bottom=2)
    assert sw1["strengths"].empty and sw1["weaknesses"].empty
    with pytest.raises(SocialkitError, match="'ZZ'"):
        unit_summary(res, "ZZ")


def test_cagr_and_panel_trends(idata, imeta):
    assert cagr(np.array([2020.0, 2022.0]), np.array([100.0, 121.0])) == pytest.approx(0.1)
    assert np.isnan(cagr(np.array([2020.0]), np.array([1.0])))
    np.testing.assert_allclose(time_to_years(pd.Series(["2021", "2021Q3", "2021-07"])),
                               [2021, 2021.5, 2021.5])
    p = pd.concat([idata.assign(Time="2020"), idata.assign(Time="2022", a=idata["a"] * 1.21)],
                  ignore_index=True)
    res = build(p, imeta, {"steps": [{"normalise": {"method": "fracmax", "global": True}}]})
    tr = trends(res, codes=["a"]).set_index("uCode")
    np.testing.assert_allclose(tr["a"], 0.1)
    with pytest.raises(DataValidationError, match="row 3, column 'Time'"):
        time_to_years(pd.Series(["2021", "last year"]))


# R 4.2.2: cor.test(x, y, method = "spearman") for x = 1:n (the last case has a tie in x:
# R warns "Cannot compute exact p-values with ties" and uses the t approximation).
R_SPEARMAN = [
    ([2, 1, 4, 3, 5], 0.13333333333333333),
    ([3, 1, 2, 7, 5, 4, 6], 0.1388888888888889),
    ([9, 8, 7, 6, 5, 4, 3, 2, 1], 5.5114638447971785e-06),
    ([2, 1, 3, 5, 4, 7, 6, 9, 8], 0.00074955908289241625),
    ([3, 1, 2, 6, 4, 5, 9, 7, 8, 12, 10, 11], 0.0),  # Edgeworth series, truncated at 0
    ([4, 7, 1, 2, 13, 19, 11, 17, 14, 3, 18, 5, 9, 16, 6, 15, 12, 10, 20, 8],
     0.14468864997180383),
    ([37, 25, 40, 38, 34, 39, 15, 33, 20, 3, 6, 10, 29, 30, 36, 32, 35, 12, 27, 8, 23, 22, 7,
      28, 19, 21, 14, 2, 13, 16, 11, 1, 31, 26, 17, 4, 24, 18, 9, 5], 0.001016920254113277),
]


@pytest.mark.parametrize(("y", "p_r"), R_SPEARMAN)
def test_spearman_p_values_equal_r_cor_test(y, p_r):
    """Exact (AS 89) for n <= 9, Edgeworth above: R's cor.test to 1e-15."""
    from socialkit.index.analysis import _pair

    x = np.arange(1.0, len(y) + 1)
    r, p, n = _pair(x, np.array(y, float), "spearman")
    assert n == len(y)
    assert p == pytest.approx(p_r, abs=1e-15, rel=1e-12)


def test_spearman_p_with_ties_uses_t_approximation_as_r():
    from socialkit.index.analysis import _pair

    x = np.array([1, 2, 2, 3, 4, 5, 6, 7], float)
    y = np.array([2, 1, 3, 5, 4, 6, 8, 7], float)
    r, p, _ = _pair(x, y, "spearman")
    assert p == pytest.approx(0.0016908608862384155, rel=1e-12)  # R 4.2.2
    # and the exact test differs there, so the branch matters
    assert spearman_p(r, 8, ties=False) != pytest.approx(p, rel=1e-6)


def test_cronbach_alpha_over_any_set(idata, imeta):
    res = build(idata, imeta, SPEC)
    agg = res.stages["aggregated"]

    def alpha(cols):
        c = agg[cols].astype(float).cov().to_numpy()
        k = len(cols)
        return k / (k - 1) * (1 - np.trace(c) / c.sum())

    every = cronbach_alpha(res, stage="aggregated", level=1)
    assert every["k"].tolist() == [4]
    assert every["alpha"].iloc[0] == pytest.approx(alpha(["a", "b", "c", "d"]))
    pillars = cronbach_alpha(res, stage="aggregated", level=2)
    assert pillars["alpha"].iloc[0] == pytest.approx(alpha(["P1", "P2"]))
    under = cronbach_alpha(res, stage="aggregated", codes=["P2"], level=1)
    assert under["k"].iloc[0] == 2
    assert under["alpha"].iloc[0] == pytest.approx(alpha(["c", "d"]))
    chosen = cronbach_alpha(res, stage="aggregated", codes=["a", "P2"])
    assert chosen["alpha"].iloc[0] == pytest.approx(alpha(["a", "P2"]))
    with pytest.raises(SocialkitError, match="'ZZ'"):
        cronbach_alpha(res, codes=["ZZ"])


def test_effective_weights_as_coinr(idata, imeta):
    """Weights a,b = 1,1 under P1; c,d = 1,3 under P2; P1,P2 = 1,1 under Index."""
    res = build(idata, imeta, SPEC)
    w = effective_weights(res).set_index("iCode")
    assert w.loc[["a", "b", "c", "d"], "EffWeight"].tolist() == pytest.approx(
        [0.25, 0.25, 0.125, 0.375])
    assert w.loc[["P1", "P2", "Index"], "EffWeight"].tolist() == pytest.approx([0.5, 0.5, 1])
    # COINr's test-weights.R "eff_wts": every level sums to 1
    assert w.groupby("Level")["EffWeight"].sum().tolist() == pytest.approx([1, 1, 1])
    assert w.loc["d", "Weight"] == 3


def test_strengths_weaknesses_order_as_coinr(idata, imeta):
    """Ordered by rank ascending, ties in framework order; the worst weakness last."""
    df = idata.assign(a=[4.0, 3.0, 2.0, 1.0], b=[10.0, 40.0, 30.0, 100.0],
                      c=[1.0, 2.0, 3.0, 4.0], d=[5.0, 10.0, 0.0, 1.0])
    res = build(df, imeta, SPEC)
    # U2: a rank 2, b rank 2, c (direction -1) rank 2, d rank 1
    sw = strengths_weaknesses(res, "U2", top=2, bottom=2)
    assert sw["strengths"][["iCode", "rank"]].values.tolist() == [["d", 1], ["a", 2]]
    assert sw["weaknesses"][["iCode", "rank"]].values.tolist() == [["b", 2], ["c", 2]]
    # unq_discard: b has 4 unique values of 4 (share 1.0) and stays only below 1.0
    sw = strengths_weaknesses(res, "U2", top=4, unq_discard=1.0)
    assert sw["strengths"].empty
