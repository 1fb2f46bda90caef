"""Progress towards targets, status, share on track, and trends.

Progress (DevResults / results-based-management convention)::

    progress = (actual - baseline) / (target - baseline)

The formula respects direction by itself: for a "lower is better" indicator the target lies
below the baseline, so a fall in the actual gives positive progress. When ``target ==
baseline`` (a "maintain" target) progress is 1 if the actual is at least as good as the target
in the indicator's direction, else 0. Status compares progress with the framework's thresholds:
``progress >= on_track`` → on track, ``>= at_risk`` → at risk, otherwise off track, and
``no_data`` when the actual (or the target) is missing.

Above the municipality level, baselines and targets are aggregated with the indicator's own
rule, weighting each municipality's ratio target by its actual denominator (the implied
numerator ``target * denominator / factor`` is aggregated like a numerator), over the same
municipalities as the actual: those with both a target and an actual in that period.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..frameworks.indicators import IndicatorFramework, load_framework
from .indicators import (
    _ratio,
    aggregate_space,
    aggregate_time,
    compute_indicators,
    indicator_quarters,
    quarter_index,
)

__all__ = [
    "STATUSES",
    "STATUS_COLOURS",
    "compute_progress",
    "compute_trends",
    "progress_ratio",
    "share_on_track",
    "status_of",
]

#: Status categories in report order.
STATUSES: tuple[str, ...] = ("on_track", "at_risk", "off_track", "no_data")
#: The colour of each status, shared by the M&E figures (``socialkit.plots``) and the Excel
#: workbook, so a status reads the same everywhere.
STATUS_COLOURS: dict[str, str] = {
    "on_track": "#1a9850",
    "at_risk": "#fdae61",
    "off_track": "#d73027",
    "no_data": "#bdbdbd",
}
_KEYS = ["indicator_id", "municipality_id", "period", "sex", "age_group"]


def progress_ratio(actual, baseline, target, direction) -> np.ndarray:
    """Vectorised progress ``(actual - baseline) / (target - baseline)``.

    Parameters
    ----------
    actual, baseline, target : array-like of float
    direction : array-like of {"higher", "lower"}

    Returns
    -------
    numpy.ndarray
        Progress (1 = target reached); NaN where an input is missing.

    Examples
    --------
    >>> progress_ratio([60.0], [50.0], [70.0], ["higher"]).tolist()
    [0.5]
    >>> progress_ratio([90.0], [100.0], [80.0], ["lower"]).tolist()
    [0.5]
    """
    a = np.asarray(actual, dtype=float)
    b = np.asarray(baseline, dtype=float)
    t = np.asarray(target, dtype=float)
    higher = np.asarray(direction) == "higher"
    gap = t - b
    with np.errstate(divide="ignore", invalid="ignore"):
        p = (a - b) / gap
    achieved = np.where(higher, a >= t, a <= t)
    p = np.where(gap == 0, np.where(achieved, 1.0, 0.0), p)
    return np.where(np.isnan(a) | np.isnan(b) | np.isnan(t), np.nan, p)


def status_of(progress, on_track, at_risk) -> np.ndarray:
    """Status per progress value with the given thresholds (arrays or scalars).

    >>> status_of([1.2, 0.7, 0.1, float("nan")], 0.9, 0.6).tolist()
    ['on_track', 'at_risk', 'off_track', 'no_data']
    """
    p = np.asarray(progress, dtype=float)
    return np.select(
        [np.isnan(p), p >= on_track, p >= at_risk],
        ["no_data", "on_track", "at_risk"],
        default="off_track",
    ).astype(object)


def _split_targets(targets: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    t = targets[targets["kind"] == "target"][[*_KEYS, "value"]].rename(columns={"value": "target"})
    b = targets[targets["kind"] == "baseline"].sort_values("period", kind="stable")
    b = (b.groupby(["indicator_id", "municipality_id", "sex", "age_group"], observed=True)
         .agg(baseline=("value", "last"), baseline_period=("period", "last")).reset_index())
    return t, b


def compute_progress(
    values: pd.DataFrame,
    targets: pd.DataFrame,
    framework: IndicatorFramework | None = None,
    *,
    level: str = "municipality",
    municipalities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Actual against baseline and target, progress and status for every target record.

    Parameters
    ----------
    values, targets : DataFrame
        ``indicator_values`` and ``indicator_targets``.
    framework : IndicatorFramework, optional
    level : {"municipality", "district", "region", "programme"}
    municipalities : DataFrame, optional
        Needed above the municipality level.

    Returns
    -------
    DataFrame
        ``indicator_id, level, unit_id, period, sex, age_group, baseline, target, actual,
        numerator, denominator, progress, status, n_municipalities``.
    """
    framework = framework or load_framework()
    tgt, base = _split_targets(targets)
    tgt = tgt[tgt["indicator_id"].isin(framework.indicator_ids())]
    periods = sorted(tgt["period"].unique())
    quarters = indicator_quarters(values, framework)
    actual = aggregate_time(quarters, periods, framework).drop(columns="n_quarters")
    rows = tgt.merge(base, on=["indicator_id", "municipality_id", "sex", "age_group"], how="left")
    rows = rows.merge(actual, on=_KEYS, how="left")
    rows["actual"] = _ratio(rows, framework)
    info = {i.id: i for i in framework.indicators}
    if level != "municipality":
        rows = _aggregate_targets(rows, level, municipalities, framework)
    else:
        rows = rows.rename(columns={"municipality_id": "unit_id"})
        rows["n_municipalities"] = rows["actual"].notna().astype(int)
    direction = rows["indicator_id"].map({k: v.direction for k, v in info.items()})
    rows["progress"] = progress_ratio(rows["actual"], rows["baseline"], rows["target"], direction)
    on = rows["indicator_id"].map({k: framework.thresholds_for(k).on_track for k in info})
    risk = rows["indicator_id"].map({k: framework.thresholds_for(k).at_risk for k in info})
    rows["status"] = status_of(rows["progress"], on.to_numpy(float), risk.to_numpy(float))
    rows["level"] = level
    order = {i: k for k, i in enumerate(framework.indicator_ids())}
    rows = rows.sort_values(["indicator_id", "unit_id", "period", "sex", "age_group"],
                            key=lambda s: s.map(order) if s.name == "indicator_id" else s)
    cols = ["indicator_id", "level", "unit_id", "period", "sex", "age_group", "baseline",
            "target", "actual", "numerator", "denominator", "progress", "status",
            "n_municipalities"]
    return rows[cols].reset_index(drop=True)


