"""Great-circle distances between settlements and facilities, without a dense matrix.

Distances are haversine great-circle distances on a sphere of radius
:data:`EARTH_RADIUS_KM` = 6371.0088 km (the IUGG mean Earth radius; PySAL ``access`` has no
spherical distance of its own — it measures Euclidean distances in a projected CRS — so the
radius follows the usual geodesy convention)::

    d = 2 R asin( sqrt( sin²((φ2 − φ1)/2) + cos φ1 cos φ2 sin²((λ2 − λ1)/2) ) )

Pairs within a threshold are found with a :class:`sklearn.neighbors.BallTree` (haversine metric),
so 28,000 settlements × 10,000 facilities cost memory in proportion to the pairs within the
threshold, not to the 280 million pairs of the full matrix. The result is the long cost frame
(``origin``, ``dest``, ``cost``) that :mod:`socialkit.access.fca` takes, as PySAL ``access`` does.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pandas as pd
from sklearn.neighbors import BallTree

from .. import config
from ..data.validation import require_columns
from ..memo import fingerprint
from ._validate import check_coordinates, check_unique

__all__ = ["EARTH_RADIUS_KM", "great_circle_costs", "haversine_km", "nearest_destination"]

#: Mean Earth radius (IUGG), km.
EARTH_RADIUS_KM: float = 6371.0088
# BallTree's own radius test may round a pair exactly at the threshold to the wrong side; search a
# hair wider and decide with our own haversine and `<=`.
_RADIUS_SLACK = 1e-9


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in km between points given in degrees (arrays broadcast).

    >>> round(float(haversine_km(50.45, 30.52, 49.84, 24.03)), 1)  # Kyiv – Lviv
    467.3
    """
    p1, p2 = np.radians(np.asarray(lat1, float)), np.radians(np.asarray(lat2, float))
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2, float)) - np.radians(np.asarray(lon1, float))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _points(frame: pd.DataFrame, id_col: str, table: str) -> tuple[pd.Index, np.ndarray]:
    require_columns(frame, (id_col, "lat", "lon"), table)
    check_coordinates(frame, table)
    check_unique(frame[id_col], table, id_col)
    ids = pd.Index(frame[id_col].to_numpy(), name=id_col)
    latlon = frame[["lat", "lon"]].to_numpy(dtype=float)
    return ids, latlon


#: Destination sets whose points and tree :func:`nearest_destination` keeps (by content).
_MAX_TREES = 16
_TREES: OrderedDict[tuple, tuple[pd.Index, np.ndarray, BallTree | None]] = OrderedDict()


def _destination_tree(frame: pd.DataFrame, id_col: str
                      ) -> tuple[pd.Index, np.ndarray, BallTree | None]:
    """:func:`_points` of ``frame`` and a haversine tree of them (None when empty).

    Kept per content of the id and coordinate columns (:func:`socialkit.memo.fingerprint`),
    so the reports of a batch, which ask for the nearest facility of a kind among the same
    national facilities again and again, check them and build the tree once. The tree is
    only queried, never changed. ``SOCIALKIT_MEMO=0`` builds it on every call.
    """
    require_columns(frame, (id_col, "lat", "lon"), "destinations")
    use = config.memo_enabled()
    key = (fingerprint({"d": frame[[id_col, "lat", "lon"]]}), id_col) if use else None
    found = _TREES.get(key) if use else None
    if found is not None:
        _TREES.move_to_end(key)
        return found
    ids, xy = _points(frame, id_col, "destinations")
    xy.flags.writeable = False
    found = (ids, xy, BallTree(np.radians(xy), metric="haversine") if len(ids) else None)
    if use:
        _TREES[key] = found
        while len(_TREES) > _MAX_TREES:
            _TREES.popitem(last=False)
    return found


def great_circle_costs(
    origins: pd.DataFrame,
    destinations: pd.DataFrame,
    max_km: float,
    *,
    origin_id: str = "settlement_id",
    dest_id: str = "facility_id",
) -> pd.DataFrame:
    """Long cost frame of every origin–destination pair at most ``max_km`` apart.

    Parameters
    ----------
    origins, destinations : DataFrame
        Points with an id column and ``lat``, ``lon`` in degrees.
    max_km : float
        Threshold in km; a pair exactly ``max_km`` apart is included (``<=``).
    origin_id, dest_id : str
        Id columns of ``origins`` and ``destinations``.

    Returns
    -------
    DataFrame
        Columns ``origin``, ``dest``, ``cost`` (km, haversine), sorted by origin then dest
        position; origins with no destination in reach have no row.
    """
    if max_km is None or not np.isfinite(max_km) or max_km < 0:
        raise ValueError(f"max_km must be a finite number >= 0, got {max_km!r}")
    o_ids, o_xy = _points(origins, origin_id, "origins")
    d_ids, d_xy = _points(destinations, dest_id, "destinations")
    if len(o_ids) == 0 or len(d_ids) == 0:
        return pd.DataFrame({"origin": o_ids[:0], "dest": d_ids[:0], "cost": np.empty(0)})
    tree = BallTree(np.radians(d_xy), metric="haversine")
    radius = max_km / EARTH_RADIUS_KM * (1 + _RADIUS_SLACK) + 1e-15
    hits = tree.query_radius(np.radians(o_xy), r=radius, return_distance=False)
    counts = np.fromiter((len(h) for h in hits), dtype=np.int64, count=len(hits))
    oi = np.repeat(np.arange(len(o_ids)), counts)
    di = np.concatenate(hits).astype(np.int64) if counts.sum() else np.empty(0, np.int64)
    order = np.lexsort((di, oi))
    oi, di = oi[order], di[order]
    cost = haversine_km(o_xy[oi, 0], o_xy[oi, 1], d_xy[di, 0], d_xy[di, 1])
    keep = cost <= max_km
    return pd.DataFrame(
        {"origin": o_ids.to_numpy()[oi[keep]], "dest": d_ids.to_numpy()[di[keep]], "cost": cost[keep]}
    )


def nearest_destination(
    origins: pd.DataFrame,
    destinations: pd.DataFrame,
    *,
    origin_id: str = "settlement_id",
    dest_id: str = "facility_id",
) -> pd.DataFrame:
    """The nearest destination of every origin and its great-circle distance.

    Returns
    -------
    DataFrame
        Indexed by origin id, columns ``dest`` (id, NA when there are no destinations) and
        ``cost`` (km, NaN when there are no destinations).
    """
    o_ids, o_xy = _points(origins, origin_id, "origins")
    d_ids, d_xy, tree = _destination_tree(destinations, dest_id)
    out = pd.DataFrame(index=o_ids)
    if len(d_ids) == 0 or len(o_ids) == 0:
        out["dest"] = pd.Series(pd.NA, index=o_ids, dtype="str")
        out["cost"] = np.nan
        return out
    _, idx = tree.query(np.radians(o_xy), k=1)
    idx = idx[:, 0]
    out["dest"] = d_ids.to_numpy()[idx]
    out["cost"] = haversine_km(o_xy[:, 0], o_xy[:, 1], d_xy[idx, 0], d_xy[idx, 1])
    return out
