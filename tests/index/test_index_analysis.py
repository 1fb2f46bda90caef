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
    indicator_stats,
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
    sw1 = strengths_weaknesses(res, "U1", top=1, bottom=2)
    # U1: a=1 (rank 4), b=10 (rank 4), c=4 with direction -1 (rank 4), d=0 (rank 3)
    assert sw1["strengths"][["iCode", "rank"]].values.tolist() == [["d", 3]]
    assert sw1["weaknesses"]["rank"].tolist() == [4, 4]
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
