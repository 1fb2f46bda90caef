"""Input checks shared by the accessibility functions (raise DataValidationError)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.validation import require_columns
from ..errors import DataValidationError, Problem

__all__: list[str] = []


def _row(pos: int) -> int:
    # 1-based line in the CSV the table came from, header being line 1
    return int(pos) + 2


def check_coordinates(frame: pd.DataFrame, table: str, lat: str = "lat", lon: str = "lon") -> None:
    """Raise naming every row whose coordinates are missing or out of range."""
    problems: list[Problem] = []
    for col, bound in ((lat, 90.0), (lon, 180.0)):
        values = pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        bad = ~(np.abs(values) <= bound)  # NaN is bad too
        for pos in np.flatnonzero(bad)[:20]:
            problems.append(
                Problem(table, "coordinate missing or out of range", row=_row(pos), column=col,
                        value=frame[col].iloc[pos], expected=f"a number from -{bound:g} to {bound:g}",
                        table=table)
            )
    if problems:
        raise DataValidationError(problems)


def check_unique(ids: pd.Index | pd.Series, table: str, column: str) -> None:
    """Raise naming duplicated ids."""
    values = pd.Series(ids)
    dup = values.duplicated(keep="first").to_numpy()
    if dup.any():
        raise DataValidationError(
            [
                Problem(table, "duplicated id", row=_row(pos), column=column,
                        value=values.iloc[pos], expected="each id once", table=table)
                for pos in np.flatnonzero(dup)[:20]
            ]
        )


def numeric_series(values: pd.Series, table: str, column: str, *, nonneg: bool = True) -> np.ndarray:
    """Values as float (NA → NaN), raising on text or negative numbers."""
    if not isinstance(values, pd.Series):
        raise DataValidationError(
            [Problem(table, f"expected a pandas Series indexed by id, got {type(values).__name__}",
                     column=column, table=table)]
        )
    num = pd.to_numeric(values, errors="coerce")
    arr = num.to_numpy(dtype=float, na_value=np.nan)
    problems = []
    nonnum = num.isna().to_numpy() & values.notna().to_numpy()
    for pos in np.flatnonzero(nonnum)[:20]:
        problems.append(Problem(table, "not a number", row=_row(pos), column=column,
                                value=values.iloc[pos], expected="a number", table=table))
    if nonneg:
        for pos in np.flatnonzero(arr < 0)[:20]:
            problems.append(Problem(table, "negative value", row=_row(pos), column=column,
                                    value=values.iloc[pos], expected="a number >= 0", table=table))
    if problems:
        raise DataValidationError(problems)
    return arr


def check_cost_frame(cost: pd.DataFrame, table: str = "cost") -> np.ndarray:
    """Check a long cost frame (``origin``, ``dest``, ``cost``) and return costs as float."""
    require_columns(cost, ("origin", "dest", "cost"), table)
    problems = []
    for col in ("origin", "dest"):
        for pos in np.flatnonzero(cost[col].isna().to_numpy())[:20]:
            problems.append(Problem(table, "missing id", row=_row(pos), column=col,
                                    expected="an id", table=table))
    if problems:
        raise DataValidationError(problems)
    values = numeric_series(cost["cost"], table, "cost")
    missing = np.isnan(values)
    if missing.any():
        raise DataValidationError(
            [Problem(table, "missing cost", row=_row(pos), column="cost",
                     expected="a distance or travel time >= 0", table=table)
             for pos in np.flatnonzero(missing)[:20]]
        )
    return values
