"""Maps of settlements, facilities and municipalities as points — offline by default.

Points are drawn in longitude/latitude with no background; a tile layer is added only when
the caller passes one (``tiles=``: an ``hv.Tiles`` element or a URL template), in which case
the points are projected to Web Mercator to sit on it. Colour encodes a cluster (categorical
palette, one legend entry per group) or a measure (sequential colour map with a colour bar).
Options are set for every loaded backend, so the same call renders in Bokeh and Matplotlib.
"""

from __future__ import annotations

from collections.abc import Sequence

import holoviews as hv
import numpy as np
import pandas as pd

from ..i18n import t
from .theme import CATEGORICAL, SEQUENTIAL
from .theme import style as _style

__all__ = ["access_map", "cluster_map", "municipality_map", "point_map"]

_MARKERS = {"circle": ("circle", "o"), "triangle": ("triangle", "^"), "square": ("square", "s")}




def _xy(frame: pd.DataFrame, lon: str, lat: str, mercator: bool) -> pd.DataFrame:
    out = frame.copy()
    x = pd.to_numeric(out[lon], errors="coerce").to_numpy(dtype=float)
    y = pd.to_numeric(out[lat], errors="coerce").to_numpy(dtype=float)
    if mercator:
        x, y = hv.util.transform.lon_lat_to_easting_northing(x, y)
    out["_x"], out["_y"] = x, y
    return out


def _points(frame: pd.DataFrame, vdims: Sequence[str], label: str, lang: str,
            mercator: bool) -> hv.Points:
    xlab = "x" if mercator else t("access.longitude", lang)
    ylab = "y" if mercator else t("access.latitude", lang)
    return hv.Points(frame, kdims=[hv.Dimension("_x", label=xlab), hv.Dimension("_y", label=ylab)],
                     vdims=list(vdims), label=label)


def _marker_opts(marker: str, size: float, colour: str | None = None) -> tuple[dict, dict]:
    bk, mpl = _MARKERS[marker]
    bokeh = {"marker": bk, "size": size, "tools": ["hover"]}
    matplotlib = {"marker": mpl, "s": size * size}
    if colour:
        bokeh["color"] = matplotlib["color"] = colour
    return bokeh, matplotlib


def _frame_opts(title: str) -> tuple[dict, dict, dict]:
    return ({"title": title, "show_grid": False},
            {"width": 620, "height": 520, "legend_position": "right"},
            {"fig_inches": (7, 6), "legend_position": "right"})


def _with_tiles(obj, tiles):
    if tiles is None:
        return obj
    layer = hv.Tiles(tiles) if isinstance(tiles, str) else tiles
    return layer * obj


def _colour_layer(points: pd.DataFrame, color: str | None, *, mercator: bool, lon: str,
                  lat: str, hover: Sequence[str], categorical: bool | None, names: dict | None,
                  label: str, clabel: str | None, marker: str, size: float, lang: str):
    if marker not in _MARKERS:
        raise ValueError(f"marker must be one of {sorted(_MARKERS)}, got {marker!r}")
    data = _xy(points, lon, lat, mercator)
    data = data[np.isfinite(data["_x"]) & np.isfinite(data["_y"])]
    hover = [h for h in hover if h in data.columns and h != color]
    if color is None:
        bk, mpl = _marker_opts(marker, size, CATEGORICAL[0])
        return _style(_points(data, hover, label, lang, mercator), {}, bk, mpl)
    if categorical is None:
        categorical = not pd.api.types.is_float_dtype(data[color])
    if categorical:
        layers = []
        for i, value in enumerate(sorted(data[color].dropna().unique(), key=str)):
            part = data[data[color] == value]
            text = (names or {}).get(value, str(value))
            bk, mpl = _marker_opts(marker, size, CATEGORICAL[i % len(CATEGORICAL)])
            layers.append(_style(_points(part, [color, *hover], text, lang, mercator), {},
                                 bk, mpl))
        return hv.Overlay(layers)
    bk, mpl = _marker_opts(marker, size)
    dim = hv.Dimension(color, label=clabel or color)
    pts = hv.Points(data, kdims=_points(data, [], "", lang, mercator).kdims,
                    vdims=[dim, *hover], label=label)
    return _style(pts, {"color": color, "cmap": SEQUENTIAL, "colorbar": True}, bk, mpl)


