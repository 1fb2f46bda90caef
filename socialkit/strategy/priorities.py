"""Priorities: candidate problems scored by the working group on published criteria.

Conventions (``docs/strategy.md`` repeats them for the working group):

* Every rater scores every candidate on every criterion of the criteria file
  (:class:`~socialkit.frameworks.strategy.Criteria`) on its scale (default 1–5). A ``cost``
  criterion is reversed, ``s' = min + max - s``, so that on every criterion a higher score
  means a higher priority.
* The candidate's score on a criterion is the mean over the raters who scored it; its weighted
  score is ``sum_c w_c * mean_c`` with the weights normalised to sum to 1 (so it stays on the
  scale). Ranking: weighted score, highest first; equal scores share the lower rank number and
  are listed by ``problem_id``.
* Agreement between raters reuses :mod:`socialkit.monitoring.agreement`: Krippendorff's alpha
  (interval) over every (candidate, criterion) rated by at least two raters, alpha per
  criterion, and ICC(2,1) of the raters' own weighted scores of the candidates.
* Sensitivity to the weights: each weight in turn is multiplied by ``1 ± step`` (default 10 %)
  and the others are rescaled by the same factor so that the weights still sum to 1
  (``w_k' = w_k (1 - w_c') / (1 - w_c)``); the top ``top`` (default 3) is *robust* when no such
  change alters which candidates are in it.
* The smallest change that alters the top: with the others renormalised as above, every
  candidate's score is linear in one weight ``x``,
  ``S_i(x) = x a_ic + (1 - x) / (1 - w_c) R_i`` with ``R_i = sum_{k != c} w_k a_ik``; the top
  set changes first where a member and a non-member cross. For each criterion and direction the
  crossing nearest to ``w_c`` (within 0 < x < 1) is found exactly, and reported as the relative
  change ``(x - w_c) / w_c`` with the new top just beyond it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import DataValidationError, Problem
from ..frameworks.strategy import Criteria
from ..monitoring.agreement import icc_2_1, krippendorff_alpha

__all__ = ["PriorityResult", "rank_scores", "score_priorities", "tipping_points",
           "weight_sensitivity"]


@dataclass(frozen=True)
class PriorityResult:
    """Scores, ranking, agreement and sensitivity of the candidate problems.

    Attributes
    ----------
    criteria_scores : DataFrame
        Index ``problem_id``, one column per criterion: mean score (cost reversed).
    ranking : DataFrame
        ``problem_id, score, rank, n_raters`` highest first.
    weights : dict
        Normalised weights.
    agreement : DataFrame
        ``measure, criterion, value, n``: alpha overall and per criterion, ICC(2,1).
    sensitivity : DataFrame
        ``criterion, change, weight, top, same_top, same_order``: each weight ± step.
    tipping : DataFrame
        ``criterion, direction, weight, new_weight, relative_change, new_top`` (empty when no
        change of a single weight alters the top).
    top : tuple of str
    robust : bool
        No ± step change of a weight alters the top set.
    """

    criteria_scores: pd.DataFrame
    ranking: pd.DataFrame
    weights: dict[str, float]
    agreement: pd.DataFrame
    sensitivity: pd.DataFrame
    tipping: pd.DataFrame
    top: tuple[str, ...]
    robust: bool

    def smallest_change(self) -> pd.Series | None:
        """The tipping point with the smallest relative change of one weight, or None."""
        if self.tipping.empty:
            return None
        t = self.tipping.assign(_a=self.tipping["relative_change"].abs())
        return t.sort_values(["_a", "criterion", "direction"], kind="stable").iloc[0].drop("_a")


def rank_scores(scores: pd.Series) -> pd.DataFrame:
    """Order by score (highest first), then id; equal scores share the lower rank.

    >>> rank_scores(pd.Series({"b": 3.0, "a": 3.0, "c": 4.0}))["rank"].tolist()
    [1, 2, 2]
    """
    s = scores.round(12)
    frame = pd.DataFrame({"problem_id": s.index.astype(str), "score": s.to_numpy()})
    frame = frame.sort_values(["score", "problem_id"], ascending=[False, True], kind="stable")
    frame["rank"] = frame["score"].rank(method="min", ascending=False).astype(int)
    return frame.reset_index(drop=True)


def _top(matrix: np.ndarray, ids: np.ndarray, w: np.ndarray, k: int) -> tuple[str, ...]:
    return tuple(rank_scores(pd.Series(matrix @ w, index=ids))["problem_id"].head(k))


def weight_sensitivity(matrix: pd.DataFrame, weights: dict[str, float], k: int = 3,
                       step: float = 0.10) -> pd.DataFrame:
    """Top ``k`` when each weight in turn is ``× (1 ± step)``, the others renormalised."""
    ids = matrix.index.to_numpy()
    cols = list(matrix.columns)
    a = matrix.to_numpy(float)
    w0 = np.array([weights[c] for c in cols])
    base = _top(a, ids, w0, k)
    base_set = set(base)
    rows = []
    for j, c in enumerate(cols):
        for sign in (+1, -1):
            w = w0.copy()
            w[j] = w0[j] * (1 + sign * step)
            rest = np.arange(len(cols)) != j
            w[rest] = w0[rest] * (1 - w[j]) / (1 - w0[j])
            top = _top(a, ids, w, k)
            rows.append({"criterion": c, "change": sign * step, "weight": float(w[j]),
                         "top": top, "same_top": set(top) == base_set,
                         "same_order": top == base})
    return pd.DataFrame(rows, columns=["criterion", "change", "weight", "top", "same_top",
                                       "same_order"])


def tipping_points(matrix: pd.DataFrame, weights: dict[str, float], k: int = 3
                   ) -> pd.DataFrame:
    """For each weight and direction, the nearest weight at which the top ``k`` set changes.

    Others renormalised as in :func:`weight_sensitivity`; see the module notes for the
    formula. A tie at the current weights gives a relative change of 0.
    """
    ids = matrix.index.to_numpy()
    cols = list(matrix.columns)
    a = matrix.to_numpy(float)
    w0 = np.array([weights[c] for c in cols])
    base = _top(a, ids, w0, k)
    if len(ids) <= k:
        return pd.DataFrame(columns=["criterion", "direction", "weight", "new_weight",
                                     "relative_change", "new_top"])
    inside = np.isin(ids, base)
    rows = []
    for j, c in enumerate(cols):
        rest = np.arange(len(cols)) != j
        r = a[:, rest] @ w0[rest] / (1 - w0[j])  # S_i(x) = x a_ij + (1 - x) r_i
        up, down = [], []
        for i in np.flatnonzero(inside):
            for m in np.flatnonzero(~inside):
                da, dr = a[i, j] - a[m, j], r[i] - r[m]
                # D(x) = x da + (1 - x) dr = dr + x (da - dr)
                if np.isclose(da, dr):
                    continue
                x = dr / (dr - da)
                if not 1e-9 < x < 1 - 1e-9:
                    continue
                (up if x >= w0[j] else down).append(x)
        for direction, xs in (("up", up), ("down", down)):
            if not xs:
                continue
            x = min(xs) if direction == "up" else max(xs)
            eps = 1e-9 if direction == "up" else -1e-9
            w = w0.copy()
            w[j] = x + eps
            w[rest] = w0[rest] * (1 - w[j]) / (1 - w0[j])
            new = _top(a, ids, w, k)
            rows.append({"criterion": c, "direction": direction, "weight": float(w0[j]),
                         "new_weight": float(x),
                         "relative_change": float((x - w0[j]) / w0[j]), "new_top": new})
    return pd.DataFrame(rows, columns=["criterion", "direction", "weight", "new_weight",
                                       "relative_change", "new_top"])


def score_priorities(ratings: pd.DataFrame, criteria: Criteria,
                     candidates: pd.DataFrame | None = None,
                     source: str = "ratings.csv") -> PriorityResult:
    """Score, rank and check the candidates (see the module notes for every convention).

    Parameters
    ----------
    ratings : DataFrame
        ``rater, problem_id, criterion, score`` (checked by
        :func:`socialkit.strategy.inputs.check_cycle`).
    criteria : Criteria
    candidates : DataFrame, optional
        ``problem_id`` of every candidate; one with no rating on a criterion is refused.
    """
    lo, hi = criteria.scale.min, criteria.scale.max
    r = ratings.copy()
    r["score"] = pd.to_numeric(r["score"]).astype(float)
    cost = r["criterion"].map({c.id: c.direction == "cost" for c in criteria.criteria})
    r["adj"] = np.where(cost.to_numpy(bool), lo + hi - r["score"], r["score"])
    ids = (candidates["problem_id"].tolist() if candidates is not None
           else sorted(r["problem_id"].unique()))
    mean = r.pivot_table(index="problem_id", columns="criterion", values="adj", aggfunc="mean")
    mean = mean.reindex(index=ids, columns=criteria.ids)
    missing = [(p, c) for p in ids for c in criteria.ids if pd.isna(mean.at[p, c])]
    if missing:
        raise DataValidationError([Problem(
            source=source, table="ratings", column="score",
            message=f"problem {p}: no rating on criterion '{c}'",
            expected="every candidate scored on every criterion by at least one rater")
            for p, c in missing])
    weights = criteria.weights()
    w = np.array([weights[c] for c in criteria.ids])
    total = pd.Series(mean.to_numpy(float) @ w, index=mean.index)
    ranking = rank_scores(total)
    raters = r.groupby("problem_id")["rater"].nunique()
    ranking["n_raters"] = ranking["problem_id"].map(raters).astype(int)
    k = criteria.top
    top = tuple(ranking["problem_id"].head(k))
    # agreement
    wide = r.pivot_table(index=["problem_id", "criterion"], columns="rater", values="score")
    rows = [{"measure": "alpha", "criterion": None,
             "value": krippendorff_alpha(wide.to_numpy(float), "interval"), "n": len(wide)}]
    for c in criteria.ids:
        sub = wide.xs(c, level="criterion") if c in wide.index.get_level_values(1) else None
        if sub is not None:
            rows.append({"measure": "alpha", "criterion": c,
                         "value": krippendorff_alpha(sub.to_numpy(float), "interval"),
                         "n": len(sub)})
    per_rater = (r.assign(_w=r["criterion"].map(weights) * r["adj"])
                 .pivot_table(index="problem_id", columns="rater", values="_w", aggfunc="sum"))
    complete = r.groupby(["problem_id", "rater"])["criterion"].nunique() == len(criteria.ids)
    per_rater = per_rater.where(complete.unstack().reindex_like(per_rater).fillna(False)
                                .astype(bool))
    rows.append({"measure": "icc_2_1", "criterion": None,
                 "value": icc_2_1(per_rater.to_numpy(float)),
                 "n": int(per_rater.notna().all(axis=1).sum())})
    agreement = pd.DataFrame(rows, columns=["measure", "criterion", "value", "n"])
    sens = weight_sensitivity(mean, weights, k, criteria.step)
    tip = tipping_points(mean, weights, k)
    return PriorityResult(mean, ranking, weights, agreement, sens, tip, top,
                          bool(sens["same_top"].all()))
