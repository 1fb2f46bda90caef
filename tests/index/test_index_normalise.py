import numpy as np
import pandas as pd
import pytest

from socialkit.errors import DataValidationError
from socialkit.frameworks.index_spec import NormaliseParams
from socialkit.index import build
from socialkit.index.meta import framework, validate_meta
from socialkit.index.normalise import NORMALISERS, normalise


def _norm(idata, imeta, **kw):
    fw = framework(validate_meta(imeta))
    return normalise(idata, fw, NormaliseParams.model_validate(kw), imeta=imeta)


@pytest.mark.parametrize(("kw", "col", "expected"), [
    ({"method": "minmax"}, "a", [0, 100 / 3, 200 / 3, 100]),
    ({"method": "minmax", "range": [1, 10]}, "a", [1, 4, 7, 10]),
    ({"method": "minmax"}, "c", [0, 100 / 3, 200 / 3, 100]),          # direction -1 flipped
    ({"method": "zscore"}, "a", (np.array([1, 2, 3, 4]) - 2.5) / np.sqrt(5 / 3)),
    ({"method": "zscore", "mean": 10, "sd": 2}, "a",
     10 + 2 * (np.array([1, 2, 3, 4]) - 2.5) / np.sqrt(5 / 3)),
    ({"method": "rank"}, "b", [1, 2, 2, 4]),                        # ties min
    ({"method": "prank"}, "b", [0, 1 / 3, 1 / 3, 1]),
    ({"method": "borda"}, "b", [0, 1, 1, 3]),
    ({"method": "fracmax"}, "a", [0.25, 0.5, 0.75, 1]),
    ({"method": "dist2max"}, "a", [0, 1 / 3, 2 / 3, 1]),
    ({"method": "dist2target"}, "a", [0, 1 / 3, 2 / 3, 1]),           # target 4
    ({"method": "dist2target"}, "c", [0, 1 / 3, 2 / 3, 1]),           # target 1, dir -1
    ({"method": "dist2target"}, "d", [0, 0.5, np.nan, 1]),           # missing stays missing
    ({"method": "dist2target"}, "b", [0, 1, 1, 3]),                  # target 40: above -> > 1
    ({"method": "dist2target", "cap": True}, "b", [0, 1, 1, 1]),
    ({"method": "goalposts", "goalposts": {"a": [0, 8], "b": [0, 100], "c": [0, 5],
                                           "d": [0, 10]}}, "a", [0.125, 0.25, 0.375, 0.5]),
    ({"method": "goalposts", "goalposts": {"a": [0, 8], "b": [0, 100], "c": [0, 5],
                                           "d": [0, 10]}}, "c", [0.2, 0.4, 0.6, 0.8]),
    ({"method": "goalposts", "scale": 100, "goalposts": {"a": [2, 3], "b": [0, 100],
                                                         "c": [0, 5], "d": [0, 10]}},
     "a", [0, 0, 100, 100]),                                        # truncated
    ({"method": "scaled", "range": [1, 10]}, "a", (np.array([1, 2, 3, 4]) - 1) / 9 * 100),
    ({"method": "dist2ref", "ref": "U2"}, "a", [0, 1, 2, 3]),        # 1 - (2 - a)/(2 - 1)
    ({"method": "dist2ref", "ref": "U2", "cap": True}, "a", [0, 1, 1, 1]),
    ({"method": "dist2ref", "ref": "U3"}, "c", [0, 0.5, 1, 1.5]),    # on -c: ref -2, min -4
])
def test_methods_hand_checked(idata, imeta, kw, col, expected):
    out = _norm(idata, imeta, **kw)
    np.testing.assert_allclose(out[col].to_numpy(dtype=float), expected, equal_nan=True)


def test_every_registered_method_is_tested():
    assert set(NORMALISERS) == {"minmax", "zscore", "rank", "prank", "borda", "fracmax",
                                "dist2max", "dist2target", "goalposts", "scaled", "dist2ref"}


def test_minmax_spans_range_exactly(asem):
    idata, imeta = asem
    res = build(idata, imeta, {"steps": [{"normalise": {"range": [2, 7]}}]})
    x = res.stages["normalised"].drop(columns=["uCode", "Time"])
    assert (x.min() == 2).all() and (x.max() == 7).all()


def test_goalposts_need_values(idata, imeta):
    with pytest.raises(DataValidationError, match="'a' has no goalposts"):
        _norm(idata, imeta, method="goalposts")


def test_goalposts_from_imeta_columns(idata, imeta):
    meta = imeta.assign(goalpost_lower=0.0, goalpost_upper=8.0)
    out = _norm(idata, meta, method="goalposts")
    np.testing.assert_allclose(out["a"], [0.125, 0.25, 0.375, 0.5])


