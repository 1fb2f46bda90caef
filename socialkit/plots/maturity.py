"""Figures of the digital-maturity assessment: radar, heatmap, progress between rounds.

Each function takes a small frame with display-ready labels (the caller localises names with
:mod:`socialkit.maturity.report`) and returns a HoloViews object. Options are applied for each
plotting backend that is loaded (Bokeh interactive, Matplotlib static SVG), so the same call
works in JupyterLab, dashboards and the PDF run.
"""

from __future__ import annotations

import textwrap

import holoviews as hv
import numpy as np
import pandas as pd

from .theme import CATEGORICAL, FONT_FAMILY, SEQUENTIAL, localised
from .theme import style as _style

__all__ = ["label_rows_as_drawn", "maturity_heatmap", "maturity_progress", "maturity_radar"]

_GRID = "#cccccc"
#: Height of one heat-map row in a static figure (its labels are 7–8 pt).
_ROW_INCHES = 0.16




def maturity_radar(df: pd.DataFrame, *, label: str = "dimension", value: str = "score",
                   peer: str = "peer_mean", name: str = "", peer_name: str = "",
                   title: str = "", rings: tuple[float, ...] = (20, 40, 60, 80, 100)
                   ) -> hv.Overlay:
    """Radar (spider) chart of dimension scores (0-100) against a peer average.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per dimension with ``label`` (display name), ``value`` (0-100, missing =
        insufficient data: drawn at 0 and the label marked "–") and ``peer`` (all missing:
        no peer line).
    name, peer_name : str
        Legend labels of the municipality and of the peer average.
    title : str
        Figure title.
    rings : tuple of float
        Grid circles (e.g. the level thresholds).

    Returns
    -------
    holoviews.Overlay
    """
    n = len(df)
    if n < 3:
        raise ValueError("a radar needs at least three dimensions")
    ang = np.pi / 2 - 2 * np.pi * np.arange(n) / n
    cos, sin = np.cos(ang), np.sin(ang)
    vals = pd.to_numeric(df[value], errors="coerce").to_numpy(dtype=float)
    peers = pd.to_numeric(df[peer], errors="coerce").to_numpy(dtype=float)
    theta = np.linspace(0, 2 * np.pi, 121)
    # rings and spokes as one NaN-separated path: drawn the same, built ~10x faster than one
    # sub-path each (HoloViews makes a Dataset per sub-path)
    gap = np.array([[np.nan, np.nan]])
    grid = [np.column_stack([r * np.cos(theta), r * np.sin(theta)]) for r in rings]
    grid += [np.array([[0.0, 0.0], [100 * c, 100 * s]]) for c, s in zip(cos, sin, strict=True)]
    grid = np.concatenate([part for g in grid for part in (g, gap)][:-1])
    # ring values between the first two spokes, clear of the dimension names (the outer
    # ring, 100, is the edge of the chart and would touch the second name)
    mid = np.pi / 2 - np.pi / n
    ring_labels = hv.Labels(
        {"x": [r * np.cos(mid) for r in rings if r < 100],
         "y": [r * np.sin(mid) for r in rings if r < 100],
         "text": [f"{r:g}" for r in rings if r < 100]}, ["x", "y"], "text")
    # long words (Interoperabilitatea, Интероперабилност) stay whole: never split mid-word
    texts = [textwrap.fill(str(lab), 16, break_long_words=False) + ("" if np.isfinite(v) else " (–)")
             for lab, v in zip(df[label], vals, strict=True)]
    labels = hv.Labels({"x": 135 * cos, "y": 135 * sin, "text": texts}, ["x", "y"], "text")
    v0 = np.nan_to_num(vals, nan=0.0)
    own = hv.Polygons([{"x": v0 * cos, "y": v0 * sin}], label=name or value)
    ring = np.append(np.arange(n), 0)
    pm = np.nan_to_num(peers, nan=0.0)
    peer_line = hv.Path([{"x": (pm * cos)[ring], "y": (pm * sin)[ring]}],
                        label=peer_name or peer)
    grid_path = hv.Path([grid])
    grid_path = _style(grid_path, {"color": _GRID}, {"line_width": 1}, {"linewidth": 0.8})
    # Paths and Polygons are left out of an overlay's legend unless they ask to be in it
    # (``show_legend`` defaults to False for them): both figures ask
    own = _style(own, {"color": CATEGORICAL[0], "alpha": 0.35},
                 {"line_color": CATEGORICAL[0], "line_width": 2, "show_legend": True},
                 {"facecolor": CATEGORICAL[0], "edgecolor": CATEGORICAL[0], "linewidth": 2,
                  "show_legend": True})
    peer_line = _style(peer_line, {"color": CATEGORICAL[1]},
                       {"line_width": 2, "line_dash": "dashed", "show_legend": True},
                       {"linewidth": 2, "linestyle": "dashed", "show_legend": True})
    labels = _style(labels, None, {"text_font_size": "9pt", "text_color": "black"},
                    {"fontsize": 7.5, "color": "black", "family": FONT_FAMILY})
    ring_labels = _style(ring_labels, None, {"text_font_size": "7pt", "text_color": "#777777"},
                         {"fontsize": 7, "color": "#777777"})
    lim = (-200, 200)
    # no peer average (no group large enough to show one): no line, and no legend entry
    # naming a column
    overlay = (grid_path * own * peer_line if np.isfinite(peers).any() else grid_path * own)
    overlay = overlay * labels * ring_labels
    return _style(overlay, {"title": title, "xaxis": None, "yaxis": None, "xlim": lim,
                            "ylim": lim, "show_legend": True},
                  {"width": 560, "height": 520, "legend_position": "bottom_right",
                   "toolbar": None},
                  {"fig_inches": (6.8, 5.8), "aspect": 1.0, "legend_position": "right",
                   "fontsize": {"title": 11}})


