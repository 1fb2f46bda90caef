"""Maps of settlements, facilities and municipalities as points — offline by default.

Points are drawn in longitude/latitude with no background; a tile layer is added only when
the caller passes one (``tiles=``: an ``hv.Tiles`` element or a URL template), in which case
the points are projected to Web Mercator to sit on it. Colour encodes a cluster (categorical
palette, one legend entry per group) or a measure (sequential colour map with a colour bar).
Options are set for every loaded backend, so the same call renders in Bokeh and Matplotlib.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import holoviews as hv
import numpy as np
import pandas as pd

from ..i18n import t
from .theme import CATEGORICAL, SEQUENTIAL
from .theme import style as _style

__all__ = [
    "StaticMap",
    "access_map",
    "choropleth",
    "class_breaks",
    "class_colours",
    "class_labels",
    "classify",
    "cluster_map",
    "map_frame",
    "municipality_map",
    "point_map",
    "wrap_to_width",
]

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
    ``names`` maps cluster number to its name (e.g. :func:`socialkit.needs.display.cluster_names`).
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


# -- choropleths ---------------------------------------------------------------------------

#: Sequential palette of choropleth classes (light = low, dark = high; ColorBrewer YlOrRd).
CHOROPLETH_CMAP = "YlOrRd"
#: Colour of units without a value.
NO_DATA = "#d9d9d9"
#: At most this many classes.
MAX_CLASSES = 5
#: Above this many values Fisher–Jenks (exact, O(k n²)) gives way to quantiles.
JENKS_MAX_N = 500
#: At most this many place names on a static map.
MAX_LABELS = 14
_FACILITY_MARKERS = ("^", "s", "D", "v", "P")
_FACILITY_COLOURS = ("#1f3b73", "#6a3d9a", "#00665e", "#4d4d4d", "#8c510a")


def _classify_with(name: str, y: np.ndarray, k: int) -> np.ndarray:
    import warnings

    with warnings.catch_warnings():  # "Numba not installed": the pure-Python path is enough
        warnings.simplefilter("ignore")
        import mapclassify

        return np.asarray(getattr(mapclassify, name)(y, k=k).bins, dtype=float)


def class_breaks(values, k: int = MAX_CLASSES) -> tuple[np.ndarray, str]:
    """Upper bounds of the classes a choropleth uses for ``values``, and the scheme's name.

    Parameters
    ----------
    values : array-like
        The values shown (missing ones are ignored).
    k : int
        Wanted number of classes; fewer when there are fewer distinct values.

    Returns
    -------
    (ndarray, str)
        Class upper bounds, increasing, the last being the maximum (``mapclassify``'s
        ``bins``), and ``"fisher_jenks"`` or ``"quantiles"``.

    Notes
    -----
    **Fisher–Jenks** natural breaks (``mapclassify.FisherJenks``): the exact partition of the
    sorted values into ``k`` classes that minimises the sum of squared deviations from the
    class means. A map shows one municipality's settlements (10–60 values) whose scores
    bunch together (e.g. all between 29 and 53 on a 0–100 scale); the breaks fall into the
    gaps between groups, so settlements in one colour really are alike, and the colours
    span the values present instead of the whole theoretical scale. Equal intervals would
    leave classes empty; quantiles would split near-identical values. Above
    :data:`JENKS_MAX_N` values the exact method is slow (pure Python without numba), and
    **quantiles** (``mapclassify.Quantiles``: equal counts per class) are used instead.

    >>> class_breaks([1, 2, 3, 10, 11, 12, 30], k=3)[0].tolist()
    [3.0, 12.0, 30.0]
    """
    y = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)
    y = y[np.isfinite(y)]
    if y.size == 0:
        return np.array([], dtype=float), "fisher_jenks"
    k = int(min(k, np.unique(y).size))
    if k < 2:
        return np.array([float(y.max())]), "fisher_jenks"
    if y.size > JENKS_MAX_N:
        return _classify_with("Quantiles", y, k), "quantiles"
    return _classify_with("FisherJenks", y, k), "fisher_jenks"


def class_labels(breaks: np.ndarray, low: float, lang: str = "en", decimals: int = 1,
                 unit: str = "") -> list[str]:
    """Legend text of each class: ``"29.1–35.0 km"`` (lower bound of the first is ``low``)."""
    from ..i18n import format_number

    lows = [low, *breaks[:-1]]
    suffix = f" {unit}" if unit else ""
    return [f"{format_number(float(a), lang, decimals)}–{format_number(float(b), lang, decimals)}"
            f"{suffix}" for a, b in zip(lows, breaks, strict=True)]


def classify(values, breaks: np.ndarray) -> np.ndarray:
    """Class number (0-based) of each value for ``breaks`` (upper bounds); -1 when missing."""
    y = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)
    out = np.searchsorted(np.asarray(breaks, dtype=float), y, side="left")
    out = np.minimum(out, max(len(breaks) - 1, 0))
    return np.where(np.isfinite(y), out, -1)


def class_colours(k: int, cmap: str = CHOROPLETH_CMAP) -> list[str]:
    """``k`` colours of a sequential palette, light to dark (the palette's ends avoided)."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    cm = colormaps[cmap]
    return [to_hex(cm(x)) for x in np.linspace(0.12, 0.9, k)] if k else []


class StaticMap:
    """A map drawn once as SVG; shows itself in a notebook like the other static figures.

    Attributes
    ----------
    svg : str
        The SVG document as Matplotlib wrote it (the notebook shows it slimmed).
    breaks, labels, colours : list
        Class upper bounds, legend texts and colours of the map.
    placed : list of str
        The place names written on the map.
    """

    def __init__(self, svg: str, breaks, labels, colours, placed, scheme: str):
        self.svg, self.breaks, self.labels = svg, list(breaks), list(labels)
        self.colours, self.placed, self.scheme = list(colours), list(placed), scheme

    def _repr_html_(self) -> str:
        """The map as a notebook (and so a report) shows it: slimmed for print
        (:func:`socialkit.plots.svgslim.slim_svg`)."""
        import base64

        from .svgslim import slim_svg

        b64 = base64.b64encode(slim_svg(self.svg.encode("utf-8"))).decode("ascii")
        return (f"<img src='data:image/svg+xml;base64,{b64}' "
                "style='max-width:100%; margin: auto; display: block;'/>")


def _rings_path(geom):
    """One Matplotlib path for a (Multi)Polygon: exteriors and holes, holes cut out."""
    import shapely
    from matplotlib.path import Path

    geom = shapely.orient_polygons(geom)
    verts, codes = [], []
    for poly in getattr(geom, "geoms", [geom]):
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)
            if len(xy) < 4:
                continue
            c = np.full(len(xy), Path.LINETO, dtype=np.uint8)
            c[0], c[-1] = Path.MOVETO, Path.CLOSEPOLY
            verts.append(xy)
            codes.append(c)
    return Path(np.concatenate(verts), np.concatenate(codes))


