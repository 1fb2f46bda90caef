"""Rational Agent Access Model (RAAM; Saxon & Snow 2020), sparse.

A port of ``access.raam`` 1.1 that iterates over the pairs of the cost frame instead of a dense
origin × destination matrix, with the same update rule, step schedule, integer rounding and
tie-breaking (the first destination in id order wins, where ``access`` uses the order of a
Python ``set``), so both give the same costs to rounding on inputs without exact ties.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._validate import check_cost_frame, numeric_series

__all__ = ["raam"]


def _seg_first(mask: np.ndarray, rows: np.ndarray, n_rows: int) -> np.ndarray:
    """Position of the first True of each row segment (every row has one)."""
    idx = np.flatnonzero(mask)
    r = rows[idx]
    first = np.r_[True, r[1:] != r[:-1]]
    out = np.full(n_rows, -1, dtype=np.int64)
    out[r[first]] = idx[first]
    return out


def _seg_argmin(values: np.ndarray, rows: np.ndarray, starts: np.ndarray) -> np.ndarray:
    rowmin = np.minimum.reduceat(values, starts)
    return _seg_first(values == rowmin[rows], rows, len(starts))


def _seg_argmax_where(values: np.ndarray, where: np.ndarray, rows: np.ndarray,
                      starts: np.ndarray) -> np.ndarray:
    v = np.where(where, values, -np.inf)
    rowmax = np.maximum.reduceat(v, starts)
    return _seg_first(where & (v == rowmax[rows]), rows, len(starts))


def _iterate(demand, supply, rows, cols, travel, starts, n_dest, max_cycles, initial_step,
             min_step, half_life, limit_initial=20):
    n = len(demand)
    assign = np.zeros(len(travel))
    assign[_seg_argmin(travel, rows, starts)] = demand
    total = None
    for i in range(max_cycles):
        at_supply = np.bincount(cols, weights=assign, minlength=n_dest)
        total = at_supply[cols] / supply[cols] + travel
        pmax = _seg_argmax_where(total, assign != 0, rows, starts)
        pmin = _seg_argmin(total, rows, starts)
        lmin, lmax = cols[pmin], cols[pmax]
        slmin, slmax = supply[lmin], supply[lmax]
        trlmin, trlmax = travel[pmin], travel[pmax]
        drlmin, drlmax = assign[pmin], assign[pmax]
        dr = drlmin + drlmax
        drother_min = at_supply[lmin] - drlmin
        drother_max = at_supply[lmax] - drlmax
        drlmin_new = ((slmin * slmax) / (slmin + slmax)) * (
            (trlmax - trlmin) + (dr + drother_max) / slmax - drother_min / slmin
        )
        delta = np.minimum(drlmin_new - drlmin, drlmax)
        delta = np.where(lmax == lmin, 0, delta)
        if isinstance(initial_step, float):
            step = max(initial_step * 0.5 ** (i / half_life), min_step)
            delta = np.minimum(delta, step * demand).astype(int)
        else:
            step = int(np.round(initial_step * 0.5 ** (i / half_life)))
            step = max(step, min_step)
            delta = np.minimum(delta, step).astype(int)
        if i < limit_initial:
            naive = np.bincount(lmin, weights=delta, minlength=n_dest) / supply
            scale = np.maximum(naive, 1)
            delta = (delta / scale[lmin]).round().astype(int)
        assign[pmin] += delta
        assign[pmax] -= delta
    num = np.bincount(rows, weights=total * assign, minlength=n)
    den = np.bincount(rows, weights=assign, minlength=n)
    return num / den


def raam(
    demand: pd.Series,
    supply: pd.Series,
    cost: pd.DataFrame,
    tau: float = 60,
    rho: float | None = None,
    max_cycles: int = 150,
    initial_step: float | int = 0.2,
    min_step: float | int = 0.005,
    half_life: float = 50,
    max_cost: float | None = None,
) -> pd.Series:
    """Rational Agent Access Model cost of every demand location.

    Each demand location's population is assigned to the supply locations that minimise
    travel plus congestion cost, iteratively, as ``access.raam.raam``.

    Parameters
    ----------
    demand, supply : Series
        Indexed by location id; only locations with a value > 0 take part (as ``access``).
    cost : DataFrame
        Long frame ``origin``, ``dest``, ``cost`` (each pair at most once).
    tau : float
        Travel cost that is worth a congestion of 100 % of ``rho`` (same unit as ``cost``).
    rho : float, optional
        Demand-to-supply ratio regarded as normal; default: total demand / total supply.
    max_cycles, initial_step, min_step, half_life
        Iteration controls, defaults as ``access``.
    max_cost : float, optional
        Drop pairs with ``cost > max_cost`` first (``access`` has no such option; None keeps all).

    Returns
    -------
    Series
        RAAM cost (lower is better) per demand location; NaN for locations with no demand or
        no pair to a location with supply.

    Notes
    -----
    The cost of location *i* assigned to *j* is
    :math:`\\tau^{-1} t_{ij} + D_j / (\\rho S_j)`, with :math:`D_j` the demand assigned to *j*;
    the result is the assignment-weighted mean of that cost for each *i*. As in ``access``, the
    reported cost uses the congestion of the last cycle *before* its update.
    """
    if int(max_cycles) < 1:
        raise ValueError(f"max_cycles must be at least 1, got {max_cycles!r}")
    dem = numeric_series(demand, "demand", demand.name or "demand")
    sup = numeric_series(supply, "supply", supply.name or "supply")
    costs = check_cost_frame(cost, "cost")
    pos_d = dem > 0
    pos_s = sup > 0
    if rho is None:
        rho = dem[pos_d].sum() / sup[pos_s].sum()
    d_index = demand.index[pos_d]
    s_index = supply.index[pos_s]
    o = d_index.get_indexer(pd.Index(cost["origin"].to_numpy()))
    c = s_index.get_indexer(pd.Index(cost["dest"].to_numpy()))
    keep = (o >= 0) & (c >= 0)
    if max_cost is not None:
        keep &= costs <= max_cost
    o, c, t = o[keep], c[keep], costs[keep] / tau
    if pd.MultiIndex.from_arrays([o, c]).duplicated().any():
        raise ValueError("the cost frame holds an origin–destination pair more than once")
    out = pd.Series(np.nan, index=demand.index.copy(), name="raam", dtype=float)
    if len(o) == 0:
        return out
    # rows: demand locations that reach some supply, in demand order; columns in supply order
    rows_present, rows = np.unique(o, return_inverse=True)
    order = np.lexsort((c, rows))
    rows, c, t = rows[order], c[order], t[order]
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    cost_i = _iterate(dem[pos_d][rows_present], sup[pos_s] * rho, rows, c, t, starts,
                      len(s_index), int(max_cycles), initial_step, min_step, half_life)
    out.iloc[np.flatnonzero(pos_d)[rows_present]] = cost_i
    return out
