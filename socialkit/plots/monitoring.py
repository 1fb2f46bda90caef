"""M&E figures: progress bars, status matrix, trends with targets, disaggregation, scorecards.

Every function takes frames produced by :mod:`socialkit.monitoring` and returns a HoloViews
object whose options work under both the Bokeh and the Matplotlib backends. Text goes through
:func:`socialkit.i18n.t`.
"""

from __future__ import annotations

import textwrap

import holoviews as hv
import numpy as np
import pandas as pd

from ..frameworks.indicators import IndicatorFramework, load_framework
from ..frameworks.rubric import Rubric, load_rubric
from ..i18n import format_percent, format_period, t
from ..monitoring.indicators import quarter_index
from ..monitoring.progress import STATUSES
from .theme import CATEGORICAL, STATUS_COLOURS, localised

__all__ = [
    "disaggregation_bars",
    "progress_bars",
    "ranking_chart",
    "scorecard_radar",
    "status_matrix",
    "trend_chart",
    "trend_layout",
]


def _style(obj, bokeh: dict | None = None, mpl: dict | None = None, **common):
    """Apply ``common`` options plus backend-specific ones for every loaded backend.

    Options set with ``.opts()`` only reach the *current* backend; a figure must look right
    whichever backend renders it (interactive Bokeh or static Matplotlib SVG).
    """
    extra = {"bokeh": bokeh or {}, "matplotlib": mpl or {}}
    loaded = hv.Store.loaded_backends() or [hv.Store.current_backend]
    for backend in loaded:
        if backend in extra:
            obj = obj.opts(**common, **extra[backend], backend=backend)
    return obj


def _line(colour: str, dashed: bool = False, width: float = 1.0) -> dict:
    return {"bokeh": {"line_dash": "dashed" if dashed else "solid", "line_width": width},
            "mpl": {"linestyle": "--" if dashed else "-", "linewidth": width}, "color": colour}


def _label(framework: IndicatorFramework, indicator_id: str, lang: str, width: int = 45) -> str:
    text = framework.indicator(indicator_id).label(lang)
    return text if len(text) <= width else text[: width - 1] + "…"


def _wrap(text: str, width: int) -> str:
    """A label on as many lines as it needs (never cut short with "…")."""
    return textwrap.fill(text, width, break_long_words=False)


#: Progress axis of :func:`progress_bars`; bars beyond it end at its edge with a marker.
_PROGRESS_AXIS = (-0.5, 1.5)


