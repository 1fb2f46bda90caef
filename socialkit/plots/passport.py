"""Figures of the social passport: rates against the oblast and peers, age structure, facilities.

Each function takes a small tidy frame with display-ready labels (the caller localises them,
e.g. with :func:`socialkit.passport.display.comparison_frame`) and returns a HoloViews object
whose options are applied for every loaded backend (Bokeh interactive, Matplotlib static SVG).
"""

from __future__ import annotations

import textwrap

import holoviews as hv
import pandas as pd

from .theme import CATEGORICAL, localised
from .theme import style as _style

__all__ = ["demography_bars", "infrastructure_bars", "rates_comparison"]




@localised
def rates_comparison(df: pd.DataFrame, *, group: str = "group", area: str = "area",
                     value: str = "rate", title: str = "", value_label: str = "",
                     group_label: str = "", area_label: str = "", lang: str | None = None) -> hv.Overlay:
    """Dot plot: each group's rate in the municipality, the oblast and peers, one row a group.

    Parameters
    ----------
    df : DataFrame
        Long: one row per group × area with ``group`` and ``area`` labels and ``value``
        (missing or suppressed rates are left out of the drawing). Areas are drawn in order
        of first appearance, the first (the municipality) largest.
    title, value_label, group_label, area_label : str
        Display texts.

    Returns
    -------
    holoviews.Overlay
        One ``Points`` layer per area (legend entries), groups on the y axis.
    """
    data = df[[group, area, value]].copy()
    data[value] = pd.to_numeric(data[value], errors="coerce").astype(float)
    groups = list(dict.fromkeys(data[group]))
    pos = {g: len(groups) - 1 - i for i, g in enumerate(groups)}
    ticks = [(pos[g], textwrap.fill(str(g), 28)) for g in groups]
    xdim = hv.Dimension(value, label=value_label or value)
    ydim = hv.Dimension("y", label=group_label or group)
    layers = []
    for i, (name, part) in enumerate(data.groupby(area, sort=False)):
        part = part.dropna(subset=[value])
        pts = hv.Points({value: part[value].to_numpy(), "y": part[group].map(pos).to_numpy(),
                         area: part[area].to_numpy()}, [xdim, ydim], [area], label=str(name))
        colour = CATEGORICAL[i % len(CATEGORICAL)]
        big = i == 0
        layers.append(_style(pts, {"color": colour},
                             {"size": 14 if big else 10, "marker": "circle" if big else "diamond",
                              "tools": ["hover"]},
                             {"s": 90 if big else 55, "marker": "o" if big else "D"}))
    overlay = hv.Overlay(layers)
    n = len(groups)
    return _style(overlay, {"title": title, "yticks": ticks, "show_legend": True,
                            "ylim": (-0.6, n - 0.4), "show_grid": True},
                  {"height": 140 + 45 * n, "width": 720, "legend_position": "right"},
                  {"fig_inches": (3.6, 1.4 + 0.45 * n), "legend_position": "right"})


@localised
def demography_bars(df: pd.DataFrame, *, label: str = "age_group", value: str = "population",
                    title: str = "", value_label: str = "", label_label: str = "", lang: str | None = None) -> hv.Bars:
    """Bars of residents per age group (or any one categorical breakdown)."""
    data = df[[label, value]].copy()
    data[value] = pd.to_numeric(data[value], errors="coerce").astype(float)
    bars = hv.Bars(data, hv.Dimension(label, label=label_label or label),
                   hv.Dimension(value, label=value_label or value))
    return _style(bars, {"title": title, "color": CATEGORICAL[0]},
                  {"height": 300, "width": 500, "tools": ["hover"]},
                  {"fig_inches": (6, 3.5)})


@localised
def infrastructure_bars(df: pd.DataFrame, *, kind: str = "kind", status: str = "status",
                        value: str = "settlements", title: str = "", value_label: str = "",
                        kind_label: str = "", status_label: str = "", lang: str | None = None) -> hv.Bars:
    """Stacked horizontal bars: settlements with and without each facility kind.

    ``df`` is long: one row per kind × status (two status labels, e.g. "with"/"without").
    """
    data = df[[kind, status, value]].copy()
    data[value] = pd.to_numeric(data[value], errors="coerce").astype(float)
    bars = hv.Bars(data, [hv.Dimension(kind, label=kind_label or kind),
                          hv.Dimension(status, label=status_label or status)],
                   hv.Dimension(value, label=value_label or value))
    n = data[kind].nunique()
    colours = [CATEGORICAL[2], CATEGORICAL[5]]
    axis_label = kind_label or kind

    def _fix_label(plot, element):  # Matplotlib joins both key dimensions: keep the first
        ax = plot.handles["axis"]
        for get, set_ in ((ax.get_xlabel, ax.set_xlabel), (ax.get_ylabel, ax.set_ylabel)):
            if get().startswith(axis_label + ","):
                set_(axis_label)

    return _style(bars, {"stacked": True, "invert_axes": True, "title": title},
                  {"height": 120 + 45 * n, "width": 720, "tools": ["hover"],
                   "show_legend": True, "cmap": colours, "legend_position": "right"},
                  {"fig_inches": (6.8, 1.2 + 0.5 * n), "show_legend": True,
                   "legend_position": "right",
                   "color": hv.Cycle(colours), "hooks": [_fix_label]})
