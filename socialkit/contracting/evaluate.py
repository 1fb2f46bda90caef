"""Evaluation of a competition: completeness, eligibility, weighted scores, ranking, agreement.

Conventions
-----------
* **Completeness**: an application is complete when it carries every document of its
  competition's ``required_documents``; every missing item is listed.
* **Eligibility**: an application is admitted to the award stage when it is complete, passes
  every ``eligibility`` and ``selection`` criterion (pass/fail, kept apart from the award
  criteria) and asks no more than its lot's maximum subsidy.
* **Criterion points**: a quality criterion's score is the mean of the evaluators' scores,
  put on 0..1 by ``(mean - scale_min) / (scale_max - scale_min)``; the price criterion is
  scored by formula, ``lowest admitted price in the lot / price`` (1 for the cheapest).
* **Weights**: the published weights divided by 100; where the competition publishes only an
  order of importance (``weighting: order``) the rank-order-centroid weights
  ``w_i = (1/n) * sum_{k=i..n} 1/k`` stand in (Barron & Barrett 1996), so the criterion ranked
  first always weighs most.
* **Weighted score** ``S = 100 * sum_c w_c * points_c`` (0..100).
* **Ranking** within a lot, admitted applications only: higher ``S`` first; on equal ``S``
  (to 1e-9) the higher quality part ``100 * sum_{quality c} w_c * points_c``, then the lower
  price, then the earlier submission, then the application id. ``tied`` marks applications
  whose ``S`` equals another admitted application's in the lot, so a protocol shows that the
  tie rule, not the score, decided.
* **Agreement** between evaluators per competition: Krippendorff's alpha (interval) and
  ICC(2,1) over the units application × quality criterion, and the spread (max - min) of the
  evaluators' scores per unit (:mod:`socialkit.monitoring.agreement`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..monitoring.agreement import icc_2_1, krippendorff_alpha
from .model import ContractingData

__all__ = [
    "Evaluation",
    "check_completeness",
    "criterion_points",
    "criterion_weights",
    "evaluate",
    "evaluator_agreement",
    "rank_applications",
    "roc_weights",
]


def roc_weights(n: int) -> np.ndarray:
    """Rank-order-centroid weights of ``n`` criteria ranked 1..n (they add up to 1).

    >>> [round(float(w), 4) for w in roc_weights(3)]
    [0.6111, 0.2778, 0.1111]
    """
    k = 1.0 / np.arange(1, n + 1)
    return np.cumsum(k[::-1])[::-1] / n


def check_completeness(data: ContractingData) -> pd.DataFrame:
    """Per application: ``complete`` and ``missing`` (every missing document, ``; ``-joined)."""
    apps = data.applications[["application_id", "competition_id"]]
    need = apps.merge(data.required_documents, on="competition_id")
    have = data.application_documents.assign(_have=True)
    need = need.merge(have, on=["application_id", "document"], how="left")
    missing = (need[need["_have"].isna()].groupby("application_id", sort=False)["document"]
               .agg(lambda s: "; ".join(sorted(s))))
    out = apps[["application_id"]].copy()
    got = missing.to_dict()
    out["missing"] = [got.get(a, "") for a in out["application_id"]]
    out["complete"] = out["missing"] == ""
    return out.reset_index(drop=True)


def _admitted(data: ContractingData) -> pd.DataFrame:
    apps = data.applications
    comp = check_completeness(data).set_index("application_id")
    failed = data.eligibility[~data.eligibility["passed"].astype(bool)]
    fails = failed.groupby("application_id")["criterion_id"].agg(lambda s: "; ".join(s))
    cap = apps["lot_id"].map(data.lots.set_index("lot_id")["max_subsidy"])
    out = apps[["application_id", "competition_id", "lot_id", "ngo_id", "price",
                "submitted"]].copy()
    out["complete"] = out["application_id"].map(comp["complete"]).astype(bool)
    out["missing"] = out["application_id"].map(comp["missing"])
    got = fails.to_dict()
    out["failed_criteria"] = [got.get(a, "") for a in out["application_id"]]
    out["above_max_subsidy"] = (apps["price"] > cap + 1e-9).to_numpy()
    out["admitted"] = (out["complete"] & (out["failed_criteria"] == "")
                       & ~out["above_max_subsidy"])
    return out


def criterion_weights(data: ContractingData) -> pd.DataFrame:
    """The weight (fraction, adding up to 1 per competition) of every award criterion."""
    award = data.criteria[data.criteria["stage"] == "award"].copy()
    how = award["competition_id"].map(data.competitions.set_index("competition_id")["weighting"])
    award["weight_used"] = award["weight"].astype(float) / 100.0
    for _, g in award[how == "order"].groupby("competition_id"):
        order = g["importance"].astype(int).to_numpy()
        award.loc[g.index, "weight_used"] = roc_weights(len(g))[order - 1]
    return award[["competition_id", "criterion_id", "aspect", "name", "weight",
                  "importance", "weight_used"]].reset_index(drop=True)


def criterion_points(data: ContractingData, admitted: pd.DataFrame | None = None
                     ) -> pd.DataFrame:
    """Per admitted application × award criterion: the evaluators' mean, spread and points.

    Returns columns ``application_id, competition_id, lot_id, criterion_id, aspect,
    n_evaluators, mean, min, max, spread, sd, points`` (points on 0..1).
    """
    adm = _admitted(data) if admitted is None else admitted
    adm = adm[adm["admitted"]]
    weights = criterion_weights(data)
    cells = adm[["application_id", "competition_id", "lot_id", "price"]].merge(
        weights[["competition_id", "criterion_id", "aspect"]], on="competition_id")
    stats = (data.scores.groupby(["application_id", "criterion_id"])["score"]
             .agg(n_evaluators="count", mean="mean", min="min", max="max", sd="std")
             .reset_index())
    out = cells.merge(stats, on=["application_id", "criterion_id"], how="left")
    out["n_evaluators"] = out["n_evaluators"].fillna(0).astype(int)
    out["spread"] = out["max"] - out["min"]
    comps = data.competitions.set_index("competition_id")
    lo = out["competition_id"].map(comps["scale_min"])
    hi = out["competition_id"].map(comps["scale_max"])
    quality = (out["mean"] - lo) / (hi - lo)
    lowest = out.groupby("lot_id")["price"].transform("min")
    out["points"] = np.where(out["aspect"] == "price", lowest / out["price"], quality)
    return out.drop(columns="price")


def rank_applications(data: ContractingData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every application with its admission, weighted score and rank in its lot.

    Returns ``(results, points)``: ``results`` one row per application (``score`` and
    ``rank`` empty when not admitted, ``winner`` true for rank 1); ``points`` the frame of
    :func:`criterion_points`.
    """
    adm = _admitted(data)
    pts = criterion_points(data, adm)
    w = criterion_weights(data).set_index(["competition_id", "criterion_id"])["weight_used"]
    pts["weight_used"] = w.reindex(pd.MultiIndex.from_frame(
        pts[["competition_id", "criterion_id"]])).to_numpy()
    pts["weighted"] = 100.0 * pts["weight_used"] * pts["points"]
    total = pts.groupby("application_id")["weighted"].sum(min_count=1)
    qual = pts[pts["aspect"] == "quality"].groupby("application_id")["weighted"].sum()
    unscored = pts[pts["points"].isna()].groupby("application_id").size()
    res = adm.copy()
    res["score"] = res["application_id"].map(total)
    res["quality_part"] = res["application_id"].map(qual).fillna(0.0)
    res["unscored_criteria"] = res["application_id"].map(unscored).fillna(0).astype(int)
    res.loc[~res["admitted"], ["score", "quality_part"]] = np.nan
    ranked = res[res["admitted"]].assign(_s=lambda f: -f["score"].round(9),
                                         _q=lambda f: -f["quality_part"].round(9))
    ranked = ranked.sort_values(["lot_id", "_s", "_q", "price", "submitted", "application_id"],
                                kind="stable")
    ranked["rank"] = ranked.groupby("lot_id").cumcount() + 1
    ranked["tied"] = ranked.duplicated(["lot_id", "_s"], keep=False)
    res["rank"] = res["application_id"].map(ranked.set_index("application_id")["rank"])
    res["rank"] = res["rank"].astype("Int64")
    res["tied"] = res["application_id"].isin(set(ranked.loc[ranked["tied"], "application_id"]))
    res["winner"] = res["rank"].eq(1).fillna(False).astype(bool)
    awarded = data.awards.set_index("lot_id")["application_id"]
    res["awarded"] = res["application_id"].isin(set(awarded))
    order = res.sort_values(["competition_id", "lot_id", "rank", "application_id"],
                            na_position="last", kind="stable")
    return order.reset_index(drop=True), pts


