"""Scores and levels: answers -> items -> dimensions -> overall, through :mod:`socialkit.index`.

The answers become a COINr panel (iData: one row per municipality and round, ``Time`` = the
round, one column per item; iMeta: items at Level 1 under their dimension, dimensions at
Level 2 under ``overall`` at Level 3, weights and goalposts from the framework) and the
framework's ``index`` spec runs on it. The shipped spec normalises every answer with the
item's scale as goalposts, pooled over all rounds (``global``) so rounds compare::

    s_i = 100 * (answer_i - scale_min_i) / (scale_max_i - scale_min_i)

then aggregates by weighted arithmetic mean, skipping missing answers (COINr ``a_amean``)::

    dimension_d = sum_i w_i s_i / sum_i w_i          (answered items i of d)
    overall     = sum_d v_d dimension_d / sum_d v_d  (scored dimensions; v_d = 1: JRC mean)

with COINr's ``dat_thresh``: a dimension with fewer than that share of its items answered (an
overall score with fewer than that share of dimensions scored) is missing and reported as
``insufficient_data``, never scored from what is left.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataValidationError, Problem
from ..frameworks.maturity import OVERALL, MaturityFramework
from ..index import IndexResult, build

__all__ = ["INSUFFICIENT", "check_responses", "index_inputs", "score", "score_levels"]

#: ``status`` / ``level_id`` of a score that could not be computed from too few answers.
INSUFFICIENT = "insufficient_data"
_REQUIRED = ("municipality_id", "round", "item_id", "score")
_ROUND = r"\d{4}-(0[1-9]|1[0-2])"


def check_responses(responses: pd.DataFrame, fw: MaturityFramework,
                    source: str = "maturity_responses") -> pd.DataFrame:
    """Check answers against the framework; return a clean copy.

    Every problem is listed with its line (header = line 1): missing columns, unknown items,
    scores that are not numbers or off the item's scale, the same item answered twice in a
    round.
    """
    missing = [c for c in _REQUIRED if c not in responses.columns]
    if missing:
        raise DataValidationError([Problem(source, f"missing column '{c}'", column=c,
                                           expected="columns " + ", ".join(_REQUIRED))
                                   for c in missing])
    df = responses.reset_index(drop=True)[list(_REQUIRED)].copy()
    if df.empty:
        raise DataValidationError([Problem(source, "no answers",
                                           expected="at least one row of answers")])
    problems: list[Problem] = []
    items = fw.items_frame().set_index("item_id")
    for col in ("municipality_id", "round", "item_id"):
        bad = df[col].isna()
        problems += [Problem(source, "empty cell", row=int(i) + 2, column=col,
                             expected="a value") for i in df.index[bad]]
        df[col] = df[col].astype("str")
    bad_round = responses["round"].notna().to_numpy() & ~df["round"].str.fullmatch(
        _ROUND).to_numpy(dtype=bool)
    problems += [Problem(source, "not an assessment round", row=int(i) + 2, column="round",
                         value=df.at[i, "round"], expected="a month YYYY-MM such as 2021-04")
                 for i in df.index[bad_round]]
    unknown = df["item_id"].notna() & ~df["item_id"].isin(items.index)
    problems += [Problem(source, "unknown item", row=int(i) + 2, column="item_id",
                         value=df.at[i, "item_id"],
                         expected=f"an item id of framework '{fw.id}'")
                 for i in df.index[unknown]]
    num = pd.to_numeric(df["score"], errors="coerce").astype("float64")
    not_num = num.isna() & df["score"].notna()
    problems += [Problem(source, "not a number", row=int(i) + 2, column="score",
                         value=df.at[i, "score"], expected="a number or an empty cell")
                 for i in df.index[not_num]]
    df["score"] = num
    known = ~unknown
    lo = df["item_id"].map(items["scale_min"]).astype("float64")
    hi = df["item_id"].map(items["scale_max"]).astype("float64")
    off = known & num.notna() & ((num < lo) | (num > hi) | (num != np.round(num)))
    problems += [Problem(source, "score off the item's scale", row=int(i) + 2, column="score",
                         value=float(num[i]),
                         expected=f"a whole number from {int(lo[i])} to {int(hi[i])}")
                 for i in df.index[off]]
    dup = df.duplicated(["municipality_id", "round", "item_id"], keep="first")
    problems += [Problem(source, "item answered twice in the same round", row=int(i) + 2,
                         column="item_id", value=df.at[i, "item_id"],
                         expected="one answer per municipality, round and item")
                 for i in df.index[dup]]
    if problems:
        raise DataValidationError(problems, header=f"{len(problems)} problem(s) in {source}")
    return df


def index_inputs(responses: pd.DataFrame, fw: MaturityFramework,
                 names: pd.Series | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """COINr iData (panel, ``Time`` = round) and iMeta for checked ``responses``."""
    items = fw.items_frame()
    wide = responses.pivot(index=["municipality_id", "round"], columns="item_id",
                           values="score")
    wide = wide.reindex(columns=items["item_id"]).astype("float64").reset_index()
    idata = pd.DataFrame({"uCode": wide["municipality_id"],
                          "uName": wide["municipality_id"].map(names) if names is not None
                          else wide["municipality_id"],
                          "Time": wide["round"]})
    idata["uName"] = idata["uName"].fillna(idata["uCode"])
    idata = pd.concat([idata, wide[list(items["item_id"])]], axis=1)
    meta = [{"iCode": r.item_id, "iName": r.item_id, "Level": 1, "Parent": r.dimension,
             "Type": "Indicator", "Weight": r.weight, "Direction": 1,
             "goalpost_lower": r.scale_min, "goalpost_upper": r.scale_max}
            for r in items.itertuples()]
    meta += [{"iCode": d.id, "iName": d.name["en"], "Level": 2, "Parent": OVERALL,
              "Type": "Aggregate", "Weight": d.weight, "Direction": 1}
             for d in fw.dimensions]
    meta.append({"iCode": OVERALL, "iName": fw.title["en"], "Level": 3, "Parent": None,
                 "Type": "Aggregate", "Weight": 1.0, "Direction": 1})
    return idata, pd.DataFrame(meta)


def score(responses: pd.DataFrame, fw: MaturityFramework,
          names: pd.Series | None = None) -> tuple[pd.DataFrame, IndexResult]:
    """Dimension and overall scores per municipality and round.

    Parameters
    ----------
    responses : pandas.DataFrame
        Checked answers (:func:`check_responses`).
    fw : MaturityFramework
        The framework; its ``index`` spec is run by :func:`socialkit.index.build`.
    names : pandas.Series, optional
        Municipality names by id (for the index's ``uName``).

    Returns
    -------
    scores : pandas.DataFrame
        One row per municipality, round and code (each dimension, then ``overall``):
        ``municipality_id, round, code, score`` (0-100, NA when insufficient),
        ``rank`` (within the round over all municipalities; COINr ties "min"),
        ``answered`` and ``expected`` (items answered / in the dimension; dimensions scored /
        in the framework for ``overall``), ``status`` (``scored`` | ``insufficient_data``).
    index : IndexResult
        The full :mod:`socialkit.index` result (every stage, the spec that ran).
    """
    idata, imeta = index_inputs(responses, fw, names)
    res = build(idata, imeta, fw.spec, source="maturity_responses", meta_source=fw.source)
    out = res.results
    codes = fw.dimension_ids + [OVERALL]
    long = out.melt(id_vars=["uCode", "Time"], value_vars=codes, var_name="code",
                    value_name="score")
    ranks = out.melt(id_vars=["uCode", "Time"], value_vars=[f"{c}_rank" for c in codes],
                     var_name="code", value_name="rank")
    long["rank"] = pd.array(ranks["rank"].to_numpy(), dtype="Int64")
    answered = {d.id: idata[[i.id for i in d.items]].notna().sum(axis=1) for d in fw.dimensions}
    expected = {d.id: len(d.items) for d in fw.dimensions}
    dims = out[fw.dimension_ids]
    answered[OVERALL] = dims.notna().sum(axis=1)
    expected[OVERALL] = len(fw.dimensions)
    long["answered"] = np.concatenate([answered[c].to_numpy() for c in codes])
    long["expected"] = [expected[c] for c in codes for _ in range(len(out))]
    long["status"] = np.where(long["score"].isna(), INSUFFICIENT, "scored")
    long = long.rename(columns={"uCode": "municipality_id", "Time": "round"})
    order = {c: i for i, c in enumerate(codes)}
    long = long.sort_values(["municipality_id", "round", "code"],
                            key=lambda s: s.map(order) if s.name == "code" else s,
                            kind="stable").reset_index(drop=True)
    long["answered"] = long["answered"].astype("int64")
    long["expected"] = long["expected"].astype("int64")
    return long, res


def score_levels(scores: pd.DataFrame, fw: MaturityFramework) -> pd.DataFrame:
    """The maturity level of every score.

    Returns ``municipality_id, round, code, score, level`` (Int64, NA when insufficient),
    ``level_id`` (the level's id, or ``insufficient_data``). A score ``s`` is at level ``k``
    when ``min_k <= s < min_{k+1}`` (the top level runs to 100 inclusive).
    """
    mins = np.array([lev.min for lev in fw.levels])
    nums = np.array([lev.level for lev in fw.levels])
    ids = np.array([lev.id for lev in fw.levels], dtype=object)
    s = scores["score"].to_numpy(dtype=float)
    pos = np.searchsorted(mins, np.nan_to_num(s, nan=0.0), side="right") - 1
    has = ~np.isnan(s)
    out = scores[["municipality_id", "round", "code", "score"]].copy()
    out["level"] = pd.array(np.where(has, nums[pos], 0), dtype="Int64")
    out.loc[~has, "level"] = pd.NA
    out["level_id"] = np.where(has, ids[pos], INSUFFICIENT).astype(str)
    return out
