"""Small statistics helpers with COINr's exact definitions (skewness, kurtosis, ranks).

Conventions followed
--------------------
* ``skew`` is COINr's ``skew()`` (= ``e1071::skewness(type = 2)`` = Excel ``SKEW``): the
  bias-corrected sample skewness
  :math:`G_1 = \\frac{\\sqrt{n(n-1)}}{n-2} \\cdot \\frac{m_3}{m_2^{3/2}}`.
* ``kurt`` is COINr's ``kurt()`` (= ``e1071::kurtosis(type = 2)`` = Excel ``KURT``): the
  bias-corrected sample excess kurtosis
  :math:`G_2 = \\frac{n-1}{(n-2)(n-3)}\\left((n+1)\\left(\\frac{m_4}{m_2^2} - 3\\right) + 6\\right)`.
* Missing values are dropped first (COINr ``na.rm = TRUE``); fewer than 3 (skew) or 4 (kurtosis)
  values, or zero spread, give NaN (COINr stops with an error; we report "not checkable").
* Ranks use R's ``rank(ties.method = "min", na.last = "keep")``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["kurt", "rank_min", "skew", "skew_kurt"]


def _clean(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    return x[~np.isnan(x)]


def skew(x: np.ndarray) -> float:
    """Bias-corrected sample skewness (COINr ``skew``, Excel ``SKEW``).

    >>> round(skew(np.array([1.0, 2.0, 3.0, 10.0])), 6)
    1.763633
    """
    x = _clean(x)
    n = x.size
    if n < 3:
        return float("nan")
    d = x - x.mean()
    m2 = np.sum(d**2)
    if m2 == 0:
        return float("nan")
    y = np.sqrt(n) * np.sum(d**3) / m2**1.5
    return float(y * np.sqrt(n * (n - 1)) / (n - 2))


def kurt(x: np.ndarray) -> float:
    """Bias-corrected sample excess kurtosis (COINr ``kurt``, Excel ``KURT``).

    >>> round(kurt(np.array([1.0, 2.0, 3.0, 10.0])), 6)
    3.228
    """
    x = _clean(x)
    n = x.size
    if n < 4:
        return float("nan")
    d = x - x.mean()
    m2 = np.sum(d**2)
    if m2 == 0:
        return float("nan")
    r = n * np.sum(d**4) / m2**2
    return float(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))


def skew_kurt(x: np.ndarray) -> tuple[float, float]:
    """:func:`skew` and :func:`kurt` in one pass over the data (same definitions)."""
    x = _clean(x)
    n = x.size
    if n < 4:
        return (skew(x), float("nan"))
    d = x - x.mean()
    d2 = d * d
    m2 = d2.sum()
    if m2 == 0:
        return float("nan"), float("nan")
    g1 = np.sqrt(n) * np.dot(d2, d) / m2**1.5 * np.sqrt(n * (n - 1)) / (n - 2)
    r = n * np.dot(d2, d2) / m2**2
    g2 = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return float(g1), float(g2)


def rank_min(x: np.ndarray | pd.Series, descending: bool = False) -> np.ndarray:
    """Ranks with ties taking the lowest rank; NaN stays NaN (R ``ties.method = "min"``).

    >>> rank_min(np.array([3.0, 1.0, 3.0, np.nan])).tolist()
    [2.0, 1.0, 2.0, nan]
    >>> rank_min(np.array([3.0, 1.0, 3.0, np.nan]), descending=True).tolist()
    [1.0, 3.0, 1.0, nan]
    """
    s = pd.Series(np.asarray(x, dtype=float))
    return s.rank(method="min", ascending=not descending, na_option="keep").to_numpy()
