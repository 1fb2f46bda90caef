"""Analysis of a built index: statistics, correlations, Cronbach's alpha, unit profiles.

Conventions followed
--------------------
* :func:`indicator_stats` — COINr ``get_stats()``: n (available), mean, sd (sample, n − 1),
  min, max, median, skew and kurtosis (COINr's bias-corrected definitions), share missing;
  flags ``flag_availability`` (share available < ``t_avail`` = 0.65) and ``flag_skew_kurt``
  (:math:`|G_1| > 2` and :math:`G_2 > 3.5`, COINr's ``t_skew``/``t_kurt``).
* :func:`correlations` — COINr ``get_corr()`` / ``get_corr_flags()``: Pearson or Spearman on
  pairwise-complete observations; p-values as R's ``cor.test`` (which COINr's ``get_pvals``
  calls): Pearson from the t distribution with n − 2 degrees of freedom; Spearman with R's
  exact test when there are no ties and n ≤ 1290 (AS 89: all n! permutations for n ≤ 9,
  Edgeworth series above, on the statistic :math:`S = (n^3 - n)(1 - \\rho)/6`), and the t
  approximation when there are ties, as R does. Pairs ``within`` the same parent, or
  ``across`` two levels (a member against the aggregates of the other level). Flags:
  ``collinear`` when :math:`r \\ge` ``high`` (0.9) and ``negative`` when :math:`r \\le` ``low``
  (−0.4) for pairs sharing a parent; ``insignificant`` when p > ``pval`` (0.05).
* :func:`cronbach_alpha` — COINr ``get_cronbach()``: with C the covariance matrix of the k
  variables (pairwise complete), :math:`\\alpha = \\frac{k}{k-1}\\left(1 -
  \\frac{\\mathrm{tr}\\,C}{\\sum C}\\right)` (sums skip missing entries, ``na.rm = TRUE``).
  By default one row per aggregate over its children; ``codes``/``level`` choose any set, as
  ``get_cronbach(coin, iCodes = ..., Level = ...)`` does (e.g. every indicator, every pillar,
  or the indicators under one pillar).
* :func:`effective_weights` — COINr ``get_eff_weights()``: weights normalised to sum to 1
  within each parent, then multiplied down the tree, so each level's effective weights sum
  to 1.
* :func:`unit_summary` — COINr ``get_unit_summary()``: a unit's score and rank at every level.
* :func:`strengths_weaknesses` — COINr ``get_str_weak()``: indicators ranked across units
  after multiplying by Direction (rank 1 best, ties min, missing kept missing); with
  ``min_discard`` (COINr's default) an indicator where the unit has the worst rank (the
  minimum score, ties included) is left out; ``unq_discard`` drops indicators whose share of
  unique values is not above the threshold; the rest are ordered by rank, ties in framework
  order (R's stable ``order``); strengths are the first ``top``, weaknesses the last
  ``bottom`` in that order (so the worst is the last row, as in COINr).
"""

from __future__ import annotations

from functools import cache
from itertools import permutations

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
    "effective_weights",
    "indicator_stats",
    "spearman_p",
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


@cache
def _spearman_null(n: int) -> np.ndarray:
    """Sorted :math:`S = \\sum_i (i - p_i)^2` over all n! permutations (n ≤ 9, ≤ 362,880)."""
    perms = np.array(list(permutations(range(n))), dtype=np.int64)
    return np.sort(((perms - np.arange(n)) ** 2).sum(axis=1))


def _prho(n: int, s: float, lower_tail: bool) -> float:
    """R's ``prho`` (AS 89): :math:`P(S \\ge s)`, or :math:`P(S < s)` if ``lower_tail``."""
    pv = 0.0 if lower_tail else 1.0
    if s <= 0:
        return pv
    n3 = n * (n * n - 1) / 3
    if s > n3:
        return 1 - pv
    if n <= 9:
        null = _spearman_null(n)
        ifr = null.size - int(np.searchsorted(null, s, side="left"))  # #{S >= s}
        return (null.size - ifr if lower_tail else ifr) / null.size
    b = 1 / n
    x = (6 * (s - 1) * b / (n * n - 1) - 1) * np.sqrt(n - 1)
    y = x * x
    u = x * b * (0.2274 + b * (0.2531 + 0.1745 * b)
                 + y * (-0.0758 + b * (0.1033 + 0.3932 * b)
                        - y * b * (0.0879 + 0.0151 * b
                                   - y * (0.0072 - 0.0831 * b + y * b * (0.0131 - 4.6e-4 * y)))))
    y = u / np.exp(y / 2)
    pv = (-y if lower_tail else y) + float(_st.norm.cdf(x) if lower_tail else _st.norm.sf(x))
    return float(min(max(pv, 0.0), 1.0))


