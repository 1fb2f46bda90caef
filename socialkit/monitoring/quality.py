"""Data quality of reported indicator values: completeness, outliers, validation rules.

Conventions (DHIS2's data-quality app):

* **completeness** = received / expected reports, a report being one data element of one
  municipality for one quarter, received when every one of its cells has a value;
* **outliers** in each series (data element × municipality × cell over the quarters):
  z-score ``|x - mean| / sd`` (sample sd) above ``data_quality.z_score`` (3), and the modified
  z-score of Iglewicz & Hoaglin ``0.6745 * |x - median| / MAD`` above ``data_quality.mad``
  (3.5); when ``MAD = 0`` the mean absolute deviation is used instead
  (``|x - median| / (1.253314 * MeanAD)``). Note that with n values a plain z-score can never
  exceed ``(n - 1) / sqrt(n)`` (2.47 for 8 quarters), so in short series the median-based
  test is the one that finds outliers;
* **validation rules** from the framework, ``left <op> right`` for the same municipality,
  quarter and cell.
"""

from __future__ import annotations

import operator

import numpy as np
import pandas as pd

from ..frameworks.indicators import IndicatorFramework, load_framework
from .indicators import _cell_map

__all__ = [
    "check_completeness",
    "check_outliers",
    "check_rules",
    "quality_summary",
]

_OPS = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt,
        "==": operator.eq}


def _reported_cells(framework: IndicatorFramework) -> pd.DataFrame:
    m = _cell_map(framework)
    cells = m[["element", "sex", "age_group"]].drop_duplicates()
    return cells.assign(n_cells=cells.groupby("element")["sex"].transform("size"))


def check_completeness(
    values: pd.DataFrame,
    municipalities: list[str] | pd.Series,
    periods: list[str],
    framework: IndicatorFramework | None = None,
) -> pd.DataFrame:
    """Expected and received reports per municipality and quarter.

    Parameters
    ----------
    values : DataFrame
        ``indicator_values``.
    municipalities : list of str
        Municipalities expected to report.
    periods : list of str
        Quarters expected.

    Returns
    -------
    DataFrame
        ``municipality_id, period, expected, received, completeness`` (``received /
        expected``), one row per municipality × quarter.
    """
    framework = framework or load_framework()
    cells = _reported_cells(framework)
    v = values.rename(columns={"indicator_id": "element"})
    v = v.merge(cells, on=["element", "sex", "age_group"], how="inner")
    got = (v[v["value"].notna()]
           .groupby(["municipality_id", "period", "element"], observed=True)
           .agg(n=("value", "size"), n_cells=("n_cells", "first")))
    received = ((got["n"] >= got["n_cells"]).groupby(level=["municipality_id", "period"])
                .sum().rename("received"))
    grid = pd.MultiIndex.from_product([list(map(str, municipalities)), list(periods)],
                                      names=["municipality_id", "period"])
    out = pd.DataFrame(index=grid).join(received).fillna({"received": 0}).reset_index()
    out["received"] = out["received"].astype(int)
    out["expected"] = len(framework.data_elements)
    out["completeness"] = out["received"] / out["expected"]
    return out[["municipality_id", "period", "expected", "received", "completeness"]]


