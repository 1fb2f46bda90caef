"""Data that disagrees with itself: parts that do not add up to their totals, and one figure
printed differently in two sections of the report.

A table by sex × age group publishes every margin (``female``/``total``, ``total``/``60+``,
``total``/``total``). The parts of a margin should add up to it; they do not when cells were
reported for some quarters but the margin could only be formed for others (a margin is missing
in a quarter when any of its cells is), or when the source reported inconsistent figures. The
report then prints two figures that a reader can check against each other and find wrong, so
:func:`check_disaggregation_totals` lists every such line, and the report says which figure it
uses: the total, which rests only on quarters where every cell was reported.

Rules
-----
``age_groups_sum``
    For each sex (and the total), the age groups 0–17, 18–59 and 60+ add up to "all ages".
``sexes_sum``
    For each age group (and all ages), women and men add up to the total.

Counts only (``numerator``, ``denominator``): rates are not additive. A line with a missing or
suppressed cell is not checked (its sum is not published).

Between sections (:func:`check_section_totals`): a count indicator's quarterly values (the
trends section and its year-to-date line) against the year's actual (the progress table, which
the report's headline and first page use), by the indicator's ``aggregation.time`` rule:

``quarters_sum_year``
    ``time: sum`` — the quarters of the year add up to the year's actual.
``quarters_last_year``
    ``time: last`` — the year's actual is its latest quarter.
``quarters_average_year``
    ``time: average`` — the year's actual is the mean of its quarters.
``quarters_cumulative_year``
    ``target_type: cumulative`` — the quarterly values are running totals; the year's actual
    is the latest of them.

Rates are left out: a year's rate is pooled from its counts, not formed from quarterly rates.
:func:`check_report_consistency` gives both lists as one frame.

>>> import pandas as pd
>>> t = pd.DataFrame({"sex": ["female", "male", "total"], "age_group": "total",
...                   "numerator": [386.0, 192.0, 460.0], "denominator": [469.0, 248.0, 717.0]})
>>> check_disaggregation_totals({"served": t})[["rule", "column", "parts", "total",
...                                               "difference"]].values.tolist()
[['sexes_sum', 'numerator', 578.0, 460.0, 118.0]]
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..frameworks.indicators import DISAGGREGATIONS

__all__ = ["CONSISTENCY_COLUMNS", "check_disaggregation_totals", "check_report_consistency",
           "check_section_totals"]

#: Columns of :func:`check_disaggregation_totals`'s result.
CONSISTENCY_COLUMNS: list[str] = ["indicator_id", "rule", "column", "sex", "age_group", "parts",
                                  "total", "difference"]
_RULES = (("age_groups_sum", "age_group", "sex"), ("sexes_sum", "sex", "age_group"))


def check_disaggregation_totals(tables: Mapping[str, pd.DataFrame],
                                columns: tuple[str, ...] = ("numerator", "denominator"),
                                tolerance: float = 1e-6) -> pd.DataFrame:
    """Every margin of a disaggregation table that its parts do not add up to.

    Parameters
    ----------
    tables : mapping of indicator id → DataFrame
        Tables with ``sex``, ``age_group`` and the count ``columns``, as
        :func:`~socialkit.monitoring.report.disaggregation_table` returns them (suppressed
        cells are NA and leave their line unchecked).
    columns : tuple of str
        Count columns to check.
    tolerance : float
        Largest difference taken as rounding: ``tolerance * max(1, |total|)``.

    Returns
    -------
    DataFrame
        :data:`CONSISTENCY_COLUMNS`: the rule, the column, the margin (``sex``, ``age_group``
        of the total row), the sum of the parts, the total and ``difference = parts - total``.
    """
    rows = []
    for ind, table in tables.items():
        if table is None or table.empty or not {"sex", "age_group"} <= set(table.columns):
            continue
        for rule, dim, other in _RULES:
            parts_of = [c for c in DISAGGREGATIONS[dim] if c != "total"]
            for level, line in table.groupby(other, sort=False):
                cells = line.set_index(dim)
                if "total" not in cells.index or not set(parts_of) <= set(cells.index):
                    continue
                for col in columns:
                    if col not in cells:
                        continue
                    vals = pd.to_numeric(cells[col].astype("Float64"), errors="coerce")
                    parts = vals.reindex(parts_of).to_numpy(dtype=float, na_value=np.nan)
                    total = float(vals.get("total", np.nan)) if pd.notna(
                        vals.get("total")) else np.nan
                    if np.isnan(parts).any() or np.isnan(total):
                        continue
                    diff = float(parts.sum()) - total
                    if abs(diff) > tolerance * max(1.0, abs(total)):
                        margin = {dim: "total", other: level}
                        rows.append((ind, rule, col, margin["sex"], margin["age_group"],
                                     float(parts.sum()), total, diff))
    return pd.DataFrame(rows, columns=CONSISTENCY_COLUMNS)


_TIME_RULES = {"sum": "quarters_sum_year", "last": "quarters_last_year",
               "average": "quarters_average_year", "cumulative": "quarters_cumulative_year"}


def check_section_totals(report, framework=None, tolerance: float = 1e-6) -> pd.DataFrame:
    """Count indicators whose quarters (trends section) disagree with the year (progress table).

    Parameters
    ----------
    report : MunicipalityReport
        Its ``series`` (published quarterly values) and ``latest`` (the year's progress).
    framework : IndicatorFramework, optional
    tolerance : float
        Largest difference taken as rounding: ``tolerance * max(1, |total|)``.

    Returns
    -------
    DataFrame
        :data:`CONSISTENCY_COLUMNS` with ``column = "value"``, ``sex = age_group = "total"``,
        ``parts`` the year's figure formed from its quarters by the indicator's time rule,
        ``total`` the actual of the progress table, ``difference = parts - total``. A year with
        a withheld (suppressed) or missing quarterly value is not checked.
    """
    from ..frameworks.indicators import load_framework

    framework = framework or load_framework()
    series, latest = report.series, report.latest
    rows = []
    if series is None or series.empty or latest is None or latest.empty:
        return pd.DataFrame(rows, columns=CONSISTENCY_COLUMNS)
    year = str(report.period)
    quarters = series[(series["sex"] == "total") & (series["age_group"] == "total")
                      & series["period"].astype(str).str.startswith(year + "Q")]
    actual = latest.set_index("indicator_id")["actual"]
    for ind in framework.indicators:
        if ind.denominator is not None or ind.id not in actual.index:
            continue
        total = pd.to_numeric(pd.Series([actual[ind.id]]), errors="coerce").iloc[0]
        q = quarters[quarters["indicator_id"] == ind.id].sort_values("period")
        vals = pd.to_numeric(q["value"], errors="coerce").to_numpy(dtype=float,
                                                                   na_value=np.nan)
        if pd.isna(total) or not len(vals) or np.isnan(vals).any():
            continue
        time = "cumulative" if ind.target_type == "cumulative" else ind.aggregation.time
        parts = {"sum": vals.sum(), "last": vals[-1], "average": vals.mean(),
                 "cumulative": vals[-1]}[time]
        diff = float(parts) - float(total)
        if abs(diff) > tolerance * max(1.0, abs(float(total))):
            rows.append((ind.id, _TIME_RULES[time], "value", "total", "total", float(parts),
                         float(total), diff))
    return pd.DataFrame(rows, columns=CONSISTENCY_COLUMNS)


def check_report_consistency(report, framework=None) -> pd.DataFrame:
    """Everything in one municipality's M&E report that disagrees with itself: the
    disaggregations' margins (:func:`check_disaggregation_totals`) and the quarters against the
    year (:func:`check_section_totals`), in that order."""
    parts = [check_disaggregation_totals(report.disaggregations),
             check_section_totals(report, framework)]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=CONSISTENCY_COLUMNS)
    return pd.concat(parts, ignore_index=True)