def spearman_p(r: float, n: int, ties: bool) -> float:
    """Two-sided p-value of Spearman's rho as R's ``cor.test(method = "spearman")``.

    Exact (AS 89) when there are no ties and n ≤ 1290, else the t approximation with
    n − 2 degrees of freedom, as R.

    >>> round(spearman_p(0.8, 5, ties=False), 6)   # R: cor.test(1:5, c(2,1,4,3,5), method="s")
    0.133333
    """
    if n > 1290 or ties:
        if abs(r) >= 1:
            return 0.0
        t = r / np.sqrt((1 - r * r) / (n - 2))
        return float(min(2 * _st.t.sf(abs(t), n - 2), 1.0))
    q = (n**3 - n) * (1 - r) / 6
    if q > (n**3 - n) / 6:
        p = _prho(n, round(q), lower_tail=False)
    else:
        p = _prho(n, round(q) + 2, lower_tail=True)
    return float(min(2 * p, 1.0))


def _pair(x: np.ndarray, y: np.ndarray, method: str) -> tuple[float, float, int]:
    ok = ~np.isnan(x) & ~np.isnan(y)
    n = int(ok.sum())
    if n < 3 or np.std(x[ok]) == 0 or np.std(y[ok]) == 0:
        return np.nan, np.nan, n
    if method == "spearman":
        xo, yo = x[ok], y[ok]
        r = float(_st.spearmanr(xo, yo).statistic)
        ties = min(np.unique(xo).size, np.unique(yo).size) < n
        return r, spearman_p(r, n, ties), n
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


def _members(fw, codes: list[str] | None, level: int | None) -> list[str]:
    """COINr ``get_data(iCodes, Level)``: the codes, or their descendants at ``level``."""
    if level is not None and level not in fw.levels:
        raise SocialkitError(f"cronbach_alpha: no level {level} (levels {sorted(fw.levels)})")
    if codes is None:
        return list(fw.levels[level if level is not None else 1])
    out: list[str] = []
    for code in codes:
        if code not in fw.parent:
            raise SocialkitError(f"cronbach_alpha: '{code}' is not in the framework")
        todo = [code]
        while todo:
            c = todo.pop(0)
            here = next(lev for lev, cs in fw.levels.items() if c in cs)
            if level is None or here == level:
                out.append(c)
            elif here > level:
                todo[:0] = list(fw.children.get(c, ()))
    return list(dict.fromkeys(out))


def cronbach_alpha(res: IndexResult, stage: str | None = None, *,
                   codes: list[str] | None = None, level: int | None = None
                   ) -> pd.DataFrame:
    """Cronbach's alpha (COINr ``get_cronbach()``).

    Parameters
    ----------
    res : IndexResult
    stage : str, optional
        Stage to read (default: the last; aggregates need ``"aggregated"``).
    codes, level : optional
        Any set of variables, as COINr's ``iCodes``/``Level``: ``level=1`` alone is every
        indicator, ``level=2`` every pillar, ``codes=["P1"], level=1`` the indicators under P1,
        ``codes=[...]`` alone exactly those variables. Without either: one row per aggregate
        over its children.

    Returns
    -------
    pandas.DataFrame
        ``aggregate, k, alpha`` (``aggregate`` names the set: the aggregate, or the codes and
        level asked for).

    >>> x = np.array([[1.0, 2.0], [2.0, 3.0], [3.0, 5.0]])
    >>> round(_alpha(x), 4)
    0.9474
    """
    data = _stage(res, stage)
    fw = res.framework
    if codes is not None or level is not None:
        members = _members(fw, list(codes) if codes is not None else None, level)
        missing = [c for c in members if c not in data]
        if missing:
            raise SocialkitError(f"cronbach_alpha: '{missing[0]}' is not in that stage; use "
                                 "stage='aggregated' for aggregates")
        label = ",".join(codes) if codes is not None else "all"
        if level is not None:
            label += f"@level{level}"
        alpha = _alpha(data[members].to_numpy(float)) if len(members) > 1 else np.nan
        return pd.DataFrame([{"aggregate": label, "k": len(members), "alpha": alpha}])
    rows = []
    for agg in fw.aggregates:
        kids = [k for k in fw.children[agg] if k in data]
        alpha = _alpha(data[kids].to_numpy(float)) if len(kids) > 1 else np.nan
        rows.append({"aggregate": agg, "k": len(kids), "alpha": alpha})
    return pd.DataFrame(rows)


