"""Floating-catchment accessibility: 2SFCA, FCA ratio and 3SFCA, vectorised and sparse.

The inputs and the numbers follow PySAL ``access`` 1.1 (``access.fca``) exactly, so its users
can switch and the two agree to rounding (the tests and ``benchmarks/bench_access.py`` check
1e-9):

* ``demand`` and ``supply`` are Series indexed by location id; costs are a long frame with
  columns ``origin`` (demand location), ``dest`` (supply location) and ``cost``;
* a catchment includes its threshold (``cost <= max_cost``); ``max_cost=None`` keeps every pair;
* ``weight`` is ``None`` (binary), a dict ``{upper_bound: w}`` (bounds inclusive, 0 beyond the
  last) or a function of the cost (:func:`~socialkit.access.weights.gaussian`,
  :func:`~socialkit.access.weights.gravity`, or any callable); the *same* weight is applied in
  both steps and no constant multiplier is added;
* a missing demand or supply value counts as 0 (``access`` sums with ``skipna``), and a
  destination in the cost frame that is not in ``supply`` has supply 0;
* a demand location with no pair within ``max_cost`` gets a missing value (NaN) from
  :func:`two_step_fca` and :func:`three_step_fca`, and 0 from :func:`fca_ratio` when no *supply*
  is in reach (as ``access``);
* ``normalize=True`` divides by the demand-weighted mean
  :math:`\\sum_i A_i D_i / \\sum_i D_i` (missing access skipped in the numerator, all demand in
  the denominator — ``access.helpers.normalized_access``).

Where ``access`` differs from the wording of issue 5 we follow ``access``: its ``normalize``
argument of the low-level ``access.fca`` functions is ignored and normalisation happens in the
``Access`` class, which is what we reproduce; ``three_stage_fca`` computes the preference weight
``G`` from the weights of *every* pair in the cost frame, including pairs beyond ``max_cost``.

Each step is a sum over the pairs grouped by destination or origin, done with
:func:`numpy.bincount` on integer codes, so memory and time grow with the number of pairs within
the catchment, never with a dense origin × destination matrix.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._validate import check_cost_frame, numeric_series
from .weights import resolve_weight, step_fn

__all__ = [
    "WAN_2012_WEIGHTS",
    "fca_ratio",
    "normalize_access",
    "three_step_fca",
    "two_step_fca",
]

Weight = None | Mapping[float, float] | Callable

#: Default distance weights of ``access``'s three-step FCA (Wan, Zou & Sternberg 2012; minutes).
WAN_2012_WEIGHTS: dict[float, float] = {10: 0.962, 20: 0.704, 30: 0.377, 60: 0.042}


@dataclass(frozen=True)
class _Pairs:
    """Cost pairs as integer codes into the demand index and a destination index."""

    o: np.ndarray  # origin position in demand.index
    d: np.ndarray  # destination position in dests
    cost: np.ndarray
    dests: pd.Index
    n_origins: int


def _pairs(demand_index: pd.Index, cost: pd.DataFrame, table: str) -> _Pairs:
    values = check_cost_frame(cost, table)
    o = demand_index.get_indexer(pd.Index(cost["origin"].to_numpy()))
    keep = o >= 0  # pairs from an origin without demand drop out (access's inner merge)
    dest_codes, dests = pd.factorize(cost["dest"].to_numpy()[keep], sort=False)
    return _Pairs(o[keep], dest_codes.astype(np.int64), values[keep], pd.Index(dests),
                  len(demand_index))


def _demand(demand: pd.Series) -> tuple[pd.Index, np.ndarray]:
    arr = numeric_series(demand, "demand", demand.name or "demand")
    if not demand.index.is_unique:
        dup = demand.index[demand.index.duplicated()].unique().tolist()[:5]
        raise ValueError(f"demand index must hold each location id once; duplicated: {dup}")
    return demand.index, arr


def _supply_at(supply: pd.Series, dests: pd.Index) -> np.ndarray:
    arr = numeric_series(supply, "supply", supply.name or "supply")
    if not supply.index.is_unique:
        dup = supply.index[supply.index.duplicated()].unique().tolist()[:5]
        raise ValueError(f"supply index must hold each location id once; duplicated: {dup}")
    pos = supply.index.get_indexer(dests)
    out = np.where(pos >= 0, arr[np.clip(pos, 0, None)], 0.0) if len(arr) else np.zeros(len(dests))
    return np.nan_to_num(out, nan=0.0, posinf=np.inf, neginf=-np.inf)


def _within(p: _Pairs, max_cost: float | None) -> np.ndarray:
    if max_cost is None:
        return np.ones(len(p.cost), dtype=bool)
    return p.cost <= max_cost


def _gsum(codes: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Grouped sum skipping NaN (pandas ``groupby().sum()``), via bincount."""
    return np.bincount(codes, weights=np.where(np.isnan(values), 0.0, values), minlength=n)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return num / den


