"""Step ``treat``: COINr's default outlier treatment.

Conventions followed
--------------------
COINr ``Treat()`` defaults (``f1 = "winsorise"``, ``f2 = "log_CT"``,
``f_pass = "check_SkewKurt"``, ``combine_treat = FALSE``), column by column (per Time in a
panel):

1. An indicator *passes* when ``|skew| < skew`` (2) **or** ``kurtosis < kurtosis`` (3.5), with
   COINr's bias-corrected skewness and excess kurtosis (:mod:`socialkit.index._stats`);
   so it is treated only when :math:`|G_1| \\ge 2` **and** :math:`G_2 \\ge 3.5`.
2. Winsorise: while it fails and the count of winsorised points is below ``winmax`` (5): if
   the current skew is ≥ 0, every point equal to the maximum is set to the largest remaining
   value, else every point equal to the minimum is set to the smallest remaining value; then
   re-check. As in COINr the count is the number of points currently at the clipped end
   (``length(imax) + length(imin)``), so tied points count together.
3. If it still fails, apply ``log_CT`` to the ORIGINAL values:
   :math:`\\log(x - \\min x + 0.01(\\max x - \\min x))`, and check again (recorded).

An indicator with fewer than 4 observed values or no spread cannot be checked (COINr returns
``NA`` from ``f_pass``) and is left untreated.

The treatment table has one row per indicator (per Time in a panel): ``skew_before``,
``kurtosis_before``, ``skew_after``, ``kurtosis_after``, ``n_winsorised`` (points changed
in the output, 0 when log_CT replaced the winsorised values), ``winsorised`` (``high`` /
``low`` / empty), ``logged``, ``passed`` (check after treatment).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..frameworks.index_spec import TreatParams
from ._frame import replace_columns, time_groups
from ._stats import skew_kurt
from .meta import Framework

__all__ = [
    "TREATMENT_COLUMNS", "check_skew_kurt", "empty_treatment", "log_ct", "treat",
    "treat_vector", "winsorise",
]

TREATMENT_COLUMNS: tuple[str, ...] = (
    "iCode", "skew_before", "kurtosis_before", "skew_after", "kurtosis_after",
    "n_winsorised", "winsorised", "logged", "passed",
)


def check_skew_kurt(x: np.ndarray, skew_thresh: float = 2.0,
                    kurt_thresh: float = 3.5) -> tuple[bool | None, float, float]:
    """COINr ``check_SkewKurt``: ``(pass, skew, kurtosis)``; pass is None if not checkable."""
    s, k = skew_kurt(x)
    if np.isnan(s) or np.isnan(k):
        return None, s, k
    return bool(abs(s) < skew_thresh or k < kurt_thresh), s, k


def winsorise(x: np.ndarray, winmax: int = 5, skew_thresh: float = 2.0,
              kurt_thresh: float = 3.5) -> tuple[np.ndarray, int, str]:
    """COINr ``winsorise``: returns ``(x, nwin, side)``.

    >>> x = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100.0])
    >>> y, n, side = winsorise(x)
    >>> n, side, float(y.max())
    (1, 'high', 30.0)
    """
    x = np.array(x, dtype=float)
    passing, s, _ = check_skew_kurt(x, skew_thresh, kurt_thresh)
    imax = imin = np.array([], dtype=int)
    nwin = 0
    obs = ~np.isnan(x)
    while passing is False and nwin < winmax:
        if s >= 0:
            top = np.nanmax(x)
            imax = np.flatnonzero(obs & (x == top))
            rest = x[obs & (x != top)]
            if rest.size == 0:
                break
            x[imax] = rest.max()
        else:
            bot = np.nanmin(x)
            imin = np.flatnonzero(obs & (x == bot))
            rest = x[obs & (x != bot)]
            if rest.size == 0:
                break
            x[imin] = rest.min()
        nwin = imax.size + imin.size
        passing, s, _ = check_skew_kurt(x, skew_thresh, kurt_thresh)
    side = "high" if imax.size and not imin.size else "low" if imin.size and not imax.size \
        else "both" if imax.size else ""
    return x, nwin, side


def log_ct(x: np.ndarray) -> np.ndarray:
    """COINr ``log_CT``: :math:`\\log(x - \\min x + 0.01(\\max x - \\min x))`.

    >>> log_ct(np.array([0.0, 100.0])).round(4).tolist()
    [0.0, 4.6151]
    """
    x = np.asarray(x, dtype=float)
    lo, hi = np.nanmin(x), np.nanmax(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(x - lo + 0.01 * (hi - lo))


def treat_vector(x: np.ndarray, params: TreatParams | None = None) -> tuple[np.ndarray, dict]:
    """Treat one indicator; return the treated values and its treatment-table row."""
    params = params or TreatParams()
    x = np.asarray(x, dtype=float)
    ok, s0, k0 = check_skew_kurt(x, params.skew, params.kurtosis)
    row = {"skew_before": s0, "kurtosis_before": k0, "skew_after": s0, "kurtosis_after": k0,
           "n_winsorised": 0, "winsorised": "", "logged": False, "passed": ok}
    if ok is not False:
        return x.copy(), row
    y, nwin, side = winsorise(x, params.winmax, params.skew, params.kurtosis)
    ok, s1, k1 = check_skew_kurt(y, params.skew, params.kurtosis)
    row.update(n_winsorised=nwin, winsorised=side if nwin else "")
    if ok is False and params.log:
        y = log_ct(x)
        ok, s1, k1 = check_skew_kurt(y, params.skew, params.kurtosis)
        row.update(n_winsorised=0, winsorised="", logged=True)
    row.update(skew_after=s1, kurtosis_after=k1, passed=ok)
    return y, row


def treat(data: pd.DataFrame, fw: Framework,
          params: TreatParams | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Treat every indicator of ``data`` for outliers.

    Returns
    -------
    treated : pandas.DataFrame
        Copy of ``data`` with treated indicator columns.
    table : pandas.DataFrame
        One row per indicator (and Time in a panel), columns :data:`TREATMENT_COLUMNS`.
    """
    params = params or TreatParams()
    out = data
    rows = []
    values = out[list(fw.indicators)].to_numpy(dtype=float).copy()
    panel = "Time" in out.columns
    for idx in time_groups(out):
        time = out["Time"].iloc[idx[0]] if panel and len(idx) else None
        for j, code in enumerate(fw.indicators):
            if code in params.skip:
                _, row = treat_vector(np.array([]), params)
                row = {k: (np.nan if isinstance(v, float) else v) for k, v in row.items()}
                row["passed"] = None
            else:
                values[idx, j], row = treat_vector(values[idx, j], params)
            rows.append({"iCode": code, **({"Time": time} if panel else {}), **row})
    out = replace_columns(out, list(fw.indicators), values)
    cols = list(TREATMENT_COLUMNS[:1]) + (["Time"] if panel else []) + list(TREATMENT_COLUMNS[1:])
    return out, pd.DataFrame(rows, columns=cols)


def empty_treatment(panel: bool = False) -> pd.DataFrame:
    """The treatment table when no treat step ran."""
    cols = list(TREATMENT_COLUMNS[:1]) + (["Time"] if panel else []) + list(TREATMENT_COLUMNS[1:])
    return pd.DataFrame(columns=cols)
