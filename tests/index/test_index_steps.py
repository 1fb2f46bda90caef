import numpy as np
import pytest

from socialkit.errors import DataValidationError, SocialkitError
from socialkit.index import build
from socialkit.index.meta import framework, validate_meta
from socialkit.index.weights import pca_loadings


def test_denominate_divides_by_named_column(idata, imeta):
    res = build(idata, imeta, {"steps": [{"denominate": {}}]})
    d = res.stages["denominated"]
    assert d["b"].tolist() == [10.0, 20.0, 10.0, 20.0]
    assert d["a"].tolist() == idata["a"].tolist()
    assert list(d.columns) == ["uCode", "a", "b", "c", "d"]


def test_impute_mean_median_group(idata, imeta):
    df = idata.assign(a=[1.0, np.nan, 3.0, 9.0], d=[0.0, 5.0, np.nan, 10.0])
    m = build(df, imeta, {"steps": [{"impute": {"method": "mean"}}]}).stages["imputed"]
    assert m.loc[1, "a"] == pytest.approx(13 / 3) and m.loc[2, "d"] == pytest.approx(5)
    md = build(df, imeta, {"steps": [{"impute": {"method": "median"}}]}).stages["imputed"]
    assert md.loc[1, "a"] == 3.0
    g = build(df, imeta, {"steps": [{"impute": {"method": "mean_group", "group": "grp"}}]})
    gi = g.stages["imputed"]
    assert gi.loc[1, "a"] == 1.0      # group x holds only U1's 1.0
    assert gi.loc[2, "d"] == 10.0     # group y holds only U4's 10.0


def test_impute_unknown_group_column(idata, imeta):
    with pytest.raises(DataValidationError, match="group column 'nope'"):
        build(idata, imeta, {"steps": [{"impute": {"method": "median_group", "group": "nope"}}]})


def test_screen_threshold(idata, imeta):
    df = idata.assign(a=[1.0, np.nan, np.nan, 4.0], b=[1.0, np.nan, 3.0, 4.0])
    # availability: U1 1, U2 2/4, U3 2/4... U3: a nan, d nan -> 2/4
    res = build(df, imeta, {"steps": [{"screen": {"threshold": 0.75}}]})
    assert res.stages["screened"]["uCode"].tolist() == ["U1", "U4"]
    assert set(res.screened_out["uCode"]) == {"U2", "U3"}
    assert build(df, imeta, {"steps": [{"screen": {}}]}).stages["screened"].shape[0] == 2


def test_weights_equal_set_meta(idata, imeta):
    steps = [{"normalise": {}}, {"weights": {"method": "equal"}}, {"aggregate": {}}]
    eq = build(idata, imeta, {"steps": steps}).results.set_index("uCode")
    meta = build(idata, imeta, {"steps": [steps[0], steps[2]]}).results.set_index("uCode")
    # P2 = mean(c, d) with equal weights, (c + 3 d) / 4 with iMeta weights (U1: c=0, d=0)
    assert eq.loc["U2", "P2"] == pytest.approx((100 / 3 + 50) / 2)
    assert meta.loc["U2", "P2"] == pytest.approx((100 / 3 + 3 * 50) / 4)
    ws = {"steps": [steps[0], {"weights": {"set": "w"}}, steps[2]],
          "weight_sets": {"w": {"d": 1.0}}}
    assert build(idata, imeta, ws).results.set_index("uCode").loc["U2", "P2"] == pytest.approx(
        eq.loc["U2", "P2"])


def test_weights_set_unknown_icode(idata, imeta):
    spec = {"steps": [{"weights": {"set": "w"}}, {"aggregate": {}}],
            "weight_sets": {"w": {"zz": 1.0}}}
    with pytest.raises(SocialkitError, match="'zz'"):
        build(idata, imeta, spec)


