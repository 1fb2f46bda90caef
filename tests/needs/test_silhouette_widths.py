"""Silhouette widths: exact (= scikit-learn) up to the sample size, exact on a sample above it."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import silhouette_samples, silhouette_score

from socialkit.needs.validity import _indices, silhouette_widths


def test_equal_to_scikit_learn_with_a_singleton_cluster():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(300, 4))
    lab = rng.integers(0, 3, 300)
    lab[0] = 7  # a cluster of one unit has width 0, as in R and scikit-learn
    np.testing.assert_allclose(silhouette_widths(X, lab), silhouette_samples(X, lab), atol=1e-9)


def test_large_data_sampled_rows_are_exact_others_missing():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(400, 3))
    lab = rng.integers(0, 4, 400)
    widths = silhouette_widths(X, lab, max_n=50)
    known = ~np.isnan(widths)
    assert known.sum() == 50
    np.testing.assert_allclose(widths[known], silhouette_samples(X, lab)[known], atol=1e-9)


def test_mean_silhouette_samples_above_the_limit(monkeypatch):
    import socialkit.needs.validity as validity

    rng = np.random.default_rng(3)
    X = rng.normal(size=(600, 3))
    lab = rng.integers(0, 3, 600)
    assert _indices(X, lab)[0] == silhouette_score(X, lab)  # exact below the limit
    monkeypatch.setattr(validity, "SILHOUETTE_MAX_N", 100)
    assert _indices(X, lab)[0] == silhouette_score(X, lab, sample_size=100, random_state=0)