def progress_bars(progress: pd.DataFrame, lang: str = "en",
                  framework: IndicatorFramework | None = None) -> hv.Overlay:
    """Horizontal bars of progress per indicator, coloured by status; the target is at 1.

    Bars are drawn as thick segments (HoloViews' Matplotlib ``Bars`` cannot colour bars one
    by one) on a progress axis from -50 % to 150 %; a bar beyond it ends at the edge with a
    triangle. Every bar's progress is printed in a column on the right, so a value beyond the
    axis (e.g. -866 %) is still read. The target and the two status thresholds are vertical
    lines named in the legend.

    Parameters
    ----------
    progress : DataFrame
        Rows of :func:`~socialkit.monitoring.compute_progress` for one unit and one period
        (totals only are drawn).
    """
    framework = framework or load_framework()
    lo, hi = _PROGRESS_AXIS
    p = progress[(progress["sex"] == "total") & (progress["age_group"] == "total")]
    p = p.iloc[::-1].reset_index(drop=True)  # first indicator on top
    p = p.assign(
        y=np.arange(len(p), dtype=float), x0=0.0,
        x1=p["progress"].clip(lo, hi).fillna(0.0),
        colour=p["status"].map(STATUS_COLOURS),
        status_label=p["status"].map(lambda s: t(f"monitoring.status.{s}", lang)),
        indicator=[framework.indicator(i).label(lang) for i in p["indicator_id"]],
        progress_text=[format_percent(v, lang) if pd.notna(v) else "–" for v in p["progress"]],
    )
    ticks = [(float(y), _wrap(label, 46)) for y, label in zip(p["y"], p["indicator"],
                                                               strict=True)]
    period = p["period"].iloc[0] if len(p) else ""
    xd = ("x0", t("monitoring.axis.progress", lang, full=format_percent(1.0, lang)))
    yd = ("y", t("monitoring.col.indicator", lang))
    top = len(p) - 0.3
    bars = hv.Segments(p, kdims=[xd, yd, "x1", "y"],
                       vdims=["colour", "status_label", "indicator", "progress_text"])
    tips = [(t("monitoring.col.indicator", lang), "@indicator"),
            (t("monitoring.col.progress", lang), "@progress_text"),
            (t("monitoring.col.status", lang), "@status_label")]
    value_x = hi + 0.1
    xticks = [(v, format_percent(v, lang)) for v in np.arange(lo, hi + 0.01, 0.5)]
    bars = _style(bars, color=hv.dim("colour"), yticks=ticks, xticks=xticks,
                  xlim=(lo - 0.05, hi + 0.45),
                  ylim=(-0.7, top),
                  bokeh={"line_width": 14, "tools": ["hover"], "hover_tooltips": tips,
                         "width": 760, "height": 90 + 30 * len(p)},
                  mpl={"linewidth": 8})
    values = _style(hv.Labels({"x": [value_x] * len(p), "y": p["y"], "text": p["progress_text"]},
                              ["x", "y"], "text"),
                    bokeh={"text_font_size": "8pt", "text_align": "left"},
                    mpl={"fontsize": 7.5, "horizontalalignment": "left", "color": "black"})
    beyond = p[(p["progress"] < lo) | (p["progress"] > hi)]
    marks = _style(hv.Scatter({"x": beyond["x1"], "y": beyond["y"]}, "x", "y",
                              label=_wrap(t("figures.monitoring.beyond_axis", lang), 22)),
                   color="black", bokeh={"size": 9, "marker": "triangle"},
                   mpl={"s": 40, "marker": "D"})
    thresholds = framework.status_thresholds

    def vline(x: float, key: str, colour: str, dashed: bool, width: float = 1.2):
        label = _wrap(t(f"figures.monitoring.{key}", lang, value=format_percent(x, lang)), 22)
        return _style(hv.Curve([(x, -0.7), (x, top)], label=label),
                      **_line(colour, dashed, width))

    lines = (vline(1.0, "target_reached", "black", False, 1.5)
             * vline(thresholds.on_track, "on_track_from", STATUS_COLOURS["on_track"], True)
             * vline(thresholds.at_risk, "at_risk_from", STATUS_COLOURS["at_risk"], True))
    overlay = bars * lines * values
    if len(beyond):
        overlay = overlay * marks
    return _style(overlay, show_legend=True,
                  title=t("monitoring.title.progress", lang, period=period),
                  bokeh={"legend_position": "bottom"},
                  mpl={"legend_position": "bottom", "legend_cols": 1,
                       "fig_inches": (4.6, 1.4 + 0.4 * len(p)),
                       "aspect": "auto",
                       "fontsize": {"yticks": 7.5, "xticks": 8, "xlabel": 8, "ylabel": 8,
                                    "title": 10, "legend": 7.5}})


def status_matrix(progress: pd.DataFrame, lang: str = "en",
                  framework: IndicatorFramework | None = None,
                  unit_names: dict[str, str] | None = None) -> hv.HeatMap:
    """A units × indicators grid coloured by status (one period, totals).

    Parameters
    ----------
    unit_names : dict, optional
        Display names of the units (e.g. municipality names); default the ids.
    """
    framework = framework or load_framework()
    p = progress[(progress["sex"] == "total") & (progress["age_group"] == "total")].copy()
    codes = {s: k for k, s in enumerate(STATUSES)}
    p["code"] = p["status"].map(codes).astype(float)
    p["indicator"] = [_label(framework, i, lang, 30) for i in p["indicator_id"]]
    p["unit"] = [(unit_names or {}).get(u, u) for u in p["unit_id"]]
    p["status_label"] = p["status"].map(lambda s: t(f"monitoring.status.{s}", lang))
    period = p["period"].iloc[0] if len(p) else ""
    heat = hv.HeatMap(p, kdims=[("indicator", t("monitoring.col.indicator", lang)),
                                ("unit", t("monitoring.col.unit", lang))],
                      vdims=[("code", t("monitoring.col.status", lang)), "status_label"])
    return _style(heat, cmap=[STATUS_COLOURS[s] for s in STATUSES],
                  clim=(-0.5, len(STATUSES) - 0.5), colorbar=False, xrotation=60,
                  title=t("monitoring.title.status_matrix", lang, period=period),
                  bokeh={"tools": ["hover"], "width": 800, "height": 450},
                  mpl={"show_values": False, "fig_inches": (6.8, 5)})


