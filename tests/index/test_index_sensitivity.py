import numpy as np
import pandas as pd
import pytest

from socialkit.errors import SocialkitError
from socialkit.index import build
from socialkit.index.sensitivity import rank_rows, sensitivity, uncertainty


def test_rank_rows_ties_min():
    np.testing.assert_array_equal(rank_rows(np.array([[5.0, 7.0, 5.0, 1.0]])), [[2, 1, 2, 4]])


def test_no_variation_reproduces_nominal(asem):
    idata, imeta = asem
    u = uncertainty(idata, imeta, vary={"aggregate": ["amean"]}, n=5)
    nominal = build(idata, imeta).results["Index_rank"].to_numpy(dtype=float)
    np.testing.assert_array_equal(u.summary["nominal_rank"], nominal)
    assert (u.ranks.to_numpy() == nominal[None, :]).all()
    assert (u.runs["Y"] == 0).all()


def test_batched_runs_equal_full_rebuilds(asem):
    idata, imeta = asem
    vary = {"normalise": ["minmax", "prank"], "impute": [True, False],
            "aggregate": ["amean", "copeland"]}
    u = uncertainty(idata, imeta, vary=vary, n=6, seed=3)
    for r, row in u.runs.iterrows():
        spec = {"steps": [{"denominate": {}}, {"screen": {}}]
                + ([{"impute": {}}] if row["impute"] else [])
                + [{"treat": {}}, {"normalise": {"method": row["normalise"]}},
                   {"aggregate": {"method": row["aggregate"]}}]}
        ref = build(idata, imeta, spec).results["Index_rank"].to_numpy(dtype=float)
        np.testing.assert_array_equal(u.ranks.iloc[r].to_numpy(), ref)


def test_weight_noise_bands_and_seed(asem):
    idata, imeta = asem
    a = uncertainty(idata, imeta, vary={"weights": {"noise": 0.5}}, n=200, seed=1)
    b = uncertainty(idata, imeta, vary={"weights": {"noise": 0.5}}, n=200, seed=1)
    assert a.summary.equals(b.summary)
    s = a.summary
    assert (s["q05_rank"] <= s["median_rank"]).all() and (s["median_rank"] <= s["q95_rank"]).all()
    assert (s["q95_rank"] - s["q05_rank"]).max() > 0


def test_sensitivity_indices_identify_inert_input(asem):
    idata, imeta = asem
    s = sensitivity(idata, imeta, vary={"normalise": ["minmax", "prank", "rank"],
                                        "aggregate": ["amean"]},
                    n=64, n_boot=100, seed=2)
    ind = s.indices.set_index("input")
    assert len(s.runs) == 64 * 4
    assert ind.loc["aggregate", "STi"] == 0 and ind.loc["aggregate", "Si"] == 0
    assert ind.loc["normalise", "STi"] == pytest.approx(1.0, abs=0.35)
    assert ind.loc["normalise", "STi_q05"] <= ind.loc["normalise", "STi"] <= ind.loc[
        "normalise", "STi_q95"]
    y = s.runs["Y"].to_numpy()
    assert s.variance == pytest.approx(np.var(y[: 2 * 64], ddof=1)) and s.variance > 0


def test_unknown_input_rejected(asem):
    idata, imeta = asem
    with pytest.raises(SocialkitError, match="key 'treatment': cannot vary 'treatment'"):
        uncertainty(idata, imeta, vary={"treatment": [1]}, n=2)
    with pytest.raises(SocialkitError, match="key 'impute\\[0\\]': expected true or false"):
        uncertainty(idata, imeta, vary={"impute": ["yes"]}, n=2)
    with pytest.raises(SocialkitError, match="key 'weights.noise'"):
        uncertainty(idata, imeta, vary={"weights": {"noise": "lots"}}, n=2)


def test_sa_estimate_matches_analytic_indices():
    from socialkit.index.sensitivity import sa_estimate

    rng = np.random.default_rng(5)
    n, d = 20000, 2
    a, b = rng.random((n, d)), rng.random((n, d))

    def f(x):
        return x[:, 0] + 2 * x[:, 1]          # Var parts 1/12 and 4/12 -> S = 0.2, 0.8

    abi = []
    for i in range(d):
        m = a.copy()
        m[:, i] = b[:, i]
        abi.append(f(m))
    out = sa_estimate(np.concatenate([f(a), f(b), *abi]), n, d, n_boot=200, rng=rng)
    np.testing.assert_allclose(out["Si"], [0.2, 0.8], atol=0.03)
    np.testing.assert_allclose(out["STi"], [0.2, 0.8], atol=0.03)
    assert (out["STi_q05"] < out["STi"]).all() and (out["STi"] < out["STi_q95"]).all()
    # COINr's SA_estimate also returns the output variance: Var(Y) = 1/12 + 4/12
    y = np.concatenate([f(a), f(b), *abi])
    v, again = sa_estimate(y, n, d, return_variance=True)
    assert v == pytest.approx(np.var(y[: 2 * n], ddof=1)) and v == pytest.approx(5 / 12, rel=0.03)
    np.testing.assert_allclose(again["Si"], out["Si"])


def test_weight_noise_is_around_the_specs_weights(idata, imeta):
    spec = {"steps": [{"normalise": {}}, {"weights": {"set": "w"}}, {"aggregate": {}}],
            "weight_sets": {"w": {"a": 10.0}}}
    u = uncertainty(idata, imeta, spec, vary={"weights": {"noise": {1: 0.1}}}, n=50, seed=4)
    a = np.array([w["a"] for w in u.inputs["weights"]])
    b = np.array([w["b"] for w in u.inputs["weights"]])
    assert a.min() >= 9.0 and a.max() <= 11.0 and a.std() > 0
    assert b.min() >= 0.9 and b.max() <= 1.1
    assert all(w["P1"] == 1.0 for w in u.inputs["weights"])   # level 2 not perturbed


def test_panel_needs_a_time_and_ranks_within_it(idata, imeta):
    p = pd.concat([idata.assign(Time="2021"), idata.assign(Time="2022", a=idata["a"][::-1].values)],
                  ignore_index=True)
    spec = {"steps": [{"normalise": {"global": True}}, {"aggregate": {}}]}
    with pytest.raises(SocialkitError, match="choose the Time"):
        uncertainty(p, imeta, spec, vary={"weights": {"noise": 0.1}}, n=5)
    u = uncertainty(p, imeta, spec, vary={"aggregate": ["amean"]}, n=3, time="2022")
    nominal = build(p, imeta, spec).results.query("Time == '2022'")["Index_rank"]
    np.testing.assert_array_equal(u.summary["nominal_rank"], nominal.to_numpy(dtype=float))
    assert sorted(u.summary["nominal_rank"]) == [1, 2, 3, 4]
    np.testing.assert_array_equal(u.ranks.iloc[0], nominal.to_numpy(dtype=float))


def test_sa_estimate_constant_output_is_undefined_without_warnings():
    """An output that never varies has V = 0: every index and bootstrap band is NaN (0/0), as in
    COINr, and computing them must not warn ("All-NaN slice" reached users of `index uncertainty`)."""
    import warnings

    from socialkit.index.sensitivity import sa_estimate

    y = np.full(20 * (2 + 2), 3.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = sa_estimate(y, 20, 2, n_boot=30, rng=np.random.default_rng(1))
    assert out.shape == (2, 6)
    assert out.isna().all().all()
