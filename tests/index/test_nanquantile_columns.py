"""The uncertainty bands' vectorised quantiles equal ``np.nanquantile`` exactly."""

from __future__ import annotations

import warnings

import numpy as np

from socialkit.index.sensitivity import nanquantile_columns


def test_equal_to_numpy_nanquantile_with_gaps_ties_and_empty_columns():
    rng = np.random.default_rng(0)
    a = rng.integers(1, 40, size=(57, 300)).astype(float)  # ranks: many ties
    a[rng.random(a.shape) < 0.1] = np.nan  # some missing in most columns
    a[:, 5] = np.nan  # a unit screened out in every run
    a[:56, 6] = np.nan  # one value left
    q = [0.05, 0.5, 0.95]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # numpy: All-NaN slice
        expected = np.nanquantile(a, q, axis=0)
    np.testing.assert_array_equal(nanquantile_columns(a, q), expected)
