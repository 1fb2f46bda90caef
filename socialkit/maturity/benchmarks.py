"""Benchmarking against peer groups: all municipalities, the same oblast, the same size class.

For every municipality, round and code (dimension or overall) and every peer group it belongs
to, with :math:`x` the municipality's score and :math:`X` the scores of its peers that round
(itself included, missing scores left out, :math:`n = |X|`):

* ``rank`` = :math:`1 + \\#\\{y \\in X : y > x\\}` (descending, ties share the best rank:
  COINr ``rank(-x, ties.method = "min")``);
* ``percentile`` = :math:`100\\,(r_{\\min}^{\\uparrow} - 1)/(n - 1)` with
  :math:`r_{\\min}^{\\uparrow}` the ascending rank, ties min (COINr ``n_prank`` × 100): the
  share of the other peers scoring strictly lower; missing when :math:`n = 1`;
* ``peer_mean`` = mean of :math:`X`; ``peer_best`` = :math:`\\max X`;
  ``distance_to_best`` = :math:`\\max X - x` (0 for the best).

A municipality with a missing score ("insufficient data") gets no rank, percentile or
distance, but its row stays so the gap is visible.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from ..frameworks.maturity import MaturityFramework

__all__ = ["PEER_GROUPS", "benchmark", "peer_groups", "size_class"]


def size_class(population: pd.Series, fw: MaturityFramework) -> pd.Series:
    """The size-class id of each population (``<NA>`` when population is missing)."""
    if not fw.size_classes:
        return pd.Series(pd.NA, index=population.index, dtype="str")
    mins = np.array([sc.min for sc in fw.size_classes])
    ids = np.array([sc.id for sc in fw.size_classes], dtype=object)
    pop = population.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    pos = np.searchsorted(mins, np.nan_to_num(pop, nan=0.0), side="right") - 1
    out = pd.Series(ids[np.clip(pos, 0, None)], index=population.index, dtype="str")
    out[np.isnan(pop)] = pd.NA
    return out


def _all(mun: pd.DataFrame, fw: MaturityFramework) -> pd.Series:
    return pd.Series("all", index=mun.index, dtype="str")


def _region(mun: pd.DataFrame, fw: MaturityFramework) -> pd.Series:
    return mun["region"].astype("str") if "region" in mun else pd.Series(
        pd.NA, index=mun.index, dtype="str")


def _size(mun: pd.DataFrame, fw: MaturityFramework) -> pd.Series:
    return size_class(mun["population"], fw) if "population" in mun else pd.Series(
        pd.NA, index=mun.index, dtype="str")


#: Peer groups by name: ``f(municipalities, framework) -> group value per municipality``.
PEER_GROUPS: dict[str, Callable[[pd.DataFrame, MaturityFramework], pd.Series]] = {
    "all": _all,
    "region": _region,
    "size": _size,
}


def peer_groups(municipality_ids: pd.Series, municipalities: pd.DataFrame | None,
                fw: MaturityFramework) -> pd.DataFrame:
    """Long table ``municipality_id, peer_group, peer_value`` for every named group.

    Without a municipalities table only the ``all`` group can be formed.
    """
    ids = pd.Index(pd.unique(municipality_ids), name="municipality_id")
    if municipalities is None:
        mun = pd.DataFrame({"municipality_id": ids})
        groups = {"all": PEER_GROUPS["all"]}
    else:
        mun = municipalities.drop_duplicates("municipality_id").set_index(
            "municipality_id").reindex(ids).reset_index()
        groups = PEER_GROUPS
    frames = [pd.DataFrame({"municipality_id": mun["municipality_id"].astype("str"),
                            "peer_group": name, "peer_value": func(mun, fw)})
              for name, func in groups.items()]
    return pd.concat(frames, ignore_index=True)


def benchmark(scores: pd.DataFrame, municipalities: pd.DataFrame | None,
              fw: MaturityFramework) -> pd.DataFrame:
    """Rank, percentile, peer mean, best and distance to the best within each peer group.

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`socialkit.maturity.scoring.score`.
    municipalities : pandas.DataFrame or None
        With ``municipality_id``, ``region`` and ``population``; ``None`` gives only the
        ``all`` group.
    fw : MaturityFramework
        For the size classes.

    Returns
    -------
    pandas.DataFrame
        ``municipality_id, round, code, peer_group, peer_value, score, n_peers, rank,
        percentile, peer_mean, peer_best, distance_to_best`` (see the module docstring).
    """
    groups = peer_groups(scores["municipality_id"], municipalities, fw)
    df = scores[["municipality_id", "round", "code", "score"]].merge(
        groups, on="municipality_id", how="left")
    df = df[df["peer_value"].notna()].reset_index(drop=True)
    keys = ["round", "code", "peer_group", "peer_value"]
    g = df.groupby(keys, sort=False)["score"]
    df["n_peers"] = g.transform("count").astype("int64")
    df["rank"] = g.rank(method="min", ascending=False).astype("Int64")
    up = g.rank(method="min", ascending=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = 100.0 * (up - 1) / (df["n_peers"] - 1)
    df["percentile"] = pct.where(df["n_peers"] > 1)
    df["peer_mean"] = g.transform("mean")
    df["peer_best"] = g.transform("max")
    df["distance_to_best"] = df["peer_best"] - df["score"]
    order = {name: i for i, name in enumerate(PEER_GROUPS)}
    df = df.sort_values(["municipality_id", "round", "peer_group"],
                        key=lambda s: s.map(order) if s.name == "peer_group" else s,
                        kind="stable").reset_index(drop=True)
    return df[["municipality_id", "round", "code", "peer_group", "peer_value", "score",
               "n_peers", "rank", "percentile", "peer_mean", "peer_best", "distance_to_best"]]
