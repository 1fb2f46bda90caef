"""Synthetic boundaries of the demo region: settlement cells and municipality outlines.

The demo has no surveyed boundaries, so it draws honest stand-ins and says so:

* every settlement gets its **Voronoi cell** among all settlements of the data set (the area
  closer to it than to any other settlement), computed in kilometres (an equirectangular
  projection about the region's mean latitude);
* each cell is clipped to its municipality's disc: the circle of radius
  ``sqrt(area_km2 / pi)`` around the municipality's centre that the generator scattered the
  settlements in (see :mod:`.geography`), plus 2 km;
* a municipality is the union of its settlements' cells (it can be in parts where the discs of
  neighbours overlap).

Every feature carries ``synthetic: true`` and a ``source`` text. No randomness is used, so the
same tables give the same file byte for byte: coordinates are snapped to 1e-5 degrees
(about a metre) and written in a fixed order and format.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

__all__ = ["SOURCE", "SOURCE_MUNICIPALITY", "boundaries_geojson", "generate"]

#: What every feature's ``source`` property says.
SOURCE = ("synthetic (socialkit demo): Voronoi cells of the demo settlements clipped to a disc "
          "per hromada; not an official boundary")
#: The same for the demos of Moldova, Serbia and Belarus, whose municipalities are not hromadas.
SOURCE_MUNICIPALITY = SOURCE.replace("per hromada", "per municipality")
_KM_PER_DEG = 111.32
_MARGIN_KM = 2.0
_GRID = 1e-5


def _project(lon: np.ndarray, lat: np.ndarray, lat0: float) -> np.ndarray:
    return np.column_stack([lon * np.cos(np.radians(lat0)) * _KM_PER_DEG, lat * _KM_PER_DEG])


def generate(geo: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Boundary features for the demo's municipalities and settlements.

    Parameters
    ----------
    geo : dict of DataFrame
        ``municipalities`` and ``settlements`` as made by :func:`.geography.generate`.

    Returns
    -------
    DataFrame
        ``unit_id, level, municipality_id, geometry`` (shapely, lon/lat): settlements first in
        table order, then municipalities in table order.
    """
    import shapely

    mun, st = geo["municipalities"], geo["settlements"]
    lat0 = float(np.mean(st["lat"].to_numpy(dtype=float)))
    xy = _project(st["lon"].to_numpy(dtype=float), st["lat"].to_numpy(dtype=float), lat0)
    points = shapely.points(xy)
    span = float(np.ptp(xy, axis=0).max()) + 100.0
    extent = shapely.buffer(shapely.envelope(shapely.multipoints(xy)), span)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=extent,
                                                       ordered=True))
    if len(cells) != len(st):  # two settlements at the same place
        raise ValueError("settlements share coordinates; cannot draw one cell per settlement")
    centre = _project(mun["lon"].to_numpy(dtype=float), mun["lat"].to_numpy(dtype=float), lat0)
    radius = np.sqrt(mun["area_km2"].to_numpy(dtype=float) / np.pi) + _MARGIN_KM
    discs = shapely.buffer(shapely.points(centre), radius, quad_segs=16)
    owner = pd.Index(mun["municipality_id"]).get_indexer(st["municipality_id"])
    cells = shapely.intersection(cells, discs[owner])
    # a settlement outside its own disc (not produced by the generator) keeps a small circle
    empty = shapely.is_empty(cells) | ~shapely.contains(cells, points)
    cells[empty] = shapely.buffer(points[empty], 0.5, quad_segs=4)

    def to_degrees(coords: np.ndarray) -> np.ndarray:
        lon = coords[:, 0] / (np.cos(np.radians(lat0)) * _KM_PER_DEG)
        return np.column_stack([lon, coords[:, 1] / _KM_PER_DEG])

    # snap to the 1e-5 degree grid; the rare cell that rounding breaks is snapped by GEOS
    cells = shapely.transform(cells, lambda c: np.round(to_degrees(c), 5))
    broken = ~shapely.is_valid(cells)
    cells[broken] = shapely.set_precision(cells[broken], _GRID)
    order = np.argsort(owner, kind="stable")
    groups = np.split(cells[order], np.cumsum(np.bincount(owner, minlength=len(mun)))[:-1])
    # the cells are a coverage (edges shared exactly, on one grid): a fast union
    outlines = np.array([shapely.coverage_union_all(g) for g in groups], dtype=object)
    bad = ~shapely.is_valid(outlines)
    outlines[bad] = [shapely.set_precision(shapely.union_all(g), _GRID)
                     for g, b in zip(groups, bad, strict=True) if b]
    settlements = pd.DataFrame({"unit_id": st["settlement_id"].to_numpy(),
                                "level": "settlement",
                                "municipality_id": st["municipality_id"].to_numpy(),
                                "geometry": list(cells)})
    municipalities = pd.DataFrame({"unit_id": mun["municipality_id"].to_numpy(),
                                   "level": "municipality",
                                   "municipality_id": mun["municipality_id"].to_numpy(),
                                   "geometry": list(outlines)})
    return pd.concat([settlements, municipalities], ignore_index=True)


def _rounded(node):
    if isinstance(node, (list, tuple)):
        if node and isinstance(node[0], float):
            return [round(v, 5) for v in node]
        return [_rounded(v) for v in node]
    return node


def boundaries_geojson(features: pd.DataFrame, source: str = SOURCE) -> str:
    """``features`` (from :func:`generate`) as a GeoJSON FeatureCollection (RFC 7946) text.

    One feature per line, properties ``unit_id, level, municipality_id, synthetic, source``
    (``source``: :data:`SOURCE`, or :data:`SOURCE_MUNICIPALITY` outside Ukraine); coordinates
    with five decimals. The same input gives the same text.
    """
    import shapely

    lines = []
    for row in features.itertuples(index=False):
        geometry = shapely.geometry.mapping(shapely.normalize(row.geometry))
        feature = {
            "type": "Feature",
            "properties": {"unit_id": row.unit_id, "level": row.level,
                           "municipality_id": row.municipality_id, "synthetic": True,
                           "source": source},
            "geometry": {"type": geometry["type"],
                         "coordinates": _rounded(geometry["coordinates"])},
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    head = json.dumps({"type": "FeatureCollection", "name": "boundaries",
                       "description": source}, ensure_ascii=False, separators=(",", ":"))
    return head[:-1] + ',"features":[\n' + ",\n".join(lines) + "\n]}\n"
