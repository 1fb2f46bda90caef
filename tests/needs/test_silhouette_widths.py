"""Silhouette widths: exact (= scikit-learn) up to the sample size, exact on a sample above it.

The widths are computed in one pass for many clusterings (matrix products); each test compares
with scikit-learn's ``silhouette_samples`` / ``silhouette_score``.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import silhouette_samples, silhouette_score

from socialkit.needs.validity import (
    _indices,
    silhouette_sample,
    silhouette_widths,
    silhouettes,
)


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
    # same arithmetic as scikit-learn in another order (matrix product, not bincount): equal
    # to rounding
    assert _indices(X, lab)[0] == pytest.approx(silhouette_score(X, lab), rel=1e-12)
    monkeypatch.setattr(validity, "SILHOUETTE_MAX_N", 100)
    assert _indices(X, lab)[0] == pytest.approx(
        silhouette_score(X, lab, sample_size=100, random_state=0), rel=1e-12)


@pytest.mark.parametrize("max_n", [10_000, 150])
def test_one_pass_for_many_clusterings_equals_scikit_learn(max_n):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(500, 4))
    X[7] = X[8]  # a duplicate row: a 0 distance that is not the diagonal
    labelings = [rng.integers(0, k, 500) for k in (2, 3, 5)]
    labelings.append(np.where(np.arange(500) == 3, 9, labelings[0]))  # with a singleton
    scores, widths = silhouettes(X, labelings, max_n=max_n)
    sample = None if max_n >= 500 else max_n
    for j, lab in enumerate(labelings):
        assert scores[j] == pytest.approx(
            silhouette_score(X, lab, sample_size=sample, random_state=0), rel=1e-12)
        known = ~np.isnan(widths[j])
        assert known.sum() == min(500, max_n)
        np.testing.assert_allclose(widths[j][known], silhouette_samples(X, lab)[known],
                                   rtol=1e-12, atol=1e-12)
    # the sampled units are those of scikit-learn's sample
    rows = silhouette_sample(500, max_n)
    assert set(np.flatnonzero(~np.isnan(widths[0]))) == set(rows.tolist())