def test_pca_loadings_sign_and_values():
    rng = np.random.default_rng(0)
    f = rng.normal(size=200)
    x = np.column_stack([f + 0.1 * rng.normal(size=200), -f + 0.1 * rng.normal(size=200),
                         f + 0.1 * rng.normal(size=200)])
    load = pca_loadings(x)
    assert load.sum() > 0
    np.testing.assert_allclose(np.abs(load), 1 / np.sqrt(3), atol=0.01)
    assert np.sign(load).tolist() == [1, -1, 1]
    # same as the leading eigenvector of the correlation matrix
    vals, vecs = np.linalg.eigh(np.corrcoef(x.T))
    v = vecs[:, -1] * np.sign(vecs[:, -1].sum())
    np.testing.assert_allclose(load, v, atol=1e-10)


def test_pca_weights_in_build(asem):
    idata, imeta = asem
    res = build(idata, imeta, {"steps": [{"impute": {}}, {"normalise": {}},
                                         {"weights": {"method": "pca"}}, {"aggregate": {}}]})
    fw = framework(validate_meta(imeta))
    kids = fw.children["Physical"]
    assert sum(res.weights[k] for k in kids) > 0
    assert res.weights["Conn"] == 1.0  # level 2 members keep iMeta weights (levels: [1])


def test_group_impute_with_missing_group_stays_missing(idata, imeta):
    """COINr's test-Impute.R "group_mean": a unit whose group is NA is not imputed."""
    df = idata.assign(grp=["x", None, "y", "y"], a=[1.0, np.nan, np.nan, 9.0])
    out = build(df, imeta, {"steps": [{"impute": {"method": "mean_group", "group": "grp"}}]})
    a = out.stages["imputed"]["a"].tolist()
    assert np.isnan(a[1]) and a[2] == 9.0


def test_screen_by_zeros_and_force(idata, imeta):
    """COINr's test-Screen.R "screendf": byzeros, byNAandzeros and Force."""
    df = idata.assign(a=[0.0, 2.0, 0.0, 4.0], b=[0.0, 40.0, 40.0, 100.0],
                      c=[0.0, 3.0, 2.0, 1.0])
    # U1: all four indicators are 0 (non-zero share 0); U3: one zero of three available
    z = build(df, imeta, {"steps": [{"screen": {"by": "zeros"}}]})
    assert z.stages["screened"]["uCode"].tolist() == ["U2", "U3", "U4"]
    assert z.screened_out["nonzero"].tolist() == [0.0]
    both = build(df, imeta, {"steps": [{"screen": {"by": "na_and_zeros", "threshold": 1}}]})
    assert both.stages["screened"]["uCode"].tolist() == ["U2", "U4"]
    forced = build(df, imeta, {"steps": [{"screen": {"by": "zeros",
                                                     "force": {"U1": True, "U4": False}}}]})
    assert forced.stages["screened"]["uCode"].tolist() == ["U1", "U2", "U3"]
    with pytest.raises(DataValidationError, match="unit 'U9'"):
        build(df, imeta, {"steps": [{"screen": {"force": {"U9": True}}}]})


def test_screen_by_zeros_counts_among_available_values_as_coinr():
    """COINr get_data_avail: Non_Zero = 1 - zeros / available; nonzero_thresh 0.05."""
    import pandas as pd

    from socialkit.frameworks.index_spec import ScreenParams
    from socialkit.index.meta import Framework
    from socialkit.index.screen import screen

    fw = Framework(("w", "x", "y", "z"), {1: ("w", "x", "y", "z")}, {}, {}, {}, {}, {}, {}, ())
    df = pd.DataFrame({"uCode": ["A", "B", "C"],
                       "w": [0.0, 0.0, 1.0], "x": [None, 0.0, 2.0],
                       "y": [None, 0.0, 3.0], "z": [None, 5.0, 4.0]})
    kept, removed = screen(df, fw, ScreenParams(by="zeros"))
    # A: one available value, and it is 0 -> 0 % non-zero (all-indicators share: 75 %)
    assert removed["uCode"].tolist() == ["A"] and removed["nonzero"].tolist() == [0.0]
    # B: 3 zeros of 4 -> 25 % non-zero: kept at COINr's default 0.05, removed at 0.5
    assert kept["uCode"].tolist() == ["B", "C"]
    _, removed = screen(df, fw, ScreenParams(by="zeros", nonzero_threshold=0.5))
    assert removed["uCode"].tolist() == ["A", "B"]
    assert removed["nonzero"].tolist() == pytest.approx([0.0, 0.25])
