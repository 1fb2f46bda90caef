"""Large data: the gap statistic and the stability resamples sample only above their limits.

Up to ``GAP_MAX_N`` / ``BOOT_MAX_N`` rows the results must be exactly the straightforward
``clusGap`` / ``clusterboot(bootmethod = "boot")`` loops (written out here as references); above
them, ``cluster::clara``'s scheme for the gap and ``bootmethod = "subset"`` for the stability.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from socialkit.needs import cluster
from socialkit.needs.methods import METHODS
from socialkit.needs.stability import _best_jaccard, bootstrap_stability
from socialkit.needs.validity import clara_fits, gap_statistic, within_dispersion


def _blobs(n: int, seed: int = 0, k: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = np.array([[0, 0, 0], [6, 0, 0], [0, 6, 0], [0, 0, 6]], float)[:k]
    return centres[rng.integers(0, k, n)] + rng.normal(size=(n, 3))


def _reference_gap(X, ks, method, B, random_state, n_init):
    """clusGap written out: B uniform sets in the column ranges, log W_k with d^2."""
    rng = np.random.default_rng(random_state)
    fits = METHODS[method](X, ks, random_state, n_init)
    log_w = np.array([np.log(within_dispersion(X, f.labels)) for f in fits])
    ref = np.empty((B, len(ks)))
    for b in range(B):
        Z = rng.uniform(X.min(axis=0), X.max(axis=0), size=X.shape)
        ref[b] = [np.log(within_dispersion(Z, f.labels))
                  for f in METHODS[method](Z, ks, random_state + b + 1, n_init)]
    return ref.mean(axis=0) - log_w, np.sqrt(1 + 1 / B) * ref.std(axis=0, ddof=1)


@pytest.mark.parametrize("method", ["kmeans", "ward"])
def test_gap_up_to_the_limit_is_clusgap(method):
    X = _blobs(300)
    ks = [1, 2, 3, 4, 5]
    fits = METHODS[method](X, ks, 0, 3)
    gap, se = _reference_gap(X, ks, method, B=8, random_state=0, n_init=3)
    for max_n in (None, 300):
        out = gap_statistic(X, ks, fits, method, B=8, n_init=3, max_n=max_n)
        np.testing.assert_array_equal(out["gap"].to_numpy(), gap)
        np.testing.assert_array_equal(out["gap_se"].to_numpy(), se)


def test_gap_above_the_limit_follows_clara_and_agrees_with_clusgap():
    X = _blobs(3000, seed=1)
    ks = [1, 2, 3, 4, 5, 6]
    fits = METHODS["kmeans"](X, ks, 0, 5)
    exact = gap_statistic(X, ks, fits, "kmeans", B=10, n_init=5, max_n=None)
    sampled = gap_statistic(X, ks, fits, "kmeans", B=10, n_init=5, max_n=1000)
    # the data's W_k is the clustering's own; every reference row is clustered (W_k* over all
    # 3000 rows), so E log W* is on the same scale
    np.testing.assert_array_equal(sampled["log_w"], exact["log_w"])
    np.testing.assert_allclose(sampled["e_log_w"], exact["e_log_w"], atol=0.01)
    assert (sampled["gap"] - exact["gap"]).abs().max() < 0.02
    from socialkit.needs.validity import K_RULES

    table = exact[["gap", "gap_se"]]
    assert K_RULES["gap"](sampled[["gap", "gap_se"]]) == K_RULES["gap"](table) == 3


def test_clara_fits_keep_the_best_sample_over_all_rows():
    X = _blobs(2000, seed=2)
    fits = clara_fits(X, [1, 3], "kmeans", max_n=200, samples=4, random_state=0)
    assert (fits[0].labels == 0).all()
    assert len(fits[1].labels) == 2000
    full = METHODS["kmeans"](X, [3], 0, 10)[0].labels
    # well separated blobs: clara recovers the partition of full k-means (up to numbering)
    assert pd.crosstab(fits[1].labels, full).gt(0).sum(axis=1).eq(1).all()


def _reference_boot(X, labels, method, B, random_state, n_init):
    """clusterboot(bootmethod = "boot") written out."""
    k = int(labels.max())
    rng = np.random.default_rng(random_state)
    res = np.full((B, k), np.nan)
    for b in range(B):
        idx = rng.integers(0, len(X), len(X))
        boot = METHODS[method](X[idx], [k], random_state + b + 1, n_init)[0].labels
        res[b] = _best_jaccard(labels[idx] - 1, boot, k)
    return np.nanmean(res, axis=0)


def test_stability_up_to_the_limit_is_the_bootstrap():
    X = _blobs(400, seed=3)
    lab = METHODS["kmeans"](X, [3], 0, 5)[0].labels + 1
    ref = _reference_boot(X, lab, "kmeans", B=6, random_state=0, n_init=3)
    for max_n in (None, 400):
        out = bootstrap_stability(X, lab, "kmeans", B=6, n_init=3, max_n=max_n)
        np.testing.assert_array_equal(out["jaccard_mean"].to_numpy(), ref)


def test_stability_above_the_limit_uses_subsets(monkeypatch):
    X = _blobs(3000, seed=4)
    lab = METHODS["kmeans"](X, [3], 0, 5)[0].labels + 1
    sizes = []
    fit = METHODS["kmeans"]

    def spy(Z, ks, random_state, n_init):
        sizes.append((len(Z), len(np.unique(Z, axis=0))))
        return fit(Z, ks, random_state, n_init)

    monkeypatch.setitem(METHODS, "kmeans", spy)
    out = bootstrap_stability(X, lab, "kmeans", B=5, n_init=3, max_n=500)
    assert sizes == [(500, 500)] * 5  # distinct units: clusterboot's "subset"
    assert (out["jaccard_mean"] > 0.95).all()  # well separated blobs stay stable


def test_cluster_small_data_unchanged_by_the_limits():
    rng = np.random.default_rng(5)
    frame = pd.DataFrame(_blobs(250, seed=5) + 10, columns=["a", "b", "c"],
                         index=[f"u{i}" for i in range(250)])
    frame["d"] = rng.random(250)
    args = dict(k_range=[2, 3, 4], gap_b=5, n_boot=5, n_init=3)
    a = cluster(frame, **args)
    b = cluster(frame, **args, gap_max_n=None, boot_max_n=None)
    pd.testing.assert_series_equal(a.labels, b.labels)
    pd.testing.assert_frame_equal(a.validity, b.validity)
    pd.testing.assert_frame_equal(a.stability, b.stability)
    pd.testing.assert_frame_equal(a.members, b.members)


def test_cluster_large_data_samples_but_finds_the_same_clusters():
    frame = pd.DataFrame(_blobs(1200, seed=6, k=4), columns=["a", "b", "c"])
    args = dict(k_range=[2, 3, 4, 5], k_rule="gap", gap_b=5, n_boot=5, n_init=3)
    exact = cluster(frame, **args, gap_max_n=None, boot_max_n=None)
    sampled = cluster(frame, **args, gap_max_n=400, boot_max_n=400)
    assert sampled.k == exact.k == 4
    pd.testing.assert_series_equal(sampled.labels, exact.labels)  # the fit itself is exact
    assert (sampled.stability["jaccard_mean"] > 0.9).all()