def evaluator_agreement(data: ContractingData) -> pd.DataFrame:
    """Per competition: evaluators, units, Krippendorff's alpha, ICC(2,1), spread.

    A unit is an application × quality criterion; ``max_spread`` is the largest difference
    between two evaluators on one unit and ``mean_spread`` its mean over the units.
    """
    s = data.scores.merge(data.applications[["application_id", "competition_id"]],
                          on="application_id")
    s = s.sort_values("competition_id", kind="stable")
    unit = pd.factorize(s["application_id"] + "\x1f" + s["criterion_id"])[0]
    rater = s["evaluator_id"].to_numpy()
    score = s["score"].to_numpy(dtype=float)
    bounds = np.flatnonzero(np.r_[True, s["competition_id"].to_numpy()[1:]
                                  != s["competition_id"].to_numpy()[:-1], True])
    rows = []
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        u = pd.factorize(unit[a:b])[0]
        r, names = pd.factorize(rater[a:b])
        x = np.full((u.max() + 1, len(names)), np.nan)
        x[u, r] = score[a:b]
        spread = np.nanmax(x, axis=1) - np.nanmin(x, axis=1)
        rows.append({"competition_id": s["competition_id"].iat[a], "n_evaluators": len(names),
                     "n_units": x.shape[0], "alpha": krippendorff_alpha(x, "interval"),
                     "icc": icc_2_1(x), "mean_spread": float(np.mean(spread)),
                     "max_spread": float(np.max(spread))})
    cols = ["competition_id", "n_evaluators", "n_units", "alpha", "icc", "mean_spread",
            "max_spread"]
    return pd.DataFrame(rows, columns=cols)


@dataclass(frozen=True)
class Evaluation:
    """The evaluation of every competition of a region-year.

    ``results``: one row per application (admission, missing documents, score, rank, winner);
    ``points``: per admitted application × award criterion; ``weights``: the weights used;
    ``agreement``: per competition.
    """

    results: pd.DataFrame
    points: pd.DataFrame
    weights: pd.DataFrame
    agreement: pd.DataFrame

    def winners(self) -> pd.DataFrame:
        """The rank-1 application of every lot."""
        return self.results[self.results["winner"]].reset_index(drop=True)


def evaluate(data: ContractingData) -> Evaluation:
    """Completeness, admission, weighted scores, ranking and agreement of every competition."""
    results, points = rank_applications(data)
    return Evaluation(results=results, points=points, weights=criterion_weights(data),
                      agreement=evaluator_agreement(data))
