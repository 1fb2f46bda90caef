"""Step ``aggregate``: combine children into their parent, level by level.

Conventions followed
--------------------
COINr ``Aggregate()`` with the ``a_*`` functions, row by row, weights relative within each
parent. Missing children are skipped and the remaining weights renormalised (COINr removes
``NA`` values and their weights). With :math:`w` the weights of the present children:

==========  ==================================================================  ============
method      formula                                                             COINr
==========  ==================================================================  ============
amean       :math:`\\sum w x / \\sum w`                                           ``a_amean``
gmean       :math:`\\exp(\\sum w \\log x / \\sum w)`; needs x > 0                   ``a_gmean``
hmean       :math:`\\sum w / \\sum (w/x)`; needs x ≠ 0                              ``a_hmean``
genmean     :math:`(\\sum w x^p / \\sum w)^{1/p}`; p ≠ 0 (default 2); x > 0 if p < 0  ``a_genmean``
copeland    outranking matrix, for units i < j:                                 ``a_copeland``
            :math:`o_{ij} = \\sum_{x_i > x_j} \\bar w + \\tfrac12 \\sum_{x_i = x_j} \\bar w`
            (:math:`\\bar w = w/\\sum w`, missing comparisons count 0),
            :math:`o_{ji} = 1 - o_{ij}`; then :math:`o > 0.5 \\to 1`, :math:`o < 0.5 \\to
            -1`, :math:`o = 0.5 \\to 0`, diagonal 0; score = row sum (wins − losses)
==========  ==================================================================  ============

``dat_thresh`` (COINr): a unit gets NA in an aggregate when the share of its present children
:math:`\\#\\{x \\ne NA\\}/k <` ``dat_thresh``; not applied to copeland (COINr's data-frame
aggregators ignore it). Equality with 0.5 in copeland is tested with a 1e-12 tolerance
(R tests exactly; sums of floating weights can miss 0.5 by one ulp). COINr's ``a_genmean``
omits ``na.rm`` in its final sum, so one missing child makes the result NA; we skip missing
children as every other mean does (the evident intent of its ``w[is.na(x)] <- NA`` line).
``method`` and ``dat_thresh`` may be lists with one entry per
aggregation level (level 2 first); ``method`` may also be a mapping with per-level and
per-aggregate overrides, as COINr ≥ 1.1's ``f_ag`` list (``{default: amean, "3": gmean,
Physical: hmean}``). All units with no present child get NA. A panel is
aggregated row by row, so Times never mix (except copeland, run per Time).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from ..errors import SocialkitError
from ..frameworks.index_spec import AGGREGATE_METHODS, AggregateParams
from ._frame import time_groups
from .meta import Framework

__all__ = ["AGGREGATORS", "aggregate", "aggregate_values", "level_methods", "resolve_methods"]

#: ``f(X, w, p, name)`` → scores; ``X`` units × children (NaN = missing), ``w`` weights.
Aggregator = Callable[[np.ndarray, np.ndarray, float, str], np.ndarray]


def _present_weights(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mask = ~np.isnan(x)
    ww = np.where(mask, w, 0.0)
    return mask, ww


def _amean(x: np.ndarray, w: np.ndarray, p: float, name: str) -> np.ndarray:
    _, ww = _present_weights(x, w)
    den = ww.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, np.nansum(x * ww, axis=1) / den, np.nan)


def _check(x: np.ndarray, bad: np.ndarray, name: str, method: str, need: str) -> None:
    if np.any(bad):
        raise SocialkitError(
            f"aggregate '{name}': {method} needs {need}, found {x[bad][0]!r}; normalise onto a "
            "positive range first (e.g. normalise: {method: minmax, range: [1, 100]}) or use "
            "another aggregation method")


def _gmean(x: np.ndarray, w: np.ndarray, p: float, name: str) -> np.ndarray:
    _check(x, ~np.isnan(x) & (x <= 0), name, "the geometric mean", "values > 0")
    _, ww = _present_weights(x, w)
    den = ww.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, np.exp(np.nansum(ww * np.log(x), axis=1) / den), np.nan)


def _hmean(x: np.ndarray, w: np.ndarray, p: float, name: str) -> np.ndarray:
    _check(x, ~np.isnan(x) & (x == 0), name, "the harmonic mean", "non-zero values")
    _, ww = _present_weights(x, w)
    den = ww.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, den / np.nansum(ww / x, axis=1), np.nan)


def _genmean(x: np.ndarray, w: np.ndarray, p: float, name: str) -> np.ndarray:
    if p < 0:
        _check(x, ~np.isnan(x) & (x <= 0), name, "the generalised mean with p < 0",
               "values > 0")
    _, ww = _present_weights(x, w)
    den = ww.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, (np.nansum(ww * x**p, axis=1) / den) ** (1 / p), np.nan)


def outrank_matrix(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """COINr ``outrankMatrix``: the units × units outranking matrix."""
    wn = w / np.nansum(w)
    n = x.shape[0]
    orm = np.zeros((n, n))
    for j in range(x.shape[1]):
        c = x[:, j]
        orm += wn[j] * (c[:, None] > c[None, :]) + 0.5 * wn[j] * (c[:, None] == c[None, :])
    upper = np.triu(orm, 1)
    return upper + (1 - upper.T) * np.tri(n, n, -1)


def _copeland(x: np.ndarray, w: np.ndarray, p: float, name: str) -> np.ndarray:
    orm = outrank_matrix(x, w)
    half = np.isclose(orm, 0.5, rtol=0, atol=1e-12)
    score = np.where(half, 0.0, np.where(orm > 0.5, 1.0, -1.0))
    np.fill_diagonal(score, 0.0)
    return score.sum(axis=1)


#: Aggregation methods by name (COINr ``a_*`` functions).
AGGREGATORS: dict[str, Aggregator] = {
    "amean": _amean,
    "gmean": _gmean,
    "hmean": _hmean,
    "genmean": _genmean,
    "copeland": _copeland,
}
assert tuple(AGGREGATORS) == AGGREGATE_METHODS, "spec.AGGREGATE_METHODS names every method"
_BY_FRAME = {"copeland"}


def level_methods(params: AggregateParams, n_levels: int) -> list[tuple[str, float | None]]:
    """``[(method, dat_thresh)]`` for levels 2 … n_levels (lists expanded, lengths checked).

    With a mapping ``method``, this is the per-level default (see :func:`resolve_methods`).
    """
    k = n_levels - 1
    m = params.method
    if isinstance(m, dict):
        default = m.get("default", "amean")
        methods = [m.get(str(lev), m.get(f"L{lev}", default)) for lev in range(2, n_levels + 1)]
    else:
        methods = [m] * k if isinstance(m, str) else list(m)
    th = params.dat_thresh
    threshs = [th] * k if th is None or not isinstance(th, list) else list(th)
    for name, vals in (("method", methods), ("dat_thresh", threshs)):
        if len(vals) != k:
            raise SocialkitError(
                f"aggregate.{name}: a list needs one entry per aggregation level ({k} here: "
                f"levels 2 to {n_levels}), got {len(vals)}")
    return list(zip(methods, threshs, strict=True))


def resolve_methods(params: AggregateParams, fw: Framework,
                    method: str | None = None) -> dict[str, tuple[str, float | None]]:
    """``{aggregate iCode: (method, dat_thresh)}``; ``method`` overrides everything.

    Mapping keys other than ``default`` and level numbers must be aggregate iCodes.
    """
    plan = level_methods(params, fw.n_levels)
    overrides: dict[str, str] = {}
    if isinstance(params.method, dict):
        levels = {"default"} | {str(v) for v in range(2, fw.n_levels + 1)} | {
            f"L{v}" for v in range(2, fw.n_levels + 1)}
        for key, val in params.method.items():
            if str(key) in levels:
                continue
            if key not in fw.children:
                raise SocialkitError(f"aggregate.method.{key}: '{key}' is neither 'default', a "
                                     f"level (2 to {fw.n_levels}) nor an aggregate iCode")
            overrides[key] = val
    out = {}
    for lev in range(2, fw.n_levels + 1):
        m, th = plan[lev - 2]
        for code in fw.levels[lev]:
            out[code] = (method or overrides.get(code, m), th)
    return out


def aggregate_values(values: dict[str, np.ndarray], fw: Framework,
                     params: AggregateParams, weights: dict[str, float],
                     groups: Sequence[np.ndarray] | None = None,
                     upto: int | None = None) -> dict[str, np.ndarray]:
    """Aggregate column arrays ``{iCode: values}`` (indicators present) up the tree.

    Returns a new dict that also holds every aggregate (levels 2 … ``upto``).
    """
    out = dict(values)
    n = len(next(iter(values.values())))
    groups = groups if groups is not None else [np.arange(n)]
    plan = resolve_methods(params, fw)
    for lev in range(2, (upto or fw.n_levels) + 1):
        for code in fw.levels[lev]:
            method, thresh = plan[code]
            func = AGGREGATORS[method]
            kids = fw.children[code]
            x = np.column_stack([out[k] for k in kids])
            w = np.array([weights.get(k, 1.0) for k in kids], dtype=float)
            if method in _BY_FRAME:
                y = np.full(n, np.nan)
                for idx in groups:
                    y[idx] = func(x[idx], w, params.p, code)
            else:
                y = func(x, w, params.p, code)
                if thresh is not None:
                    avail = (~np.isnan(x)).sum(axis=1) / x.shape[1]
                    y = np.where(avail < thresh, np.nan, y)
            out[code] = y
    return out


def aggregate(data: pd.DataFrame, fw: Framework, params: AggregateParams | None = None,
              weights: dict[str, float] | None = None) -> pd.DataFrame:
    """Return a copy of ``data`` with one new column per aggregate (lowest level first).

    Parameters
    ----------
    data : pandas.DataFrame
        Normalised data with every indicator column.
    fw : Framework
        The index tree.
    params : AggregateParams
        ``method`` (name or per-level list), ``dat_thresh``, ``p``.
    weights : dict, optional
        ``{iCode: weight}``; default iMeta weights.

    Examples
    --------
    >>> import pandas as pd
    >>> from socialkit.index.meta import Framework
    >>> fw = Framework(("x", "y"), {1: ("x", "y"), 2: ("I",)}, {"I": ("x", "y")},
    ...                {"x": "I", "y": "I", "I": None}, {}, {"x": 1.0, "y": 3.0}, {}, {}, ())
    >>> df = pd.DataFrame({"uCode": ["a", "b"], "x": [0.0, 10.0], "y": [100.0, None]})
    >>> aggregate(df, fw)["I"].tolist()
    [75.0, 10.0]
    """
    params = params or AggregateParams()
    weights = dict(fw.weight) if weights is None else weights
    values = {c: data[c].to_numpy(dtype=float) for c in fw.indicators}
    agg = aggregate_values(values, fw, params, weights, list(time_groups(data)))
    out = data.copy()
    new = pd.DataFrame({c: agg[c] for c in fw.aggregates}, index=out.index)
    return pd.concat([out, new], axis=1)
