"""How many clusters: validity indices for every k, the gap statistic, and choice rules.

For each k tried, :func:`validity_table` reports

* ``silhouette`` — mean silhouette width (higher is better; scikit-learn's
  ``silhouette_score``, on its random sample of :data:`SILHOUETTE_MAX_N` units above that
  size);
* ``calinski_harabasz`` — between/within dispersion ratio (higher is better; scikit-learn);
* ``davies_bouldin`` — mean worst-case similarity of clusters (lower is better; scikit-learn);
* ``gap`` and ``gap_se`` — the gap statistic of Tibshirani, Walther & Hastie (2001), computed
  as R's ``cluster::clusGap``: :math:`W_k = \\sum_r \\frac{1}{2 n_r} \\sum_{i, i' \\in C_r}
  d_{ii'}^{p}` (each pair counted once, as ``clusGap``: ``0.5 * sum(dist(x_r)^p / n_r)``),
  :math:`\\mathrm{Gap}(k) = \\overline{\\log W_k^*} - \\log W_k` over ``B`` reference data sets
  drawn uniformly in the range of each column (``spaceH0 = "scaleBox"``), and
  :math:`SE_k = s_k \\sqrt{1 + 1/B}` with :math:`s_k` the standard deviation (``n - 1``) of
  :math:`\\log W_k^*`. We use :math:`p = 2` — squared Euclidean distances, Tibshirani et al.'s
  definition (``clusGap(d.power = 2)``; ``clusGap``'s default ``d.power = 1`` is available as
  ``d_power=1``), because :math:`p = 2` is what k-means and Ward minimise and has an
  :math:`O(n)` closed form :math:`W_k = \\tfrac12 \\sum_r \\sum_{i \\in C_r} \\lVert x_i -
  \\bar x_r \\rVert^2`. Above :data:`GAP_MAX_N` units the reference sets are clustered by
  ``cluster::clara``'s sampling scheme (see :func:`gap_statistic`); up to it the gap is exactly
  ``clusGap``'s;
* ``bic`` — Bayesian information criterion of the Gaussian mixture (``gmm`` only; lower is
  better).

:data:`K_RULES` turns the table into a choice. The default rule is ``"gap"``, ``clusGap``'s
default ``maxSE(method = "firstSEmax", SE.factor = 1)``: the smallest k whose gap is within one
standard error of the first local maximum of the gap curve; ``"gap_tibs2001"`` is the rule of
the paper (``"Tibs2001SEmax"``: the smallest k with
:math:`\\mathrm{Gap}(k) \\ge \\mathrm{Gap}(k+1) - SE_{k+1}`). For ``gmm`` the default is
``"bic"`` (smallest BIC).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from scipy.spatial.distance import pdist
from sklearn.metrics import (
    calinski_harabasz_score,
    davies_bouldin_score,
    pairwise_distances_chunked,
)

from .methods import METHODS, Fit

__all__ = [
    "GAP_MAX_N",
    "K_RULES",
    "SILHOUETTE_MAX_N",
    "gap_statistic",
    "max_se",
    "silhouette_sample",
    "silhouettes",
    "silhouette_widths",
    "validity_table",
    "within_dispersion",
]

#: Up to this many units silhouettes are exact; above it they are estimated on a random sample
#: of this size (scikit-learn's ``sample_size``), because the exact widths cost O(n²).
SILHOUETTE_MAX_N = 10_000

#: Up to this many units the gap statistic is exactly ``clusGap``'s; above it the reference sets
#: are clustered by ``cluster::clara``'s sampling scheme (see :func:`gap_statistic`).
GAP_MAX_N = 10_000


def within_dispersion(X: np.ndarray, labels: np.ndarray, d_power: float = 2) -> float:
    """:math:`W_k` of ``clusGap``: ``0.5 * sum over clusters of sum(dist^p) / n_r``."""
    total = 0.0
    for r in np.unique(labels):
        xs = X[labels == r]
        n_r = len(xs)
        if n_r < 2:
            continue
        if d_power == 2:
            # sum over pairs of squared distances = n_r * sum of squared deviations from mean
            total += float(((xs - xs.mean(axis=0)) ** 2).sum())  # (n_r * SS) / n_r
        else:
            total += float((pdist(xs) ** d_power).sum()) / n_r
    return 0.5 * total


def max_se(f: np.ndarray, se: np.ndarray, method: str = "firstSEmax",
           se_factor: float = 1.0) -> int:
    """Position (1-based k) chosen from a gap curve, as R's ``cluster::maxSE``.

    >>> max_se(np.array([0.1, 0.5, 0.45, 0.7]), np.array([0.1, 0.1, 0.1, 0.1]))
    2
    """
    f = np.asarray(f, float)
    fse = se_factor * np.asarray(se, float)
    K = len(f)
    if method == "firstSEmax":
        decr = np.diff(f) <= 0
        nc = int(np.argmax(decr)) + 1 if decr.any() else K
        mp = f[: nc - 1] >= f[nc - 1] - fse[nc - 1]
        return int(np.argmax(mp)) + 1 if mp.any() else nc
    if method == "Tibs2001SEmax":
        g_s = f - fse
        mp = f[:-1] >= g_s[1:]
        return int(np.argmax(mp)) + 1 if mp.any() else K
    if method == "globalSEmax":
        nc = int(np.argmax(f)) + 1
        mp = f[: nc - 1] >= f[nc - 1] - fse[nc - 1]
        return int(np.argmax(mp)) + 1 if mp.any() else nc
    raise ValueError(f"unknown maxSE method {method!r}")


def _assign(X: np.ndarray, xx: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, float]:
    """Nearest centre of every row and the sum of squared distances to it."""
    d2 = xx[:, None] - 2.0 * (X @ centres.T) + (centres * centres).sum(axis=1)
    labels = d2.argmin(axis=1)
    return labels, float(np.maximum(d2[np.arange(len(X)), labels], 0.0).sum())


def clara_fits(X: np.ndarray, ks: Sequence[int], method: str, *, max_n: int,
               samples: int, random_state: int = 0) -> list[Fit]:
    """Clusterings of a large ``X`` by ``cluster::clara``'s sampling scheme.

    For each of ``samples`` random sub-samples of ``max_n`` rows (drawn without replacement),
    the sub-sample is clustered with ``method`` (one start) and every row of ``X`` is assigned
    to the nearest cluster centre (mean) of the sub-sample; for each k the sub-sample whose
    centres give the smallest sum of squared distances over all rows is kept. That is clara's
    rule (keep the sample whose medoids give the smallest total dissimilarity over all
    objects), with the k-means objective and centres in place of medoids.

    Returns one :class:`Fit` per k with labels for every row of ``X``.
    """
    rng = np.random.default_rng(random_state)
    n = len(X)
    fit_fn = METHODS[method]
    xx = (X * X).sum(axis=1)
    best_cost = [np.inf] * len(ks)
    best = [np.zeros(n, np.int64) for _ in ks]
    for s in range(samples):
        sub = X[rng.choice(n, max_n, replace=False)]
        for j, fit in enumerate(fit_fn(sub, ks, random_state + s, 1)):
            if ks[j] == 1:
                continue
            codes, inv = np.unique(fit.labels, return_inverse=True)
            counts = np.bincount(inv, minlength=len(codes)).astype(float)
            centres = np.stack([np.bincount(inv, weights=sub[:, c], minlength=len(codes))
                                for c in range(X.shape[1])], axis=1) / counts[:, None]
            labels, cost = _assign(X, xx, centres)
            if cost < best_cost[j]:
                best_cost[j], best[j] = cost, labels
    return [Fit(lab) for lab in best]


def gap_statistic(
    X: np.ndarray,
    ks: Sequence[int],
    fits: Sequence[Fit],
    method: str,
    *,
    B: int = 100,
    d_power: float = 2,
    random_state: int = 0,
    n_init: int = 10,
    max_n: int | None = GAP_MAX_N,
    clara_samples: int = 5,
) -> pd.DataFrame:
    """Gap statistic for ``ks`` given the fits on the data (see the module notes).

    Parameters
    ----------
    X : ndarray
        The data clustered (rows = units).
    ks : sequence of int
        Numbers of clusters (consecutive for the gap rules).
    fits : sequence of Fit
        The clusterings of ``X`` for ``ks`` (used up to ``max_n`` rows).
    method : str
        Name in :data:`~socialkit.needs.methods.METHODS`, used for the reference sets.
    B : int
        Reference data sets (``clusGap``'s default is 100).
    d_power : float
        Power of the distances in :math:`W_k`.
    random_state : int
        Seed of the reference sets (and of the clusterings).
    n_init : int
        Restarts of each reference clustering.
    max_n : int or None
        Above this many rows (None: never), the clusterings of the ``B`` reference sets follow
        ``cluster::clara``'s scheme (:func:`clara_fits`: ``clara_samples`` sub-samples of
        ``max_n`` rows, one start each; ``n_init`` is then not used). :math:`W_k` of the data
        still comes from ``fits``, the clustering reported. Up to ``max_n`` rows the result is
        exactly ``clusGap``'s. Default :data:`GAP_MAX_N`.
    clara_samples : int
        Sub-samples per clustering above ``max_n`` (``clara``'s ``samples``, default 5).

    Returns
    -------
    DataFrame
        Indexed by k: ``log_w``, ``e_log_w``, ``gap``, ``gap_se``.

    Notes
    -----
    Every reference set has as many rows as ``X`` (``clusGap``); only the clustering of a large
    reference set is done on sub-samples. On uniform reference data that costs little: on the
    48,356 settlements of the synthetic national data (11 variables, k = 2..6) clara's
    :math:`\\log W_k^*` is within 1e-3 of full k-means (10 restarts), under the standard
    error. On the clustered data itself sub-samples find worse optima (up to +0.014 at k = 6),
    so the data's :math:`W_k` is always the full clustering's. Cost: ``B`` × ``len(ks)`` clusterings of ``n`` rows with
    ``n_init`` restarts up to ``max_n``; above it ``clara_samples`` one-start clusterings of
    ``max_n`` rows and as many assignments of the ``n`` rows, whatever ``n``.
    """
    rng = np.random.default_rng(random_state)
    lo, hi = X.min(axis=0), X.max(axis=0)
    ks = list(ks)
    large = max_n is not None and len(X) > max_n
    log_w = np.array([np.log(within_dispersion(X, f.labels, d_power)) for f in fits])
    ref = np.empty((B, len(ks)))
    fit_fn = METHODS[method]
    for b in range(B):
        Z = rng.uniform(lo, hi, size=X.shape)
        if large:
            ref_fits = clara_fits(Z, ks, method, max_n=max_n, samples=clara_samples,
                                  random_state=random_state + b + 1)
        else:
            ref_fits = fit_fn(Z, ks, random_state + b + 1, n_init)
        ref[b] = [np.log(within_dispersion(Z, f.labels, d_power)) for f in ref_fits]
    e_log_w = ref.mean(axis=0)
    se = np.sqrt(1 + 1 / B) * (ref.std(axis=0, ddof=1) if B > 1 else np.zeros(len(ks)))
    return pd.DataFrame({"log_w": log_w, "e_log_w": e_log_w, "gap": e_log_w - log_w,
                         "gap_se": se}, index=pd.Index(ks, name="k"))


def silhouette_sample(n: int, max_n: int = SILHOUETTE_MAX_N) -> np.ndarray:
    """Rows whose silhouettes are computed: all ``n`` up to ``max_n``, above it the random
    sample scikit-learn's ``silhouette_score(sample_size=max_n, random_state=0)`` takes
    (``RandomState(0).permutation(n)[:max_n]``)."""
    if n <= max_n:
        return np.arange(n)
    return np.random.RandomState(0).permutation(n)[:max_n]


def _widths(sums: np.ndarray, counts: np.ndarray, own: np.ndarray) -> np.ndarray:
    """Silhouette widths from each row's distance sums to every cluster (scikit-learn's
    formula: singletons and 0/0 give 0; clusters with no member are ignored)."""
    idx = np.arange(len(own))
    own_n = counts[own] - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        a = sums[idx, own] / own_n
        means = sums / counts
    means[:, counts == 0] = np.inf
    means[idx, own] = np.inf
    b = means.min(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        width = (b - a) / np.maximum(a, b)
    return np.nan_to_num(width, nan=0.0, posinf=0.0, neginf=0.0)


def silhouettes(X: np.ndarray, labelings: Sequence[np.ndarray],
                max_n: int = SILHOUETTE_MAX_N) -> tuple[np.ndarray, np.ndarray]:
    """Mean silhouette and silhouette widths of several clusterings of ``X`` in one pass.

    Parameters
    ----------
    X : ndarray
        The data (rows = units).
    labelings : sequence of ndarray
        Cluster labels of the rows, one array per clustering.
    max_n : int
        Sample size above which the rows are sampled (:func:`silhouette_sample`).

    Returns
    -------
    scores : ndarray
        Per clustering, scikit-learn's ``silhouette_score(X, labels)`` — above ``max_n`` rows
        ``silhouette_score(X, labels, sample_size=max_n, random_state=0)`` (distances within
        the sample only); NaN when the (sampled) labels have fewer than 2 or more than
        ``m - 1`` clusters.
    widths : ndarray
        Shape (clusterings, n): width of each unit against all ``n`` units (Rousseeuw 1987, as
        ``cluster::silhouette`` and ``silhouette_samples``), exact for every unit up to
        ``max_n``; above it for the sampled units only, NaN for the others.

    Notes
    -----
    The Euclidean distances from the sampled rows to all rows are computed once, in chunks,
    and each chunk is reduced for every clustering at once by one matrix product with the
    cluster indicator matrices (sums of distances to each cluster). That is the same
    arithmetic as scikit-learn's per-row ``bincount`` in a different order, so the values
    agree to rounding (~1e-15). Cost O(m · n · (d + Σk)), with m = min(n, ``max_n``).
    """
    n = len(X)
    rows = silhouette_sample(n, max_n)
    m = len(rows)
    sampled = m < n
    scores = np.full(len(labelings), np.nan)
    widths = np.full((len(labelings), n), np.nan)
    blocks, parts = [], []
    col = 0
    for lab in labelings:
        codes, inv = np.unique(np.asarray(lab), return_inverse=True)
        k = len(codes)
        onehot = np.zeros((n, k))
        onehot[np.arange(n), inv] = 1.0
        part = {"inv": inv, "k": k, "all": slice(col, col + k), "counts": onehot.sum(axis=0)}
        blocks.append(onehot)
        col += k
        if sampled:
            in_s = np.zeros((n, k))
            in_s[rows] = onehot[rows]
            part["samp"] = slice(col, col + k)
            part["counts_s"] = in_s.sum(axis=0)
            blocks.append(in_s)
            col += k
        parts.append(part)
    if not labelings:
        return scores, widths
    M = np.hstack(blocks)
    sums = np.empty((m, col))
    start = 0
    # chunks of ~64 MB: the default (1 GB) chunks run ~3x slower, out of cache
    for chunk in pairwise_distances_chunked(X[rows], X, working_memory=64):
        stop = start + len(chunk)
        chunk[np.arange(len(chunk)), rows[start:stop]] = 0.0  # own distance exactly 0
        sums[start:stop] = chunk @ M
        start = stop
    for j, part in enumerate(parts):
        own = part["inv"][rows]
        if 2 <= part["k"] < n:
            widths[j, rows] = _widths(sums[:, part["all"]], part["counts"], own)
        if sampled:
            counts_s = part["counts_s"]
            k_s = int((counts_s > 0).sum())
            if 2 <= k_s < m:
                scores[j] = float(np.mean(_widths(sums[:, part["samp"]], counts_s, own)))
        elif 2 <= part["k"] < n:
            scores[j] = float(np.mean(widths[j]))
    return scores, widths


def _indices(X: np.ndarray, labels: np.ndarray,
             silhouette: float | None = None) -> tuple[float, float, float]:
    n_lab = len(np.unique(labels))
    if n_lab < 2 or n_lab >= len(X):
        return (np.nan, np.nan, np.nan)
    if silhouette is None:
        silhouette = silhouettes(X, [labels], SILHOUETTE_MAX_N)[0][0]
    return (float(silhouette), float(calinski_harabasz_score(X, labels)),
            float(davies_bouldin_score(X, labels)))


def silhouette_widths(X: np.ndarray, labels: np.ndarray,
                      max_n: int = SILHOUETTE_MAX_N) -> np.ndarray:
    """Silhouette width of each unit (Rousseeuw 1987; as R ``cluster::silhouette``).

    Exact for up to ``max_n`` units. Above that, widths are computed exactly (against all
    units) for the units of scikit-learn's silhouette sample (:func:`silhouette_sample`, the
    units ``silhouette_score(sample_size=max_n, random_state=0)`` uses) and missing for the
    others, which keeps the cost at O(max_n · n) instead of O(n²).
    """
    return silhouettes(X, [labels], max_n)[1][0]


def validity_table(X: np.ndarray, ks: Sequence[int], fits: Sequence[Fit],
                   gap: pd.DataFrame | None = None,
                   silhouette: Sequence[float] | None = None) -> pd.DataFrame:
    """Silhouette, Calinski–Harabasz, Davies–Bouldin, gap and BIC for every k tried.

    ``silhouette`` takes the mean silhouettes when they are already known (the scores of
    :func:`silhouettes`); by default they are computed here, in one pass for all k.
    """
    if silhouette is None:
        silhouette = silhouettes(X, [f.labels for f in fits])[0]
    rows = []
    for k, fit, s in zip(ks, fits, silhouette, strict=True):
        sil, ch, db = _indices(X, fit.labels, s)
        rows.append({"k": k, "silhouette": sil, "calinski_harabasz": ch, "davies_bouldin": db,
                     "bic": fit.bic})
    table = pd.DataFrame(rows).set_index("k")
    if gap is not None:
        table = table.join(gap[["gap", "gap_se"]], how="outer")
    else:
        table["gap"] = np.nan
        table["gap_se"] = np.nan
    return table[["silhouette", "calinski_harabasz", "davies_bouldin", "gap", "gap_se", "bic"]]


def _gap_rule(method: str) -> Callable[[pd.DataFrame], int]:
    def rule(table: pd.DataFrame) -> int:
        t = table.dropna(subset=["gap"]).sort_index()
        if t.empty:
            raise ValueError("the gap statistic was not computed")
        ks = t.index.to_numpy()
        if not np.array_equal(ks, np.arange(ks[0], ks[0] + len(ks))):
            raise ValueError("the gap rule needs consecutive k")
        return int(ks[max_se(t["gap"].to_numpy(), t["gap_se"].to_numpy(), method) - 1])

    return rule


def _best(column: str, largest: bool) -> Callable[[pd.DataFrame], int]:
    def rule(table: pd.DataFrame) -> int:
        s = table[column].dropna()
        if s.empty:
            raise ValueError(f"no {column} values to choose k from")
        return int(s.idxmax() if largest else s.idxmin())

    return rule


#: Rules choosing k from the validity table, by name.
K_RULES: dict[str, Callable[[pd.DataFrame], int]] = {
    "gap": _gap_rule("firstSEmax"),
    "gap_tibs2001": _gap_rule("Tibs2001SEmax"),
    "silhouette": _best("silhouette", largest=True),
    "calinski_harabasz": _best("calinski_harabasz", largest=True),
    "davies_bouldin": _best("davies_bouldin", largest=False),
    "bic": _best("bic", largest=False),
}
