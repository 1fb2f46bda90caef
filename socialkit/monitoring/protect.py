"""Progress tables as they may be published: small counts and what gives them back withheld.

The progress of every level (municipality, district, oblast, programme) is one system of
counts a reader can combine (convention: :mod:`socialkit.disclosure`):

* numerators, denominators and, for count indicators, baselines are counts of people;
* within a unit, period and age group, the female and male cells add up to the total cell;
* a district's (oblast's, the programme's) cell adds up the cells of its municipalities that
  have an actual, a target and a baseline (the ones :func:`compute_progress` aggregates).

:func:`published_progress` runs :func:`socialkit.disclosure.suppress_lines` on that system
(numerators, denominators and count baselines separately), then withholds ``actual`` when
its numerator or denominator is hidden, ``baseline`` when it is a hidden count, and
``progress`` when either is (``progress``, ``baseline`` and ``target`` give the actual
back). The coarse ``status`` is kept. A last :func:`socialkit.disclosure.publish` pass blanks
any count of 1 … threshold − 1 left.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..disclosure import Lines, publish, resolve_threshold, suppress_lines
from ..frameworks.indicators import IndicatorFramework, load_framework
from ..memo import fingerprint, memoised
from .indicators import LEVELS
from .progress import compute_progress

__all__ = ["progress_pattern", "published_levels", "published_progress"]

_ROW = ["indicator_id", "level", "unit_id", "period", "sex", "age_group"]
_UPPER = [lv for lv in ("district", "region", "programme") if lv in LEVELS]


def progress_pattern(values: pd.DataFrame, targets: pd.DataFrame,
                     framework: IndicatorFramework | None = None,
                     municipalities: pd.DataFrame | None = None,
                     threshold: int | None = None) -> pd.DataFrame:
    """Progress of every level with the suppression pattern of its counts.

    Returns
    -------
    DataFrame
        :func:`compute_progress` rows of the municipality level and (when ``municipalities``
        is given) of every level above, plus booleans ``numerator_hidden``,
        ``denominator_hidden``, ``baseline_hidden``. Memoised on the content of the tables
        (each report of a batch slices the same pattern).
    """
    framework = framework or load_framework()
    threshold = resolve_threshold() if threshold is None else int(threshold)
    frames = {"values": values, "targets": targets}
    if municipalities is not None:
        frames["municipalities"] = municipalities
    key = ("progress_pattern", fingerprint(frames), framework.model_dump_json(), threshold)
    return memoised(key, lambda: _pattern(values, targets, framework, municipalities,
                                          threshold))


def _pattern(values: pd.DataFrame, targets: pd.DataFrame, framework: IndicatorFramework,
             municipalities: pd.DataFrame | None, threshold: int) -> pd.DataFrame:
    levels = ["municipality"] + (_UPPER if municipalities is not None else [])
    frames = [compute_progress(values, targets, framework, level=lv,
                               municipalities=municipalities) for lv in levels]
    rows = pd.concat(frames, ignore_index=True)
    count_ind = {i.id for i in framework.indicators if i.denominator is None}
    additive = {i.id for i in framework.indicators if i.aggregation.space in ("sum", "average")}
    lines = _lines(rows, municipalities, additive, levels)
    out = rows.copy()
    for col in ("numerator", "denominator", "baseline"):
        v = pd.to_numeric(rows[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        if col == "baseline":
            v = np.where(rows["indicator_id"].isin(count_ind).to_numpy(), v, np.nan)
        hidden, _ = suppress_lines(v, lines, threshold)
        out[f"{col}_hidden"] = hidden
    return out


def _lines(rows: pd.DataFrame, municipalities: pd.DataFrame | None, additive: set[str],
           levels: list[str]) -> Lines:
    n = len(rows)
    pos = np.arange(n)
    parts = []
    # sex: female + male = total, within indicator, level, unit, period, age group
    key = ["indicator_id", "level", "unit_id", "period", "age_group"]
    code = rows.groupby(key, sort=False, observed=True).ngroup().to_numpy()
    parts.append(Lines(code, pos, (rows["sex"] == "total").to_numpy()))
    # levels: a unit's cell = sum of its municipalities' cells that were aggregated
    if municipalities is None or len(levels) == 1:
        return Lines.concat(parts)
    mun = rows.loc[rows["level"] == "municipality"]
    ok = (mun["actual"].notna() & mun["target"].notna() & mun["baseline"].notna()
          & mun["indicator_id"].isin(additive)).to_numpy()
    mun_pos = pos[(rows["level"] == "municipality").to_numpy()][ok]
    mun = mun.loc[ok]
    index = pd.MultiIndex.from_frame(rows[_ROW].astype(str))
    for lv in levels[1:]:
        column = LEVELS[lv]
        units = (pd.Series("programme", index=municipalities.index) if column is None
                 else municipalities[column].astype(str))
        unit_of = dict(zip(municipalities["municipality_id"].astype(str), units, strict=True))
        parent = pd.DataFrame({
            "indicator_id": mun["indicator_id"].astype(str).to_numpy(), "level": lv,
            "unit_id": mun["unit_id"].astype(str).map(unit_of).to_numpy(),
            "period": mun["period"].astype(str).to_numpy(),
            "sex": mun["sex"].astype(str).to_numpy(),
            "age_group": mun["age_group"].astype(str).to_numpy()})
        total = index.get_indexer(pd.MultiIndex.from_frame(parent[_ROW].astype(str)))
        has = total >= 0
        codes, uniq = pd.factorize(total[has])
        parts.append(Lines(np.r_[codes, np.arange(uniq.size)],
                           np.r_[mun_pos[has], uniq],
                           np.r_[np.zeros(codes.size, bool), np.ones(uniq.size, bool)]))
    return Lines.concat(parts)


def published_progress(values: pd.DataFrame, targets: pd.DataFrame,
                       framework: IndicatorFramework | None = None, *,
                       level: str = "municipality",
                       municipalities: pd.DataFrame | None = None,
                       threshold: int | None = None) -> pd.DataFrame:
    """:func:`compute_progress` of ``level``, protected as part of every level's system.

    Returns
    -------
    DataFrame
        The :func:`compute_progress` columns (numbers resting on a hidden count set to NA)
        plus ``suppressed`` (bool: something in the row is withheld).
    """
    framework = framework or load_framework()
    threshold = resolve_threshold() if threshold is None else int(threshold)
    pat = progress_pattern(values, targets, framework, municipalities, threshold)
    return _publish_level(pat, level, framework, threshold)


def published_levels(values: pd.DataFrame, targets: pd.DataFrame,
                     framework: IndicatorFramework | None = None, *,
                     municipalities: pd.DataFrame,
                     threshold: int | None = None) -> dict[str, pd.DataFrame]:
    """:func:`published_progress` of every level, from one pattern."""
    framework = framework or load_framework()
    threshold = resolve_threshold() if threshold is None else int(threshold)
    pat = progress_pattern(values, targets, framework, municipalities, threshold)
    return {lv: _publish_level(pat, lv, framework, threshold)
            for lv in ["municipality", *_UPPER]}


def _publish_level(pat: pd.DataFrame, level: str, framework: IndicatorFramework,
                   threshold: int) -> pd.DataFrame:
    pat = pat.loc[pat["level"] == level].reset_index(drop=True)
    num, den, base = (pat[f"{c}_hidden"].to_numpy() for c in ("numerator", "denominator",
                                                                "baseline"))
    actual = num | den
    is_count = pat["indicator_id"].isin(
        {i.id for i in framework.indicators if i.denominator is None}).to_numpy()
    hidden = {"numerator": num, "denominator": den, "actual": actual, "baseline": base,
              "progress": actual | base}
    counts = ["numerator", "denominator"]
    out = publish(pat.drop(columns=["numerator_hidden", "denominator_hidden",
                                    "baseline_hidden"]), counts=counts, hidden=hidden,
                  threshold=threshold)
    # count indicators: actual and baseline are counts too
    for col in ("actual", "baseline"):
        v = pd.to_numeric(out[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        small = is_count & (v >= 1) & (v < threshold)
        out[col] = out[col].astype(float).mask(small)
        out["progress"] = out["progress"].astype(float).mask(small)
    out["suppressed"] = np.column_stack([out[c].isna().to_numpy() & pat[c].notna().to_numpy()
                                         for c in ("numerator", "denominator", "actual",
                                                   "baseline", "progress")]).any(axis=1)
    return out