def _x(period: str) -> float:
    """A quarter or a year as a decimal year (quarters at their middle, years at Q4)."""
    if len(period) == 4:
        return int(period) + 0.875
    q = quarter_index(period)
    return q / 4 + 0.125


def _to_date(s: pd.DataFrame, framework: IndicatorFramework, indicator_id: str) -> pd.Series:
    """Each quarter's value over the year so far (or since the programme began, for a
    cumulative indicator), with the indicator's time rule: numerator and denominator summed
    (``sum``) or averaged (``average``) over the quarters to date, then divided — the value
    an annual target is compared with at the end of the year."""
    ind = framework.indicator(indicator_id)
    group = (pd.Series("all", index=s.index) if ind.target_type == "cumulative"
             else s["period"].str[:4])
    if ind.aggregation.time == "average":
        num = s.groupby(group)["numerator"].transform(lambda v: v.expanding().mean())
        den = s.groupby(group)["denominator"].transform(lambda v: v.expanding().mean())
    else:
        num = s.groupby(group)["numerator"].cumsum()
        den = s.groupby(group)["denominator"].cumsum()
    factor = ind.factor or 1.0
    return (factor * num / den).where(s["denominator"].notna(), factor * num)


@localised
def trend_chart(series: pd.DataFrame, targets: pd.DataFrame, indicator_id: str,
                lang: str = "en", framework: IndicatorFramework | None = None) -> hv.Overlay:
    """One indicator by quarter, with its baseline and annual targets, on its own axis.

    An annual target is compared with a value of its own period: for an indicator whose
    quarters add up over the year (time rule ``sum`` or ``average``) the chart draws the value
    *to date* (year to date, or since the programme began for a cumulative target), which at
    the year's last quarter is the annual value; the quarterly values are drawn too, thinner.
    For a ``last`` indicator the annual value is the last quarter's, so the quarterly values
    are the comparison. Targets sit at the last quarter of their year.

    Parameters
    ----------
    series : DataFrame
        :func:`~socialkit.monitoring.compute_indicators` by quarter for one unit.
    targets : DataFrame
        Its ``indicator_targets`` rows (or progress rows with ``baseline``/``target``).
    """
    framework = framework or load_framework()
    ind = framework.indicator(indicator_id)
    s = series[(series["indicator_id"] == indicator_id) & (series["sex"] == "total")
               & (series["age_group"] == "total")].copy()
    s["x"] = s["period"].map(_x)
    s = s.sort_values("x")
    value = ("value", t("monitoring.axis.value", lang))
    xdim = ("x", t("monitoring.axis.quarter", lang))
    to_date = ind.aggregation.time != "last"
    layers = []
    quarterly = hv.Curve(s, kdims=[xdim], vdims=[value],
                         label=t("figures.monitoring.quarterly", lang))
    if to_date:
        layers.append(_style(quarterly, **_line(CATEGORICAL[7], width=1)))
        s["to_date"] = _to_date(s, framework, indicator_id)
        key = "cumulative" if ind.target_type == "cumulative" else "year_to_date"
        layers.append(_style(hv.Curve(s, kdims=[xdim], vdims=[("to_date", value[1])],
                                      label=t(f"figures.monitoring.{key}", lang)),
                             **_line(CATEGORICAL[0], width=2)))
        layers.append(_style(hv.Scatter(s, kdims=[xdim], vdims=[("to_date", value[1])]),
                             color=CATEGORICAL[0], bokeh={"size": 6}, mpl={"s": 25}))
    else:
        layers.append(_style(quarterly, **_line(CATEGORICAL[0], width=2)))
        layers.append(_style(hv.Scatter(s, kdims=[xdim], vdims=[value]), color=CATEGORICAL[0],
                             bokeh={"size": 6}, mpl={"s": 25}))
    tg = targets[(targets["indicator_id"] == indicator_id) & (targets["sex"] == "total")
                 & (targets["age_group"] == "total")]
    tgt = tg[tg["kind"] == "target"].assign(x=lambda f: f["period"].map(_x))
    layers.append(_style(hv.Scatter(tgt, kdims=[xdim], vdims=[value],
                                    label=t("figures.monitoring.annual_target", lang)),
                         color=CATEGORICAL[1], bokeh={"size": 10, "marker": "diamond"},
                         mpl={"s": 60, "marker": "D"}))
    xs = sorted(set(s["x"]) | set(tgt["x"]))
    xlim = (min(xs) - 0.2, max(xs) + 0.2) if xs else None
    base = tg.loc[tg["kind"] == "baseline", ["period", "value"]]
    if len(base) and xlim:
        level = float(base["value"].iloc[-1])
        period_text = format_period(base["period"].iloc[-1], lang)
        label = f"{t('figures.monitoring.baseline', lang)} ({period_text})"
        layers.append(_style(hv.Curve([(xlim[0], level), (xlim[1], level)], kdims=[xdim],
                                      vdims=[value], label=label), **_line("grey", True)))
    ticks = [(x, format_period(p, lang)) for x, p in zip(s["x"], s["period"], strict=True)]
    title = _wrap(t("monitoring.title.trend", lang, indicator=ind.label(lang)), 70)
    return _style(hv.Overlay(layers), title=title, legend_position="right", xticks=ticks,
                  xrotation=45, xlim=xlim, show_legend=True,
                  bokeh={"width": 700, "height": 350},
                  mpl={"fig_inches": (5.4, 2.6), "aspect": "auto",
                       "fontsize": {"title": 9.5, "legend": 7.5, "xticks": 7.5, "yticks": 7.5,
                                    "xlabel": 8, "ylabel": 8}})


