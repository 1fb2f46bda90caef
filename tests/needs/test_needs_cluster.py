"""Needs clustering: equality with R/SciPy/scikit-learn, known structure, noise, details."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.cluster.hierarchy import cut_tree, linkage
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.mixture import GaussianMixture

from socialkit.config import SUPPORTED_LANGS
from socialkit.errors import DataValidationError
from socialkit.needs import cluster, to_rates, zscore
from socialkit.needs.display import cluster_name, cluster_names, cluster_summary, explain_k
from socialkit.needs.methods import relabel_by_appearance

# USArrests (R package datasets; McNeil 1977, public domain): 50 US states, arrests per 100,000
# for Murder, Assault, Rape and percent urban population, as shipped with R.
USARRESTS = pd.read_csv(Path(__file__).with_name("usarrests.csv"), index_col="State").astype(float)


def test_usarrests_fixture_is_intact():
    # column means printed by R's colMeans(USArrests)
    np.testing.assert_allclose(USARRESTS.mean(), [7.788, 170.76, 65.54, 21.232])


def test_zscore_is_r_scale():
    z = zscore(USARRESTS)
    # R: scale(USArrests)["Alabama", "Murder"] -> 1.24256408 (sample sd, n - 1)
    assert z.loc["Alabama", "Murder"] == pytest.approx(1.24256408, abs=1e-8)
    np.testing.assert_allclose(z.std(ddof=1), 1.0)


def test_hclust_complete_unscaled_matches_r():
    # R: cutree(hclust(dist(USArrests), method = "complete"), 3) (ISLR, exercise 10.9)
    res = cluster(USARRESTS, k=3, method="complete", scale=None, n_boot=0)
    first = ["Alabama", "Alaska", "Arizona", "California", "Delaware", "Florida", "Illinois",
             "Louisiana", "Maryland", "Michigan", "Mississippi", "Nevada", "New Mexico",
             "New York", "North Carolina", "South Carolina"]
    second = ["Arkansas", "Colorado", "Georgia", "Massachusetts", "Missouri", "New Jersey",
              "Oklahoma", "Oregon", "Rhode Island", "Tennessee", "Texas", "Virginia",
              "Washington", "Wyoming"]
    assert sorted(res.labels[res.labels == 1].index) == first
    assert sorted(res.labels[res.labels == 2].index) == second
    assert res.sizes.tolist() == [16, 14, 20]


def test_hclust_complete_scaled_matches_r_sizes():
    # R: table(cutree(hclust(dist(scale(USArrests)), "complete"), 3)) -> 8 11 31
    res = cluster(USARRESTS, k=3, method="complete", n_boot=0)
    assert res.sizes.tolist() == [8, 11, 31]
    assert res.labels["Alabama"] == 1


@pytest.mark.parametrize("method", ["ward", "complete", "average"])
@pytest.mark.parametrize("k", [2, 4])
@pytest.mark.parametrize("scale", ["zscore", None])
def test_hierarchical_equals_scipy_and_sklearn(method, k, scale):
    res = cluster(USARRESTS, k=k, method=method, scale=scale, n_boot=0)
    X = zscore(USARRESTS).to_numpy() if scale else USARRESTS.to_numpy()
    scipy_labels = cut_tree(linkage(X, method), n_clusters=k).ravel()
    assert res.labels.tolist() == relabel_by_appearance(scipy_labels).tolist()
    sk = AgglomerativeClustering(n_clusters=k, linkage=method).fit(X).labels_
    assert adjusted_rand_score(res.labels, sk) == 1.0


@pytest.mark.parametrize("scale", ["zscore", None])
def test_kmeans_equals_sklearn(scale):
    res = cluster(USARRESTS, k=4, scale=scale, n_boot=0, n_init=25, random_state=3)
    X = zscore(USARRESTS).to_numpy() if scale else USARRESTS.to_numpy()
    sk = KMeans(n_clusters=4, n_init=25, random_state=3).fit(X).labels_
    assert res.labels.tolist() == relabel_by_appearance(sk).tolist()


def test_gmm_equals_sklearn_and_reports_bic():
    res = cluster(USARRESTS, k=3, method="gmm", n_boot=0, n_init=4, random_state=1)
    X = zscore(USARRESTS).to_numpy()
    gm = GaussianMixture(n_components=3, covariance_type="full", n_init=4,
                         random_state=1).fit(X)
    assert res.labels.tolist() == relabel_by_appearance(gm.predict(X)).tolist()
    assert res.validity.loc[3, "bic"] == pytest.approx(gm.bic(X))


def _blobs(seed=0, n=30):
    rng = np.random.default_rng(seed)
    centres = np.array([[0, 0, 0, 0], [4, 0, 4, 0], [0, 4, 0, -4]], float)
    X = np.concatenate([c + rng.normal(0, 0.5, (n, 4)) for c in centres])
    frame = pd.DataFrame(X, columns=["elderly_alone", "idp", "distance_social_service_centre",
                                     "low_income"],
                         index=[f"s{i:03d}" for i in range(len(X))])
    truth = np.repeat([1, 2, 3], n)
    return frame, truth


@pytest.mark.parametrize("method", ["kmeans", "ward", "gmm"])
def test_known_structure_is_recovered(method):
    # the mixture's BIC needs a few more points per blob to beat a spurious 4th component
    frame, truth = _blobs(n=60 if method == "gmm" else 30)
    res = cluster(frame, method=method, k_range=range(2, 6), gap_b=10, n_boot=20)
    assert res.k == 3
    assert adjusted_rand_score(truth, res.labels) == 1.0
    assert (res.stability["jaccard_mean"] > 0.85).all()
    assert set(res.stability["band"]) == {"highly_stable"}
    assert set(res.validity.index) >= {2, 3, 4, 5}
    indices = res.validity.loc[2:, ["silhouette", "calinski_harabasz", "davies_bouldin"]]
    assert indices.notna().all().all()
    if method == "gmm":
        assert res.k_rule == "bic" and res.validity.loc[2:, "bic"].notna().all()
    else:
        assert res.k_rule == "gap" and res.validity["gap"].notna().all()  # k = 1..5
    # every index agrees on 3 for such clear blobs
    v = res.validity.dropna(subset=["silhouette"])
    assert v["silhouette"].idxmax() == 3 and v["davies_bouldin"].idxmin() == 3


def test_names_from_largest_deviations_en_uk():
    frame, _ = _blobs()
    res = cluster(frame, k=3, n_boot=0)
    # cluster 2 = centre (4, 0, 4, 0): many elderly alone, remote from social services
    assert cluster_name(res, 2) in {
        "Many elderly people living alone, remote from social services",
        "Remote from social services, many elderly people living alone"}
    assert "самотніх літніх людей" in cluster_name(res, 2, "uk")
    assert "віддалені від соціальних послуг" in cluster_name(res, 2, "uk")
    terms = res.terms[res.terms["cluster"] == 2]
    assert set(terms["variable"]) == {"elderly_alone", "distance_social_service_centre"}
    assert set(terms["direction"]) == {"high"}
    assert "Tibshirani" not in explain_k(res, "en")  # k was fixed
    assert explain_k(res, "uk") == "Кількість кластерів (3) задав аналітик."


def _strings(value) -> set[str]:
    """Every string a result field holds: cells, index and column labels, dict values."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, pd.DataFrame):
        return (_strings(value.columns) | _strings(value.index)
                | set().union(*(_strings(value[c]) for c in value.columns)))
    if isinstance(value, pd.Series | pd.Index):
        found = {v for v in value.tolist() if isinstance(v, str)}
        return found | (_strings(value.index) if isinstance(value, pd.Series) else set())
    if isinstance(value, dict):
        return set().union(set(), *(_strings(v) for v in value.values()))
    return set()