def _priority(points: pd.DataFrame, population: str | None) -> pd.Index:
    """Settlements in labelling order: the most populous first (ties by id)."""
    if population and population in points:
        pop = pd.to_numeric(points[population], errors="coerce").fillna(-1)
        order = pd.DataFrame({"p": pop.to_numpy(), "i": np.arange(len(points))})
        return points.index[order.sort_values(["p", "i"], ascending=[False, True]).i]
    return points.index


def _kind_number(kind: str, lang: str) -> int:
    """A facility kind's place in the data model (its display name in ``lang`` given), so a
    kind has the same marker on every map; unknown kinds come after."""
    from ..data.schemas import FACILITY_KINDS

    names = [t(f"passport.facility_kinds.{k}", lang) for k in FACILITY_KINDS]
    return names.index(kind) if kind in names else len(names) + sorted(names + [kind]).index(kind)


def _fits(box, frame, taken) -> bool:
    return (box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0
            and box.y1 <= frame.y1 and not any(box.overlaps(b) for b in taken))


@cache
def _advance(ch: str) -> float:
    """Advance width of ``ch`` in the figures' font, in points at size 1 (no kerning)."""
    from matplotlib import font_manager
    from matplotlib.ft2font import LoadFlags

    from .theme import FONT_FAMILY

    font = font_manager.get_font(font_manager.findfont(
        font_manager.FontProperties(family=FONT_FAMILY)))
    font.set_size(100, 72)
    glyph = font.load_char(ord(ch), flags=LoadFlags.NO_HINTING)
    return glyph.linearHoriAdvance / 65536 / 100


def text_size(text: str, fontsize: float) -> tuple[float, float]:
    """Width and height (points) of one line of ``text`` at ``fontsize``, from glyph advances.

    What Matplotlib would measure to within kerning; used to place names without drawing.
    """
    return sum(_advance(c) for c in text) * fontsize, 1.17 * fontsize


