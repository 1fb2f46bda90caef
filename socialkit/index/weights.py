"""Step ``weights``: choose the weights used by ``aggregate``.

Conventions followed
--------------------
* ``meta``: iMeta ``Weight`` (COINr ``w = NULL``).
* ``equal``: every weight 1 (relative, so equal within each parent).
* ``set``: a named weight set from the spec's ``weight_sets`` (COINr ``.$Meta$Weights``);
  iCodes the set does not list keep their iMeta weight.
* ``pca``: COINr ``get_PCA(by_groups = TRUE)``: within each parent at each level in
  ``levels`` (default 1), a PCA of the children (``prcomp(center = TRUE, scale = TRUE)`` on the
  rows with no missing value), and the children's weights are the loadings of the first
  principal component. COINr leaves the sign to the eigen-solver; we fix it so that the
  loadings sum to a positive number (the first component then increases with the children's
  average), which makes the result reproducible. Negative loadings are kept, as in COINr.
  For a level above 1 the children are the aggregates computed with the weights found so far.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..errors import SocialkitError
from ..frameworks.index_spec import WeightsParams
from .meta import Framework

__all__ = ["WEIGHTERS", "pca_loadings", "resolve_weights"]

#: ``f(fw, params, weight_sets, values_at_level)`` → weights for all tree iCodes.
Weighter = Callable[..., dict[str, float]]


def pca_loadings(x: np.ndarray) -> np.ndarray:
    """First-PC loadings of standardised columns (complete rows), sign: sum > 0.

    >>> x = np.array([[1.0, 2.0], [2.0, 4.1], [3.0, 5.9], [4.0, 8.0]])
    >>> np.round(pca_loadings(x), 4).tolist()
    [0.7071, 0.7071]
    """
    x = x[~np.isnan(x).any(axis=1)]
    if x.shape[0] < 2 or x.shape[1] < 1:
        raise SocialkitError("PCA weights need at least 2 units with no missing value")
    if x.shape[1] == 1:
        return np.ones(1)
    sd = x.std(axis=0, ddof=1)
    if np.any(sd == 0):
        raise SocialkitError("PCA weights: a child has no spread (standard deviation 0)")
    z = (x - x.mean(axis=0)) / sd
    _, _, vt = np.linalg.svd(z, full_matrices=False)
    v = vt[0]
    return -v if v.sum() < 0 else v


def _meta(fw: Framework, params: WeightsParams, sets: dict, values: Callable) -> dict:
    return dict(fw.weight)


def _equal(fw: Framework, params: WeightsParams, sets: dict, values: Callable) -> dict:
    return {c: 1.0 for c in fw.weight}


def _set(fw: Framework, params: WeightsParams, sets: dict, values: Callable) -> dict:
    chosen = sets.get(params.set or "")
    if chosen is None:
        raise SocialkitError(f"weights: no weight set named '{params.set}'; defined: "
                             + (", ".join(sets) or "none"))
    unknown = sorted(set(chosen) - set(fw.weight))
    if unknown:
        raise SocialkitError(f"weight set '{params.set}' names '{unknown[0]}', which is not an "
                             "indicator or aggregate of the framework")
    return dict(fw.weight) | chosen


def _pca(fw: Framework, params: WeightsParams, sets: dict, values: Callable) -> dict:
    w = dict(fw.weight)
    for lev in sorted(params.levels):
        if lev < 1 or lev >= fw.n_levels:
            raise SocialkitError(f"weights.levels: {lev} is not a level with a parent "
                                 f"(expected 1 to {fw.n_levels - 1})")
        cols = values(lev, w)
        for parent in fw.levels[lev + 1]:
            kids = fw.children[parent]
            x = np.column_stack([cols[k] for k in kids])
            try:
                load = pca_loadings(x)
            except SocialkitError as exc:
                raise SocialkitError(f"weights (pca) for '{parent}': {exc}") from None
            w.update(zip(kids, map(float, load), strict=True))
    return w


#: Weighting methods by name.
WEIGHTERS: dict[str, Weighter] = {"meta": _meta, "equal": _equal, "set": _set, "pca": _pca}


def resolve_weights(fw: Framework, params: WeightsParams | None,
                    weight_sets: dict[str, dict[str, float]],
                    values: Callable[[int, dict[str, float]], dict[str, np.ndarray]]
                    ) -> dict[str, float]:
    """Weights for every indicator and aggregate.

    Parameters
    ----------
    fw : Framework
    params : WeightsParams or None
        ``None`` means iMeta weights.
    weight_sets : dict
        The spec's named weight sets.
    values : callable
        ``values(level, weights)`` → ``{iCode: array}`` of the members of ``level`` (used by
        ``pca`` only).
    """
    if params is None:
        return dict(fw.weight)
    method = "set" if params.set else params.method
    return WEIGHTERS[method](fw, params, weight_sets, values)
