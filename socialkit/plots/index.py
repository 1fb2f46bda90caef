"""Figures of the composite-index engine (:mod:`socialkit.index`).

Every function takes results (frames or result objects) and returns a HoloViews object whose
options are valid under the backend that is current when it is called (Bokeh or
Matplotlib, see :func:`socialkit.plots.setup`): options common to both are set always,
backend-specific ones only for the current backend. Labels go through :mod:`socialkit.i18n`.
"""

from __future__ import annotations

from typing import Any

import holoviews as hv
import numpy as np
import pandas as pd

from ..i18n import t
from .theme import CATEGORICAL, DIVERGING, localised

__all__ = [
    "correlation_heatmap",
    "framework_sunburst",
    "rank_bands",
    "sensitivity_bars",
    "treatment_distributions",
]


_NEUTRAL = ("#7f7f7f", "#a6a6a6", "#c8c8c8")
_PALETTE = [c for c in CATEGORICAL if c != "#000000"]


def _backend() -> str:
    return hv.Store.current_backend or "bokeh"


def _opts(obj: Any, common: dict | None = None, bokeh: dict | None = None,
          matplotlib: dict | None = None) -> Any:
    extra = {"bokeh": bokeh, "matplotlib": matplotlib}.get(_backend()) or {}
    return obj.opts(**(common or {}), **extra)


def _wedge(r0: float, r1: float, a0: float, a1: float, steps: int = 24) -> np.ndarray:
    ang = np.linspace(a0, a1, max(2, int(steps * (a1 - a0) / (2 * np.pi)) + 2))
    outer = np.column_stack([r1 * np.cos(ang), r1 * np.sin(ang)])
    inner = np.column_stack([r0 * np.cos(ang[::-1]), r0 * np.sin(ang[::-1])])
    return np.vstack([outer, inner, outer[:1]])


def framework_sunburst(framework: Any, weights: dict[str, float] | None = None,
                       lang: str = "en", labels_to_level: int = 2) -> hv.Overlay:
    """Sunburst of the index tree: the top aggregate in the centre, indicators outside.

    Angles are effective weights: each child's share of its parent's angle is its weight
    divided by the weights of its siblings. Each Level-2 aggregate (pillar) and everything
    under it has its own colour; higher levels are grey.

    Parameters
    ----------
    framework : Framework or IndexResult
        The tree (``res.framework``) — an ``IndexResult`` also supplies its weights.
    weights : dict, optional
        ``{iCode: weight}`` (default: the result's or iMeta weights).
    labels_to_level : int
        Rings at this level and above carry text labels (indicators are many).
    """
    fw = getattr(framework, "framework", None) or framework
    weights = weights or getattr(framework, "weights", None) or fw.weight
    top = fw.n_levels
    rows, labels = [], []
    roots = list(fw.levels[top])

    def walk(code: str, a0: float, a1: float, branch: int) -> None:
        lev = next(lv for lv, cs in fw.levels.items() if code in cs)
        ring = top - lev
        r0, r1 = (0.0, 1.0) if ring == 0 else (float(ring), float(ring + 1))
        colour = (_PALETTE[branch % len(_PALETTE)] if branch >= 0 else _NEUTRAL[
            (top - lev) % len(_NEUTRAL)])
        rows.append({("x", "y"): _wedge(r0, r1, a0, a1), "iCode": code,
                     "name": fw.names.get(code, code), "level": lev,
                     "colour": colour, "share": (a1 - a0) / (2 * np.pi)})
        if lev >= labels_to_level:
            mid, rad = (a0 + a1) / 2, (r0 + r1) / 2 if ring else 0.0
            labels.append((rad * np.cos(mid), rad * np.sin(mid), code))
        kids = fw.children.get(code, ())
        w = np.array([max(weights.get(k, 1.0), 0.0) for k in kids])
        if not len(kids) or w.sum() == 0:
            return
        edges = a0 + np.concatenate([[0], np.cumsum(w / w.sum())]) * (a1 - a0)
        for i, k in enumerate(kids):
            if branch >= 0:
                child_branch = branch
            elif lev - 1 == pillar_level:
                child_branch = next(counter)
            else:
                child_branch = -1
            walk(k, edges[i], edges[i + 1], child_branch)

    pillar_level = 2 if top >= 3 else 1
    counter = iter(range(10**6))
    span = 2 * np.pi / len(roots)
    for i, root in enumerate(roots):
        walk(root, i * span, (i + 1) * span, -1 if top > pillar_level else next(counter))
    poly = hv.Polygons(rows, vdims=["iCode", "name", "level", "colour", "share"],
                       label=t("index.plots.framework", lang))
    poly = _opts(poly, {"color": "colour", "xaxis": None, "yaxis": None, "aspect": "equal", "alpha": 0.9,
                        "title": t("index.plots.framework", lang)},
                 bokeh={"line_color": "white", "tools": ["hover"], "width": 520,
                        "height": 520},
                 matplotlib={"edgecolor": "white", "fig_size": 180})
    text = hv.Labels(labels, kdims=["x", "y"], vdims=["label"])
    text = _opts(text, bokeh={"text_font_size": "8pt", "text_color": "black"},
                 matplotlib={"size": 7, "color": "black"})
    return poly * text