@localised
def disaggregation_bars(table: pd.DataFrame, indicator_id: str, period: str, lang: str = "en",
                        framework: IndicatorFramework | None = None) -> hv.Bars | hv.Text:
    """Grouped bars of an indicator by age group and sex (suppressed cells left empty).

    Without any reported cell, a "no data" note with the same title.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`~socialkit.monitoring.disaggregation_table` for one unit.
    """
    framework = framework or load_framework()
    d = table[(table["sex"] != "total")].copy()
    if (d["age_group"] != "total").any():
        d = d[d["age_group"] != "total"]
    d["sex_label"] = d["sex"].map(lambda s: t(f"monitoring.sex.{s}", lang))
    d["age_label"] = d["age_group"].map(lambda a: t(f"monitoring.age_group.{a}", lang))
    d["value"] = d["value"].astype(float)
    bars = hv.Bars(d, kdims=[("age_label", t("monitoring.col.age_group", lang)),
                             ("sex_label", t("monitoring.col.sex", lang))],
                   vdims=[("value", t("monitoring.axis.value", lang))])
    title = _wrap(t("monitoring.title.disaggregation", lang,
                    indicator=framework.indicator(indicator_id).label(lang), period=period), 60)
    if d.empty:  # nothing reported: a titled "no data" note rather than an error
        return _style(hv.Text(0.5, 0.5, t("monitoring.status.no_data", lang)), title=title,
                      xaxis=None, yaxis=None)
    colours = hv.dim("sex_label").categorize(
        {t("monitoring.sex.female", lang): CATEGORICAL[3],
         t("monitoring.sex.male", lang): CATEGORICAL[0]}, default=CATEGORICAL[7])
    # the sex of each bar in a legend, not under it (two labels per group ran together)
    return _style(bars, title=title, color=colours, bokeh={"width": 600, "height": 350},
                  mpl={"fig_inches": (6.2, 3.4), "aspect": "auto", "multi_level": False,
                       "show_legend": True, "legend_position": "right",
                       "fontsize": {"title": 10, "legend": 8, "xticks": 8, "yticks": 8,
                                    "xlabel": 8.5, "ylabel": 8.5}})


