"""Report-ready tables: disaggregations with small-cell protection, and localised tables.

The notebooks call these and only display the result; numbers are formatted for the report's
language with :mod:`socialkit.i18n`, column names and categories translated with ``t()``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from ..disclosure import suppress_counts
from ..i18n import format_number, format_percent, t
from .framework import IndicatorFramework, load_framework
from .indicators import compute_indicators

__all__ = [
    "disaggregation_table",
    "localise",
    "localise_progress",
]

_TOTALS = {"sex": "total", "age_group": "total"}


def disaggregation_table(
    values: pd.DataFrame,
    indicator_id: str,
    period: str,
    framework: IndicatorFramework | None = None,
    *,
    level: str = "municipality",
    municipalities: pd.DataFrame | None = None,
    threshold: int | None = None,
) -> pd.DataFrame:
    """An indicator by sex × age group (with totals), small cells suppressed.

    Parameters
    ----------
    values : DataFrame
        ``indicator_values``.
    indicator_id : str
        An indicator with disaggregations.
    period : str
        A year or a quarter.
    level, municipalities
        As in :func:`~socialkit.monitoring.compute_indicators`.
    threshold : int, optional
        Small-cell threshold (default :func:`socialkit.config.suppress_below`).

    Returns
    -------
    DataFrame
        ``unit_id, sex, age_group, numerator, denominator, value, suppressed``: numerator and
        denominator counts are suppressed (primary and secondary, per unit) and the rate is
        withheld when either of its counts is suppressed.
    """
    framework = framework or load_framework()
    ind = framework.indicator(indicator_id)
    frame = compute_indicators(values, framework, periods=[period], level=level,
                               municipalities=municipalities, cells="all")
    frame = frame[frame["indicator_id"] == indicator_id].drop(
        columns=["indicator_id", "period", "n_municipalities"])
    dims = [d for d in ("sex", "age_group") if d in ind.disaggregations]
    if not dims:
        frame = frame.assign(suppressed=False)
        return frame.reset_index(drop=True)
    num = suppress_counts(frame, "numerator", by=dims, total_rows=_TOTALS, threshold=threshold)
    hidden = num["suppressed"].to_numpy()
    if ind.denominator is not None:
        den = suppress_counts(frame.drop(columns="numerator"), "denominator", by=dims,
                              total_rows=_TOTALS, threshold=threshold)
        num["denominator"] = den["denominator"].to_numpy()
        hidden = hidden | den["suppressed"].to_numpy()
    out = num.drop(columns=["suppression"]).assign(suppressed=hidden)
    out["value"] = out["value"].astype("Float64").mask(hidden)
    return out.reset_index(drop=True)


def localise(
    frame: pd.DataFrame,
    columns: Mapping[str, str],
    lang: str,
    formats: Mapping[str, Callable[[object], str]] | None = None,
    categories: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """A display copy of ``frame``: chosen columns, formatted values, translated headers.

    Parameters
    ----------
    columns : mapping
        Column → i18n key of its header, in display order.
    formats : mapping, optional
        Column → function turning a value into text.
    categories : mapping, optional
        Column → i18n key prefix; a value ``v`` is shown as ``t(prefix + "." + v)``.
    """
    out = pd.DataFrame(index=frame.index)
    formats = formats or {}
    categories = categories or {}
    for col in columns:
        s = frame[col]
        if col in categories:
            s = s.map(lambda v, p=categories[col]: t(f"{p}.{v}", lang))
        elif col in formats:
            s = s.map(formats[col])
        out[t(columns[col], lang)] = s.astype(object)
    return out.reset_index(drop=True)


def _decimals(framework: IndicatorFramework, indicator_id: str, value: object = None) -> int:
    """0 for counts; 2 for small rates (below 10), else 1."""
    if framework.indicator(indicator_id).unit == "count":
        return 0
    try:
        return 2 if abs(float(value)) < 10 else 1
    except (TypeError, ValueError):
        return 1


def localise_progress(progress: pd.DataFrame, lang: str,
                      framework: IndicatorFramework | None = None) -> pd.DataFrame:
    """The progress table of a report in ``lang`` (indicator names, formatted numbers)."""
    framework = framework or load_framework()
    p = progress.copy()
    for col in ("baseline", "target", "actual"):
        p[col] = [format_number(v, lang, _decimals(framework, i, v))
                  for v, i in zip(p[col], p["indicator_id"], strict=True)]
    p["progress"] = [format_percent(v, lang) for v in p["progress"]]
    p["indicator"] = p["indicator_id"].map(lambda i: framework.indicator(i).label(lang))
    p["level_id"] = p["indicator_id"].map(lambda i: framework.indicator(i).level)
    return localise(
        p,
        {"indicator": "monitoring.col.indicator", "level_id": "monitoring.col.level",
         "period": "monitoring.col.period", "baseline": "monitoring.col.baseline",
         "target": "monitoring.col.target", "actual": "monitoring.col.actual",
         "progress": "monitoring.col.progress", "status": "monitoring.col.status"},
        lang,
        categories={"level_id": "monitoring.level", "status": "monitoring.status"},
    )