def _aggregate_targets(rows, level, municipalities, framework) -> pd.DataFrame:
    factor = rows["indicator_id"].map({i.id: i.factor for i in framework.indicators})
    is_count = rows["indicator_id"].map(
        {i.id: i.denominator is None for i in framework.indicators}).astype(bool)
    ok = rows["actual"].notna() & rows["target"].notna() & rows["baseline"].notna()
    rows = rows[ok].copy()
    factor, is_count = factor[ok], is_count[ok]
    weight = rows["denominator"].where(~is_count, 1.0)
    rows["target_num"] = rows["target"] * weight / factor.where(~is_count, 1)
    rows["baseline_num"] = rows["baseline"] * weight / factor.where(~is_count, 1)
    cols = ("numerator", "denominator", "target_num", "baseline_num")
    agg = aggregate_space(rows[[*_KEYS, *cols]], level, municipalities, framework, columns=cols)
    agg["actual"] = _ratio(agg, framework)
    agg["target"] = _ratio(agg.assign(numerator=agg["target_num"]), framework)
    agg["baseline"] = _ratio(agg.assign(numerator=agg["baseline_num"]), framework)
    return agg


def share_on_track(progress: pd.DataFrame, by: list[str] | None = None) -> pd.DataFrame:
    """Share of indicators on track among those with a status other than ``no_data``.

    Parameters
    ----------
    progress : DataFrame
        Output of :func:`compute_progress` (only ``sex == age_group == "total"`` rows count).
    by : list of str
        Grouping (default ``["unit_id", "period"]``).

    Returns
    -------
    DataFrame
        ``by`` + one count column per status + ``n_assessed`` and ``share_on_track``.
    """
    by = by or ["unit_id", "period"]
    p = progress[(progress["sex"] == "total") & (progress["age_group"] == "total")]
    counts = pd.crosstab([p[c] for c in by], p["status"]).reindex(columns=list(STATUSES),
                                                                  fill_value=0)
    counts.columns.name = None
    counts["n_assessed"] = counts[["on_track", "at_risk", "off_track"]].sum(axis=1)
    counts["share_on_track"] = counts["on_track"] / counts["n_assessed"].where(
        counts["n_assessed"] > 0)
    return counts.reset_index()


