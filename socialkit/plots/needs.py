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
from .theme import CATEGORICAL, DIVERGING
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


def profile_heatmap(profiles: pd.DataFrame, names: pd.Series | None = None, *,
                    lang: str = "en", title: str = "") -> hv.HeatMap:
    """Mean z-score of each variable (columns) per cluster (rows), diverging colours around 0.

    Parameters
    ----------
    profiles : DataFrame
        ``ClusterResult.profiles``.
    names : Series, optional
        Cluster names (``ClusterResult.names[lang]``) for the row labels.
    """
    from ..needs.profiles import variable_label

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
                         "title": title, "xrotation": 45},
                  {"width": 720, "height": 120 + 40 * len(profiles), "tools": ["hover"]},
                  {"fig_inches": (10, 2 + 0.6 * len(profiles)), "show_values": False})


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
