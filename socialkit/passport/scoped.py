"""Oblast and peer rates that cannot reveal a municipality the reader does not see.

A passport shows its municipality's counts and, beside them, the pooled rates of its oblast and
its size-class peers. Knowing their own counts and bases, readers who see municipalities ``V``
learn from a pooled rate the sum over the group's other members; :mod:`socialkit.scoping`
decides which of these rates may be shown. The decision is made once for all the
municipalities the reader sees (every passport they can open), so opening another one shows
nothing more.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import pandas as pd

from ..frameworks.passport import PassportSpec
from ..memo import rows_of
from ..scoping import choose_safe
from .rates import municipal_pools, pick_year, size_class

__all__ = ["safe_comparisons", "withhold_unsafe"]


def safe_comparisons(tables: Mapping[str, pd.DataFrame], spec: PassportSpec,
                     municipality_id: str, visible: Collection[str] | None,
                     year: int | None = None) -> set[tuple[str, str]]:
    """The ``(kind, indicator_id)`` pairs (kind ``region_rate`` or ``peer_rate``) whose rate
    may be shown on ``municipality_id``'s passport to a reader who sees ``visible``.

    ``visible=None`` (the reader sees every municipality) allows every pair.
    """

    ids = list(spec.group_ids)
    kinds = ("region_rate", "peer_rate")
    if visible is None:
        return {(k, i) for k in kinds for i in ids}
    mun, st, pv = tables["municipalities"], tables["settlements"], tables["passport_values"]
    pools = municipal_pools(st, pv, spec)
    pools = pools.loc[pools["numerator"].notna()]
    region_of = dict(zip(mun["municipality_id"], mun["region"], strict=True))
    class_of = dict(zip(mun["municipality_id"], size_class(mun["population"], spec.size_classes),
                        strict=True))
    group_of = {"region_rate": region_of, "peer_rate": class_of}
    readers = sorted(set(visible) | {municipality_id})
    candidates = []
    for mid in readers:
        if mid not in region_of or not len(rows_of(pv, "municipality_id", mid)):
            continue
        y = pick_year(pv, mid, year if mid == municipality_id else None)[0]
        here = pools.loc[pools["year"] == y]
        for kind in kinds:
            mine = group_of[kind].get(mid)
            if mine is None or pd.isna(mine):
                continue
            same = here.loc[(here["municipality_id"].map(group_of[kind]) == mine).to_numpy(
                dtype=bool, na_value=False)]
            of = same["municipality_id"].to_numpy(dtype=object)
            by_indicator = {i: set(of[rows].tolist()) for i, rows in
                            same.groupby("indicator_id", sort=False).indices.items()}
            for ind in ids:
                members = by_indicator.get(ind, set())
                # the oblast and the peer rate of one indicator and year are sums of the same
                # counts, so they combine: one cell per (indicator, year)
                candidates.append(((mid, kind, ind), [(True, {(ind, y): members})]))
    picked = choose_safe(candidates, set(visible))
    return {(kind, ind) for (mid, kind, ind), ok in picked.items()
            if mid == municipality_id and ok}


def withhold_unsafe(profile: pd.DataFrame, tables: Mapping[str, pd.DataFrame], spec: PassportSpec,
                    municipality_id: str, visible: Collection[str] | None,
                    year: int | None = None) -> pd.DataFrame:
    """A copy of a passport profile with the oblast and peer rates :func:`safe_comparisons`
    does not allow set to missing."""
    allowed = safe_comparisons(tables, spec, municipality_id, visible, year)
    out = profile.copy()
    for kind in ("region_rate", "peer_rate"):
        unsafe = [(kind, i) not in allowed for i in out["indicator_id"]]
        out.loc[unsafe, kind] = pd.NA
    return out
