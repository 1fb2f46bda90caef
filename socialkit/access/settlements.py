"""Accessibility of social infrastructure for every settlement: nearest, coverage, underserved.

:func:`settlement_access` is the one call an analysis, the social passport or the vulnerability
index needs: one row per settlement with, for each facility kind, the nearest facility and its
distance, whether one is within the threshold, and the 2SFCA score (:func:`two_step_fca`).
:func:`coverage` sums population covered per municipality and kind; :func:`underserved` lists
the settlements with no facility of a kind within reach.

Distances are great-circle km by default (:mod:`socialkit.access.distances`); pass
``travel_cost`` (a long frame ``origin`` = settlement id, ``dest`` = facility id, ``cost``) to use
a travel-time matrix instead — a pair missing from it is unreachable.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from ..data.schemas import FACILITY_KINDS
from ..data.validation import require_columns
from ..errors import DataValidationError, Problem
from ._validate import check_cost_frame
from .distances import great_circle_costs, nearest_destination
from .fca import two_step_fca

__all__ = ["FACILITY_KINDS", "coverage", "settlement_access", "underserved"]

_SETTLEMENT_COLS = ("settlement_id", "lat", "lon", "population")
_FACILITY_COLS = ("facility_id", "kind", "lat", "lon")


def _thresholds(kinds: Sequence[str], threshold: float | Mapping[str, float]) -> dict[str, float]:
    if isinstance(threshold, Mapping):
        missing = [k for k in kinds if k not in threshold]
        if missing:
            raise ValueError(f"no threshold given for facility kind(s) {missing}")
        out = {k: float(threshold[k]) for k in kinds}
    else:
        out = dict.fromkeys(kinds, float(threshold))
    bad = {k: v for k, v in out.items() if not (np.isfinite(v) and v >= 0)}
    if bad:
        raise ValueError(f"thresholds must be finite numbers >= 0, got {bad}")
    return out


def _check_matrix(cost: pd.DataFrame, settlement_ids: pd.Index, facility_ids: pd.Series) -> None:
    """Check a travel-time matrix; problems name ``cost.attrs["source"]`` (e.g. its file)."""
    source = str(cost.attrs.get("source", "travel_cost"))
    check_cost_frame(cost, source)
    problems = []
    for col, known, what in (("origin", settlement_ids, "a settlement_id of settlements"),
                             ("dest", pd.Index(facility_ids), "a facility_id of facilities")):
        unknown = ~cost[col].isin(known).to_numpy()
        for pos in np.flatnonzero(unknown)[:20]:
            problems.append(Problem(source, f"{col} is not a known id", row=int(pos) + 2,
                                    column=col, value=cost[col].iloc[pos], expected=what,
                                    table="travel_cost"))
    if problems:
        raise DataValidationError(problems)


def _nearest_from_matrix(cost: pd.DataFrame, settlement_ids: pd.Index) -> pd.DataFrame:
    best = cost.sort_values(["origin", "cost", "dest"], kind="stable").drop_duplicates("origin")
    best = best.set_index("origin").reindex(settlement_ids)
    return best[["dest", "cost"]]


def settlement_access(
    settlements: pd.DataFrame,
    facilities: pd.DataFrame,
    kinds: Sequence[str] | None = None,
    threshold_km: float | Mapping[str, float] = 10.0,
    *,
    travel_cost: pd.DataFrame | None = None,
    weight: None | Mapping[float, float] | Callable = None,
    supply: str | None = None,
) -> pd.DataFrame:
    """Nearest facility, coverage flag and 2SFCA score of every settlement, per facility kind.

    Parameters
    ----------
    settlements : DataFrame
        ``settlement_id``, ``lat``, ``lon``, ``population`` (may be NA) and, when present,
        ``municipality_id`` (kept in the result).
    facilities : DataFrame
        ``facility_id``, ``kind``, ``lat``, ``lon`` (and the ``supply`` column if named).
    kinds : sequence of str, optional
        Facility kinds to measure; default: :data:`FACILITY_KINDS`.
    threshold_km : float or dict
        Catchment size, one for all kinds or ``{kind: threshold}``; in km, or in the unit of
        ``travel_cost`` when it is given. A facility exactly at the threshold is within it.
    travel_cost : DataFrame, optional
        Travel-time matrix as a long frame ``origin`` (settlement id), ``dest`` (facility id),
        ``cost``; replaces great-circle distances. Every origin and destination must be a
        known id; error messages name ``travel_cost.attrs["source"]`` when set (a file name).
    weight : None, dict or callable
        Distance weight of the 2SFCA (see :func:`~socialkit.access.fca.two_step_fca`).
    supply : str, optional
        Column of ``facilities`` holding capacity; default: each facility counts 1.

    Returns
    -------
    DataFrame
        One row per settlement (input order): ``settlement_id``, ``municipality_id`` (if
        given), ``lat``, ``lon``, ``population``, and per kind ``nearest_<kind>`` (facility id, NA if none),
        ``distance_<kind>`` (km or travel cost to it), ``within_<kind>`` (bool: a facility of the
        kind within the threshold), ``fca_<kind>`` (2SFCA: facilities — or capacity — per
        resident in reach; NaN when none is within the threshold). ``attrs`` records the
        thresholds and the cost unit.

    Notes
    -----
    ``within`` is ``distance <= threshold``. The 2SFCA uses the settlement population as demand
    (a missing population counts 0 in the facility's catchment, as PySAL ``access`` treats a
    missing value) and follows :func:`~socialkit.access.fca.two_step_fca` exactly.
    """
    require_columns(settlements, _SETTLEMENT_COLS, "settlements")
    require_columns(facilities, _FACILITY_COLS + ((supply,) if supply else ()), "facilities")
    kinds = list(FACILITY_KINDS if kinds is None else kinds)
    limits = _thresholds(kinds, threshold_km)
    sids = pd.Index(settlements["settlement_id"].to_numpy(), name="settlement_id")
    demand = pd.Series(
        pd.to_numeric(settlements["population"], errors="coerce").to_numpy(dtype=float,
                                                                             na_value=np.nan),
        index=sids, name="population",
    )
    if travel_cost is not None:
        _check_matrix(travel_cost, sids, facilities["facility_id"])
    keep_cols = [c for c in ("settlement_id", "municipality_id", "lat", "lon")
                 if c in settlements.columns]
    out = settlements[keep_cols].reset_index(drop=True)
    out["population"] = settlements["population"].reset_index(drop=True)
    for kind in kinds:
        fac = facilities.loc[facilities["kind"] == kind]
        limit = limits[kind]
        if travel_cost is None:
            near = nearest_destination(settlements, fac)
            pairs = great_circle_costs(settlements, fac, limit) if len(fac) else None
        else:
            pairs = travel_cost.loc[travel_cost["dest"].isin(fac["facility_id"])]
            near = _nearest_from_matrix(pairs, sids)
        sup_values = (pd.to_numeric(fac[supply], errors="coerce") if supply
                      else pd.Series(1.0, index=fac.index))
        sup = pd.Series(sup_values.to_numpy(dtype=float, na_value=np.nan),
                        index=pd.Index(fac["facility_id"].to_numpy()), name="supply")
        if pairs is None or len(pairs) == 0:
            fca = pd.Series(np.nan, index=sids)
        else:
            fca = two_step_fca(demand, sup, pairs, max_cost=limit, weight=weight)
        dist = near["cost"].to_numpy(dtype=float)
        out[f"nearest_{kind}"] = pd.array(near["dest"].to_numpy(), dtype="str")
        out[f"distance_{kind}"] = dist
        out[f"within_{kind}"] = np.nan_to_num(dist, nan=np.inf) <= limit
        out[f"fca_{kind}"] = fca.to_numpy()
    out.attrs["thresholds"] = limits
    out.attrs["cost_unit"] = "km" if travel_cost is None else "travel_cost"
    out.attrs["kinds"] = kinds
    return out


def _kinds_of(access: pd.DataFrame, kinds: Sequence[str] | None) -> list[str]:
    kinds = list(kinds) if kinds is not None else list(access.attrs.get("kinds") or [
        c.removeprefix("within_") for c in access.columns if c.startswith("within_")])
    require_columns(access, [f"within_{k}" for k in kinds] + ["population"], "access")
    return kinds


def coverage(
    access: pd.DataFrame,
    kinds: Sequence[str] | None = None,
    by: str | None = "municipality_id",
) -> pd.DataFrame:
    """Population covered within the threshold, per group and facility kind.

    Parameters
    ----------
    access : DataFrame
        Result of :func:`settlement_access`.
    kinds : sequence of str, optional
        Default: every kind in ``access``.
    by : str or None
        Grouping column (default per municipality); None for one total.

    Returns
    -------
    DataFrame
        Tidy: ``by`` (if any), ``kind``, ``settlements``, ``settlements_without`` (no facility of
        the kind within reach), ``population`` (known population), ``population_covered`` and
        ``share_covered`` = covered / known population (NaN when no population is known).
        Settlements with a missing population count in ``settlements`` but not in the sums.
    """
    kinds = _kinds_of(access, kinds)
    if by is not None:
        require_columns(access, [by], "access")
        keys = access[by]
    else:
        keys = pd.Series("total", index=access.index)
    codes, groups = pd.factorize(keys, sort=True)
    n_groups = len(groups)
    pop = pd.to_numeric(access["population"], errors="coerce").to_numpy(dtype=float,
                                                                         na_value=np.nan)
    known = np.where(np.isnan(pop), 0.0, pop)
    total_pop = np.bincount(codes, weights=known, minlength=n_groups)
    n_settl = np.bincount(codes, minlength=n_groups)
    frames = []
    for kind in kinds:
        within = access[f"within_{kind}"].to_numpy(dtype=bool)
        covered = np.bincount(codes, weights=known * within, minlength=n_groups)
        without = np.bincount(codes, weights=(~within).astype(float), minlength=n_groups)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(total_pop > 0, covered / total_pop, np.nan)
        part = pd.DataFrame({
            "kind": kind,
            "settlements": n_settl,
            "settlements_without": without.astype(np.int64),
            "population": total_pop,
            "population_covered": covered,
            "share_covered": share,
        })
        if by is not None:
            part.insert(0, by, np.asarray(groups))
        frames.append(part)
    return pd.concat(frames, ignore_index=True)


def underserved(
    access: pd.DataFrame,
    kinds: Sequence[str] | None = None,
    min_missing: int = 1,
) -> pd.DataFrame:
    """Settlements with no facility of ``min_missing`` or more kinds within the threshold.

    Returns
    -------
    DataFrame
        The matching rows of ``access`` (most kinds missing, then largest population first), with ``n_missing`` and
        ``missing_kinds`` (the kinds out of reach, ``;``-separated in ``kinds`` order).
    """
    kinds = _kinds_of(access, kinds)
    if min_missing < 1:
        raise ValueError(f"min_missing must be at least 1, got {min_missing!r}")
    lacking = ~access[[f"within_{k}" for k in kinds]].to_numpy(dtype=bool)
    n_missing = lacking.sum(axis=1)
    names = np.array(kinds, dtype=object)
    missing = [";".join(names[row]) for row in lacking]
    out = access.assign(n_missing=n_missing, missing_kinds=pd.array(missing, dtype="str"))
    out = out.loc[n_missing >= min_missing]
    pop = pd.to_numeric(out["population"], errors="coerce")
    pop_key = -np.nan_to_num(pop.to_numpy(dtype=float, na_value=np.nan), nan=-1.0)
    order = np.lexsort((pop_key, -n_missing[n_missing >= min_missing]))  # most kinds missing first
    return out.iloc[order].reset_index(drop=True)
