"""Data that disagrees with itself: disaggregated parts that do not add up to their totals.

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

__all__ = ["CONSISTENCY_COLUMNS", "check_disaggregation_totals"]

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
