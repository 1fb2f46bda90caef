"""Figures of the needs clustering: profile heatmap, validity per k, stability bars.

Each function takes the frames of a :class:`socialkit.needs.ClusterResult` (or the result
itself) and returns a HoloViews object with options for every loaded backend.
"""

from __future__ import annotations

import textwrap

import holoviews as hv
import numpy as np
import pandas as pd

from ..i18n import t
from .maturity import label_rows_as_drawn
from .theme import CATEGORICAL, DIVERGING, FONT_FAMILY, localised
from .theme import style as _style

__all__ = ["profile_heatmap", "stability_bars", "validity_curves"]

_INDICES = ("silhouette", "calinski_harabasz", "davies_bouldin", "gap", "bic")
_BANDS = ((0.6, "#d73027"), (0.75, "#fdae61"), (0.85, "#1a9850"))


def _cluster_labels(index, names: pd.Series | None, lang: str, width: int = 0) -> list[str]:
    out = []
    for c in index:
        text = t("needs.cluster_n", lang, n=c)
        if names is not None and c in names.index:
            text += f": {names[c]}"
        out.append(textwrap.fill(text, width) if width else text)
    return out


@localised
def profile_heatmap(profiles: pd.DataFrame, names: pd.Series | None = None, *,
                    lang: str = "en", title: str = "") -> hv.HeatMap:
    """Mean z-score of each variable (columns) per cluster (rows), diverging colours around 0.

    Parameters
    ----------
    profiles : DataFrame
        ``ClusterResult.profiles``.
    names : Series, optional
        Cluster names (:func:`socialkit.needs.display.cluster_names`) for the row labels.
    """
    from ..needs.display import variable_label

    rows = _cluster_labels(profiles.index, names, lang, width=40)
    long = pd.DataFrame({
        "cluster": np.repeat(rows, profiles.shape[1]),
        "variable": [textwrap.fill(variable_label(v, lang), 28)
                     for v in profiles.columns] * len(profiles),
        "z": profiles.to_numpy(dtype=float).ravel(),
    })
    lim = float(np.nanmax(np.abs(long["z"]))) if len(long) else 1.0
    lim = lim if lim > 0 else 1.0
    heat = hv.HeatMap(long, kdims=[hv.Dimension("variable", label=t("needs.variable", lang)),
                                   hv.Dimension("cluster", label=t("needs.cluster", lang))],
                      vdims=[hv.Dimension("z", label=t("needs.mean_z", lang))])
    return _style(heat, {"cmap": DIVERGING, "clim": (-lim, lim), "colorbar": True,
                         "title": title},
                  {"width": 720, "height": 120 + 40 * len(profiles), "tools": ["hover"],
                   "xrotation": 45},
                  _static_heatmap_layout(long["variable"].unique(), rows))


#: Static heat map: page width (inches; the PDF text width is ~170 mm), tick font size (pt),
#: width of the wrapped row labels (characters), line height and gap between labels (em).
_PAGE_IN, _TICK_PT, _ROW_WRAP, _LINE_EM, _GAP_EM = 6.6, 8.0, 30, 1.2, 0.5
#: Below this size (pt) the column labels are set on one line each instead of wrapped.
_MIN_WRAPPED_PT = 6.5