def _trend(rel_slope: float, rel_change: float, sign: float, tol: float) -> str:
    """The trend word for a relative slope and first-to-latest change (see compute_trends).

    >>> _trend(0.005, 0.015, -1.0, 0.01)  # 5.95 -> 6.53 over 7 quarters, lower is better
    'worsening'
    >>> _trend(0.005, 0.002, 1.0, 0.01), _trend(0.03, -0.02, 1.0, 0.01)
    ('stable', 'uneven')
    """
    slope_beyond, change_beyond = abs(rel_slope) > tol, abs(rel_change) > tol
    if not slope_beyond and not change_beyond:
        return "stable"
    if slope_beyond and change_beyond and rel_slope * rel_change < 0:
        return "uneven"
    direction = rel_slope if slope_beyond else rel_change
    return "improving" if direction * sign > 0 else "worsening"


def compute_trends(
    values: pd.DataFrame,
    framework: IndicatorFramework | None = None,
    *,
    level: str = "municipality",
    municipalities: pd.DataFrame | None = None,
    series: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Quarterly trend of each indicator: least-squares slope and its reading.

    ``series`` is ``compute_indicators(values, framework, level=level, ...)`` when the caller
    has it already (a report computes it for its figures): not computed twice.

    Returns
    -------
    DataFrame
        ``indicator_id, unit_id, n_quarters, first, last, slope, relative_slope, trend`` with
        ``trend`` in ``improving``, ``stable``, ``worsening``, ``uneven`` (``no_data`` under 3
        quarters).

    Notes
    -----
    ``slope`` is the OLS slope of the value on the quarter number; ``relative_slope = slope /
    mean(|value|)``; ``relative_change = (last - first) / (n_quarters - 1) / mean(|value|)`` is
    the change per quarter between the first and the latest value, the two numbers a report
    prints beside the trend. With ``tol`` the framework's ``trend_stable_within``:

    * **stable** when both ``|relative_slope|`` and ``|relative_change|`` are at most ``tol``
      (so a report never calls "stable" a series whose printed first and latest values differ by
      more than ``tol`` per quarter);
    * otherwise the direction is the slope's when ``|relative_slope| > tol``, else the direction
      from the first to the latest value; **improving** when that direction agrees with the
      indicator's (up for "higher is better"), else **worsening**;
    * **uneven** when the slope and the first-to-latest change both exceed ``tol`` but point in
      opposite directions (the fitted trend contradicts the printed values).
    """
    framework = framework or load_framework()
    if series is None:
        series = compute_indicators(values, framework, level=level,
                                    municipalities=municipalities)
    series = series[series["value"].notna()].copy()
    series["q"] = series["period"].map(quarter_index).astype(float)
    rows = []
    tol = framework.trend_stable_within
    for (ind, unit), g in series.groupby(["indicator_id", "unit_id"], sort=False):
        g = g.sort_values("q")
        n = len(g)
        x, y = g["q"].to_numpy(), g["value"].to_numpy(float)
        if n >= 3:
            slope = float(np.polyfit(x, y, 1)[0])
            scale = float(np.mean(np.abs(y)))
            rel = slope / scale if scale > 0 else 0.0
            change = (y[-1] - y[0]) / (n - 1) / scale if scale > 0 else 0.0
            sign = 1.0 if framework.indicator(ind).direction == "higher" else -1.0
            trend = _trend(rel, change, sign, tol)
        else:
            slope = rel = np.nan
            trend = "no_data"
        rows.append((ind, unit, n, y[0] if n else np.nan, y[-1] if n else np.nan, slope, rel,
                     trend))
    return pd.DataFrame(rows, columns=["indicator_id", "unit_id", "n_quarters", "first", "last",
                                       "slope", "relative_slope", "trend"])