def wrap_to_width(text: str, width: float, fontsize: float) -> str:
    r"""``text`` broken at spaces into lines at most ``width`` points wide at ``fontsize``.

    Measured with :func:`text_size` (glyph advances), so a line of Cyrillic, wider per
    letter than Latin, breaks sooner than the same number of Latin letters. A single word
    wider than ``width`` keeps a line of its own.

    >>> wrap_to_width("one two three", text_size("one two", 10)[0], 10)
    'one two\nthree'
    """
    lines: list[str] = []
    for para in str(text).split("\n"):
        line = ""
        for word in para.split():
            longer = f"{line} {word}" if line else word
            if line and text_size(longer, fontsize)[0] > width:
                lines.append(line)
                line = word
            else:
                line = longer
        lines.append(line)
    return "\n".join(lines)


def _place_labels(ax, points: pd.DataFrame, label: str, order, blocked: list,
                  max_labels: int, fontsize: float) -> list[str]:
    """Write names without overlaps: greedy, most important first, four candidate spots.

    Boxes are computed from glyph advances (:func:`text_size`) in points on the page, with a
    margin; ``blocked`` holds boxes already taken (facility markers). A name that fits
    nowhere inside the map is left out.
    """
    from matplotlib.transforms import Bbox

    fig = ax.figure
    scale = 72 / fig.dpi  # display pixels -> points
    ax_pts = Bbox.from_extents(*(v * scale for v in ax.get_window_extent().extents))
    xy = ax.transData.transform(points[["lon", "lat"]].to_numpy(dtype=float)) * scale
    pos = {idx: i for i, idx in enumerate(points.index)}
    taken, names, dots = [], [], []
    for rank, idx in enumerate(order):
        if len(names) >= max_labels:
            break
        x, y = xy[pos[idx]]
        if not (np.isfinite(x) and np.isfinite(y)):
            continue
        name = str(points.at[idx, label])
        w, h = text_size(name, fontsize)
        w, h = w * 1.06 + 2, h + 1
        spots = []
        for gap in (4.0, 9.0):  # right, left, above, below, then the four corners
            spots += [(x + gap, y - h / 2, "left", "center", gap, 0),
                      (x - gap - w, y - h / 2, "right", "center", -gap, 0),
                      (x - w / 2, y + gap, "center", "bottom", 0, gap),
                      (x - w / 2, y - gap - h, "center", "top", 0, -gap),
                      (x + gap, y + gap / 2, "left", "bottom", gap, gap / 2),
                      (x - gap - w, y + gap / 2, "right", "bottom", -gap, gap / 2),
                      (x + gap, y - gap / 2 - h, "left", "top", gap, -gap / 2),
                      (x - gap - w, y - gap / 2 - h, "right", "top", -gap, -gap / 2)]
        # the three most important names may cover a facility marker, never another name
        for avoid in ([taken + blocked, taken] if rank < 3 else [taken + blocked]):
            spot = next((sp for sp in spots if _fits(Bbox.from_bounds(sp[0], sp[1], w, h),
                                                     ax_pts, avoid)), None)
            if spot is not None:
                break
        if spot is None:
            continue
        x0, y0, ha, va, dx, dy = spot
        taken.append(Bbox.from_bounds(x0, y0, w, h))
        names.append(name)
        px, py = float(points.at[idx, "lon"]), float(points.at[idx, "lat"])
        ax.annotate(name, (px, py), xytext=(dx, dy), textcoords="offset points", ha=ha,
                    va=va, fontsize=fontsize, color="#1a1a1a", annotation_clip=False,
                    zorder=6, bbox={"boxstyle": "square,pad=0.08", "facecolor": "#ffffff",
                                    "edgecolor": "none", "alpha": 0.7})
        dots.append((px, py))
    if dots:
        ax.plot(*np.array(dots).T, "o", ms=2.2, color="#1a1a1a", zorder=4, ls="")
    return names


