"""Counts of vulnerable groups and their rates per 1,000, per settlement and pooled.

A rate is ``count / base * per`` where ``base`` is the settlement's population column named
by the group's denominator (``passport.yaml``). Pooled rates (municipality, oblast, peers) are
ratios of sums over the settlements where *both* the count and the base are known (pairwise
complete), never means of rates; a settlement with no population recorded contributes its
count to the total count but nothing to the rate, and is counted in ``settlements_no_base``.

>>> import pandas as pd
>>> st = pd.DataFrame({"settlement_id": ["a", "b"], "municipality_id": ["m", "m"],
...                    "population": pd.array([1000, None], dtype="Int64")})
>>> pv = pd.DataFrame({"municipality_id": ["m", "m"], "settlement_id": ["a", "b"],
...                    "year": [2021, 2021], "indicator_id": ["idp", "idp"],
...                    "value": pd.array([30, 12], dtype="Int64")})
>>> from socialkit.frameworks.passport import GroupSpec, PassportSpec
>>> spec = PassportSpec(groups=[GroupSpec(id="idp", denominator="population")],
...                     facility_kinds=[])
>>> r = settlement_rates(st, pv, spec)
>>> r["rate"].tolist()
[30.0, <NA>]
>>> pooled_rates(r, ["municipality_id"])[["count", "rate", "settlements_no_base"]].values.tolist()
[[42, 30.0, 1]]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import SocialkitError
from ..frameworks.passport import PassportSpec
from ..memo import fingerprint, memoised, rows_of

__all__ = ["municipal_pools", "pick_year", "pooled_rates", "settlement_rates", "size_class"]


def settlement_rates(settlements: pd.DataFrame, passport_values: pd.DataFrame,
                     spec: PassportSpec) -> pd.DataFrame:
    """One row per settlement × year × group: the count, its base and the rate.

    Parameters
    ----------
    settlements : DataFrame
        ``settlement_id``, ``municipality_id`` and the denominator columns.
    passport_values : DataFrame
        ``settlement_id``, ``year``, ``indicator_id``, ``value``.
    spec : PassportSpec
        Groups and their denominators; indicators not in it are ignored.

    Returns
    -------
    DataFrame
        ``municipality_id, settlement_id, year, indicator_id, denominator, count`` (Int64),
        ``base`` (Int64, the denominator population; NA when not recorded) and ``rate``
        (Float64, per ``spec.per``; NA when the count or base is missing or the base is 0).
    """
    pv = passport_values.loc[passport_values["indicator_id"].isin(spec.group_ids),
                             ["settlement_id", "year", "indicator_id", "value"]]
    den_map = {g.id: g.denominator for g in spec.groups}
    out = pv.rename(columns={"value": "count"}).reset_index(drop=True)
    out["denominator"] = out["indicator_id"].map(den_map).astype("str")
    st = settlements.set_index("settlement_id")
    pos = st.index.get_indexer(out["settlement_id"])
    out.insert(0, "municipality_id", st["municipality_id"].to_numpy()[pos])
    base = np.full(len(out), np.nan)
    for col in set(den_map.values()):
        values = pd.to_numeric(st[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        rows = (out["denominator"] == col).to_numpy()
        base[rows] = values[pos[rows]]
    count = pd.to_numeric(out["count"]).to_numpy(dtype=float, na_value=np.nan)
    out["count"] = pd.array(out["count"], dtype="Int64")
    out["base"] = pd.array(np.where(np.isnan(base), None, base), dtype="Int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(base > 0, count / base * spec.per, np.nan)
    out["rate"] = pd.array(np.where(np.isnan(rate), None, rate), dtype="Float64")
    return out


def pooled_rates(rates: pd.DataFrame, by: Sequence[str], per: float = 1000) -> pd.DataFrame:
    """Pool settlement counts into groups: total count and the pairwise-complete rate.

    Parameters
    ----------
    rates : DataFrame
        Output of :func:`settlement_rates` (any extra grouping columns allowed).
    by : sequence of str
        Grouping columns; ``year`` and ``indicator_id`` are always added.
    per : float
        Rates per this many residents (must match the one used for ``rates``).

    Returns
    -------
    DataFrame
        ``by, year, indicator_id, denominator``, ``count`` (sum of known counts; NA when none is
        known), ``settlements``, ``settlements_no_count``, ``settlements_no_base`` (count known
        but base missing or 0), ``numerator`` and ``base`` (sums over settlements with both) and
        ``rate`` = numerator / base × per (NA when base is 0).

    Notes
    -----
    :math:`r_g = 1000 \\cdot \\sum_{s \\in g,\\, c_s, b_s \\text{ known}} c_s \\,/\\,
    \\sum_{s \\in g,\\, c_s, b_s \\text{ known}} b_s`.
    """
    keys = [*by, "year", "indicator_id", "denominator"]
    count = pd.to_numeric(rates["count"]).to_numpy(dtype=float, na_value=np.nan)
    base = pd.to_numeric(rates["base"]).to_numpy(dtype=float, na_value=np.nan)
    has_count = ~np.isnan(count)
    both = has_count & ~np.isnan(base) & (np.nan_to_num(base) > 0)
    work = rates[keys].copy()
    work["_count"] = np.where(has_count, count, 0.0)
    work["_has_count"] = has_count.astype(int)
    work["_no_count"] = (~has_count).astype(int)
    work["_no_base"] = (has_count & ~both).astype(int)
    work["_num"] = np.where(both, count, 0.0)
    work["_base"] = np.where(both, base, 0.0)
    g = work.groupby(keys, sort=True, dropna=False).agg(
        _count=("_count", "sum"), _has=("_has_count", "sum"), settlements=("_count", "size"),
        settlements_no_count=("_no_count", "sum"), settlements_no_base=("_no_base", "sum"),
        numerator=("_num", "sum"), base=("_base", "sum")).reset_index()
    out = g[keys].copy()
    out["count"] = pd.array(np.where(g["_has"] > 0, g["_count"], np.nan), dtype="Int64") \
        if len(g) else pd.array([], dtype="Int64")
    for col in ("settlements", "settlements_no_count", "settlements_no_base"):
        out[col] = g[col].astype("int64")
    out["numerator"] = pd.array(g["numerator"].round(), dtype="Int64")
    out["base"] = pd.array(g["base"].round(), dtype="Int64")
    b = g["base"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(b > 0, g["numerator"].to_numpy(dtype=float) / b * per, np.nan)
    out["rate"] = pd.array(np.where(np.isnan(rate), None, rate), dtype="Float64")
    return out


def size_class(population: pd.Series, bounds: tuple[float, ...]) -> pd.Series:
    """Index of the size class of each population (0 = below the first bound; NA if unknown).

    >>> size_class(pd.Series([5000, 10000, 60000, None], dtype="Int64"), (10000, 50000)).tolist()
    [0, 1, 2, <NA>]
    """
    pop = pd.to_numeric(population).to_numpy(dtype=float, na_value=np.nan)
    cls = np.searchsorted(np.asarray(bounds, dtype=float), pop, side="right").astype(float)
    cls[np.isnan(pop)] = np.nan
    return pd.Series(pd.array(np.where(np.isnan(cls), None, cls), dtype="Int64"),
                     index=population.index)


def pick_year(pv: pd.DataFrame, mid: str, year: int | None) -> tuple[int, int | None]:
    """The report year (the latest unless ``year`` is given) and the year before it that has
    counts (None if none); an error naming the municipality when it has no counts."""
    years = sorted(int(y) for y in pv["year"].iloc[rows_of(pv, "municipality_id", mid)].unique())
    if not years:
        raise SocialkitError(f"passport_values: no counts for municipality {mid}")
    if year is None:
        year = years[-1]
    elif int(year) not in years:
        raise SocialkitError(f"passport_values: no counts for municipality {mid} in {year}; "
                             f"years available: {', '.join(map(str, years))}")
    earlier = [y for y in years if y < int(year)]
    return int(year), (earlier[-1] if earlier else None)


def municipal_pools(st: pd.DataFrame, pv: pd.DataFrame, spec: PassportSpec) -> pd.DataFrame:
    """Pooled numerators and bases of every municipality, year and group (memoised: the
    oblast and peer comparisons of every passport of a data set share them)."""
    key = ("municipal_pools", fingerprint({"settlements": st, "passport_values": pv}),
           spec.model_dump_json())
    return memoised(key, lambda: pooled_rates(settlement_rates(st, pv, spec),
                                              ["municipality_id"], spec.per))