def point_map(
    points: pd.DataFrame,
    color: str | None = None,
    *,
    lon: str = "lon",
    lat: str = "lat",
    hover: Sequence[str] = (),
    categorical: bool | None = None,
    names: dict | None = None,
    label: str = "",
    clabel: str | None = None,
    title: str = "",
    marker: str = "circle",
    size: float = 7,
    lang: str = "en",
    tiles=None,
) -> hv.Element | hv.Overlay:
    """Points coloured by a column.

    Parameters
    ----------
    points : DataFrame
        Rows with ``lon``/``lat`` in degrees; rows with missing coordinates are not drawn.
    color : str, optional
        Column to colour by; categorical (one legend entry per value, Okabe–Ito palette) when
        ``categorical`` is True or the column is not a float, else a sequential colour map.
    hover : sequence of str
        Extra columns shown on hover (Bokeh).
    names : dict, optional
        Legend text per category value.
    label, clabel, title : str
        Legend label of the layer, colour-bar label, title.
    marker : {"circle", "triangle", "square"}
    tiles : hv.Tiles or str, optional
        Background tiles (a URL template); None keeps the map offline.

    Returns
    -------
    holoviews.Points or holoviews.Overlay
    """
    obj = _colour_layer(points, color, mercator=tiles is not None, lon=lon, lat=lat,
                        hover=hover, categorical=categorical, names=names, label=label,
                        clabel=clabel, marker=marker, size=size, lang=lang)
    common, bk, mpl = _frame_opts(title)
    return _style(_with_tiles(obj, tiles), common, bk, mpl)


def _facility_layer(facilities: pd.DataFrame, lang: str, mercator: bool) -> hv.Points:
    data = _xy(facilities, "lon", "lat", mercator)
    hover = [c for c in ("name", "facility_id") if c in data.columns]
    bk, mpl = _marker_opts("triangle", 9, "#000000")
    return _style(_points(data, hover, t("access.facilities", lang), lang, mercator), {}, bk, mpl)


def access_map(
    access: pd.DataFrame,
    kind: str,
    facilities: pd.DataFrame | None = None,
    *,
    lang: str = "en",
    title: str | None = None,
    tiles=None,
) -> hv.Overlay:
    """Settlements coloured by the distance to the nearest facility of ``kind``.

    Parameters
    ----------
    access : DataFrame
        Result of :func:`socialkit.access.settlement_access` (has ``lat``, ``lon``,
        ``distance_<kind>``).
    kind : str
        Facility kind.
    facilities : DataFrame, optional
        Facilities to draw as black triangles (only those of ``kind``).
    """
    col = f"distance_{kind}"
    kind_name = t(f"access.kinds.{kind}", lang)
    mercator = tiles is not None
    hover = [c for c in ("name", "settlement_id", "population") if c in access.columns]
    obj = _colour_layer(access, col, mercator=mercator, lon="lon", lat="lat", hover=hover,
                        categorical=False, names=None, label=t("access.settlements", lang),
                        clabel=t("access.distance_to", lang, kind=kind_name), marker="circle",
                        size=7, lang=lang)
    if facilities is not None:
        obj = obj * _facility_layer(facilities[facilities["kind"] == kind], lang, mercator)
    common, bk, mpl = _frame_opts(title if title is not None
                                  else t("access.distance_to", lang, kind=kind_name))
    return _style(_with_tiles(obj, tiles), common, bk, mpl)


def cluster_map(
    points: pd.DataFrame,
    labels: pd.Series,
    names: pd.Series | None = None,
    facilities: pd.DataFrame | None = None,
    *,
    lang: str = "en",
    title: str = "",
    tiles=None,
) -> hv.Overlay:
    """Settlements or municipalities coloured by cluster, legend showing cluster names.

    ``points`` has ``lat``/``lon`` and is indexed like ``labels`` (e.g. ``ClusterResult.labels``);
    ``names`` maps cluster number to its name (e.g. ``result.names[lang]``).
    """
    data = points.loc[labels.index].assign(cluster=labels.to_numpy())
    legend = {c: t("needs.cluster_n", lang, n=c) + (f": {names[c]}" if names is not None else "")
              for c in sorted(labels.unique())}
    hover = [c for c in ("name", "settlement_id", "municipality_id") if c in data.columns]
    mercator = tiles is not None
    obj = _colour_layer(data, "cluster", mercator=mercator, lon="lon", lat="lat", hover=hover,
                        categorical=True, names=legend, label="", clabel=None, marker="circle",
                        size=7, lang=lang)
    if facilities is not None:
        obj = obj * _facility_layer(facilities, lang, mercator)
    common, bk, mpl = _frame_opts(title)
    return _style(_with_tiles(obj, tiles), common, bk, mpl)


def municipality_map(
    municipalities: pd.DataFrame,
    color: str,
    *,
    lang: str = "en",
    clabel: str | None = None,
    title: str = "",
    tiles=None,
) -> hv.Element | hv.Overlay:
    """Municipalities as points (at ``lat``/``lon``) coloured by ``color`` (index, access…)."""
    hover = [c for c in ("name", "name_local", "municipality_id", "population")
             if c in municipalities.columns]
    return point_map(municipalities, color, hover=hover, label=t("access.municipalities", lang),
                     clabel=clabel, title=title, marker="square", size=10, lang=lang,
                     tiles=tiles)