def choropleth(
    points: pd.DataFrame,
    value: str,
    boundaries=None,
    facilities: pd.DataFrame | None = None,
    *,
    label: str = "name",
    population: str | None = "population",
    outline=None,
    hatch: str | None = None,
    hatch_label: str = "",
    title: str = "",
    legend_title: str = "",
    unit: str = "",
    decimals: int = 1,
    notes: Sequence[str] = (),
    k: int = MAX_CLASSES,
    categorical: bool = False,
    lang: str = "en",
    static: bool | None = None,
):
    """A choropleth of settlements: polygons coloured by class, names, facilities, legend.

    Parameters
    ----------
    points : DataFrame
        One row per settlement, indexed by its id: ``lon``, ``lat``, ``label``, ``value`` and
        optionally ``population`` (labelling priority) and the boolean ``hatch`` column.
    value : str
        Column to map. Classes: :func:`class_breaks` over the values shown.
    boundaries : GeoDataFrame, optional
        Settlement polygons, ``unit_id`` matching ``points``' index (see
        :mod:`socialkit.data.boundaries`). Without them the settlements are drawn as points
        in their class colour.
    facilities : DataFrame, optional
        ``lon, lat, kind`` (display label) and optionally a boolean ``inside``: facilities of
        the municipality are filled markers, others (e.g. a neighbour's nearest centre)
        hollow. One legend entry per kind.
    outline : shapely geometry, optional
        The municipality's outline, drawn on top; default the union of ``boundaries``'
        municipality-level features.
    hatch, hatch_label : str
        Boolean column of settlements to hatch (e.g. beyond reach) and its legend text.
    title, legend_title, unit : str
        Map title, title of the class legend, unit after each class range.
    notes : sequence of str
        More lines printed under the map, after the north-up note, the classification
        method, and (when so) "boundaries are synthetic" or "no boundaries: points".
    categorical : bool
        ``value`` holds categories (e.g. "1. Remote, under-served" clusters): one colour and
        legend entry each, no classes.
    lang : str
        Number format of the class ranges.
    static : bool, optional
        Static SVG (:class:`StaticMap`) or an interactive HoloViews overlay; default static
        when :func:`socialkit.plots.theme.is_static` or Matplotlib is HoloViews' backend.

    Returns
    -------
    StaticMap or holoviews.Overlay
    """
    from .theme import is_static

    if static is None:
        static = is_static() or hv.Store.current_backend == "matplotlib"
    data = points.copy()
    if categorical:  # one colour per category (Okabe–Ito), in sorted order
        cats = sorted(data[value].dropna().unique(), key=str)
        breaks, scheme = [], None
        lookup = {c: i for i, c in enumerate(cats)}
        cls = np.array([lookup.get(v, -1) if not pd.isna(v) else -1 for v in data[value]])
        colours = [CATEGORICAL[i % len(CATEGORICAL)] for i in range(len(cats))]
        labels = [str(c) for c in cats]
    else:
        data[value] = pd.to_numeric(data[value], errors="coerce").astype(float)
        breaks, scheme = class_breaks(data[value], k)
        cls = classify(data[value], breaks)
        colours = class_colours(len(breaks))
        vals = data[value].to_numpy(dtype=float)
        low = float(np.nanmin(vals)) if np.isfinite(vals).any() else 0.0
        labels = class_labels(breaks, low, lang, decimals, unit)
    data["_colour"] = [colours[c] if c >= 0 else NO_DATA for c in cls]
    shapes = None
    notes = [t("maps.north_up", lang), *([t(f"maps.classes.{scheme}", lang)] if scheme else []),
             *notes]
    if boundaries is not None and len(boundaries):
        level = boundaries["level"] if "level" in boundaries else pd.Series("settlement",
                                                                            boundaries.index)
        b = boundaries.loc[level == "settlement"]
        shapes = b.set_index("unit_id").geometry.reindex(data.index)
        shapes = shapes[shapes.notna()]
        if outline is None and (level == "municipality").any():
            import shapely

            outline = shapely.union_all(boundaries.geometry[level == "municipality"].to_numpy())
        if "synthetic" in boundaries and boundaries["synthetic"].fillna(False).astype(bool).any():
            notes.append(t("maps.synthetic_boundaries", lang))
    else:
        notes.append(t("maps.no_boundaries", lang))
    if not static:
        return _interactive(data, value, shapes, facilities, label, colours, labels, title,
                            legend_title, lang, categorical, decimals, unit)
    return _static(data, value, shapes, facilities, label, population, outline, hatch,
                   hatch_label, title, legend_title, notes, breaks, colours, labels, scheme,
                   cls, lang)