def check_outliers(values: pd.DataFrame,
                   framework: IndicatorFramework | None = None) -> pd.DataFrame:
    """Values flagged as outliers within their own series.

    Returns
    -------
    DataFrame
        ``indicator_id, municipality_id, period, sex, age_group, value, median, z_score,
        modified_z, method`` — one row per flagged value; ``method`` is ``z_score``,
        ``median`` or ``both``.

    Notes
    -----
    ``z = (x - mean) / sd`` (ddof = 1); ``modified_z = 0.6745 (x - median) / MAD`` where
    ``MAD = median |x - median|``; if ``MAD = 0``, ``modified_z = (x - median) /
    (1.253314 * mean |x - median|)``. Series with fewer than 3 values are skipped.
    """
    framework = framework or load_framework()
    settings = framework.data_quality
    keys = ["indicator_id", "municipality_id", "sex", "age_group"]
    v = values[values["value"].notna()].copy()
    v["value"] = v["value"].astype(float)
    g = v.groupby(keys, observed=True)["value"]
    n = g.transform("size")
    mean = g.transform("mean")
    sd = g.transform("std")
    median = g.transform("median")
    absdev = (v["value"] - median).abs()
    mad = absdev.groupby([v[k] for k in keys], observed=True).transform("median")
    meanad = absdev.groupby([v[k] for k in keys], observed=True).transform("mean")
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (v["value"] - mean) / sd.where(sd > 0)
        mz = np.where(mad > 0, 0.6745 * (v["value"] - median) / mad,
                      (v["value"] - median) / (1.253314 * meanad.where(meanad > 0)))
    v["median"] = median
    v["z_score"] = z
    v["modified_z"] = mz
    big_z = (z.abs() > settings.z_score).fillna(False)
    big_m = pd.Series(np.abs(mz) > settings.mad, index=v.index).fillna(False)
    flagged = (n >= 3) & (big_z | big_m)
    out = v[flagged].copy()
    out["method"] = np.where(big_z[flagged] & big_m[flagged], "both",
                             np.where(big_z[flagged], "z_score", "median"))
    cols = ["indicator_id", "municipality_id", "period", "sex", "age_group", "value", "median",
            "z_score", "modified_z", "method"]
    return out[cols].reset_index(drop=True)


def check_rules(values: pd.DataFrame,
                framework: IndicatorFramework | None = None) -> pd.DataFrame:
    """Breaches of the framework's validation rules.

    Returns
    -------
    DataFrame
        ``rule_id, municipality_id, period, sex, age_group, left, left_value, operator,
        right, right_value`` — one row per breach.
    """
    framework = framework or load_framework()
    keys = ["municipality_id", "period", "sex", "age_group"]
    parts = []
    for rule in framework.validation_rules:
        left = values[values["indicator_id"] == rule.left][[*keys, "value"]]
        right = values[values["indicator_id"] == rule.right][[*keys, "value"]]
        both = left.merge(right, on=keys, suffixes=("_left", "_right"))
        both = both.dropna(subset=["value_left", "value_right"])
        ok = _OPS[rule.operator](both["value_left"].astype(float),
                                 both["value_right"].astype(float))
        bad = both[~ok.to_numpy(dtype=bool)]
        parts.append(pd.DataFrame({
            "rule_id": rule.id, **{k: bad[k].to_numpy() for k in keys},
            "left": rule.left, "left_value": bad["value_left"].to_numpy(float),
            "operator": rule.operator,
            "right": rule.right, "right_value": bad["value_right"].to_numpy(float),
        }))
    cols = ["rule_id", *keys, "left", "left_value", "operator", "right", "right_value"]
    if not parts:
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True)[cols]


def quality_summary(values: pd.DataFrame, municipalities: list[str], periods: list[str],
                    framework: IndicatorFramework | None = None) -> pd.DataFrame:
    """One row per municipality: completeness, number of outliers and of rule breaches.

    Returns
    -------
    DataFrame
        ``municipality_id, expected, received, completeness, outliers, rule_breaches``.
    """
    framework = framework or load_framework()
    comp = check_completeness(values, municipalities, periods, framework)
    summary = comp.groupby("municipality_id", sort=False)[["expected", "received"]].sum()
    summary["completeness"] = summary["received"] / summary["expected"]
    summary["outliers"] = check_outliers(values, framework).groupby(
        "municipality_id").size().reindex(summary.index, fill_value=0)
    summary["rule_breaches"] = check_rules(values, framework).groupby(
        "municipality_id").size().reindex(summary.index, fill_value=0)
    return summary.reset_index()