def label_rows_as_drawn(plot, element) -> None:
    """Matplotlib hook: name each heat-map row after the data drawn in it.

    HoloViews' Matplotlib ``HeatMap`` (1.23) draws the rows of a categorical y axis in the
    reverse order of its tick labels (holoviz/holoviews#6644): a municipality's name stood
    beside another one's scores. The labels are rebuilt from the drawn cells: each row of
    the colour mesh gets the category whose values (in the order of the x labels) it shows.
    If a row matches no category, the labels are left as they are.
    """
    ax, mesh = plot.handles.get("axis"), plot.handles.get("artist")
    if ax is None or mesh is None or not hasattr(mesh, "get_coordinates"):
        return
    kx, ky = (d.name for d in element.kdims[:2])
    value = element.vdims[0].name
    cells = element.dframe()
    table = cells.pivot_table(index=ky, columns=kx, values=value, aggfunc="mean", dropna=False,
                              sort=False)
    table.index, table.columns = table.index.map(str), table.columns.map(str)
    xs = [lab.get_text() for lab in ax.get_xticklabels()]
    coords = mesh.get_coordinates()
    n_rows, n_cols = coords.shape[0] - 1, coords.shape[1] - 1
    if set(xs) - set(table.columns) or n_cols != len(xs) or n_rows != len(table):
        return
    drawn = np.ma.filled(np.ma.asarray(mesh.get_array(), dtype=float), np.nan)
    drawn = drawn.reshape(n_rows, n_cols)
    expected = table[xs].to_numpy(dtype=float)
    names, free = [], list(range(len(table)))
    for row in drawn:
        match = next((i for i in free if np.allclose(row, expected[i], equal_nan=True)), None)
        if match is None:
            return
        free.remove(match)
        names.append(table.index[match])
    centres = (coords[:-1, 0, 1] + coords[1:, 0, 1]) / 2
    ax.set_yticks(centres, labels=names)