def _legend_room(fig, ax):
    """How to wrap the legends beside the map, and the width of the text across the figure.

    The picture is cropped to its content and printed at most :data:`PRINT_MAX_INCHES` wide
    (wider, it would be shrunk on the page and its text print smaller than it was set). So
    the legends' lines end where that width, counted from the figure's left edge (the title
    and the notes start there), ends. Returns ``wrap(text, fontsize)`` for legend text and
    the width (points) the title and notes may take.
    """
    import matplotlib as mpl

    from ._static import PRINT_MAX_INCHES

    pad = 72 * 0.1 + 3  # the crop's margin (savefig.pad_inches) and kerning's slack
    width_pt = fig.get_size_inches()[0] * 72
    left = min(0.01 * width_pt, ax.get_position().x0 * width_pt)
    right = left + PRINT_MAX_INCHES[0] * 72 - 2 * pad
    box = ax.get_position()
    anchor = (box.x1 + 0.02 * box.width) * width_pt   # bbox_to_anchor=(1.02, ...)
    rc = mpl.rcParams
    # the legend's border, a handle and the gap after it, then the text (legend units: em)
    lead = float(rc["legend.borderpad"]) + 2.0 + float(rc["legend.handletextpad"])

    def wrap(text: str, fontsize: float) -> str:
        return wrap_to_width(text, right - anchor - lead * fontsize, fontsize)

    return wrap, right - left