def normalize_access(values: pd.Series, demand: pd.Series) -> pd.Series:
    """Divide access by its demand-weighted mean, as ``access.helpers.normalized_access``.

    .. math:: \\tilde A_i = A_i \\Big/ \\frac{\\sum_i A_i D_i}{\\sum_i D_i}

    The numerator skips locations with missing access; the denominator sums all demand.
    """
    d = pd.to_numeric(demand.reindex(values.index), errors="coerce").astype(float)
    mean = (values * d).sum() / d.sum()
    return values / mean


def _finish(values: np.ndarray, reached: np.ndarray, demand: pd.Series, name: str,
            normalize: bool) -> pd.Series:
    values = np.where(reached, values, np.nan)
    out = pd.Series(values, index=demand.index.copy(), name=name, dtype=float)
    return normalize_access(out, demand) if normalize else out


def two_step_fca(
    demand: pd.Series,
    supply: pd.Series,
    cost: pd.DataFrame,
    max_cost: float | None = None,
    weight: Weight = None,
    normalize: bool = False,
) -> pd.Series:
    """Two-step floating catchment area access (Luo & Wang 2003; E2SFCA with weights).

    Parameters
    ----------
    demand : Series
        Demand (population) indexed by demand-location id.
    supply : Series
        Supply (capacity, staff, or 1 per facility) indexed by supply-location id.
    cost : DataFrame
        Long cost frame with columns ``origin`` (demand id), ``dest`` (supply id), ``cost``.
    max_cost : float, optional
        Catchment size; pairs with ``cost <= max_cost`` are in the catchment. None: all pairs.
    weight : None, dict or callable
        Distance weight: None (1 in the catchment), ``{upper_bound: w}`` or ``f(cost)``.
    normalize : bool
        Divide by the demand-weighted mean access.

    Returns
    -------
    Series
        Access of every demand location (index of ``demand``); NaN where no supply location is
        within ``max_cost``.

    Notes
    -----
    With :math:`W(c)` the weight and :math:`N_j = \\{i : c_{ij} \\le c_{max}\\}`:

    .. math::

        R_j = \\frac{S_j}{\\sum_{i \\in N_j} W(c_{ij}) D_i}, \\qquad
        A_i = \\sum_{j : c_{ij} \\le c_{max}} W(c_{ij}) R_j

    as ``access.fca.two_stage_fca`` (a supply location whose weighted demand is 0 gets
    :math:`R_j = S_j / 0`, i.e. inf or NaN; NaN terms are skipped in the sum).

    Examples
    --------
    >>> demand = pd.Series({"a": 100, "b": 300})
    >>> supply = pd.Series({"x": 2})
    >>> cost = pd.DataFrame({"origin": ["a", "b"], "dest": ["x", "x"], "cost": [5.0, 10.0]})
    >>> two_step_fca(demand, supply, cost, max_cost=10).tolist()
    [0.005, 0.005]
    """
    dindex, dem = _demand(demand)
    p = _pairs(dindex, cost, "cost")
    w_in = _within(p, max_cost)
    o, d, c = p.o[w_in], p.d[w_in], p.cost[w_in]
    wf = resolve_weight(weight)
    w = wf(c)
    nd = len(p.dests)
    demand_w = _gsum(d, dem[o] * w, nd)
    rl = _ratio(_supply_at(supply, p.dests), demand_w)
    acc = _gsum(o, rl[d] * w, p.n_origins)
    reached = np.bincount(o, minlength=p.n_origins) > 0
    return _finish(acc, reached, demand, "2sfca", normalize)