@localised
def maturity_heatmap(df: pd.DataFrame, *, x: str = "dimension", y: str = "municipality",
                     value: str = "score", title: str = "", xlabel: str = "",
                     ylabel: str = "", clabel: str = "", lang: str | None = None) -> hv.HeatMap:
    """Dimension × municipality heatmap of scores (0-100); missing cells stay blank.

    Parameters
    ----------
    df : pandas.DataFrame
        Long table with ``x``, ``y`` and ``value`` columns (display labels); values are
        shown rounded to whole points.
    clabel : str
        Colour-bar label.

    Returns
    -------
    holoviews.HeatMap
        Scores are shown in the cells (static) or on hover (interactive).
    """
    data = df[[x, y, value]].copy()
    data[value] = pd.to_numeric(data[value], errors="coerce").astype(float).round(0)
    heat = hv.HeatMap(data, [hv.Dimension(x, label=xlabel or x),
                             hv.Dimension(y, label=ylabel or y)],
                      hv.Dimension(value, label=clabel or value, range=(0, 100)))
    n_rows = data[y].nunique()
    # static: a district of 27 communes, a province of 45 municipalities. The figure grows
    # with the rows up to the printed page's height (PRINT_MAX_INCHES); rows that are still
    # lower than the labels' text get smaller labels and values, so they never overlap.
    from ._static import PRINT_MAX_INCHES

    # below and above the rows: title, axis title and the x labels at 45° (about 0.6 em a
    # letter of 10 pt), which long dimension names make tall
    longest = max((len(str(v)) for v in data[x].unique()), default=0)
    overhead = 0.9 + 0.71 * longest * 6.0 / 72
    fig_h = min(PRINT_MAX_INCHES[1], max(3.6, _ROW_INCHES * n_rows + overhead))
    tall = fig_h > 3.6
    row_pt = (fig_h - overhead) * 72 / max(n_rows, 1)
    size = max(4.5, round(row_pt * 0.72, 1)) if row_pt < 11 else None
    mpl_opts = {"show_values": True, "fig_inches": (6.0, fig_h) if tall else (6.0, 3.6),
                "aspect": "auto" if tall else 1.6}
    if size is not None:
        mpl_opts["fontsize"] = {"yticks": size}

    def _no_clip_test(plot, element):  # values sit at cell centres, inside the axes: skip
        for text in plot.handles.get("annotations", {}).values():  # the per-draw check
            text.set_annotation_clip(False)
            if size is not None:
                text.set_fontsize(size)

    return _style(heat, {"cmap": SEQUENTIAL, "clim": (0, 100), "colorbar": True,
                         "xrotation": 45, "xlabel": xlabel, "ylabel": ylabel, "title": title,
                         "clabel": clabel or value},
                  {"tools": ["hover"], "line_color": "white", "width": 720,
                   "height": max(260, 28 * n_rows + 140), "toolbar": None},
                  {**mpl_opts, "hooks": [_no_clip_test, label_rows_as_drawn]})


@localised
def maturity_progress(df: pd.DataFrame, *, x: str = "dimension", group: str = "round",
                      value: str = "score", title: str = "", xlabel: str = "",
                      ylabel: str = "", lang: str | None = None) -> hv.Overlay:
    """Dumbbell chart: each dimension's score (0-100) in every round, joined by a line.

    Parameters
    ----------
    df : pandas.DataFrame
        Long table with ``x`` (dimension label, one row per round), ``group`` (round) and
        ``value`` (0-100; missing = no score that round, no dot drawn).
    title, xlabel, ylabel : str
        ``xlabel`` labels the dimension axis and ``ylabel`` the score axis.

    Returns
    -------
    holoviews.Overlay
        Dimensions on the vertical axis (first at the top), one coloured dot per round.
    """
    data = df[[x, group, value]].copy()
    data[value] = pd.to_numeric(data[value], errors="coerce").astype(float)
    data[group] = data[group].astype(str)
    names = list(dict.fromkeys(data[x]))
    pos = {n: len(names) - 1 - i for i, n in enumerate(names)}
    data["pos"] = data[x].map(pos).astype(float)
    span = data.dropna(subset=[value]).groupby("pos")[value].agg(["min", "max"]).reset_index()
    segs = hv.Segments((span["min"], span["pos"], span["max"], span["pos"]),
                       ["x0", "y0", "x1", "y1"])
    segs = _style(segs, {"color": "#999999"}, {"line_width": 3}, {"linewidth": 2.5})
    ticks = [(p, textwrap.shorten(n, 42)) for n, p in pos.items()]
    layers = [segs]
    for k, (rnd, sub) in enumerate(data.dropna(subset=[value]).groupby(group, sort=True)):
        colour = CATEGORICAL[k % len(CATEGORICAL)]
        pts = hv.Scatter(sub[[value, "pos", x]], value, ["pos", x], label=rnd)
        layers.append(_style(pts, {"color": colour}, {"size": 11, "tools": ["hover"]},
                             {"s": 70}))
    overlay = hv.Overlay(layers)
    return _style(overlay, {"title": title, "xlim": (0, 100),
                            "ylim": (-0.7, len(names) - 0.3), "yticks": ticks,
                            "xlabel": ylabel, "ylabel": xlabel, "show_legend": True},
                  {"width": 760, "height": 90 + 34 * len(names), "toolbar": None,
                   "legend_position": "right"},
                  {"fig_inches": (3.4, 1.3 + 0.3 * len(names)), "aspect": "auto",
                   "legend_position": "right"})
