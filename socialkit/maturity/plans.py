"""Gaps to target levels and the action plan (UK LocalGov Digital Quality Model style).

Gaps
----
For each municipality the latest round it took part in is used (or a chosen round, where the
municipality answered in it). Each dimension gets a target
level: by default the next level (current + 1, the top level stays the top), or one set per
municipality and dimension. With :math:`m_L` the lowest score of level :math:`L`::

    gap_d = max(0, m_target - score_d)        (points on 0-100)

``status``: ``gap`` (below the target), ``met`` (at or above it), ``top`` (at the top level, no
higher target), ``insufficient_data`` (no score, no gap computed: answer the questionnaire).

Action plan
-----------
Every library action of a dimension with ``level_d < target_level(action) <= target_d`` is
proposed, with::

    priority = gap_d * (v_d / sum_k v_k) / effort(action)

(:math:`v` the dimension weights in the overall score: ``gap × weight`` is the number of
overall points at stake; the effort value comes from the framework). Actions are ordered by
priority (highest first; ties: lower target level, then action id) and scheduled by quarter
from the quarter after the assessment round: at most ``capacity`` actions run at once, and an
action for level :math:`L` of a dimension starts only after that dimension's actions for
lower levels have ended (list scheduling in priority order).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from ..errors import SocialkitError
from ..frameworks.maturity import OVERALL, MaturityFramework

__all__ = ["action_plan", "find_gaps", "normalise_targets", "start_quarter"]

_GAP_COLS = ["municipality_id", "round", "code", "score", "level", "target_level",
             "target_score", "gap", "weight", "status"]
_PLAN_COLS = ["municipality_id", "round", "order", "action_id", "dimension", "level",
              "target_level", "gap", "weight", "effort", "effort_value", "priority", "cost",
              "responsible", "duration_quarters", "start", "end"]


def normalise_targets(targets: object, fw: MaturityFramework,
                      municipalities: list[str]) -> pd.DataFrame:
    """Targets as a table ``municipality_id, code, target_level``.

    Accepted forms: ``None`` (none set), an int (that level everywhere), ``{dimension:
    level}`` (for every municipality), ``{municipality_id: {dimension: level}}``, or a
    DataFrame with ``municipality_id`` (empty or ``*`` = every municipality), ``dimension``
    and ``target_level``. Municipality-specific targets win over general ones.
    """
    cols = ["municipality_id", "code", "target_level"]
    if targets is None:
        return pd.DataFrame(columns=cols)
    dims = fw.dimension_ids
    if isinstance(targets, int | np.integer) and not isinstance(targets, bool):
        rows = [("*", d, int(targets)) for d in dims]
    elif isinstance(targets, dict):
        rows = []
        for key, value in targets.items():
            if isinstance(value, dict):
                rows += [(str(key), str(d), lev) for d, lev in value.items()]
            else:
                rows.append(("*", str(key), value))
    elif isinstance(targets, pd.DataFrame):
        missing = {"dimension", "target_level"} - set(targets.columns)
        if missing:
            raise SocialkitError(f"targets: missing column(s) {', '.join(sorted(missing))}; "
                                 "expected municipality_id, dimension, target_level")
        mid = targets["municipality_id"] if "municipality_id" in targets else pd.Series(
            "*", index=targets.index)
        rows = [("*" if pd.isna(m) or str(m).strip() in ("", "*") else str(m), str(d), lev)
                for m, d, lev in zip(mid, targets["dimension"], targets["target_level"],
                                     strict=True)]
    else:
        raise SocialkitError("targets: expected a level, {dimension: level}, "
                             "{municipality_id: {dimension: level}} or a table")
    numbers = [lev.level for lev in fw.levels]
    for i, (m, d, lev) in enumerate(rows):
        if d not in dims:
            raise SocialkitError(f"targets, entry {i + 1}: unknown dimension '{d}'; expected "
                                 "one of " + ", ".join(dims))
        try:
            ok = float(lev) == int(lev) and int(lev) in numbers
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise SocialkitError(f"targets, entry {i + 1} ({d}): target level {lev!r}; expected "
                                 f"a level from {numbers[0]} to {numbers[-1]}")
        if m != "*" and m not in municipalities:
            raise SocialkitError(f"targets, entry {i + 1}: unknown municipality '{m}'")
    out = pd.DataFrame([(m, d, int(lev)) for m, d, lev in rows], columns=cols)
    return out


def _resolve(targets: pd.DataFrame, mids: pd.Series, codes: pd.Series) -> np.ndarray:
    specific = {(m, d): lev for m, d, lev in targets.itertuples(index=False) if m != "*"}
    general = {d: lev for m, d, lev in targets.itertuples(index=False) if m == "*"}
    return np.array([specific.get((m, d), general.get(d, np.nan))
                     for m, d in zip(mids, codes, strict=True)], dtype=float)


def find_gaps(levels: pd.DataFrame, fw: MaturityFramework, targets: object = None,
              round: str | None = None) -> pd.DataFrame:
    """Gap to the target level of every dimension, for each municipality's latest round.

    Parameters
    ----------
    levels : pandas.DataFrame
        From :func:`socialkit.maturity.scoring.score_levels`.
    fw : MaturityFramework
        Levels, thresholds and dimension weights.
    targets : optional
        See :func:`normalise_targets`; default the next level.
    round : str, optional
        Use this round for every municipality that answered in it (the others keep their
        latest round).

    Returns
    -------
    pandas.DataFrame
        ``municipality_id, round, code, score, level, target_level, target_score, gap,
        weight, status``; ``weight`` is the dimension's share of the overall weight.
    """
    lv = levels[levels["code"] != OVERALL]
    latest = lv.groupby("municipality_id")["round"].transform("max")
    if round is not None:
        has = lv.groupby("municipality_id")["round"].transform(lambda r: (r == round).any())
        latest = latest.where(~has, round)
    lv = lv[lv["round"] == latest]
    lv = lv.reset_index(drop=True)
    mids = sorted(pd.unique(lv["municipality_id"]))
    tg = normalise_targets(targets, fw, mids)
    explicit = _resolve(tg, lv["municipality_id"], lv["code"])
    level = lv["level"].to_numpy(dtype=float, na_value=np.nan)
    top = fw.top_level
    default = np.minimum(level + 1, top)
    target = np.where(np.isnan(explicit), default, explicit)
    mins = {lev.level: lev.min for lev in fw.levels}
    target_score = np.array([mins.get(int(x), np.nan) if not np.isnan(x) else np.nan
                             for x in target])
    score = lv["score"].to_numpy(dtype=float)
    gap = np.maximum(0.0, target_score - score)
    weights = {d.id: d.weight for d in fw.dimensions}
    total = sum(weights.values()) or 1.0
    status = np.select(
        [np.isnan(score), gap > 0, np.isnan(explicit) & (level == top)],
        ["insufficient_data", "gap", "top"], default="met")
    out = lv[["municipality_id", "round", "code", "score"]].copy()
    out["level"] = lv["level"]
    out["target_level"] = pd.array(np.where(np.isnan(target), 0, target).astype(int),
                                   dtype="Int64")
    out.loc[np.isnan(target), "target_level"] = pd.NA
    out["target_score"] = target_score
    out["gap"] = gap
    out["weight"] = lv["code"].map(weights).astype(float) / total
    out["status"] = status.astype(str)
    return out[_GAP_COLS]


def start_quarter(round_label: str) -> pd.Period:
    """The quarter after the one holding the round (``"2021-04"`` -> ``2021Q3``).

    >>> str(start_quarter("2021-04"))
    '2021Q3'
    """
    return pd.Period(round_label, freq="M").asfreq("Q") + 1


def _schedule(dims: np.ndarray, lev: np.ndarray, dur: np.ndarray, capacity: int
              ) -> tuple[list[int], list[int]]:
    """List scheduling in priority order (rows already sorted); start and end offsets."""
    n = len(dims)
    start, end = [0] * n, [0] * n
    done = [False] * n
    load: Counter[int] = Counter()
    for _ in range(n):
        for i in range(n):  # highest priority first whose prerequisites are placed
            if done[i]:
                continue
            pre = [j for j in range(n) if dims[j] == dims[i] and lev[j] < lev[i]]
            if all(done[j] for j in pre):
                break
        q = max((end[j] + 1 for j in pre), default=0)
        d = int(dur[i])
        while any(load[q + k] >= capacity for k in range(d)):
            q += 1
        for k in range(d):
            load[q + k] += 1
        start[i], end[i], done[i] = q, q + d - 1, True
    return start, end


def action_plan(gaps: pd.DataFrame, fw: MaturityFramework, capacity: int = 3) -> pd.DataFrame:
    """Actions from the library for every gap, prioritised and scheduled by quarter.

    Parameters
    ----------
    gaps : pandas.DataFrame
        From :func:`find_gaps`.
    fw : MaturityFramework
        The action library and effort values.
    capacity : int
        Most actions a municipality runs in the same quarter.

    Returns
    -------
    pandas.DataFrame
        One row per municipality and action, ordered by municipality then ``order``
        (1 = highest priority): ``municipality_id, round, order, action_id, dimension,
        level, target_level, gap, weight, effort, effort_value, priority, cost, responsible,
        duration_quarters, start, end`` (quarters such as ``2021Q3``). Language-free: the
        action's title, description and indicator in a language come from
        :func:`socialkit.maturity.report.text_tables`.
    """
    if capacity < 1:
        raise SocialkitError(f"capacity {capacity}: expected at least 1 action per quarter")
    lib = pd.DataFrame([{
        "action_id": a.id, "dimension": a.dimension, "action_level": a.target_level,
        "effort": a.effort, "effort_value": fw.effort[a.effort].value, "cost": a.cost,
        "responsible": a.responsible, "duration_quarters": a.duration_quarters}
        for a in fw.actions])
    g = gaps[gaps["status"] == "gap"]
    if lib.empty or g.empty:
        return pd.DataFrame(columns=_PLAN_COLS)
    m = g.merge(lib, left_on="code", right_on="dimension")
    cur = m["level"].astype("Int64").to_numpy(dtype=float, na_value=np.nan)
    keep = (m["action_level"] > cur) & (m["action_level"] <= m["target_level"].astype(float))
    m = m[keep.to_numpy()].copy()
    if m.empty:
        return pd.DataFrame(columns=_PLAN_COLS)
    m["priority"] = m["gap"] * m["weight"] / m["effort_value"]
    m = m.rename(columns={"target_level": "dimension_target", "action_level": "target_level"})
    m = m.sort_values(["municipality_id", "priority", "target_level", "action_id"],
                      ascending=[True, False, True, True], kind="stable")
    out = m.reset_index(drop=True)
    out["order"] = out.groupby("municipality_id", sort=False).cumcount() + 1
    dims = out["dimension"].to_numpy()
    lev = out["target_level"].to_numpy()
    dur = out["duration_quarters"].to_numpy()
    s_off = np.zeros(len(out), dtype=int)
    e_off = np.zeros(len(out), dtype=int)
    for idx in out.groupby("municipality_id", sort=False).indices.values():
        s, e = _schedule(dims[idx], lev[idx], dur[idx], capacity)
        s_off[idx], e_off[idx] = s, e
    q0 = {r: start_quarter(r) for r in out["round"].unique()}
    label = {(r, k): str(q0[r] + k) for r in q0 for k in range(int(e_off.max()) + 1)}
    rounds = out["round"].to_numpy()
    out["start"] = [label[(r, k)] for r, k in zip(rounds, s_off, strict=True)]
    out["end"] = [label[(r, k)] for r, k in zip(rounds, e_off, strict=True)]
    out["target_level"] = out["target_level"].astype("Int64")
    out["level"] = out["level"].astype("Int64")
    return out[_PLAN_COLS]
