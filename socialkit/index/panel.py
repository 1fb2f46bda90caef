"""Panels: several time points per unit, and trends.

Conventions followed
--------------------
COINr ``get_trends(f_trend = "CAGR")``: for each unit and variable, using the first and
last non-missing points :math:`(t_0, y_0)` and :math:`(t_1, y_1)`,
:math:`\\mathrm{CAGR} = (y_1 / y_0)^{1 / (t_1 - t_0)} - 1`; fewer than ``min_points`` (2)
points gives NaN. ``Time`` must be a year (``2021``) or start with one (``2021Q1`` → 2021.0,
``2021-07`` → 2021.5), so the exponent is per year.

Use ``normalise: {global: true}`` so that scores of different rounds are on one scale.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..errors import DataValidationError, Problem
from .build import IndexResult

__all__ = ["cagr", "time_to_years", "trends"]

_PERIOD = re.compile(r"^(\d{4})(?:(?:-?Q([1-4]))|(?:-(\d{2})))?$")


def time_to_years(values: pd.Series, source: str = "Time") -> np.ndarray:
    """Decimal years from ISO periods (``2021``, ``2021Q3``, ``2021-07``)."""
    out = np.empty(len(values))
    problems = []
    for i, v in enumerate(values.astype(str)):
        m = _PERIOD.match(v.strip())
        if not m:
            problems.append(Problem(source, "not a period", row=i + 2, column="Time", value=v,
                                    expected="a year such as 2021, 2021Q1 or 2021-03"))
            continue
        year, q, month = m.groups()
        out[i] = int(year) + ((int(q) - 1) / 4 if q else (int(month) - 1) / 12 if month else 0)
    if problems:
        raise DataValidationError(problems)
    return out


def cagr(t: np.ndarray, y: np.ndarray, min_points: int = 2) -> float:
    """Compound annual growth rate between the first and last observed points.

    >>> round(cagr(np.array([2019.0, 2020.0, 2021.0]), np.array([100.0, np.nan, 121.0])), 6)
    0.1
    """
    ok = ~np.isnan(y) & ~np.isnan(t)
    if ok.sum() < max(min_points, 2):
        return np.nan
    order = np.argsort(t[ok])
    tt, yy = t[ok][order], y[ok][order]
    if tt[-1] == tt[0] or yy[0] == 0:
        return np.nan
    ratio = yy[-1] / yy[0]
    if ratio < 0:
        return np.nan
    return float(ratio ** (1 / (tt[-1] - tt[0])) - 1)


def trends(res: IndexResult, codes: list[str] | None = None, stage: str | None = None,
           min_points: int = 2) -> pd.DataFrame:
    """CAGR of every unit for each of ``codes`` (default: the aggregates, else indicators).

    Returns ``uCode`` plus one column per code.
    """
    data = res.final() if stage is None else res.stages[stage]
    if "Time" not in data:
        raise DataValidationError([Problem("iData", "trends need a Time column",
                                           column="Time", expected="several time points")])
    codes = list(codes or [c for c in res.framework.aggregates if c in data]
                 or res.framework.indicators)
    years = time_to_years(data["Time"])
    rows = []
    for u, idx in data.groupby("uCode", sort=False).indices.items():
        rows.append({"uCode": u, **{c: cagr(years[idx], data[c].to_numpy(float)[idx],
                                             min_points) for c in codes}})
    return pd.DataFrame(rows)
