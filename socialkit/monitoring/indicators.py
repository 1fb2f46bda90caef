"""Indicator values from data-element counts, aggregated over cells, time and space.

The pipeline (each step a pure function; :func:`compute_indicators` chains them):

1. :func:`element_cells` – the reported cells of each data element, summed to every margin of
   its disaggregations (``female``/``total``, ``total``/``60+`` ...). A margin is missing when
   any of its cells is missing (no partial totals).
2. :func:`indicator_quarters` – numerator and denominator per indicator, municipality, quarter
   and cell; a quarter counts only when both are present (pairwise complete).
3. :func:`aggregate_time` – quarters into the requested periods with the indicator's time rule
   (``sum``, ``average``, or ``last`` = the latest complete quarter of the window). A year
   ``2021`` covers 2021Q1–Q4, a quarter covers itself; for a ``cumulative`` indicator the window
   starts at the programme's first quarter.
4. :func:`aggregate_space` – municipalities into a district, oblast (region) or the programme
   with the indicator's space rule (``sum`` or ``average``) applied to numerator and
   denominator separately; then ``value = factor * numerator / denominator`` (DHIS2 convention:
   aggregate the parts, then divide — never average the ratios).
"""

from __future__ import annotations

import re
from itertools import product

import numpy as np
import pandas as pd

from ..errors import SocialkitError
from ..frameworks.indicators import DISAGGREGATIONS, IndicatorFramework, load_framework

__all__ = [
    "LEVELS",
    "aggregate_space",
    "aggregate_time",
    "compute_indicators",
    "element_cells",
    "indicator_quarters",
    "period_quarters",
    "quarter_index",
    "unit_map",
]

_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_CELL = ["sex", "age_group"]
#: Aggregation levels and the ``municipalities`` column naming their unit (None: one unit).
LEVELS: dict[str, str | None] = {
    "municipality": "municipality_id",
    "district": "district",
    "region": "region",
    "programme": None,
}


def quarter_index(period: str) -> int:
    """Quarter ``YYYYQn`` as a running number (``year * 4 + n - 1``).

    >>> quarter_index("2021Q1") - quarter_index("2020Q4")
    1
    """
    m = _QUARTER.match(str(period))
    if not m:
        raise SocialkitError(f"period '{period}': expected a quarter such as 2021Q1")
    return int(m.group(1)) * 4 + int(m.group(2)) - 1


def _quarter_label(index: int) -> str:
    return f"{index // 4}Q{index % 4 + 1}"


def period_quarters(period: str, cumulative: bool = False, start: str | None = None) -> list[str]:
    """Quarters making up ``period`` (a year or a quarter); from ``start`` if cumulative.

    >>> period_quarters("2021")
    ['2021Q1', '2021Q2', '2021Q3', '2021Q4']
    >>> period_quarters("2020Q3", cumulative=True, start="2020Q1")
    ['2020Q1', '2020Q2', '2020Q3']
    """
    period = str(period)
    if _YEAR.match(period):
        first, last = int(period) * 4, int(period) * 4 + 3
    elif _QUARTER.match(period):
        first = last = quarter_index(period)
    else:
        raise SocialkitError(f"period '{period}': expected a year (2021) or a quarter (2021Q1)")
    if cumulative and start is not None:
        first = min(quarter_index(start), last)
    return [_quarter_label(i) for i in range(first, last + 1)]


def _cell_map(framework: IndicatorFramework) -> pd.DataFrame:
    """element, reported (sex, age_group) -> output margin (out_sex, out_age), n_cells."""
    rows = []
    for element in framework.element_ids():
        dims = framework.element_disaggregations(element)
        sexes = DISAGGREGATIONS["sex"] if "sex" in dims else ("total",)
        ages = DISAGGREGATIONS["age_group"] if "age_group" in dims else ("total",)
        for s, a in product(sexes, ages):
            for os_, oa in product({s, "total"}, {a, "total"}):
                n = (len(sexes) if os_ == "total" else 1) * (len(ages) if oa == "total" else 1)
                rows.append((element, s, a, os_, oa, n))
    return pd.DataFrame(rows, columns=["element", "sex", "age_group", "out_sex", "out_age",
                                       "n_cells"])


def element_cells(values: pd.DataFrame, framework: IndicatorFramework | None = None) -> pd.DataFrame:
    """Data-element values at every margin of their disaggregations.

    Parameters
    ----------
    values : DataFrame
        ``indicator_values`` (``indicator_id`` holds data-element ids).
    framework : IndicatorFramework, optional
        Default: the shipped framework.

    Returns
    -------
    DataFrame
        ``element, municipality_id, period, sex, age_group, value``; a margin is NA unless all
        of its reported cells are present. Rows whose cell does not match the element's
        disaggregations (e.g. a ``total`` row for an element reported by sex) are ignored;
        :func:`socialkit.monitoring.quality.check_values` reports them.
    """
    framework = framework or load_framework()
    v = values.rename(columns={"indicator_id": "element"})[
        ["element", "municipality_id", "period", "sex", "age_group", "value"]]
    merged = v.merge(_cell_map(framework), on=["element", "sex", "age_group"], how="inner")
    keys = ["element", "municipality_id", "period", "out_sex", "out_age"]
    grouped = merged.groupby(keys, sort=False, observed=True).agg(
        value=("value", "sum"), n=("value", "count"), n_cells=("n_cells", "first"))
    value = grouped["value"].astype(float).where(grouped["n"] == grouped["n_cells"])
    out = value.reset_index().rename(columns={"out_sex": "sex", "out_age": "age_group"})
    return out