def test_panel_global_versus_per_time(idata, imeta):
    p = pd.concat([idata.assign(Time="2021"),
                   idata.assign(Time="2022", a=idata["a"] * 2)], ignore_index=True)
    per = build(p, imeta, {"steps": [{"normalise": {}}]}).stages["normalised"]
    glob = build(p, imeta, {"steps": [{"normalise": {"global": True}}]}).stages["normalised"]
    assert list(per.columns[:2]) == ["uCode", "Time"]
    # per Time both rounds span 0..100; globally 2021's max (4) sits below 2022's max (8)
    assert per.loc[per.Time == "2021", "a"].max() == 100
    np.testing.assert_allclose(glob.loc[glob.Time == "2021", "a"], [0, 100 / 7, 200 / 7, 300 / 7])
    np.testing.assert_allclose(glob.loc[glob.Time == "2022", "a"], [100 / 7, 300 / 7, 500 / 7, 100])


def test_coinr_testthat_imeta_norm_paras(asem):
    """COINr's test-normalise.R "iMeta_norm_paras": per-indicator parameters from iMeta."""
    idata, imeta = asem
    special = imeta["iCode"].isin(["LPI", "CO2"])
    meta = imeta.assign(minmax_lower=np.where(special, 5.0, 1.0),
                        minmax_upper=np.where(special, 50.0, 100.0),
                        zscore_mean=np.where(special, 100.0, 10.0),
                        zscore_sd=np.where(special, 10.0, 1.0))
    mm = build(idata, meta, {"steps": [{"normalise": {"use_imeta": True}}]}).stages["normalised"]
    assert (mm["LPI"].min(), mm["LPI"].max(), mm["CO2"].min(), mm["CO2"].max()) == (5, 50, 5, 50)
    assert (mm["Flights"].min(), mm["Flights"].max()) == (1, 100)
    z = build(idata, meta, {"steps": [{"normalise": {"method": "zscore", "use_imeta": True}}]})
    z = z.stages["normalised"]
    assert z["LPI"].mean() == pytest.approx(100) and z["LPI"].std() == pytest.approx(10)
    assert z["Flights"].mean() == pytest.approx(10) and z["Flights"].std() == pytest.approx(1)
    # goalposts at 5 % inside the range, scale 10 for Flights, no truncation for Goods
    raw = idata.set_index("uCode")
    ind = imeta.loc[imeta["Type"] == "Indicator", "iCode"]
    lo = {c: raw[c].min() + 0.05 * (raw[c].max() - raw[c].min()) for c in ind}
    hi = {c: raw[c].max() - 0.05 * (raw[c].max() - raw[c].min()) for c in ind}
    g = meta.assign(goalpost_lower=meta["iCode"].map(lo), goalpost_upper=meta["iCode"].map(hi),
                    goalpost_scale=np.where(meta["iCode"] == "Flights", 10.0, 1.0),
                    goalpost_trunc2posts=np.where(meta["iCode"] == "Goods", "FALSE", "TRUE"))
    gp = build(idata, g, {"steps": [{"normalise": {"method": "goalposts", "use_imeta": True}}]})
    gp = gp.stages["normalised"].set_index("uCode")
    lpi = ((raw["LPI"] - lo["LPI"]) / (hi["LPI"] - lo["LPI"])).clip(0, 1)
    np.testing.assert_allclose(gp["LPI"], lpi)
    tariff = ((raw["Tariff"] - hi["Tariff"]) / (lo["Tariff"] - hi["Tariff"])).clip(0, 1)
    np.testing.assert_allclose(gp["Tariff"], tariff)                     # direction -1
    assert gp["Flights"].max() == 10
    assert gp["Goods"].max() > 1                                           # not truncated


def test_indiv_specs(idata, imeta):
    """COINr's test-normalise.R "norm_df": individual normalisation per indicator."""
    spec = {"steps": [{"normalise": {"indiv": {"a": {"range": [1, 10]},
                                               "b": {"method": "borda"}, "d": "none"}}}]}
    out = build(idata, imeta, spec).stages["normalised"]
    assert (out["a"].min(), out["a"].max()) == (1, 10)
    assert out["b"].tolist() == [0, 1, 1, 3]
    assert out["d"].tolist()[:2] == [0.0, 5.0]                  # left as it is
    np.testing.assert_allclose(out["c"], [0, 100 / 3, 200 / 3, 100])  # the default


def test_indiv_errors(idata, imeta):
    from socialkit.errors import FrameworkError
    from socialkit.index import Spec

    with pytest.raises(FrameworkError, match="indiv.a.method: unknown method 'bord'"):
        Spec.from_dict({"steps": [{"normalise": {"indiv": {"a": {"method": "bord"}}}}]})
    with pytest.raises(DataValidationError, match="'zz', which is not an indicator"):
        build(idata, imeta, {"steps": [{"normalise": {"indiv": {"zz": "none"}}}]})
    with pytest.raises(DataValidationError, match="use_imeta needs iMeta columns"):
        build(idata, imeta, {"steps": [{"normalise": {"use_imeta": True}}]})


def test_dist2ref_needs_a_known_unit(idata, imeta):
    with pytest.raises(DataValidationError, match="needs 'ref'"):
        _norm(idata, imeta, method="dist2ref")
    with pytest.raises(DataValidationError, match="reference unit 'U9'"):
        _norm(idata, imeta, method="dist2ref", ref="U9")
