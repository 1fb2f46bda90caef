"""The strategy and its action plan as data: goals → objectives → actions, and what they rest on.

The cycle's tables ``goals``, ``objectives``, ``objective_indicators`` (M&E indicators of the
indicator framework with a baseline and targets), ``actions`` (responsible body, partners, cost
and funding source, first and last quarter, the evidence items that justify it, the consultation
themes that shaped it, the digital-maturity actions it overlaps) and ``milestones``; and the
public consultation's ``comments`` and ``answers``. Functions here join and summarise them;
every check is in :func:`socialkit.strategy.inputs.check_cycle`.
"""

from __future__ import annotations

import pandas as pd

from .evidence import EvidencePack
from .inputs import Cycle, split_list

__all__ = ["action_plan", "budget", "comment_answers", "consultation_changes",
           "evidence_links", "indicator_targets", "maturity_overlaps", "quarters"]


def quarters(start: str, end: str) -> list[str]:
    """Every quarter from ``start`` to ``end``.

    >>> quarters("2027Q3", "2028Q2")
    ['2027Q3', '2027Q4', '2028Q1', '2028Q2']
    """
    return [str(q) for q in pd.period_range(pd.Period(start, "Q"), pd.Period(end, "Q"),
                                            freq="Q")]


def action_plan(cycle: Cycle) -> pd.DataFrame:
    """One row per action with its objective and goal, in goal, objective, action order."""
    a = cycle["actions"].merge(cycle["objectives"][["objective_id", "goal_id"]],
                               on="objective_id", how="left")
    order_g = {g: i for i, g in enumerate(cycle["goals"]["goal_id"])}
    order_o = {o: i for i, o in enumerate(cycle["objectives"]["objective_id"])}
    a = a.assign(_g=a["goal_id"].map(order_g), _o=a["objective_id"].map(order_o))
    return a.sort_values(["_g", "_o", "action_id"], kind="stable").drop(
        columns=["_g", "_o"]).reset_index(drop=True)


def evidence_links(cycle: Cycle, pack: EvidencePack | None = None) -> pd.DataFrame:
    """``action_id, item_id, in_pack`` for every evidence item an action cites."""
    ids = pack.ids if pack is not None else set()
    rows = [{"action_id": r.action_id, "item_id": x, "in_pack": x in ids}
            for r in cycle["actions"].itertuples(index=False) for x in split_list(r.evidence)]
    return pd.DataFrame(rows, columns=["action_id", "item_id", "in_pack"])


def maturity_overlaps(cycle: Cycle, maturity_plan: pd.DataFrame | None) -> pd.DataFrame:
    """``action_id, maturity_action, in_plan, start, end``: the digital-maturity actions an
    action overlaps and whether (and when) the municipality's maturity plan schedules them."""
    plan = (maturity_plan[maturity_plan["municipality_id"].isin(cycle.meta.municipalities)]
            if maturity_plan is not None and len(maturity_plan) else None)
    rows = []
    for r in cycle["actions"].itertuples(index=False):
        for m in split_list(r.maturity_actions):
            hit = plan[plan["action_id"] == m] if plan is not None else pd.DataFrame()
            rows.append({"action_id": r.action_id, "maturity_action": m,
                         "in_plan": bool(len(hit)),
                         "start": hit["start"].iloc[0] if len(hit) else None,
                         "end": hit["end"].iloc[0] if len(hit) else None})
    return pd.DataFrame(rows, columns=["action_id", "maturity_action", "in_plan", "start", "end"])


def indicator_targets(cycle: Cycle) -> pd.DataFrame:
    """The objectives' indicators: ``objective_id, indicator_id, baseline, baseline_period``
    and one ``target_<period>`` column per target period."""
    oi = cycle["objective_indicators"]
    if oi.empty:
        return pd.DataFrame(columns=["objective_id", "indicator_id", "baseline",
                                     "baseline_period"])
    wide = oi.pivot_table(index=["objective_id", "indicator_id", "baseline", "baseline_period"],
                          columns="target_period", values="target", aggfunc="first")
    wide.columns = [f"target_{c}" for c in wide.columns]
    return wide.reset_index()


def budget(cycle: Cycle) -> pd.DataFrame:
    """Cost by funding source and year (an action's cost spread evenly over its quarters)."""
    rows = []
    for r in cycle["actions"].itertuples(index=False):
        qs = quarters(r.start, r.end)
        for q in qs:
            rows.append({"funding": r.funding, "year": q[:4], "cost": float(r.cost) / len(qs)})
    if not rows:
        return pd.DataFrame(columns=["funding", "total"])
    f = pd.DataFrame(rows).pivot_table(index="funding", columns="year", values="cost",
                                       aggfunc="sum", fill_value=0.0)
    f["total"] = f.sum(axis=1)
    return f.reset_index()


def comment_answers(cycle: Cycle) -> pd.DataFrame:
    """Published comments with their answers (``answer`` None when not answered yet)."""
    c = cycle["comments"]
    pub = c[c["moderation"] == "published"]
    out = pub.merge(cycle["answers"], on="comment_id", how="left")
    return out.reset_index(drop=True)


def consultation_changes(cycle: Cycle) -> pd.DataFrame:
    """What changed because of the consultation: ``source`` (``theme`` or ``comment``),
    ``ref`` (the theme or comment id), ``changed`` (an action, objective or goal id)."""
    rows = [{"source": "theme", "ref": th, "changed": r.action_id}
            for r in cycle["actions"].itertuples(index=False) for th in split_list(r.themes)]
    for r in cycle["answers"].itertuples(index=False):
        if r.answer in ("accepted", "partly"):
            rows.extend({"source": "comment", "ref": r.comment_id, "changed": x}
                        for x in split_list(r.changed))
    return pd.DataFrame(rows, columns=["source", "ref", "changed"])
