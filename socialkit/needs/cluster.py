"""``cluster()``: needs clustering of settlements or municipalities, end to end.

The steps, each a function of its own module, run in this order and are recorded in
:attr:`ClusterResult.spec` so a result can be regenerated:

1. check the variables (rates and shares, no missing values) — :mod:`.prepare`;
2. optional ``transform`` (``log1p``/``asinh``) for skewed shares;
3. ``scale`` (``zscore``: sample sd as R's ``scale()``; or ``None``), dropping constant columns;
4. optional ``reduce``: ``"prune"`` near-duplicate variables (:math:`|r|` > ``prune_threshold``)
   or ``"pca"`` (components reaching ``pca_variance``);
5. cluster with ``method`` for every k in ``k_range`` (or the fixed ``k``) — :mod:`.methods`;
6. validity indices per k and the gap statistic, and the choice of k by ``k_rule`` —
   :mod:`.validity`;
7. bootstrap stability (mean Jaccard per cluster, as ``fpc::clusterboot``) — :mod:`.stability`;
8. profiles (mean z-scores), the variables that stand out (``terms``), outliers flagged —
   :mod:`.profiles`.

The result is language-free (cluster numbers, variable names, directions, numbers): the names,
the summary and the sentence on k in a language come from :mod:`socialkit.needs.display`, so one
result serves every language.

Cluster labels are numbered ``1..k`` in order of first appearance in the frame (as R's
``cutree``), so the partition is exactly the one scikit-learn or SciPy returns, relabelled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from .methods import METHODS, relabel_by_appearance
from .prepare import apply_transform, numeric_matrix, pca_reduce, prune_correlated, scale_frame
from .profiles import cluster_profiles, outlier_flags, profile_terms
from .stability import bootstrap_stability
from .validity import GAP_MAX_N, K_RULES, gap_statistic, silhouettes, validity_table

__all__ = ["REDUCERS", "ClusterResult", "cluster"]

#: Dimension reduction options by name.
REDUCERS: tuple[str | None, ...] = (None, "prune", "pca")


@dataclass(frozen=True)
class ClusterResult:
    """Everything :func:`cluster` found.

    Attributes
    ----------
    labels : Series
        Cluster ``1..k`` of every row, indexed like the input frame.
    k : int
        Number of clusters.
    method : str
        Clustering method.
    k_rule : str
        ``"fixed"`` or the rule in :data:`~socialkit.needs.validity.K_RULES` that chose k.
    validity : DataFrame
        Indexed by k: ``silhouette``, ``calinski_harabasz``, ``davies_bouldin``, ``gap``,
        ``gap_se``, ``bic`` (NaN where not computed).
    stability : DataFrame
        Indexed by cluster: ``jaccard_mean``, ``recovered``, ``dissolved``, ``band`` (empty if
        ``n_boot=0``).
    profiles : DataFrame
        Mean z-score of every variable per cluster.
    means : DataFrame
        Mean of every variable per cluster, in the input units.
    sizes : Series
        Number of rows per cluster.
    terms : DataFrame
        The variables and directions that name each cluster (``cluster, rank, variable,
        direction, z``); :func:`socialkit.needs.display.cluster_names` says them in a
        language.
    members : DataFrame
        Per row: ``cluster``, ``silhouette`` (own width), ``max_abs_z``, ``outlier``.
    data : DataFrame
        The matrix that was clustered (after transform, scaling and reduction).
    dropped : dict
        Variables left out and why (constant, near-duplicate).
    loadings : DataFrame or None
        PCA loadings when ``reduce="pca"``.
    spec : dict
        The arguments, to regenerate the result.
    """

    labels: pd.Series
    k: int
    method: str
    k_rule: str
    validity: pd.DataFrame
    stability: pd.DataFrame
    profiles: pd.DataFrame
    means: pd.DataFrame
    sizes: pd.Series
    terms: pd.DataFrame
    members: pd.DataFrame
    data: pd.DataFrame
    dropped: dict[str, str] = field(default_factory=dict)
    loadings: pd.DataFrame | None = None
    spec: dict = field(default_factory=dict)


def _resample_n_init(method: str, n_init: int) -> int:
    """Restarts for the many re-fits of the gap statistic and the bootstrap: up to 10 for
    k-means, 1 for mixtures (each mixture fit costs as much as many k-means restarts)."""
    return 1 if method == "gmm" else min(n_init, 10)


def _k_range(k_range: Sequence[int] | None, n: int) -> list[int]:
    ks = list(range(2, min(8, n - 1) + 1)) if k_range is None else sorted(set(map(int, k_range)))
    if not ks or ks[0] < 1 or ks[-1] >= n:
        raise ValueError(f"k_range must hold numbers from 1 to {n - 1} (rows - 1), got {ks}")
    return ks


def cluster(
    frame: pd.DataFrame,
    k: int | None = None,
    method: str = "kmeans",
    transform: str | Mapping[str, str] | None = None,
    scale: str | None = "zscore",
    random_state: int = 0,
    *,
    columns: Sequence[str] | None = None,
    k_range: Sequence[int] | None = None,
    k_rule: str | None = None,
    reduce: str | None = None,
    prune_threshold: float = 0.9,
    pca_variance: float = 0.9,
    n_init: int = 25,
    gap_b: int = 50,
    gap_d_power: float = 2,
    n_boot: int = 100,
    gap_max_n: int | None = GAP_MAX_N,
    boot_max_n: int | None = None,
    outlier_z: float = 3.0,
    name_terms: int = 2,
    name_min_z: float = 0.5,
    allow_counts: bool = False,
) -> ClusterResult:
    """Cluster settlements or municipalities by their needs.

    Parameters
    ----------
    frame : DataFrame
        One row per unit (indexed by its id), variables as rates or shares.
    k : int, optional
        Number of clusters; None chooses it from ``k_range`` with ``k_rule``.
    method : str
        ``"kmeans"``, ``"ward"``, ``"complete"``, ``"average"`` or ``"gmm"``.
    transform : str or dict, optional
        ``"log1p"`` or ``"asinh"`` for all variables, or ``{column: name}``.
    scale : str or None
        ``"zscore"`` (sample sd, as R's ``scale()``) or None.
    random_state : int
        Seed of every random step (k-means starts, gap references, bootstrap).
    columns : sequence of str, optional
        Variables to use; default every numeric (non-boolean) column.
    k_range : sequence of int, optional
        k tried when choosing (default 2..8, fewer for small frames).
    k_rule : str, optional
        Rule choosing k (:data:`~socialkit.needs.validity.K_RULES`); default ``"gap"``
        (``clusGap``'s ``firstSEmax``), ``"bic"`` for ``gmm``.
    reduce : {None, "prune", "pca"}
        Remove near-duplicate variables or cluster on principal components.
    prune_threshold, pca_variance : float
        Settings of ``reduce``.
    n_init : int
        Restarts of k-means (and of the mixture, up to 10) on the data; the re-fits of the
        gap statistic and the bootstrap use up to 10 (k-means) or 1 (mixture).
    gap_b : int
        Reference data sets of the gap statistic (0 skips it; ``clusGap``'s default is 100).
    gap_d_power : float
        Power of the distances in the gap statistic (2: Tibshirani et al. 2001).
    n_boot : int
        Bootstrap samples for stability (0 skips it; ``clusterboot``'s default is 100).
    gap_max_n : int or None
        Above this many rows the reference sets of the gap statistic are clustered by
        ``cluster::clara``'s sampling scheme (:func:`~socialkit.needs.validity.gap_statistic`);
        up to it (and with None) the gap is exactly ``clusGap``'s. Default 10,000.
    boot_max_n : int or None
        Above this many rows the stability resamples are subsets of this many rows
        (``clusterboot``'s ``bootmethod = "subset"``) instead of bootstraps; up to it (and with
        None, the default) they are ``bootmethod = "boot"``, ``clusterboot``'s default.
        Subsets give different Jaccard means than bootstraps (up to 0.08 on 48,000
        settlements, enough to change a stability band), so they are opt-in
        (:data:`~socialkit.needs.stability.BOOT_MAX_N` is a sensible value).
    outlier_z : float
        A row with some :math:`|z|` above this is flagged as an outlier (never dropped).
    name_terms, name_min_z
        How many variables, of at least which :math:`|\\bar z|`, name a cluster.
    allow_counts : bool
        Accept integer columns (counts); by default they are refused — use rates.

    Returns
    -------
    ClusterResult

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> frame = pd.DataFrame(np.r_[rng.normal(0, .1, (10, 2)), rng.normal(3, .1, (10, 2))],
    ...                      columns=["elderly_alone", "distance_social_service_centre"])
    >>> res = cluster(frame, k=2, n_boot=5)
    >>> from socialkit.needs.display import cluster_name
    >>> res.sizes.tolist(), cluster_name(res, 2, "en")
    ([10, 10], 'Remote from social services, many elderly people living alone')
    """
    args = dict(k=k, method=method, transform=transform, scale=scale,
                random_state=random_state, columns=columns, k_range=k_range, k_rule=k_rule,
                reduce=reduce, prune_threshold=prune_threshold, pca_variance=pca_variance,
                n_init=n_init, gap_b=gap_b, gap_d_power=gap_d_power, n_boot=n_boot,
                gap_max_n=gap_max_n, boot_max_n=boot_max_n,
                outlier_z=outlier_z, name_terms=name_terms, name_min_z=name_min_z,
                allow_counts=allow_counts)
    # many small fits: one BLAS/OpenMP thread each is ~10x faster than thread start-up on
    # every fit (and the results do not depend on it)
    with threadpool_limits(limits=1):
        return _cluster(frame, **args)


def _cluster(frame, *, k, method, transform, scale, random_state, columns, k_range, k_rule,
             reduce, prune_threshold, pca_variance, n_init, gap_b, gap_d_power, n_boot,
             gap_max_n, boot_max_n, outlier_z, name_terms, name_min_z, allow_counts) -> ClusterResult:
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {sorted(METHODS)}")
    if reduce not in REDUCERS:
        raise ValueError(f"unknown reduce {reduce!r}; expected one of {list(REDUCERS)}")
    raw = numeric_matrix(frame, columns, allow_counts=allow_counts)
    n = len(raw)
    transformed = apply_transform(raw, transform)
    scaled, dropped = scale_frame(transformed, scale)
    z, _ = scale_frame(transformed, "zscore")  # profiles always in z-scores
    loadings = None
    if reduce == "prune":
        space, pruned = prune_correlated(scaled, prune_threshold)
        dropped |= pruned
    elif reduce == "pca":
        space, loadings = pca_reduce(scaled, pca_variance)
    else:
        space = scaled
    X = space.to_numpy(dtype=float)
    fit_fn = METHODS[method]

    if k is None:
        ks = _k_range(k_range, n)
        rule = k_rule or ("bic" if method == "gmm" else "gap")
        if rule not in K_RULES:
            raise ValueError(f"unknown k_rule {rule!r}; expected one of {sorted(K_RULES)}")
        if rule.startswith("gap"):
            ks = sorted(set(ks) | set(range(1, ks[-1] + 1)))
        fits = fit_fn(X, ks, random_state, n_init)
        gap = None
        if gap_b > 0:
            gap = gap_statistic(X, ks, fits, method, B=gap_b, d_power=gap_d_power,
                                random_state=random_state, n_init=_resample_n_init(method, n_init),
                                max_n=gap_max_n)
        elif rule.startswith("gap"):
            raise ValueError("the gap rule needs gap_b > 0")
        # one pass over the distances gives the mean silhouettes of every k and the widths
        sil_mean, sil_widths = silhouettes(X, [f.labels for f in fits])
        validity = validity_table(X, ks, fits, gap, silhouette=sil_mean)
        k_final = K_RULES[rule](validity)
        labels0 = fits[ks.index(k_final)].labels
        sil = sil_widths[ks.index(k_final)]
    else:
        if not 1 <= int(k) < n:
            raise ValueError(f"k must be from 1 to {n - 1} (rows - 1), got {k!r}")
        rule, k_final = "fixed", int(k)
        fits = fit_fn(X, [k_final], random_state, n_init)
        sil_mean, sil_widths = silhouettes(X, [fits[0].labels])
        validity = validity_table(X, [k_final], fits, silhouette=sil_mean)
        labels0 = fits[0].labels
        sil = sil_widths[0]

    lab = relabel_by_appearance(labels0)
    k_final = int(lab.max())
    labels = pd.Series(lab, index=frame.index.copy(), name="cluster")
    stability = (bootstrap_stability(X, lab, method, B=n_boot, random_state=random_state,
                                     n_init=_resample_n_init(method, n_init), max_n=boot_max_n)
                 if n_boot > 0 and k_final > 1 else
                 pd.DataFrame(columns=["jaccard_mean", "recovered", "dissolved", "band"]))
    profiles = cluster_profiles(z, labels)
    means = raw.groupby(lab).mean()
    means.index.name = "cluster"
    sizes = labels.value_counts().sort_index().rename("size")
    sizes.index.name = "cluster"
    if not 1 < k_final < n:
        sil = np.full(n, np.nan)
    members = pd.concat([labels, pd.Series(sil, index=labels.index, name="silhouette"),
                         outlier_flags(z.set_axis(labels.index), outlier_z)], axis=1)
    spec = dict(k=k, method=method, transform=transform, scale=scale,
                random_state=random_state, columns=list(raw.columns), k_range=k_range,
                k_rule=k_rule, reduce=reduce, prune_threshold=prune_threshold,
                pca_variance=pca_variance, n_init=n_init, gap_b=gap_b, gap_d_power=gap_d_power,
                n_boot=n_boot, gap_max_n=gap_max_n, boot_max_n=boot_max_n,
                outlier_z=outlier_z, name_terms=name_terms, name_min_z=name_min_z)
    return ClusterResult(
        labels=labels, k=k_final, method=method, k_rule=rule, validity=validity,
        stability=stability, profiles=profiles, means=means, sizes=sizes,
        terms=profile_terms(profiles, name_terms, name_min_z), members=members,
        data=space.set_axis(labels.index), dropped=dropped, loadings=loadings, spec=spec,
    )
