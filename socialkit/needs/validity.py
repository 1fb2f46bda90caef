"""How many clusters: validity indices for every k, the gap statistic, and choice rules.

For each k tried, :func:`validity_table` reports

* ``silhouette`` — mean silhouette width (higher is better; scikit-learn);
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
  \\bar x_r \\rVert^2`;
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
    silhouette_score,
)

from .methods import METHODS, Fit

__all__ = [
    "K_RULES",
    "SILHOUETTE_MAX_N",
    "gap_statistic",
    "max_se",
    "silhouette_widths",
    "validity_table",
    "within_dispersion",
]

#: Up to this many units silhouettes are exact; above it they are estimated on a random sample
#: of this size (scikit-learn's ``sample_size``), because the exact widths cost O(n²).
SILHOUETTE_MAX_N = 10_000


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
) -> pd.DataFrame:
    """Gap statistic for ``ks`` given the fits on the data (see the module notes).

    Returns a frame indexed by k with ``log_w``, ``e_log_w``, ``gap``, ``gap_se``.
    """
    rng = np.random.default_rng(random_state)
    lo, hi = X.min(axis=0), X.max(axis=0)
    log_w = np.array([np.log(within_dispersion(X, f.labels, d_power)) for f in fits])
    ref = np.empty((B, len(ks)))
    fit_fn = METHODS[method]
    for b in range(B):
        Z = rng.uniform(lo, hi, size=X.shape)
        ref_fits = fit_fn(Z, ks, random_state + b + 1, n_init)
        ref[b] = [np.log(within_dispersion(Z, f.labels, d_power)) for f in ref_fits]
    e_log_w = ref.mean(axis=0)
    se = np.sqrt(1 + 1 / B) * (ref.std(axis=0, ddof=1) if B > 1 else np.zeros(len(ks)))
    return pd.DataFrame({"log_w": log_w, "e_log_w": e_log_w, "gap": e_log_w - log_w,
                         "gap_se": se}, index=pd.Index(list(ks), name="k"))


def _indices(X: np.ndarray, labels: np.ndarray) -> tuple[float, float, float]:
    n_lab = len(np.unique(labels))
    if n_lab < 2 or n_lab >= len(X):
        return (np.nan, np.nan, np.nan)
    sample = SILHOUETTE_MAX_N if len(X) > SILHOUETTE_MAX_N else None
    sil = silhouette_score(X, labels, sample_size=sample, random_state=0)
    return (float(sil), float(calinski_harabasz_score(X, labels)),
            float(davies_bouldin_score(X, labels)))


def silhouette_widths(X: np.ndarray, labels: np.ndarray,
                      max_n: int = SILHOUETTE_MAX_N) -> np.ndarray:
    """Silhouette width of each unit (Rousseeuw 1987; as R ``cluster::silhouette``).

    Exact for up to ``max_n`` units. Above that, widths are computed exactly (against all
    units) for a random sample of ``max_n`` units (seed 0) and missing for the others, which
    keeps the cost at O(max_n · n) instead of O(n²).
    """
    n = len(X)
    rows = (np.arange(n) if n <= max_n
            else np.sort(np.random.default_rng(0).choice(n, max_n, replace=False)))
    codes, lab = np.unique(labels, return_inverse=True)
    k = len(codes)
    out = np.full(n, np.nan)
    if k < 2 or k >= n:
        return out
    counts = np.bincount(lab, minlength=k).astype(float)
    start = 0
    for chunk in pairwise_distances_chunked(X[rows], X):
        sums = np.zeros((len(chunk), k))
        for c in range(k):
            sums[:, c] = chunk[:, lab == c].sum(axis=1)
        own = lab[rows[start:start + len(chunk)]]
        idx = np.arange(len(chunk))
        own_n = counts[own] - 1
        a = np.where(own_n > 0, sums[idx, own] / np.maximum(own_n, 1), 0.0)
        means = sums / counts
        means[idx, own] = np.inf
        b = means.min(axis=1)
        width = np.where(own_n > 0, (b - a) / np.maximum(a, b), 0.0)  # singleton: 0
        out[rows[start:start + len(chunk)]] = width
        start += len(chunk)
    return out


def validity_table(X: np.ndarray, ks: Sequence[int], fits: Sequence[Fit],
                   gap: pd.DataFrame | None = None) -> pd.DataFrame:
    """Silhouette, Calinski–Harabasz, Davies–Bouldin, gap and BIC for every k tried."""
    rows = []
    for k, fit in zip(ks, fits, strict=True):
        sil, ch, db = _indices(X, fit.labels)
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