def scorecard_radar(standards: pd.DataFrame, service_id: str, lang: str = "en",
                    rubric: Rubric | None = None, title: str | None = None) -> hv.Overlay:
    """Radar of a service's standard scores against the average of all services.

    Parameters
    ----------
    standards : DataFrame
        ``Scorecard.standards`` (service_id, standard_id, score).
    """
    rubric = rubric or load_rubric()
    ids = [s.id for s in rubric.standards]
    names = {s.id: s.name.get(lang) for s in rubric.standards}
    lo, hi = rubric.scale.min, rubric.scale.max
    angle = np.pi / 2 - 2 * np.pi * np.arange(len(ids)) / len(ids)

    def ring(r: np.ndarray) -> np.ndarray:
        xy = np.column_stack([r * np.cos(angle), r * np.sin(angle)])
        return np.vstack([xy, xy[:1]])

    mean = standards.groupby("standard_id")["score"].mean().reindex(ids)
    own = standards[standards["service_id"] == service_id].set_index("standard_id")["score"]
    own = own.reindex(ids)
    scale = lambda v: ((v - lo) / (hi - lo)).fillna(0.0).to_numpy()  # noqa: E731
    rings = [ring(np.full(len(ids), r)) for r in (0.25, 0.5, 0.75, 1.0)]
    spokes = [np.array([[0, 0], [np.cos(a), np.sin(a)]]) for a in angle]
    grid = _style(hv.Path(rings + spokes), **_line("lightgrey"))
    avg = _style(hv.Path([ring(scale(mean))]), **_line(CATEGORICAL[7], True, 1.5))
    mine = _style(hv.Polygons([{"x": ring(scale(own))[:, 0], "y": ring(scale(own))[:, 1]}]),
                  color=CATEGORICAL[0], alpha=0.35,
                  bokeh={"line_color": CATEGORICAL[0]}, mpl={"edgecolor": CATEGORICAL[0]})
    labels = _style(hv.Labels({"x": 1.15 * np.cos(angle), "y": 1.1 * np.sin(angle),
                               "text": [names[i] for i in ids]}, kdims=["x", "y"],
                              vdims=["text"]),
                    bokeh={"text_font_size": "9pt"}, mpl={"size": 8})
    title = title or t("monitoring.title.radar", lang, service=service_id)
    return _style((grid * avg * mine * labels).redim.range(x=(-2.0, 2.0), y=(-1.3, 1.3)),
                  title=title, xaxis=None, yaxis=None, show_legend=False,
                  bokeh={"width": 520, "height": 420}, mpl={"fig_inches": (6, 5)})


@localised
def ranking_chart(totals: pd.DataFrame, lang: str = "en",
                  names: dict[str, str] | None = None, horizontal: bool = False) -> hv.Overlay:
    """Service scores (0–100) in rank order with their bootstrap intervals.

    Parameters
    ----------
    totals : DataFrame
        ``Scorecard.totals``.
    names : dict, optional
        Display names of the services.
    horizontal : bool
        Services down the side (rank 1 on top), one row each, so every name reads at full
        length (the dashboard); else along the bottom (the printed report).
    """
    d = totals.sort_values("rank").copy()
    d["service"] = [(names or {}).get(i, i) for i in d["service_id"]]
    d["neg"] = d["score_pct"] - d["ci_low"]
    d["pos"] = d["ci_high"] - d["score_pct"]
    kd = [("service", t("monitoring.col.service", lang))]
    vd = ("score_pct", t("monitoring.axis.score", lang))
    title = t("monitoring.title.ranking", lang)
    if horizontal:  # a categorical axis lists its first factor at the bottom
        d = d.iloc[::-1]
        err = _style(hv.ErrorBars(d, kdims=[vd], vdims=[*kd, "neg", "pos"], horizontal=True),
                     color="black")
        pts = _style(hv.Scatter(d, kdims=[vd], vdims=kd), color=CATEGORICAL[0],
                     bokeh={"size": 9}, mpl={"s": 50})
        return _style(err * pts, title=title,
                      bokeh={"width": 700, "height": 110 + 30 * len(d)},
                      mpl={"fig_inches": (6.8, 1 + 0.3 * len(d))})
    err = _style(hv.ErrorBars(d, kdims=kd, vdims=[vd, "neg", "pos"]), color="black")
    pts = _style(hv.Scatter(d, kdims=kd, vdims=[vd]), color=CATEGORICAL[0],
                 bokeh={"size": 9}, mpl={"s": 50})
    return _style(err * pts, title=title, xrotation=45,
                  bokeh={"width": 700, "height": 380}, mpl={"fig_inches": (6.8, 4)})


def trend_layout(series: pd.DataFrame, targets: pd.DataFrame, indicator_ids, lang: str = "en",
                 framework: IndicatorFramework | None = None) -> hv.Layout | None:
    """:func:`trend_chart` for several indicators, one under the other (None if none)."""
    figures = [trend_chart(series, targets, i, lang, framework) for i in indicator_ids]
    if not figures:
        return None
    # each indicator on its own y axis (a percentage and a count never share one); no
    # panel letters printed over the titles; room for the quarter labels above the next title
    return _style(hv.Layout(figures).cols(1), shared_axes=False,
                  mpl={"sublabel_format": "", "vspace": 0.8,
                       "fig_inches": (5.2, 2.6 * len(figures))})