def indicator_quarters(values: pd.DataFrame,
                       framework: IndicatorFramework | None = None) -> pd.DataFrame:
    """Numerator and denominator per indicator, municipality, quarter and cell.

    Returns
    -------
    DataFrame
        ``indicator_id, municipality_id, period, sex, age_group, numerator, denominator``
        (denominator NA for count indicators); only pairwise-complete quarters.
    """
    framework = framework or load_framework()
    cells = element_cells(values, framework)
    cells = cells[cells["value"].notna()]
    by_element = {e: g.drop(columns="element") for e, g in cells.groupby("element", sort=False)}
    empty = cells.drop(columns="element").iloc[0:0]
    keys = ["municipality_id", "period", "sex", "age_group"]
    parts = []
    for ind in framework.indicators:
        num = by_element.get(ind.numerator, empty).rename(columns={"value": "numerator"})
        if ind.denominator is None:
            frame = num.assign(denominator=np.nan)
        else:
            den = by_element.get(ind.denominator, empty).rename(columns={"value": "denominator"})
            frame = num.merge(den, on=keys, how="inner")
        parts.append(frame.assign(indicator_id=ind.id))
    out = pd.concat(parts, ignore_index=True)
    return out[["indicator_id", *keys, "numerator", "denominator"]]


def _windows(framework: IndicatorFramework, periods: list[str]) -> pd.DataFrame:
    rows = []
    start = framework.programme.start
    for ind in framework.indicators:
        cumulative = ind.target_type == "cumulative"
        for p in periods:
            for q in period_quarters(p, cumulative, start):
                rows.append((ind.id, str(p), q))
    return pd.DataFrame(rows, columns=["indicator_id", "window", "period"])


_TIME_RULES = {"sum": "sum", "average": "mean", "last": "last"}


def aggregate_time(quarters: pd.DataFrame, periods: list[str],
                   framework: IndicatorFramework | None = None) -> pd.DataFrame:
    """Combine quarters into ``periods`` with each indicator's time rule.

    Parameters
    ----------
    quarters : DataFrame
        Output of :func:`indicator_quarters`.
    periods : list of str
        Years (``"2021"``) and/or quarters (``"2021Q2"``).

    Returns
    -------
    DataFrame
        ``indicator_id, municipality_id, period, sex, age_group, numerator, denominator,
        n_quarters`` (quarters that contributed).

    Notes
    -----
    ``sum``: Σ over the window's quarters; ``average``: mean over the quarters present;
    ``last``: the latest quarter present. Numerator and denominator use the same rule and the
    same quarters.
    """
    framework = framework or load_framework()
    merged = quarters.merge(_windows(framework, list(periods)), on=["indicator_id", "period"])
    merged = merged.sort_values("period", kind="stable")
    keys = ["indicator_id", "municipality_id", "window", "sex", "age_group"]
    parts = []
    rules = {i.id: i.aggregation.time for i in framework.indicators}
    for rule in dict.fromkeys(rules.values()):  # one grouped pass per rule
        sub = merged[merged["indicator_id"].map(rules) == rule]
        if sub.empty:
            continue
        g = sub.groupby(keys, sort=True, observed=True)
        agg = g[["numerator", "denominator"]].agg(_TIME_RULES[rule])
        agg["n_quarters"] = g.size()
        parts.append(agg.reset_index())
    cols = [*keys, "numerator", "denominator", "n_quarters"]
    if not parts:
        return pd.DataFrame(columns=cols).rename(columns={"window": "period"})
    out = pd.concat(parts, ignore_index=True)[cols].rename(columns={"window": "period"})
    return _blank_counts(out, framework)


def unit_map(municipalities: pd.DataFrame | None, level: str) -> pd.DataFrame:
    """``municipality_id -> unit_id`` for an aggregation level (see :data:`LEVELS`)."""
    if level not in LEVELS:
        raise SocialkitError(f"level '{level}': expected one of {', '.join(LEVELS)}")
    column = LEVELS[level]
    if municipalities is None:
        raise SocialkitError(f"aggregating to '{level}' needs the municipalities table")
    ids = municipalities["municipality_id"].astype(str)
    unit = "programme" if column is None else municipalities[column].astype(str)
    return pd.DataFrame({"municipality_id": ids, "unit_id": unit})