def _static(data, value, shapes, facilities, label, population, outline, hatch, hatch_label,
            title, legend_title, notes, breaks, colours, labels, scheme, cls, lang):
    from matplotlib.collections import PatchCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, PathPatch
    from matplotlib.transforms import Bbox

    from ._static import render_svg

    fig = Figure(figsize=(7.0, 5.4))
    ax = fig.add_axes((0.01, 0.08, 0.62, 0.84))
    lat0 = float(np.nanmean(data["lat"])) if len(data) else 48.0
    ax.set_aspect(1 / np.cos(np.radians(lat0)))
    ax.set_axis_off()
    ax.set_xticks([])  # no tick layout for the hidden axes
    ax.set_yticks([])
    xs, ys = [data["lon"].to_numpy(float)], [data["lat"].to_numpy(float)]
    if shapes is not None and len(shapes):
        patches = [PathPatch(_rings_path(g)) for g in shapes.to_numpy()]
        face = data["_colour"].reindex(shapes.index).to_list()
        ax.add_collection(PatchCollection(patches, facecolors=face, edgecolors="#ffffff",
                                          linewidths=0.5, zorder=1))
        bounds = np.array([g.bounds for g in shapes.to_numpy()])
        xs += [bounds[:, 0], bounds[:, 2]]
        ys += [bounds[:, 1], bounds[:, 3]]
        if hatch and hatch in data:
            mask = data[hatch].reindex(shapes.index).fillna(False).to_numpy(dtype=bool)
            if mask.any():
                hp = [PathPatch(_rings_path(g)) for g in shapes.to_numpy()[mask]]
                ax.add_collection(PatchCollection(hp, facecolor="none", edgecolor="#444444",
                                                  hatch="////", linewidths=0, zorder=2))
    else:
        ax.scatter(data["lon"], data["lat"], s=70, c=data["_colour"].to_list(),
                   edgecolors="#555555", linewidths=0.5, zorder=2)
        if hatch and hatch in data:
            far = data[data[hatch].fillna(False).astype(bool)]
            ax.scatter(far["lon"], far["lat"], s=140, facecolors="none",
                       edgecolors="#444444", linewidths=1.0, zorder=2)
    if outline is not None:
        ax.add_patch(PathPatch(_rings_path(outline), facecolor="none", edgecolor="#333333",
                               linewidth=1.2, zorder=3))
    x = np.concatenate(xs)
    y = np.concatenate(ys)
    fx = np.isfinite(x) & np.isfinite(y)
    pad_x = max(np.ptp(x[fx]) * 0.03, 0.01) if fx.any() else 1
    pad_y = max(np.ptp(y[fx]) * 0.03, 0.01) if fx.any() else 1
    if fx.any():
        ax.set_xlim(x[fx].min() - pad_x, x[fx].max() + pad_x)
        ax.set_ylim(y[fx].min() - pad_y, y[fx].max() + pad_y)
    ax.apply_aspect()  # the axes' final box: the legends' room and the names' places
    wrap, wide = _legend_room(fig, ax)
    handles = [Patch(facecolor=c, edgecolor="#999999", linewidth=0.4,
                     label=wrap(lab, 8))
               for c, lab in zip(colours, labels, strict=True)]
    if (cls < 0).any():
        handles.append(Patch(facecolor=NO_DATA, edgecolor="#999999", linewidth=0.4,
                             label=t("maps.no_data", lang)))
    if hatch and hatch in data and data[hatch].fillna(False).astype(bool).any():
        handles.append(Patch(facecolor="#ffffff", edgecolor="#444444", hatch="////",
                             linewidth=0.4, label=wrap(hatch_label, 8)))
    legend = ax.legend(handles=handles, title=wrap(legend_title, 8.5), loc="upper left",
                       bbox_to_anchor=(1.02, 1.0), frameon=False, fontsize=8,
                       title_fontsize=8.5, alignment="left", handlelength=1.6)
    fac_handles = []
    blocked = []
    if facilities is not None and len(facilities):
        inside = (facilities["inside"].to_numpy(dtype=bool) if "inside" in facilities
                  else np.ones(len(facilities), dtype=bool))
        for kind, part in facilities.groupby("kind", sort=True):
            i = _kind_number(kind, lang)
            m, c = _FACILITY_MARKERS[i % 5], _FACILITY_COLOURS[i % 5]
            own = inside[facilities.index.get_indexer(part.index)]
            if own.any():
                ax.scatter(part["lon"][own], part["lat"][own], marker=m, s=46, c=c,
                           edgecolors="#ffffff", linewidths=0.6, zorder=5)
            if (~own).any():
                ax.scatter(part["lon"][~own], part["lat"][~own], marker=m, s=46,
                           facecolors="#ffffff", edgecolors=c, linewidths=1.2, zorder=5)
            fac_handles.append(Line2D([], [], ls="", marker=m, ms=7, color=c,
                                      markeredgecolor="#ffffff", label=wrap(str(kind), 8)))
        if (~inside).any():
            fac_handles.append(Line2D([], [], ls="", marker="o", ms=7, markerfacecolor="#ffffff",
                                      markeredgecolor="#333333", label=wrap(
                                          t("maps.neighbour_facility", lang), 8)))
    if fac_handles:  # classes hang from the top, facilities stand on the bottom
        ax.add_artist(legend)
        legend.set_clip_on(False)  # add_artist clips to the axes: the crop would cut it off
        ax.legend(handles=fac_handles, title=wrap(t("maps.facilities", lang), 8.5),
                  loc="lower left", bbox_to_anchor=(1.02, 0.0), frameon=False,
                  fontsize=8, title_fontsize=8.5, alignment="left")
        fac_pts = facilities[["lon", "lat"]].to_numpy(dtype=float)
        for px, py in ax.transData.transform(fac_pts) * (72 / fig.dpi):
            blocked.append(Bbox.from_bounds(px - 4, py - 4, 8, 8))
    if title:  # a figure text: an axes title would be re-positioned on every draw
        fig.text(0.01, 0.935, wrap_to_width(title, wide, 11), fontsize=11, ha="left", va="bottom")
    placed = _place_labels(ax, data, label, _priority(data, population), blocked, MAX_LABELS,
                           7.5)
    if notes:
        fig.text(0.01, 0.06, "\n".join(wrap_to_width(n, wide, 7) for n in notes), fontsize=7,
                 color="#444444", va="top", ha="left")
    svg = render_svg(fig)
    return StaticMap(svg, breaks, labels, colours, placed, scheme)


#: Largest frame of an interactive map (pixels); the map keeps its proportions inside it.
INTERACTIVE_FRAME = (560, 480)


def map_frame(bounds, lat0: float, box: tuple[int, int] = INTERACTIVE_FRAME) -> tuple[int, int]:
    """Frame width and height (pixels) of a map of ``bounds`` (lon0, lat0, lon1, lat1) that
    keeps its proportions (a degree of longitude is ``cos(lat)`` of a degree of latitude)
    and fits in ``box``.

    >>> map_frame((30.0, 50.0, 31.0, 50.5), 50.25, (560, 480))
    (560, 438)
    """
    x0, y0, x1, y1 = (float(v) for v in bounds)
    wide = max(x1 - x0, 1e-6) * np.cos(np.radians(lat0))
    tall = max(y1 - y0, 1e-6)
    scale = min(box[0] / wide, box[1] / tall)
    return max(int(round(wide * scale)), 120), max(int(round(tall * scale)), 120)


