"""What matters most in a municipality's digital-maturity assessment, and what to do first.

:func:`maturity_findings` reads a :class:`~socialkit.maturity.assess.MaturityResult` and returns
:class:`socialkit.findings.Findings`: the overall score and level, the weakest dimension, the
dimension that fell most since the previous round (if any fell), the strongest one — each with
its change since the previous round and its rank in the oblast — and the first actions of the
action plan as recommendations, each citing the finding about its dimension.
"""

from __future__ import annotations

import pandas as pd

from ..findings import Finding, Findings, Recommendation
from ..frameworks.maturity import OVERALL
from .assess import MaturityResult, pick_round

__all__ = ["maturity_findings"]


def _num(v) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def maturity_findings(result: MaturityResult, municipality_id: str, round: str | None = None,
                      max_actions: int = 3) -> Findings:
    """Findings and recommendations of one municipality in ``round`` (default: its latest).

    Peer position is the rank (1 = best score) within the oblast (``peer_group == "region"``),
    else among all municipalities assessed in the round. Change is against the municipality's
    previous round (``result.progress``).
    """
    round = pick_round(result, municipality_id, round)
    if round is None:
        return Findings("maturity", municipality_id, None, (), ())
    lv = result.levels
    lv = lv[(lv["municipality_id"] == municipality_id) & (lv["round"] == round)]
    scored = lv[lv["score"].notna()].set_index("code")
    if OVERALL not in scored.index:
        return Findings("maturity", municipality_id, round, (), ())
    pr = result.progress
    pr = pr[(pr["municipality_id"] == municipality_id) & (pr["round_to"] == round)]
    pr = pr.set_index("code")
    b = result.benchmarks
    b = b[(b["municipality_id"] == municipality_id) & (b["round"] == round)]
    group = "region" if (b["peer_group"] == "region").any() else "all"
    b = b[b["peer_group"] == group].set_index("code")

    def finding(fid: str, kind: str, code: str, **extra) -> Finding:
        change = since = None
        if code in pr.index:
            change, since = _num(pr.at[code, "change"]), str(pr.at[code, "round_from"])
        rank = n = None
        if code in b.index and not pd.isna(b.at[code, "rank"]):
            rank, n = int(b.at[code, "rank"]), int(b.at[code, "n_peers"])
        return Finding(fid, kind, subject=None if code == OVERALL else code,
                       value=_num(scored.at[code, "score"]), unit="score", change=change,
                       since=since, peer_rank=rank, peer_n=n, peer_group=group,
                       section=extra.pop("section", "maturity.notebook.gaps"), extra=extra)

    found = [finding("overall", "maturity_overall", OVERALL,
                     level=str(scored.at[OVERALL, "level_id"]),
                     section="maturity.notebook.radar")]
    dims = scored.drop(index=OVERALL).sort_values("score", kind="stable")
    if len(dims):
        weakest = dims.index[0]
        found.append(finding("weakest", "maturity_weakest", weakest))
        falls = pr.drop(index=OVERALL, errors="ignore")
        falls = falls[falls["change"] < 0].sort_values("change", kind="stable")
        if len(falls) and falls.index[0] != weakest:
            found.append(finding("fell", "maturity_fell", falls.index[0],
                                 section="maturity.notebook.progress"))
        if len(dims) > 1:
            found.append(finding("strongest", "maturity_strongest", dims.index[-1],
                                 section="maturity.notebook.radar"))
    about = {f.subject: f.id for f in found if f.subject}
    plan = result.action_plan
    plan = plan[plan["municipality_id"] == municipality_id].sort_values("order", kind="stable")
    recs = []
    for row in plan.head(max_actions).itertuples(index=False):
        evidence = (about[row.dimension],) if row.dimension in about else ()
        recs.append(Recommendation(
            f"action.{row.action_id}", "maturity_action", subject=str(row.dimension),
            evidence=evidence, section="maturity.notebook.plan",
            extra={"action": f"action:{row.action_id}", "responsible": f"role:{row.responsible}",
                   "start": str(row.start), "end": str(row.end)}))
    return Findings("maturity", municipality_id, round, tuple(found), tuple(recs))
