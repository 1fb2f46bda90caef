import numpy as np
import pandas as pd
import pytest

from socialkit.errors import SocialkitError
from socialkit.frameworks.index_spec import AggregateParams
from socialkit.index.aggregate import AGGREGATORS, aggregate, outrank_matrix
from socialkit.index.meta import Framework

FW = Framework(("x", "y", "z"), {1: ("x", "y", "z"), 2: ("I",)}, {"I": ("x", "y", "z")},
               {"x": "I", "y": "I", "z": "I", "I": None}, {}, {"x": 1.0, "y": 1.0, "z": 2.0},
               {}, {}, ())
DF = pd.DataFrame({"uCode": ["p", "q", "r"], "x": [1.0, 4.0, 2.0], "y": [2.0, np.nan, 8.0],
                   "z": [4.0, np.nan, np.nan]})


def agg(method, **kw):
    return aggregate(DF, FW, AggregateParams(method=method, **kw))["I"].to_numpy()


def test_amean_skips_missing_and_renormalises():
    np.testing.assert_allclose(agg("amean"), [(1 + 2 + 8) / 4, 4, (2 + 8) / 2])


def test_gmean_hmean_genmean():
    np.testing.assert_allclose(agg("gmean"), [np.exp((np.log(1) + np.log(2) + 2 * np.log(4)) / 4),
                                              4, 4])
    np.testing.assert_allclose(agg("hmean"), [4 / (1 + 1 / 2 + 2 / 4), 4, 2 / (1 / 2 + 1 / 8)])
    np.testing.assert_allclose(agg("genmean", p=2), [np.sqrt((1 + 4 + 2 * 16) / 4), 4,
                                                     np.sqrt((4 + 64) / 2)])


def test_dat_thresh_gives_missing():
    # availability p: 3/3, q: 1/3, r: 2/3
    out = agg("amean", dat_thresh=0.5)
    assert np.isnan(out[1]) and not np.isnan(out[0]) and not np.isnan(out[2])
    assert np.isnan(agg("amean", dat_thresh=0.7)[2])


def test_all_missing_is_missing():
    df = DF.assign(x=[np.nan, np.nan, 1.0], y=np.nan, z=np.nan)
    out = aggregate(df, FW, AggregateParams())["I"]
    assert out.isna().tolist() == [True, True, False]


def test_gmean_rejects_zero():
    df = DF.assign(x=[0.0, 1.0, 1.0])
    with pytest.raises(SocialkitError, match="aggregate 'I': the geometric mean needs values > 0"):
        aggregate(df, FW, AggregateParams(method="gmean"))


def test_copeland_outranking_by_hand():
    x = np.array([[3.0, 1.0], [2.0, 2.0], [1.0, 3.0]])
    orm = outrank_matrix(x, np.array([1.0, 1.0]))
    # unit 0 vs 1: wins x (0.5), loses y -> 0.5; 0 vs 2 -> 0.5; 1 vs 2 -> 0.5
    np.testing.assert_allclose(orm, [[0, .5, .5], [.5, 0, .5], [.5, .5, 0]])
    x2 = np.array([[3.0, 3.0], [2.0, 2.0], [1.0, 2.0]])
    orm2 = outrank_matrix(x2, np.array([1.0, 1.0]))
    np.testing.assert_allclose(orm2, [[0, 1, 1], [0, 0, .75], [0, .25, 0]])
    # > 0.5 -> win (+1), < 0.5 -> loss (-1), = 0.5 -> 0: unit 0 beats both, unit 1 beats 2
    np.testing.assert_allclose(AGGREGATORS["copeland"](x2, np.ones(2), 2, "I"), [2, 0, -2])
    np.testing.assert_allclose(AGGREGATORS["copeland"](x, np.ones(2), 2, "I"), [0, 0, 0])


def test_method_per_level_and_length_check():
    fw = Framework(("x", "y"), {1: ("x", "y"), 2: ("A",), 3: ("T",)},
                   {"A": ("x", "y"), "T": ("A",)}, {"x": "A", "y": "A", "A": "T", "T": None},
                   {}, {"x": 1.0, "y": 1.0, "A": 1.0}, {}, {}, ())
    df = pd.DataFrame({"uCode": ["p"], "x": [1.0], "y": [4.0]})
    out = aggregate(df, fw, AggregateParams(method=["gmean", "amean"]))
    assert out["A"].item() == pytest.approx(2.0) and out["T"].item() == pytest.approx(2.0)
    with pytest.raises(SocialkitError, match="one entry per aggregation level"):
        aggregate(df, fw, AggregateParams(method=["amean"]))


def test_method_mapping_with_level_and_parent_overrides():
    fw = Framework(("x", "y", "z"), {1: ("x", "y", "z"), 2: ("A", "B"), 3: ("T",)},
                   {"A": ("x", "y"), "B": ("z",), "T": ("A", "B")},
                   {"x": "A", "y": "A", "z": "B", "A": "T", "B": "T", "T": None},
                   {}, {"x": 1.0, "y": 1.0, "z": 1.0, "A": 1.0, "B": 1.0}, {}, {}, ())
    df = pd.DataFrame({"uCode": ["p"], "x": [1.0], "y": [4.0], "z": [8.0]})
    out = aggregate(df, fw, AggregateParams(method={"default": "amean", "A": "gmean",
                                                    "3": "hmean"}))
    assert out["A"].item() == pytest.approx(2.0)          # gmean(1, 4) by parent override
    assert out["B"].item() == pytest.approx(8.0)          # default amean
    assert out["T"].item() == pytest.approx(2 / (1 / 2 + 1 / 8))  # level 3: hmean
    with pytest.raises(SocialkitError, match="aggregate.method.Nope"):
        aggregate(df, fw, AggregateParams(method={"Nope": "amean"}))


def test_coinr_testthat_agg_coin_manual_replay(asem):
    """COINr's test-aggregate.R "agg_coin": random weights, replayed level by level."""
    from socialkit.index import build

    idata, imeta = asem
    rng = np.random.default_rng(11)
    tree = imeta["Type"].isin(["Indicator", "Aggregate"])
    ws = dict(zip(imeta.loc[tree, "iCode"], rng.random(tree.sum()), strict=True))
    spec = {"steps": [{"impute": {}}, {"normalise": {}}, {"weights": {"set": "alt"}},
                      {"aggregate": {}}], "weight_sets": {"alt": ws}}
    res = build(idata, imeta, spec)
    agg = res.stages["aggregated"].copy()
    manual = res.stages["normalised"].copy()
    meta = imeta[tree]
    for lev in (2, 3, 4):
        for code in meta.loc[meta["Level"] == lev, "iCode"]:
            kids = list(meta.loc[meta["Parent"] == code, "iCode"])
            w = np.array([ws[k] for k in kids])
            manual[code] = manual[kids].to_numpy() @ w / w.sum()
    pd.testing.assert_frame_equal(agg, manual[agg.columns])