@localised
def treatment_distributions(res: Any, icode: str, lang: str = "en",
                            bins: int = 20) -> hv.Overlay:
    """Histograms of one indicator before and after the ``treat`` step.

    "Before" is the stage that fed ``treat`` (or the raw data), "after" the treated values.
    """
    if "treated" not in res.stages:
        raise ValueError("the result has no 'treated' stage (the spec has no treat step)")
    names = list(res.stages)
    i = names.index("treated")
    before = res.stages[names[i - 1]] if i > 0 else res.data
    after = res.stages["treated"]
    xb = before[icode].to_numpy(float)
    xa = after[icode].to_numpy(float)
    xb, xa = xb[~np.isnan(xb)], xa[~np.isnan(xa)]
    name = res.framework.names.get(icode, icode)
    hb = hv.Histogram(np.histogram(xb, bins=bins), kdims=[t("index.plots.value", lang)],
                      label=t("index.plots.before", lang))
    ha = hv.Histogram(np.histogram(xa, bins=bins), kdims=[t("index.plots.value", lang)],
                      label=t("index.plots.after", lang))
    hb = _opts(hb, {"color": CATEGORICAL[0], "alpha": 0.5})
    ha = _opts(ha, {"color": CATEGORICAL[1], "alpha": 0.5})
    title = t("index.plots.distribution", lang, name=name)
    return _opts(hb * ha, {"title": title}, bokeh={"width": 520, "height": 320,
                                                   "legend_position": "top_right"})


@localised
def correlation_heatmap(matrix: pd.DataFrame, lang: str = "en") -> hv.HeatMap:
    """Heat map of a square correlation matrix (e.g. from ``analysis.correlation_matrix``)."""
    long = matrix.rename_axis("var1").reset_index().melt(id_vars="var1", var_name="var2",
                                                         value_name="r")
    hm = hv.HeatMap(long, kdims=["var1", "var2"], vdims=["r"],
                    label=t("index.plots.correlations", lang))
    return _opts(hm, {"cmap": DIVERGING, "clim": (-1, 1), "colorbar": True, "xrotation": 90,
                      "xlabel": "", "ylabel": "", "title": t("index.plots.correlations", lang),
                      "invert_yaxis": True},
                 bokeh={"tools": ["hover"], "width": 560, "height": 520},
                 matplotlib={"fig_size": 200})


@localised
def rank_bands(summary: pd.DataFrame, lang: str = "en", top: int | None = None) -> hv.Overlay:
    """Median rank and 5–95 % band per unit (units ordered by nominal rank).

    ``summary`` is ``UncertaintyResult.summary``.
    """
    s = summary.sort_values(["nominal_rank", "uCode"]).reset_index(drop=True)
    if top is not None:
        s = s.head(top)
    x = np.arange(1, len(s) + 1)
    ybar = t("index.plots.rank", lang)
    err = hv.ErrorBars((x, s["median_rank"], s["median_rank"] - s["q05_rank"],
                        s["q95_rank"] - s["median_rank"]),
                       kdims=[t("index.plots.unit", lang)], vdims=[ybar, "neg", "pos"],
                       label=t("index.plots.band", lang))
    med = hv.Scatter((x, s["median_rank"]), kdims=[t("index.plots.unit", lang)], vdims=[ybar],
                     label=t("index.plots.median_rank", lang))
    nom = hv.Scatter((x, s["nominal_rank"]), kdims=[t("index.plots.unit", lang)], vdims=[ybar],
                     label=t("index.plots.nominal_rank", lang))
    err = _opts(err, {"color": "grey"})
    med = _opts(med, {"color": CATEGORICAL[0]}, bokeh={"size": 7}, matplotlib={"s": 25})
    nom = _opts(nom, {"color": CATEGORICAL[5]}, bokeh={"size": 7, "marker": "diamond"},
                matplotlib={"s": 25, "marker": "D"})
    ticks = list(zip(x.tolist(), s["uCode"].tolist(), strict=True))
    return _opts(err * med * nom, {"xticks": ticks, "xrotation": 90, "invert_yaxis": True,
                                   "title": t("index.plots.rank_bands", lang)},
                 bokeh={"width": 720, "height": 360, "legend_position": "top_left"},
                 matplotlib={"fig_size": 220})


@localised
def sensitivity_bars(indices: pd.DataFrame, lang: str = "en") -> hv.Overlay:
    """First-order and total sensitivity indices per input with 5–95 % bootstrap bars."""
    first, total = t("index.plots.first_order", lang), t("index.plots.total", lang)
    inp = t("index.plots.input", lang)
    rows = []
    for _, r in indices.iterrows():
        rows.append((r["input"], first, max(r["Si"], 0.0)))
        rows.append((r["input"], total, max(r["STi"], 0.0)))
    bars = hv.Bars(rows, kdims=[inp, "kind"], vdims=[t("index.plots.sensitivity", lang)])
    bars = _opts(bars, {"ylim": (0, 1.05), "title": t("index.plots.sensitivity", lang)},
                 bokeh={"color": "kind", "cmap": CATEGORICAL[:2], "width": 520, "height": 320,
                        "tools": ["hover"]},
                 matplotlib={"color": hv.Cycle(CATEGORICAL[:2])})
    return bars