def _interactive(data, value, shapes, facilities, label, colours, labels, title,
                 legend_title, lang, categorical=False, decimals=1, unit=""):
    """Bokeh version: polygons (or points) in class colours, hover with name and value.

    The frame keeps the map's proportions (:func:`map_frame`); every class, "no data" and
    each facility kind is a legend entry (polygons ask to be listed: HoloViews leaves them out
    of a legend by default). Class ranges are short and stand beside the map; category names
    (clusters) are long and go under it, one per line, so the figure never gets wider than
    its frame plus a short legend.
    """
    from ..i18n import format_number

    layers = []
    no_data = t("maps.no_data", lang)
    entries = [*zip(colours, labels, strict=True), (NO_DATA, no_data)]
    vdim = hv.Dimension("value", label=legend_title or value)
    name_dim = hv.Dimension("name", label=t("passport.columns.settlement", lang))
    kind_dim = hv.Dimension("kind", label=t("access.kind", lang))
    tips = [(name_dim.label, "@name"), (vdim.label, "@value")]

    def _shown(v) -> str:
        if categorical or not isinstance(v, int | float | np.number):
            return "–" if pd.isna(v) else str(v)
        return ("–" if not np.isfinite(v) else
                format_number(float(v), lang, decimals) + (f" {unit}" if unit else ""))

    xs = [data["lon"].to_numpy(float)]
    ys = [data["lat"].to_numpy(float)]
    for colour, text in entries:  # one layer per class: the legend lists the class ranges
        part = data.loc[data["_colour"] == colour]
        if part.empty:
            continue
        if shapes is not None and len(shapes):
            polys = []
            for idx in part.index.intersection(shapes.index):
                geom = shapes[idx]
                x0, y0, x1, y1 = geom.bounds
                xs.append(np.array([x0, x1]))
                ys.append(np.array([y0, y1]))
                for poly in getattr(geom, "geoms", [geom]):
                    xy = np.asarray(poly.exterior.coords)
                    polys.append({"x": xy[:, 0], "y": xy[:, 1],
                                  "name": str(part.at[idx, label]),
                                  "value": _shown(part.at[idx, value])})
            layer = hv.Polygons(polys, vdims=[name_dim, vdim], label=text)
            layers.append(_style(layer, {"color": colour},
                                 {"tools": ["hover"], "hover_tooltips": tips,
                                  "line_color": "#ffffff", "show_legend": True}, {}))
        else:
            shown = part.reset_index().assign(value=[_shown(v) for v in part[value]],
                                              name=part[label].astype(str).to_numpy())
            pts = hv.Points(shown, ["lon", "lat"], [name_dim, vdim], label=text)
            layers.append(_style(pts, {"color": colour},
                                 {"size": 9, "tools": ["hover"], "hover_tooltips": tips},
                                 {"s": 40}))
    if facilities is not None and len(facilities):
        for i, (kind, part) in enumerate(facilities.groupby("kind", sort=True)):
            f = hv.Points(part[["lon", "lat", "kind"]], ["lon", "lat"], [kind_dim],
                          label=str(kind))
            layers.append(_style(f, {"color": _FACILITY_COLOURS[i % 5]},
                                 {"size": 10, "marker": "triangle", "tools": ["hover"],
                                  "hover_tooltips": [(kind_dim.label, "@kind")]},
                                 {"s": 40}))
    x, y = np.concatenate(xs), np.concatenate(ys)
    ok = np.isfinite(x) & np.isfinite(y)
    lat0 = float(np.nanmean(data["lat"])) if len(data) else 48.0
    if ok.any():
        x0, x1, y0, y1 = x[ok].min(), x[ok].max(), y[ok].min(), y[ok].max()
        px, py = max((x1 - x0) * 0.03, 0.005), max((y1 - y0) * 0.03, 0.005)
        x0, x1, y0, y1 = x0 - px, x1 + px, y0 - py, y1 + py
    else:
        x0, x1, y0, y1 = 0.0, 1.0, 0.0, 1.0
    width, height = map_frame((x0, y0, x1, y1), lat0)
    legend = ({"legend_position": "bottom", "legend_cols": 1} if categorical
              else {"legend_position": "right"})
    if legend_title:
        legend["legend_opts"] = {"title": legend_title}
    return _style(hv.Overlay(layers), {"title": title, "xaxis": None, "yaxis": None},
                  {"frame_width": width, "frame_height": height, "xlim": (x0, x1),
                   "ylim": (y0, y1), "responsive": False, **legend}, {})