def _alpha(x: np.ndarray) -> float:
    c = pd.DataFrame(x).cov().to_numpy()
    k = c.shape[0]
    total = np.nansum(c)
    if k < 2 or total == 0 or np.all(np.isnan(c)):
        return np.nan
    return float(k / (k - 1) * (1 - np.nansum(np.diag(c)) / total))


def effective_weights(res: IndexResult) -> pd.DataFrame:
    """Effective weight of every indicator and aggregate in the index (COINr
    ``get_eff_weights(out2 = "df")``).

    Returns
    -------
    pandas.DataFrame
        ``iCode, Level, Weight, EffWeight``: ``Weight`` is the weight the aggregation used;
        ``EffWeight`` is it normalised within its parent and multiplied by the parent's
        effective weight, so every level sums to 1.
    """
    fw = res.framework
    w = res.weights or fw.weight
    top = max(fw.levels)
    eff: dict[str, float] = {}
    rows = []
    for lev in sorted(fw.levels, reverse=True):
        groups: dict[str | None, list[str]] = {}
        for c in fw.levels[lev]:
            groups.setdefault(fw.parent.get(c) if lev < top else None, []).append(c)
        for parent, members in groups.items():
            total = sum(float(w.get(c, 1.0)) for c in members)
            for c in members:
                share = float(w.get(c, 1.0)) / total if total else np.nan
                eff[c] = share * (eff[parent] if parent is not None else 1.0)
    for lev in sorted(fw.levels):
        for c in fw.levels[lev]:
            rows.append({"iCode": c, "Level": lev, "Weight": float(w.get(c, 1.0)),
                         "EffWeight": eff[c]})
    return pd.DataFrame(rows, columns=["iCode", "Level", "Weight", "EffWeight"])


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
                         stage: str | None = "raw", min_discard: bool = True,
                         unq_discard: float | None = None) -> dict[str, pd.DataFrame]:
    """A unit's best- and worst-ranked indicators (COINr ``get_str_weak()``).

    Parameters
    ----------
    res : IndexResult
    ucode : str
    top, bottom : int
        How many strengths and weaknesses (COINr ``topN``/``bottomN``).
    stage : str, optional
        Stage to read (COINr ``dset``; default the raw data, adjusted for Direction).
    min_discard : bool
        Leave out indicators where the unit has the worst rank (COINr's default ``TRUE``): being
        tied at the minimum is not a distinctive weakness.
    unq_discard : float, optional
        Leave out indicators whose share of unique values is at or below this.

    Returns
    -------
    dict
        ``{"strengths": df, "weaknesses": df}``, each with ``iCode, iName, value, rank`` (rank
        1 = best), ordered by rank ascending as COINr orders them (the worst weakness last).
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
        if unq_discard is not None and len(pd.unique(x)) / len(x) <= unq_discard:
            continue
        ranks = rank_min(x * fw.direction[c], descending=True)
        r = ranks[pos[0]]
        if np.isnan(r) or (min_discard and r == np.nanmax(ranks)):
            continue
        rows.append({"iCode": c, "iName": fw.names.get(c, c), "value": x[pos[0]],
                     "rank": int(r)})
    df = pd.DataFrame(rows, columns=["iCode", "iName", "value", "rank"]).sort_values(
        "rank", kind="stable").reset_index(drop=True)
    return {"strengths": df.head(top).reset_index(drop=True),
            "weaknesses": df.tail(bottom).reset_index(drop=True)}
