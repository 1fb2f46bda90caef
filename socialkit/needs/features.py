"""The variables of a needs clustering, built from the data model's tables.

:func:`needs_features` turns ``passport_values`` counts into rates per 1,000 residents, adds the
age structure as shares and the distances of :func:`socialkit.access.settlement_access`, for
settlements or for municipalities — the frame :func:`socialkit.needs.cluster` expects.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..access import settlement_access
from ..data.validation import require_columns

__all__ = ["LEVELS", "needs_features"]

#: Units a clustering can be run on.
LEVELS: tuple[str, ...] = ("settlement", "municipality")
_AGE = {"share_0_17": "pop_0_17", "share_60_plus": "pop_60_plus"}


def _num(s: pd.Series) -> np.ndarray:
    return pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def needs_features(
    tables: Mapping[str, pd.DataFrame],
    level: str = "settlement",
    *,
    year: int | None = None,
    kinds: Sequence[str] = ("social_service_centre", "admin_service_centre"),
    threshold_km: float = 10.0,
    access: pd.DataFrame | None = None,
    per: float = 1000.0,
) -> pd.DataFrame:
    """Rates, shares and distances per settlement or municipality.

    Parameters
    ----------
    tables : mapping
        ``settlements``, ``passport_values`` and (unless ``access`` is given) ``facilities``,
        as from :func:`socialkit.data.load_all`.
    level : {"settlement", "municipality"}
        Unit of the rows.
    year : int, optional
        Passport year; default the latest.
    kinds : sequence of str
        Facility kinds whose nearest distance becomes ``distance_<kind>``.
    threshold_km : float
        Threshold passed to :func:`~socialkit.access.settlement_access` (distances do not
        depend on it).
    access : DataFrame, optional
        A :func:`~socialkit.access.settlement_access` result to reuse.
    per : float
        Rates per this many residents.

    Returns
    -------
    DataFrame
        Indexed by ``settlement_id`` or ``municipality_id``: one column per passport indicator
        (count per ``per`` residents), ``share_0_17``, ``share_60_plus`` (of the population) and
        ``distance_<kind>`` (km). Missing where an input is missing.

    Notes
    -----
    For municipalities, a rate is :math:`1000 \\sum_s c_s / \\sum_s P_s` over the settlements
    whose count :math:`c_s` is known (so a missing count neither counts as 0 nor removes the
    municipality), shares likewise, and a distance is the population-weighted mean
    :math:`\\sum_s P_s d_s / \\sum_s P_s` over settlements with a known population.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    settl = tables["settlements"]
    pv = tables["passport_values"]
    require_columns(settl, ("settlement_id", "municipality_id", "population", *_AGE.values()),
                    "settlements")
    require_columns(pv, ("settlement_id", "year", "indicator_id", "value"), "passport_values")
    if access is None:
        access = settlement_access(settl, tables["facilities"], kinds=list(kinds),
                                   threshold_km=threshold_km)
    year = int(pv["year"].max()) if year is None else int(year)
    if not (pv["year"] == year).any():
        raise ValueError(f"no passport values for year {year}; years: "
                         f"{sorted(pv['year'].unique().tolist())}")
    rows = pv[(pv["year"] == year) & pv["settlement_id"].notna()]
    counts = rows.pivot_table(index="settlement_id", columns="indicator_id", values="value",
                              aggfunc="sum", dropna=False).astype(float)
    base = settl.set_index("settlement_id")
    pop = pd.Series(_num(base["population"]), index=base.index)
    parts = {c: counts[c].reindex(base.index) for c in counts.columns}
    parts |= {share: pd.Series(_num(base[col]), index=base.index) for share, col in _AGE.items()}
    dist = access.set_index("settlement_id")
    dist_cols = {f"distance_{k}": dist[f"distance_{k}"].reindex(base.index) for k in kinds}
    if level == "settlement":
        out = pd.DataFrame({c: v / pop.where(pop > 0) * (per if c in counts.columns else 1)
                            for c, v in parts.items()})
        for c, v in dist_cols.items():
            out[c] = v
        out.index.name = "settlement_id"
        return out
    muni = base["municipality_id"]
    out = {}
    for c, v in parts.items():
        known = v.notna() & pop.notna()
        num = v.where(known).groupby(muni).sum(min_count=1)
        den = pop.where(known).groupby(muni).sum(min_count=1)
        out[c] = num / den.where(den > 0) * (per if c in counts.columns else 1)
    for c, v in dist_cols.items():
        known = v.notna() & pop.notna()
        num = (v * pop).where(known).groupby(muni).sum(min_count=1)
        den = pop.where(known).groupby(muni).sum(min_count=1)
        out[c] = num / den.where(den > 0)
    frame = pd.DataFrame(out)
    frame.index.name = "municipality_id"
    return frame