def fca_ratio(
    demand: pd.Series,
    supply: pd.Series,
    cost: pd.DataFrame,
    demand_cost: pd.DataFrame,
    max_cost: float | None = None,
    weight: Weight = None,
    normalize: bool = False,
) -> pd.Series:
    """Floating catchment ratio: supply within reach over demand within reach.

    Parameters
    ----------
    demand, supply : Series
        Indexed by location id.
    cost : DataFrame
        Long frame ``origin`` (demand id) → ``dest`` (supply id), ``cost``.
    demand_cost : DataFrame
        Long frame ``origin`` (demand id) → ``dest`` (neighbouring demand id), ``cost``; include
        the pair of a location with itself (cost 0) if its own demand should count.
    max_cost : float, optional
        Catchment size (``<=``), applied to both frames.
    weight : None, dict or callable
        Distance weight applied to both sums.
    normalize : bool
        Divide by the demand-weighted mean.

    Returns
    -------
    Series
        Ratio for every demand location; 0 where no supply is in reach; NaN where the location
        has no pair in ``demand_cost`` within ``max_cost``.

    Notes
    -----
    .. math::

        F_i = \\frac{\\sum_{j : c_{ij} \\le c_{max}} W(c_{ij}) S_j}
                   {\\sum_{k : c'_{ik} \\le c_{max}} W(c'_{ik}) D_k}

    as ``access.fca.fca_ratio``.
    """
    dindex, dem = _demand(demand)
    wf = resolve_weight(weight)
    n = len(dindex)
    # total demand around each origin: neighbours (dest) must be demand locations
    dc = check_cost_frame(demand_cost, "demand_cost")
    o_all = dindex.get_indexer(pd.Index(demand_cost["origin"].to_numpy()))
    k_all = dindex.get_indexer(pd.Index(demand_cost["dest"].to_numpy()))
    keep = (o_all >= 0) & (k_all >= 0) & (dc <= max_cost if max_cost is not None else True)
    o1, k1 = o_all[keep], k_all[keep]
    total_demand = _gsum(o1, dem[k1] * wf(dc[keep]), n)
    has_demand = np.bincount(o1, minlength=n) > 0
    # total supply around each origin
    sc = check_cost_frame(cost, "cost")
    o2 = dindex.get_indexer(pd.Index(cost["origin"].to_numpy()))
    codes, dests = pd.factorize(cost["dest"].to_numpy(), sort=False)
    sup = numeric_series(supply, "supply", supply.name or "supply")
    pos = supply.index.get_indexer(pd.Index(dests))
    in_supply = pos[codes] >= 0  # inner merge with supply in access
    keep2 = (o2 >= 0) & in_supply & (sc <= max_cost if max_cost is not None else True)
    s_vals = sup[pos[codes[keep2]]] if keep2.any() else np.empty(0)
    total_supply = _gsum(o2[keep2], s_vals * wf(sc[keep2]), n)
    return _finish(_ratio(total_supply, total_demand), has_demand, demand, "fca", normalize)


def three_step_fca(
    demand: pd.Series,
    supply: pd.Series,
    cost: pd.DataFrame,
    max_cost: float | None = None,
    weight: Weight = None,
    normalize: bool = False,
) -> pd.Series:
    """Three-step floating catchment area access (Wan, Zou & Sternberg 2012).

    Like :func:`two_step_fca`, with a selection weight :math:`G_{ij}` that shares each
    demand location among the supply locations it can reach.

    Parameters
    ----------
    demand, supply, cost, max_cost, normalize
        As :func:`two_step_fca`.
    weight : None, dict or callable
        Distance weight; None uses ``access``'s default for this method,
        :data:`WAN_2012_WEIGHTS` (step weights for travel times in minutes).

    Returns
    -------
    Series
        Access of every demand location; NaN where nothing is within ``max_cost``.

    Notes
    -----
    .. math::

        G_{ij} = \\frac{W(c_{ij})}{\\sum_{k} W(c_{ik})}, \\quad
        R_j = \\frac{S_j}{\\sum_{i \\in N_j} G_{ij} W(c_{ij}) D_i}, \\quad
        A_i = \\sum_{j : c_{ij} \\le c_{max}} G_{ij} W(c_{ij}) R_j

    where, as in ``access.fca.three_stage_fca``, the sum in :math:`G_{ij}` runs over every
    pair of origin *i* in the cost frame (also those beyond ``max_cost``).
    """
    dindex, dem = _demand(demand)
    p = _pairs(dindex, cost, "cost")
    wf = resolve_weight(step_fn(WAN_2012_WEIGHTS) if weight is None else weight)
    w3 = wf(p.cost)
    w3sum = _gsum(p.o, w3, p.n_origins)
    g = _ratio(w3, w3sum[p.o])
    w_in = _within(p, max_cost)
    o, d = p.o[w_in], p.d[w_in]
    w3i, gi = w3[w_in], g[w_in]
    nd = len(p.dests)
    demand_w = _gsum(d, dem[o] * w3i * gi, nd)
    rl = _ratio(_supply_at(supply, p.dests), demand_w)
    acc = _gsum(o, rl[d] * w3i * gi, p.n_origins)
    reached = np.bincount(o, minlength=p.n_origins) > 0
    return _finish(acc, reached, demand, "3sfca", normalize)