def test_cluster_result_is_language_free_and_named_in_every_language():
    """The result carries cluster numbers, variables and directions, no name in any language;
    the display layer names the same result in each language (the dashboard computed it once
    per language, and the result held every language's names)."""
    frame, _ = _blobs()
    res = cluster(frame, k=3, n_boot=5)
    names = {lang: cluster_names(res, lang) for lang in SUPPORTED_LANGS}
    every_name = set().union(*(set(n) for n in names.values()))
    for f in dataclasses.fields(res):
        held = _strings(getattr(res, f.name))
        assert not held & every_name, (f.name, held & every_name)
    assert "самотніх літніх людей" in names["uk"][2]
    assert "elderly" in names["en"][2].lower()
    assert names["sr-Latn"][2] != names["sr-Cyrl"][2]
    summary = {lang: cluster_summary(res, lang) for lang in ("en", "uk")}
    assert list(summary["uk"]["name"]) == list(names["uk"])
    pd.testing.assert_frame_equal(summary["en"].drop(columns=["name", "band"]),
                                  summary["uk"].drop(columns=["name", "band"]))


def test_pure_noise_is_unstable_and_gap_says_one_cluster():
    rng = np.random.default_rng(5)
    noise = pd.DataFrame(rng.normal(size=(120, 6)), columns=list("abcdef"))
    res = cluster(noise, k=4, n_boot=30)
    assert res.stability["jaccard_mean"].mean() < 0.6
    assert (res.stability["jaccard_mean"] < 0.75).all()
    assert res.stability["band"].isin(["unstable", "doubtful"]).all()
    chosen = cluster(noise, k_range=range(2, 6), gap_b=20, n_boot=0)
    assert chosen.k == 1
    assert "Tibshirani" in explain_k(chosen, "en")


