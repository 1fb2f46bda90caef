"""Clustering methods, in a registry keyed by name.

Every method takes the data matrix ``X`` (rows = units), the numbers of clusters ``ks`` and a
seed, and returns one :class:`Fit` per k: labels ``0..k-1`` (and, for mixtures, the BIC);
hierarchical methods build the tree once and cut it at every k. They are thin calls to scikit-learn and SciPy,
so ``cluster(..., transform=None, k=k)`` gives what those libraries give:

* ``kmeans`` — :class:`sklearn.cluster.KMeans` (Lloyd, k-means++ starts, ``n_init`` restarts);
* ``ward``, ``complete``, ``average`` — :func:`scipy.cluster.hierarchy.linkage` on Euclidean
  distances cut with :func:`~scipy.cluster.hierarchy.cut_tree` into exactly ``k`` groups;
  SciPy's ``ward`` is R's ``hclust(method = "ward.D2")``, ``complete`` and ``average`` are R's
  methods of the same name;
* ``gmm`` — :class:`sklearn.mixture.GaussianMixture` (full covariances, ``n_init`` restarts
  capped at 10), BIC from scikit-learn (lower is better).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["METHODS", "Fit", "relabel_by_appearance"]


@dataclass(frozen=True)
class Fit:
    """Labels ``0..k-1`` of one clustering, and the BIC when the method has one."""

    labels: np.ndarray
    bic: float = float("nan")


def relabel_by_appearance(labels: np.ndarray) -> np.ndarray:
    """Renumber labels ``1..k`` in order of first appearance (as R's ``cutree``).

    >>> relabel_by_appearance(np.array([2, 2, 0, 1, 0])).tolist()
    [1, 1, 2, 3, 2]
    """
    _, first = np.unique(labels, return_index=True)
    order = np.argsort(first)
    mapping = np.empty(order.size, dtype=np.int64)
    uniq = np.unique(labels)
    mapping[order] = np.arange(1, order.size + 1)
    return mapping[np.searchsorted(uniq, labels)]


def _kmeans(X: np.ndarray, ks: Sequence[int], random_state: int, n_init: int) -> list[Fit]:
    from sklearn.cluster import KMeans

    out = []
    for k in ks:
        if k == 1:
            out.append(Fit(np.zeros(len(X), dtype=np.int64)))
            continue
        model = KMeans(n_clusters=k, n_init=n_init, random_state=random_state).fit(X)
        out.append(Fit(model.labels_.astype(np.int64)))
    return out


def _hierarchical(method: str) -> Callable[..., list[Fit]]:
    def fit(X: np.ndarray, ks: Sequence[int], random_state: int, n_init: int) -> list[Fit]:
        from scipy.cluster.hierarchy import cut_tree, linkage

        del random_state, n_init  # deterministic
        tree = linkage(X, method=method, metric="euclidean")  # one tree cut at every k
        cuts = cut_tree(tree, n_clusters=list(ks))
        return [Fit(cuts[:, i].astype(np.int64)) for i in range(len(ks))]

    fit.__name__ = f"_{method}"
    return fit


def _gmm(X: np.ndarray, ks: Sequence[int], random_state: int, n_init: int) -> list[Fit]:
    from sklearn.mixture import GaussianMixture

    out = []
    for k in ks:
        model = GaussianMixture(n_components=k, covariance_type="full",
                                n_init=min(n_init, 10), random_state=random_state).fit(X)
        out.append(Fit(model.predict(X).astype(np.int64), float(model.bic(X))))
    return out


#: Clustering methods by name: ``f(X, ks, random_state, n_init) -> [Fit for each k]``.
METHODS: dict[str, Callable[[np.ndarray, Sequence[int], int, int], list[Fit]]] = {
    "kmeans": _kmeans,
    "ward": _hierarchical("ward"),
    "complete": _hierarchical("complete"),
    "average": _hierarchical("average"),
    "gmm": _gmm,
}
