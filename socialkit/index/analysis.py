"""Analysis of a built index: statistics, correlations, Cronbach's alpha, unit profiles.

Conventions followed
--------------------
* :func:`indicator_stats` — COINr ``get_stats()``: n (available), mean, sd (sample, n − 1),
  min, max, median, skew and kurtosis (COINr's bias-corrected definitions), share missing;
  flags ``flag_availability`` (share available < ``t_avail`` = 0.65) and ``flag_skew_kurt``
  (:math:`|G_1| > 2` and :math:`G_2 > 3.5`, COINr's ``t_skew``/``t_kurt``).
* :func:`correlations` — COINr ``get_corr()`` / ``get_corr_flags()``: Pearson or Spearman on
  pairwise-complete observations, p-values from the t distribution with n − 2 degrees of
  freedom (R ``cor.test``); pairs ``within`` the same parent, or ``across`` two levels
  (a member against the aggregates of the other level). Flags: ``collinear`` when
  :math:`r \\ge` ``high`` (0.9) and ``negative`` when :math:`r \\le` ``low`` (−0.4) for pairs
  sharing a parent; ``insignificant`` when p > ``pval`` (0.05).
* :func:`cronbach_alpha` — COINr ``get_cronbach()``: with C the covariance matrix of the k
  children (pairwise complete), :math:`\\alpha = \\frac{k}{k-1}\\left(1 -
  \\frac{\\mathrm{tr}\\,C}{\\sum C}\\right)`.
* :func:`unit_summary` — COINr ``get_unit_summary()``: a unit's score and rank at every level.
* :func:`strengths_weaknesses` — COINr ``get_str_weak()``: indicators ranked across units
  after multiplying by Direction (rank 1 best, ties min); strengths are the ``top`` best
  ranks, weaknesses the ``bottom`` worst.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as _st

from ..errors import SocialkitError
from ._stats import kurt, rank_min, skew
from .build import IndexResult

__all__ = [
    "correlation_matrix",
    "correlations",
    "cronbach_alpha",
    "indicator_stats",
    "strengths_weaknesses",
    "unit_summary",
]


def _stage(res: IndexResult, stage: str | None) -> pd.DataFrame:
    if stage is None:
        return res.final()
    if stage == "raw":
        return res.data
    if stage not in res.stages:
        raise SocialkitError(f"stage '{stage}' did not run; available: "
                             + ", ".join(["raw", *res.stages]))
    return res.stages[stage]


def indicator_stats(res: IndexResult, stage: str | None = "raw", t_avail: float = 0.65,
                    t_skew: float = 2.0, t_kurt: float = 3.5) -> pd.DataFrame:
    """One row per indicator with n, mean, sd, min, max, median, skew, kurtosis, share missing.

    Examples
    --------
    >>> import pandas as pd
    >>> from socialkit.index import build
    >>> idata = pd.DataFrame({"uCode": list("abcd"), "x": [1.0, 2.0, 3.0, None]})
    >>> imeta = pd.DataFrame({"iCode": ["x"], "Level": [1], "Type": ["Indicator"]})
    >>> s = indicator_stats(build(idata, imeta, {"steps": ["impute"]}))
    >>> s[["iCode", "n", "mean", "share_missing"]].values.tolist()
    [['x', 3, 2.0, 0.25]]
    """
    data = _stage(res, stage)
    rows = []
    for c in res.framework.indicators:
        x = data[c].to_numpy(dtype=float)
        ok = x[~np.isnan(x)]
        s, k = skew(x), kurt(x)
        rows.append({
            "iCode": c, "n": int(ok.size),
            "mean": float(ok.mean()) if ok.size else np.nan,
            "sd": float(ok.std(ddof=1)) if ok.size > 1 else np.nan,
            "min": float(ok.min()) if ok.size else np.nan,
            "max": float(ok.max()) if ok.size else np.nan,
            "median": float(np.median(ok)) if ok.size else np.nan,
            "skew": s, "kurtosis": k,
            "share_missing": 1 - ok.size / x.size if x.size else np.nan,
            "flag_availability": bool(x.size and ok.size / x.size < t_avail),
            "flag_skew_kurt": bool(abs(s) > t_skew and k > t_kurt),
        })
    return pd.DataFrame(rows)


def _pair(x: np.ndarray, y: np.ndarray, method: str) -> tuple[float, float, int]:
    ok = ~np.isnan(x) & ~np.isnan(y)
    n = int(ok.sum())
    if n < 3 or np.std(x[ok]) == 0 or np.std(y[ok]) == 0:
        return np.nan, np.nan, n
    if method == "spearman":
        r = float(_st.spearmanr(x[ok], y[ok]).statistic)
    else:
        r = float(np.corrcoef(x[ok], y[ok])[0, 1])
    if abs(r) >= 1:
        return r, 0.0, n
    t = r * np.sqrt((n - 2) / (1 - r * r))
    return r, float(2 * _st.t.sf(abs(t), n - 2)), n


_METHODS = ("pearson", "spearman")


def correlations(res: IndexResult, level: int = 1, other: int | None = None,
                 method: str = "pearson", stage: str | None = None, high: float = 0.9,
                 low: float = -0.4, pval: float = 0.05) -> pd.DataFrame:
    """Pairwise correlations with flags, within a level's parent groups or across two levels.

    Parameters
    ----------
    res : IndexResult
    level : int
        Level of the first variables (1 = indicators).
    other : int, optional
        If given, correlate every member of ``level`` with every member of ``other``
        (e.g. indicators against pillars); otherwise pairs within the same parent.
    method : {"pearson", "spearman"}
    stage : str, optional
        Stage to read (default: the last; aggregates need "aggregated").

    Returns
    -------
    pandas.DataFrame
        ``var1, var2, level1, level2, same_parent, n, r, p, flag``.
    """
    if method not in _METHODS:
        raise SocialkitError(f"correlations: method must be one of {', '.join(_METHODS)}")
    fw = res.framework
    data = _stage(res, stage)
    for lev in [level] + ([other] if other is not None else []):
        if lev not in fw.levels:
            raise SocialkitError(f"correlations: no level {lev} (levels {sorted(fw.levels)})")
        missing = [c for c in fw.levels[lev] if c not in data]
        if missing:
            raise SocialkitError(f"correlations: '{missing[0]}' is not in that stage; use "
                                 "stage='aggregated' for aggregates")
    pairs = []
    if other is None:
        for kids in fw.children.values():
            if kids and kids[0] in fw.levels[level]:
                pairs += [(a, b) for i, a in enumerate(kids) for b in kids[i + 1:]]
    else:
        pairs = [(a, b) for a in fw.levels[level] for b in fw.levels[other] if a != b]
    rows = []
    for a, b in pairs:
        r, p, n = _pair(data[a].to_numpy(float), data[b].to_numpy(float), method)
        same = fw.parent.get(a) == fw.parent.get(b) and fw.parent.get(a) is not None
        flag = ""
        if same and not np.isnan(r) and r >= high:
            flag = "collinear"
        elif same and not np.isnan(r) and r <= low:
            flag = "negative"
        elif not np.isnan(p) and p > pval:
            flag = "insignificant"
        rows.append({"var1": a, "var2": b, "level1": level, "level2": other or level,
                     "same_parent": same, "n": n, "r": r, "p": p, "flag": flag})
    return pd.DataFrame(rows, columns=["var1", "var2", "level1", "level2", "same_parent", "n",
                                       "r", "p", "flag"])


def correlation_matrix(res: IndexResult, codes: list[str] | None = None,
                       method: str = "pearson", stage: str | None = None) -> pd.DataFrame:
    """Square correlation matrix (pairwise complete) of ``codes`` (default: indicators)."""
    data = _stage(res, stage)
    codes = list(codes or res.framework.indicators)
    if method not in _METHODS:
        raise SocialkitError(f"correlations: method must be one of {', '.join(_METHODS)}")
    return data[codes].astype(float).corr(method=method)


def cronbach_alpha(res: IndexResult, stage: str | None = None) -> pd.DataFrame:
    """Cronbach's alpha of the children of every aggregate (``aggregate, k, alpha``).

    >>> x = np.array([[1.0, 2.0], [2.0, 3.0], [3.0, 5.0]])
    >>> round(_alpha(x), 4)
    0.9474
    """
    data = _stage(res, stage)
    rows = []
    for agg in res.framework.aggregates:
        kids = [k for k in res.framework.children[agg] if k in data]
        alpha = _alpha(data[kids].to_numpy(float)) if len(kids) > 1 else np.nan
        rows.append({"aggregate": agg, "k": len(kids), "alpha": alpha})
    return pd.DataFrame(rows)


def _alpha(x: np.ndarray) -> float:
    c = pd.DataFrame(x).cov().to_numpy()
    k = c.shape[0]
    total = c.sum()
    if k < 2 or total == 0 or np.isnan(total):
        return np.nan
    return float(k / (k - 1) * (1 - np.trace(c) / total))


def unit_summary(res: IndexResult, ucode: str, time: str | None = None) -> pd.DataFrame:
    """Score and rank of one unit for every aggregate (top level first).

    Returns ``iCode, iName, Level, score, rank`` (rank among units, descending, ties min).
    """
    data = res.stages.get("aggregated")
    if data is None:
        raise SocialkitError("unit_summary needs an aggregate step in the spec")
    mask = data["uCode"] == ucode
    if time is not None and "Time" in data:
        mask &= data["Time"] == str(time)
    if not mask.any():
        raise SocialkitError(f"unit '{ucode}' is not in the results")
    fw = res.framework
    sub = data[data["Time"] == data.loc[mask, "Time"].iloc[0]] if "Time" in data else data
    pos = np.flatnonzero((sub["uCode"] == ucode).to_numpy())[0]
    rows = []
    for lev in sorted(fw.levels, reverse=True):
        for c in fw.levels[lev]:
            x = sub[c].to_numpy(float)
            rows.append({"iCode": c, "iName": fw.names.get(c, c), "Level": lev,
                         "score": x[pos], "rank": rank_min(x, descending=True)[pos]})
    return pd.DataFrame(rows)


def strengths_weaknesses(res: IndexResult, ucode: str, top: int = 5, bottom: int = 5,
                         stage: str | None = "raw") -> dict[str, pd.DataFrame]:
    """A unit's best- and worst-ranked indicators (``{"strengths": df, "weaknesses": df}``).

    Each frame has ``iCode, iName, value, rank`` (rank among units after direction
    adjustment: 1 = best).
    """
    data = _stage(res, stage)
    fw = res.framework
    if "Time" in data:
        last = sorted(data.loc[data["uCode"] == ucode, "Time"])
        if not last:
            raise SocialkitError(f"unit '{ucode}' is not in the data")
        data = data[data["Time"] == last[-1]]
    pos = np.flatnonzero((data["uCode"] == ucode).to_numpy())
    if pos.size == 0:
        raise SocialkitError(f"unit '{ucode}' is not in the data")
    rows = []
    for c in fw.indicators:
        x = data[c].to_numpy(float)
        r = rank_min(x * fw.direction[c], descending=True)[pos[0]]
        if not np.isnan(r):
            rows.append({"iCode": c, "iName": fw.names.get(c, c), "value": x[pos[0]],
                         "rank": int(r)})
    df = pd.DataFrame(rows, columns=["iCode", "iName", "value", "rank"]).sort_values(
        ["rank", "iCode"], kind="stable")
    return {"strengths": df.head(top).reset_index(drop=True),
            "weaknesses": df.sort_values(["rank", "iCode"], ascending=[False, True],
                                         kind="stable").head(bottom).reset_index(drop=True)}

