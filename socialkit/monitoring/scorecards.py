"""Service-quality scorecards: scores, ranks with uncertainty, agreement, strengths, weaknesses.

Scoring (rubric in ``service_quality.yaml``):

* an evaluator's **standard score** is the mean of their scores on the standard's criteria
  (indicators of achievement), ignoring criteria they skipped;
* an evaluator's **total** is the weighted mean of their standard scores (rubric weights);
* a service's standard score and total are the means over its evaluators; totals are also
  given on a 0–100 scale, ``100 * (score - scale.min) / (scale.max - scale.min)``.

Uncertainty comes from the evaluators' spread: the evaluators of each service are resampled
with replacement (``n_boot`` times, percentile interval); in each replicate the services are
ranked (1 = best, ties share the lowest rank), giving a rank interval and the probability of
being in the top three. Agreement between evaluators is Krippendorff's alpha (interval metric,
units = criteria) per service and over the whole competition (units = service × criterion),
and ICC(2,1) per service (criteria rated by every evaluator of that service).

Strengths and weaknesses of a service are its ``n`` highest and lowest standards, each with its
gap to the mean of all services on that standard; a standard below that mean is never called a
strength, nor one above it a weakness.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..frameworks.rubric import Rubric, load_rubric
from .agreement import icc_2_1, krippendorff_alpha

__all__ = ["Scorecard", "compute_scorecards", "evaluator_scores"]


@dataclass(frozen=True)
class Scorecard:
    """Result of :func:`compute_scorecards` (every attribute a DataFrame, except ``alpha``)."""

    #: service_id, standard_id, score, n_evaluators
    standards: pd.DataFrame
    #: service_id, score, score_pct, ci_low, ci_high (pct), rank, rank_low, rank_high,
    #: p_top3, n_evaluators — sorted by rank
    totals: pd.DataFrame
    #: service_id, alpha, icc, n_evaluators, n_criteria
    agreement: pd.DataFrame
    #: service_id, kind ("strength" | "weakness"), standard_id, score, gap
    highlights: pd.DataFrame
    #: Krippendorff's alpha (interval) over all services and criteria
    alpha: float


def evaluator_scores(scores: pd.DataFrame, rubric: Rubric | None = None) -> pd.DataFrame:
    """Each evaluator's standard scores for each service.

    Returns
    -------
    DataFrame
        ``service_id, evaluator, standard_id, score`` (mean over the standard's criteria).
    """
    rubric = rubric or load_rubric()
    s = scores.assign(standard_id=scores["criterion_id"].map(rubric.criterion_standard()))
    s = s[s["standard_id"].notna() & s["score"].notna()]
    return (s.groupby(["service_id", "evaluator", "standard_id"], observed=True)["score"]
            .mean().reset_index())


def _evaluator_totals(per_std: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    weights = {s.id: s.weight for s in rubric.standards}
    w = per_std["standard_id"].map(weights)
    tmp = per_std.assign(ws=per_std["score"] * w, w=w)
    g = tmp.groupby(["service_id", "evaluator"], observed=True)[["ws", "w"]].sum()
    return (g["ws"] / g["w"]).rename("score").reset_index()


def _rank(matrix: np.ndarray) -> np.ndarray:
    """Rank columns' services within each row (1 = highest; ties take the lowest rank)."""
    return (matrix[:, None, :] > matrix[:, :, None]).sum(axis=2) + 1


def compute_scorecards(
    scores: pd.DataFrame,
    rubric: Rubric | None = None,
    *,
    n_boot: int = 2000,
    level: float = 0.9,
    n_highlights: int = 2,
    seed: int = 0,
) -> Scorecard:
    """Score, rank and compare services from several evaluators' rubric scores.

    Parameters
    ----------
    scores : DataFrame
        ``service_scores``: service_id, criterion_id, evaluator, score.
    rubric : Rubric, optional
        Default: the shipped ``service_quality.yaml``.
    n_boot : int
        Bootstrap replicates over evaluators.
    level : float
        Coverage of the percentile intervals (0.9 → 5th–95th percentiles).
    n_highlights : int
        Strengths and weaknesses reported per service.
    seed : int
        Seed of the bootstrap (results are reproducible).

    Returns
    -------
    Scorecard
    """
    rubric = rubric or load_rubric()
    lo, hi = rubric.scale.min, rubric.scale.max
    pct = lambda v: 100.0 * (np.asarray(v, dtype=float) - lo) / (hi - lo)  # noqa: E731
    per_std = evaluator_scores(scores, rubric)
    standards = (per_std.groupby(["service_id", "standard_id"], observed=True)["score"]
                 .agg(score="mean", n_evaluators="size").reset_index())
    order = {s.id: k for k, s in enumerate(rubric.standards)}
    standards = standards.sort_values(["service_id", "standard_id"],
                                      key=lambda c: c.map(order) if c.name == "standard_id" else c)
    ev_tot = _evaluator_totals(per_std, rubric)
    services = list(dict.fromkeys(ev_tot["service_id"]))
    rng = np.random.default_rng(seed)
    boot = np.empty((n_boot, len(services)))
    point = np.empty(len(services))
    n_eval = np.empty(len(services), dtype=int)
    for j, sid in enumerate(services):
        v = ev_tot.loc[ev_tot["service_id"] == sid, "score"].to_numpy(float)
        point[j] = v.mean()
        n_eval[j] = v.size
        boot[:, j] = v[rng.integers(0, v.size, (n_boot, v.size))].mean(axis=1)
    a = (1 - level) / 2
    ranks = _rank(boot)
    point_rank = _rank(point[None, :])[0]
    totals = pd.DataFrame({
        "service_id": services,
        "score": point,
        "score_pct": pct(point),
        "ci_low": pct(np.quantile(boot, a, axis=0)),
        "ci_high": pct(np.quantile(boot, 1 - a, axis=0)),
        "rank": point_rank,
        "rank_low": np.quantile(ranks, a, axis=0, method="lower").astype(int),
        "rank_high": np.quantile(ranks, 1 - a, axis=0, method="higher").astype(int),
        "p_top3": (ranks <= 3).mean(axis=0),
        "n_evaluators": n_eval,
    }).sort_values(["rank", "service_id"]).reset_index(drop=True)
    return Scorecard(
        standards=standards.reset_index(drop=True),
        totals=totals,
        agreement=_agreement(scores, services),
        highlights=_highlights(standards, n_highlights, order),
        alpha=krippendorff_alpha(
            scores.pivot_table(index=["service_id", "criterion_id"], columns="evaluator",
                               values="score", aggfunc="mean", dropna=False).to_numpy(float)),
    )


def _agreement(scores: pd.DataFrame, services: list[str]) -> pd.DataFrame:
    rows = []
    for sid in services:
        m = scores[scores["service_id"] == sid].pivot_table(
            index="criterion_id", columns="evaluator", values="score", aggfunc="mean",
            dropna=False)
        x = m.to_numpy(float)
        rows.append((sid, krippendorff_alpha(x), icc_2_1(x), x.shape[1], x.shape[0]))
    return pd.DataFrame(rows, columns=["service_id", "alpha", "icc", "n_evaluators",
                                       "n_criteria"])


def _highlights(standards: pd.DataFrame, n: int, order: dict[str, int]) -> pd.DataFrame:
    mean = standards.groupby("standard_id")["score"].transform("mean")
    s = standards.assign(gap=standards["score"] - mean, _o=standards["standard_id"].map(order))
    parts = []
    for _, g in s.groupby("service_id", sort=False):
        g = g.sort_values(["score", "_o"], ascending=[False, True])
        # a strength is not below the other services, a weakness not above them
        parts.append(g[g["gap"] >= 0].head(n).assign(kind="strength"))
        parts.append(g.iloc[::-1][g.iloc[::-1]["gap"] <= 0].head(n).assign(kind="weakness"))
    out = pd.concat(parts, ignore_index=True) if parts else s.assign(kind=[])
    return out[["service_id", "kind", "standard_id", "score", "gap"]]