def test_outliers_are_kept_and_flagged():
    frame, _ = _blobs()
    frame = frame.copy()
    frame.loc["s000", "low_income"] = 40.0
    res = cluster(frame, k=3, n_boot=0)
    assert "s000" in res.labels.index and len(res.labels) == len(frame)
    assert bool(res.members.loc["s000", "outlier"])
    assert res.members["outlier"].sum() == 1
    assert cluster_summary(res)["outliers"].sum() == 1


def test_transforms_prune_and_pca():
    frame, _ = _blobs()
    shares = frame.abs() / 10
    logged = cluster(shares, k=3, transform="log1p", scale=None, n_boot=0)
    np.testing.assert_allclose(logged.data.to_numpy(), np.log1p(shares.to_numpy()))
    mixed = cluster(shares, k=3, transform={"idp": "asinh"}, scale=None, n_boot=0)
    np.testing.assert_allclose(mixed.data["idp"], np.arcsinh(shares["idp"]))
    np.testing.assert_allclose(mixed.data["low_income"], shares["low_income"])
    dup = frame.assign(idp_again=frame["idp"] * 2 + 0.001)
    pruned = cluster(dup, k=3, reduce="prune", prune_threshold=0.95, n_boot=0)
    assert "idp_again" not in pruned.data.columns
    assert pruned.dropped["idp_again"].startswith("|r| = 1.000 with idp")
    pca = cluster(frame, k=3, reduce="pca", pca_variance=0.9, n_boot=0)
    assert list(pca.data.columns)[:1] == ["PC1"] and pca.loadings is not None
    assert list(pca.profiles.columns) == list(frame.columns)  # profiles on the variables


def test_input_not_mutated_and_index_kept():
    frame, _ = _blobs()
    before = frame.copy()
    res = cluster(frame, k=2, n_boot=5)
    pd.testing.assert_frame_equal(frame, before)
    assert res.labels.index.equals(frame.index)


def test_bad_input_is_named():
    frame, _ = _blobs()
    bad = frame.copy()
    bad.loc["s004", "idp"] = np.nan
    with pytest.raises(DataValidationError, match=r"row 6, column 'idp'.*s004"):
        cluster(bad, k=2)
    counts = frame.assign(people=np.arange(len(frame)))
    with pytest.raises(DataValidationError, match=r"column 'people'.*integer counts.*to_rates"):
        cluster(counts, k=2)
    with pytest.raises(ValueError, match="unknown method"):
        cluster(frame, k=2, method="dbscan")


def test_to_rates():
    counts = pd.DataFrame({"idp": pd.array([5, 30, pd.NA], dtype="Int64")})
    got = to_rates(counts, pd.Series([1000, 6000, 100]))
    assert got["idp"].tolist()[:2] == [5.0, 5.0] and np.isnan(got["idp"].iloc[2])