_SPACE_RULES = {"sum": "sum", "average": "mean"}


def aggregate_space(frame: pd.DataFrame, level: str = "municipality",
                    municipalities: pd.DataFrame | None = None,
                    framework: IndicatorFramework | None = None,
                    columns: tuple[str, ...] = ("numerator", "denominator")) -> pd.DataFrame:
    """Combine municipalities into ``level`` units with each indicator's space rule.

    Returns
    -------
    DataFrame
        ``indicator_id, unit_id, period, sex, age_group`` + ``columns`` + ``n_municipalities``.
        At ``level="municipality"`` ``unit_id`` is the municipality id.
    """
    framework = framework or load_framework()
    if level == "municipality":
        out = frame.rename(columns={"municipality_id": "unit_id"}).copy()
        out["n_municipalities"] = 1
        return out
    units = unit_map(municipalities, level)
    merged = frame.merge(units, on="municipality_id", how="inner")
    keys = ["indicator_id", "unit_id", "period", "sex", "age_group"]
    parts = []
    rules = {i.id: i.aggregation.space for i in framework.indicators}
    for rule in dict.fromkeys(rules.values()):  # one grouped pass per rule
        sub = merged[merged["indicator_id"].map(rules) == rule]
        if sub.empty:
            continue
        g = sub.groupby(keys, sort=True, observed=True)
        agg = g[list(columns)].agg(_SPACE_RULES[rule])
        agg["n_municipalities"] = g["municipality_id"].nunique()
        parts.append(agg.reset_index())
    if not parts:
        return pd.DataFrame(columns=[*keys, *columns, "n_municipalities"])
    return _blank_counts(pd.concat(parts, ignore_index=True), framework)


def _ratio(frame: pd.DataFrame, framework: IndicatorFramework) -> pd.Series:
    """``factor * numerator / denominator`` (``factor * numerator`` for count indicators)."""
    info = {i.id: i for i in framework.indicators}
    factor = frame["indicator_id"].map({k: v.factor for k, v in info.items()}).astype(float)
    is_count = frame["indicator_id"].map({k: v.denominator is None for k, v in info.items()})
    is_count = is_count.astype(bool).to_numpy()
    num = frame["numerator"].astype(float)
    den = frame["denominator"].astype(float)
    ratio = factor * num / den.where(den != 0)
    return ratio.where(~is_count, factor * num)


def _blank_counts(frame: pd.DataFrame, framework: IndicatorFramework) -> pd.DataFrame:
    """Count indicators have no denominator: keep it NA after aggregation."""
    counts = [i.id for i in framework.indicators if i.denominator is None]
    out = frame.copy()
    out.loc[out["indicator_id"].isin(counts), "denominator"] = np.nan
    return out


def compute_indicators(
    values: pd.DataFrame,
    framework: IndicatorFramework | None = None,
    *,
    periods: list[str] | None = None,
    level: str = "municipality",
    municipalities: pd.DataFrame | None = None,
    cells: str = "total",
) -> pd.DataFrame:
    """Indicator values per unit and period (the whole pipeline of this module).

    Parameters
    ----------
    values : DataFrame
        ``indicator_values``.
    framework : IndicatorFramework, optional
    periods : list of str, optional
        Years and/or quarters; default every quarter present in ``values``.
    level : {"municipality", "district", "region", "programme"}
    municipalities : DataFrame, optional
        Needed above the municipality level.
    cells : {"total", "all"}
        Only the overall total, or every margin of the disaggregations too.

    Returns
    -------
    DataFrame
        ``indicator_id, unit_id, period, sex, age_group, numerator, denominator, value,
        n_municipalities``.

    Notes
    -----
    ``value = factor * A_space(A_time(numerator)) / A_space(A_time(denominator))`` with the
    indicator's rules ``A``; for a count indicator ``value = factor * A_space(A_time(num))``.
    """
    framework = framework or load_framework()
    quarters = indicator_quarters(values, framework)
    if cells == "total":
        quarters = quarters[(quarters["sex"] == "total") & (quarters["age_group"] == "total")]
    elif cells != "all":
        raise SocialkitError(f"cells '{cells}': expected 'total' or 'all'")
    if periods is None:
        periods = sorted(quarters["period"].unique(), key=quarter_index)
    timed = aggregate_time(quarters, periods, framework)
    spaced = aggregate_space(timed.drop(columns="n_quarters"), level, municipalities, framework)
    spaced["value"] = _ratio(spaced, framework)
    cols = ["indicator_id", "unit_id", "period", "sex", "age_group", "numerator",
            "denominator", "value", "n_municipalities"]
    order = {i: k for k, i in enumerate(framework.indicator_ids())}
    spaced = spaced.sort_values(["indicator_id", "unit_id", "period", "sex", "age_group"],
                                key=lambda s: s.map(order) if s.name == "indicator_id" else s)
    return spaced[cols].reset_index(drop=True)
