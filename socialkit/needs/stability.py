"""Bootstrap stability of clusters, as R's ``fpc::clusterboot`` (``bootmethod = "boot"``).

For each of ``B`` bootstrap samples (``n`` rows drawn with replacement), the sample is clustered
again with the same method and k. For each original cluster :math:`C`, restricted to the sampled
rows (duplicates kept, as ``clusterboot`` does), the Jaccard similarity with every new cluster
:math:`D` is :math:`|C \\cap D| / |C \\cup D|` and the best match is kept; the stability of
:math:`C` is the mean of that maximum over the samples in which :math:`C` appears
(``bootmean``). ``recovered`` counts samples with Jaccard > 0.5 (``bootrecover``) and
``dissolved`` those with Jaccard < 0.5 (``bootbrd``).

Optionally (``max_n``, off by default; :data:`BOOT_MAX_N` is a sensible value), above
``max_n`` units each resample is instead a subset of ``max_n`` distinct units drawn without
replacement — ``clusterboot``'s ``bootmethod = "subset"`` with ``subtuning = max_n`` — so every
re-clustering costs as much as one of ``max_n`` units however large the data; the Jaccard values
are computed the same way on the units drawn. Subsets are a different resampling scheme: on
48,000 settlements they moved cluster means by up to 0.08, enough to change a band, which is
why the default stays the bootstrap. Up to ``max_n`` units the result is exactly the bootstrap.

Bands, as Hennig (2007) and the ``clusterboot`` help read them: below 0.6 a cluster is not
trustworthy (``"unstable"``), 0.6–0.75 shows a pattern but which points belong is doubtful
(``"doubtful"``), from 0.75 it is ``"stable"`` and from 0.85 ``"highly_stable"``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .methods import METHODS

__all__ = ["BOOT_MAX_N", "STABILITY_BANDS", "bootstrap_stability", "stability_band"]

#: Up to this many units the resamples are bootstraps (``bootmethod = "boot"``); above it,
#: subsets of this many units (``bootmethod = "subset"``, ``subtuning = BOOT_MAX_N``).
BOOT_MAX_N = 10_000

#: Lower bounds of the stability bands (checked from the top).
STABILITY_BANDS: tuple[tuple[float, str], ...] = (
    (0.85, "highly_stable"),
    (0.75, "stable"),
    (0.6, "doubtful"),
    (-np.inf, "unstable"),
)


def stability_band(jaccard: float) -> str:
    """Band name of a mean Jaccard value (``"no_data"`` when missing).

    >>> [stability_band(x) for x in (0.9, 0.8, 0.7, 0.3)]
    ['highly_stable', 'stable', 'doubtful', 'unstable']
    """
    if jaccard is None or np.isnan(jaccard):
        return "no_data"
    for bound, name in STABILITY_BANDS:
        if jaccard >= bound:
            return name
    return "unstable"  # pragma: no cover


def _best_jaccard(orig: np.ndarray, boot: np.ndarray, k: int) -> np.ndarray:
    """For each original cluster 0..k-1: max Jaccard with any bootstrap cluster (NaN if absent)."""
    kb = int(boot.max()) + 1
    table = np.bincount(orig * kb + boot, minlength=k * kb).reshape(k, kb).astype(float)
    a = table.sum(axis=1, keepdims=True)
    b = table.sum(axis=0, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        jac = table / (a + b - table)
    best = jac.max(axis=1)
    best[a[:, 0] == 0] = np.nan
    return best


def bootstrap_stability(
    X: np.ndarray,
    labels: np.ndarray,
    method: str,
    *,
    B: int = 100,
    random_state: int = 0,
    n_init: int = 10,
    max_n: int | None = None,
) -> pd.DataFrame:
    """Mean Jaccard per cluster over ``B`` bootstrap re-clusterings (see module notes).

    Parameters
    ----------
    X : ndarray
        The data clustered (rows = units).
    labels : ndarray
        Cluster labels ``1..k`` of the rows.
    method : str
        Name in :data:`~socialkit.needs.methods.METHODS`.
    B : int
        Number of bootstrap samples (``clusterboot``'s default is 100).
    random_state : int
        Seed of the resamples and of the re-clusterings.
    n_init : int
        Restarts of each re-clustering.
    max_n : int or None
        Above this many rows (None: never), resample subsets of ``max_n`` distinct rows
        (``clusterboot(bootmethod = "subset", subtuning = max_n)``) instead of bootstraps of
        ``n`` rows. Default None (bootstraps at every size).

    Returns
    -------
    DataFrame
        Indexed by cluster: ``jaccard_mean``, ``recovered``, ``dissolved``, ``band``.
    """
    labels = np.asarray(labels)
    k = int(labels.max())
    orig0 = labels - 1
    rng = np.random.default_rng(random_state)
    fit = METHODS[method]
    results = np.full((B, k), np.nan)
    n = len(X)
    subset = max_n is not None and n > max_n
    for b in range(B):
        idx = rng.choice(n, max_n, replace=False) if subset else rng.integers(0, n, n)
        boot = fit(X[idx], [k], random_state + b + 1, n_init)[0].labels
        results[b] = _best_jaccard(orig0[idx], boot, k)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a cluster absent from every sample
        mean = np.nanmean(results, axis=0) if B else np.full(k, np.nan)
    out = pd.DataFrame({
        "jaccard_mean": mean,
        "recovered": (results > 0.5).sum(axis=0),
        "dissolved": (results < 0.5).sum(axis=0),
    }, index=pd.Index(np.arange(1, k + 1), name="cluster"))
    out["band"] = [stability_band(x) for x in mean]
    return out
