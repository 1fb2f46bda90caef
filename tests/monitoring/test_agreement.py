"""Inter-rater agreement against published worked examples."""

from __future__ import annotations

import numpy as np
import pytest

from socialkit.monitoring.agreement import icc_2_1, krippendorff_alpha

NA = np.nan
# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section E:
# 4 observers (rows) x 12 units (columns), missing values allowed.
KRIPPENDORFF = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NA, NA, NA],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NA, 3],
    [NA, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NA],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NA],
]).T
# Shrout & Fleiss (1979), Table 2: 6 targets x 4 judges.
SHROUT_FLEISS = np.array([
    [9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7],
])


@pytest.mark.parametrize("metric, expected", [
    ("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797),
])
def test_krippendorff_published_example(metric, expected):
    assert krippendorff_alpha(KRIPPENDORFF, metric) == pytest.approx(expected, abs=5e-4)


def test_krippendorff_edge_cases():
    assert krippendorff_alpha([[1, 1], [3, 3], [5, 5]]) == pytest.approx(1.0)
    assert np.isnan(krippendorff_alpha([[1, NA], [2, NA]]))  # nothing pairable
    assert np.isnan(krippendorff_alpha([[2, 2], [2, 2]]))  # no variation
    # systematic disagreement is worse than chance
    assert krippendorff_alpha([[1, 5], [5, 1], [1, 5], [5, 1]]) < 0
    with pytest.raises(ValueError, match="metric"):
        krippendorff_alpha(KRIPPENDORFF, "cosine")


def test_icc_2_1_published_example():
    assert icc_2_1(SHROUT_FLEISS) == pytest.approx(0.29, abs=5e-3)
    assert icc_2_1(SHROUT_FLEISS) == pytest.approx(0.28976, abs=1e-4)


def test_icc_drops_incomplete_rows():
    x = np.vstack([SHROUT_FLEISS, [NA, 1, 2, 3]]).astype(float)
    assert icc_2_1(x) == pytest.approx(icc_2_1(SHROUT_FLEISS))
    assert np.isnan(icc_2_1([[1, 2]]))
