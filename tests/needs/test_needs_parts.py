"""Gap statistic, maxSE rules, Jaccard of clusterboot, names — small hand-checked cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import pdist

from socialkit.needs import max_se, name_clusters, stability_band
from socialkit.needs.stability import _best_jaccard
from socialkit.needs.validity import within_dispersion


def test_max_se_rules_as_r_cluster():
    gap = np.array([0.2, 0.5, 0.58, 0.55, 0.7])
    se = np.full(5, 0.1)
    # firstSEmax: first local max is k=3 (0.58); smallest k with gap >= 0.58 - 0.1 is k=2
    assert max_se(gap, se, "firstSEmax") == 2
    # Tibs2001SEmax: smallest k with gap(k) >= gap(k+1) - se(k+1): 0.5 >= 0.48 -> k=2
    assert max_se(gap, se, "Tibs2001SEmax") == 2
    # globalSEmax: global max k=5 (0.7); smallest k with gap >= 0.6: none before -> 5
    assert max_se(gap, se, "globalSEmax") == 5
    assert max_se(np.array([0.1, 0.2, 0.3]), np.zeros(3), "firstSEmax") == 3


@pytest.mark.parametrize("power", [1, 2])
def test_within_dispersion_is_clusgap_formula(power):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(25, 3))
    labels = rng.integers(0, 3, 25)
    # clusGap: 0.5 * sum over clusters of sum(dist(x_r)^p / n_r)
    want = 0.5 * sum((pdist(X[labels == r]) ** power).sum() / (labels == r).sum()
                     for r in range(3))
    assert within_dispersion(X, labels, power) == pytest.approx(want, rel=1e-12)


def test_best_jaccard_hand_checked():
    orig = np.array([0, 0, 0, 1, 1, 2])
    boot = np.array([0, 0, 1, 1, 1, 1])
    got = _best_jaccard(orig, boot, 4)
    # cluster 0 {0,1,2} vs boot 0 {0,1}: 2/3; cluster 1 {3,4} vs boot 1 {2,3,4,5}: 2/4;
    # cluster 2 {5} vs boot 1: 1/4; cluster 3 absent: NaN
    np.testing.assert_allclose(got, [2 / 3, 0.5, 0.25, np.nan])


def test_stability_bands_are_clusterboot_reading():
    assert [stability_band(x) for x in (0.59, 0.6, 0.749, 0.75, 0.85, np.nan)] == [
        "unstable", "doubtful", "doubtful", "stable", "highly_stable", "no_data"]


def test_names_average_and_duplicates():
    prof = pd.DataFrame({"idp": [1.5, 1.4, 0.1], "unemployed": [0.1, -0.2, 0.2]},
                        index=pd.Index([1, 2, 3], name="cluster"))
    en = name_clusters(prof, "en", max_terms=2, min_z=0.5)
    assert en[1] == "Many internally displaced persons (group 1)"
    assert en[2] == "Many internally displaced persons (group 2)"
    assert en[3] == "Close to the average"
    uk = name_clusters(prof, "uk")
    assert uk[3] == "Близько до середнього"
    odd = name_clusters(pd.DataFrame({"mystery_share": [-2.0]}, index=[1]), "en")
    assert odd[1] == "Low mystery share"  # unknown variable: its name, spaced