def _text_size(lines: list[str], size: float) -> tuple[float, float]:
    """Width and height (inches) of ``lines`` set in the figures' font at ``size`` pt."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(family=FONT_FAMILY, size=size)
    measure = TextToPath().get_text_width_height_descent
    width = max((measure(ln, prop, ismath=False)[0] for ln in lines if ln), default=0.0)
    return width / 72, len(lines) * _LINE_EM * size / 72


def _static_heatmap_layout(columns, rows) -> dict:
    """Matplotlib options of :func:`profile_heatmap`: upright column labels that fit.

    The variable names are long, so the column labels stand at 90°, the row labels are
    wrapped narrower, and the figure (at most the page's text width) keeps room for them,
    the axis labels, the title and the colour bar inside the figure; the SVG is cropped to
    its content, so spare margin costs nothing. When many columns would make neighbouring
    labels touch, the column font shrinks, and below :data:`_MIN_WRAPPED_PT` the labels are
    set on one line each. Only the Matplotlib figure is relabelled (a hook); the data and
    the Bokeh figure keep the wrapped names. No options when Matplotlib is not loaded.
    Each row is first named after the cluster whose values it shows
    (:func:`~socialkit.plots.maturity.label_rows_as_drawn`: HoloViews' Matplotlib heat map
    can name a row after another cluster, e.g. with ten clusters or more).
    """
    if "matplotlib" not in hv.Store.loaded_backends():
        return {}
    wrapped = {str(r): textwrap.fill(str(r).replace("\n", " "), _ROW_WRAP,
                                     break_on_hyphens=False) for r in rows}
    row_text = list(wrapped.values())
    row_w, _ = _text_size([ln for r in row_text for ln in r.split("\n")], _TICK_PT)
    row_h = max(r.count("\n") + 1 for r in row_text) * _LINE_EM * _TICK_PT / 72
    left = row_w + 0.5  # tick labels, axis label
    right = 1.0  # colour bar, its ticks and label
    col_pt = (_PAGE_IN - left - right) * 72 / max(len(columns), 1)  # width of a column

    def fit(lines: int) -> float:  # font size at which labels of ``lines`` lines fit
        return min(_TICK_PT, col_pt / (lines * _LINE_EM + _GAP_EM))

    col_lines = [str(c).split("\n") for c in columns] or [[""]]
    size = fit(max(len(c) for c in col_lines))
    one_line = {}
    if size < _MIN_WRAPPED_PT:  # many columns: labels on one line each (taller, narrower)
        one_line = {str(c): " ".join(str(c).split()) for c in columns}
        col_lines = [[c] for c in one_line.values()]
        size = fit(1)
    size = max(size, 5.0)
    col_w, _ = _text_size([ln for c in col_lines for ln in c], size)
    bottom = col_w + 0.5  # rotated tick labels, axis label
    top = 0.45  # title
    body = max(len(rows), 1) * max(0.45, row_h + 0.15)
    height = bottom + body + top

    def relabel(plot, element):  # the Bokeh figure keeps the data's labels
        ax = plot.handles["axis"]
        texts = [wrapped.get(lab.get_text(), lab.get_text()) for lab in ax.get_yticklabels()]
        ax.set_yticks(ax.get_yticks(), texts, fontsize=_TICK_PT)
        if one_line:
            texts = [one_line.get(lab.get_text(), lab.get_text())
                     for lab in ax.get_xticklabels()]
            ax.set_xticks(ax.get_xticks(), texts, fontsize=size, rotation=90)

    return {"fig_inches": (_PAGE_IN, height), "aspect": "auto", "xrotation": 90,
            "fig_bounds": (left / _PAGE_IN, bottom / height, 1 - right / _PAGE_IN,
                           1 - top / height),
            "fontsize": {"xticks": size, "yticks": _TICK_PT, "labels": 9, "title": 11,
                         "cticks": _TICK_PT},
            "show_values": False, "hooks": [label_rows_as_drawn, relabel]}


@localised
def validity_curves(validity: pd.DataFrame, chosen_k: int | None = None, *,
                    lang: str = "en") -> hv.Layout:
    """One small panel per validity index against k, the chosen k marked."""
    panels = []
    for col in _INDICES:
        if col not in validity.columns:
            continue
        s = validity[col].dropna()
        if s.empty:
            continue
        frame = pd.DataFrame({"k": s.index.astype(int), col: s.to_numpy(dtype=float)})
        kd = hv.Dimension("k", label=t("needs.k", lang))
        vd = hv.Dimension(col, label=t(f"needs.validity.{col}", lang))
        curve = hv.Curve(frame, kd, vd) * hv.Scatter(frame, kd, vd)
        if col == "gap" and "gap_se" in validity.columns:
            se = validity.loc[s.index, "gap_se"].to_numpy(dtype=float)
            curve = curve * hv.ErrorBars((frame["k"], frame[col], se), kd, [vd, "se"])
        if chosen_k is not None:
            curve = curve * hv.VLine(chosen_k)
        panels.append(_style(curve, {"title": t(f"needs.validity.{col}", lang)},
                             {"width": 330, "height": 230}, {"fig_inches": (4, 2.8)}))
    if not panels:
        raise ValueError("the validity table has no values to plot")
    layout = hv.Layout(panels).cols(2)
    return _style(layout, {}, {}, {})


@localised
def stability_bars(stability: pd.DataFrame, names: pd.Series | None = None, *,
                   lang: str = "en", title: str | None = None) -> hv.Overlay:
    """Mean bootstrap Jaccard per cluster, with the 0.6 / 0.75 / 0.85 reading lines."""
    labels = _cluster_labels(stability.index, names, lang)
    frame = pd.DataFrame({"cluster": labels,
                          "jaccard": stability["jaccard_mean"].to_numpy(dtype=float)})
    bars = hv.Bars(frame, hv.Dimension("cluster", label=t("needs.cluster", lang)),
                   hv.Dimension("jaccard", label=t("needs.stability.jaccard", lang),
                                range=(0, 1)))
    bars = _style(bars, {"color": CATEGORICAL[0], "xrotation": 30},
                  {"tools": ["hover"]}, {})
    lines = [_style(hv.HLine(y), {"color": colour}, {"line_dash": "dashed"},
                    {"linestyle": "--"}) for y, colour in _BANDS]
    obj = hv.Overlay([bars, *lines])
    return _style(obj, {"title": t("needs.stability.title", lang) if title is None else title},
                  {"width": 620, "height": 320}, {"fig_inches": (7, 3.5)})
