"""Implementation monitoring of subsidy contracts: delivery against plan, payments, quality.

Per contract and period (the periods of its schedule and of its returns, in order):

* ``hours_ratio`` / ``visits_ratio`` = cumulative delivered / cumulative planned;
  **delivery_behind** when the lower of the two is below ``rules.delivery_min`` (0.90);
* ``paid_share`` = cumulative payments / contract value and ``delivered_share`` = cumulative
  delivered hours / contracted hours; **payments_ahead** when ``paid_share`` exceeds
  ``delivered_share`` by more than ``rules.payment_lead`` (0.10);
* **quality_below** when the period's quality check scores below the order's ``quality_min``;
* **satisfaction_drop** when the mean client satisfaction (1..5) falls by
  ``rules.satisfaction_drop`` (0.5) or more from the previous period with returns, or is below
  ``rules.satisfaction_floor`` (3.5); only periods with at least ``rules.min_respondents``
  respondents count (a mean of a few answers says little).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .model import ContractingData

__all__ = ["FLAGS", "FlagRules", "contract_progress", "monitoring_flags", "money_flows"]

#: The flags, in the order reports list them.
FLAGS: tuple[str, ...] = ("delivery_behind", "payments_ahead", "quality_below",
                          "satisfaction_drop")


@dataclass(frozen=True)
class FlagRules:
    """Thresholds of the monitoring flags (see the module notes)."""

    delivery_min: float = 0.90
    payment_lead: float = 0.10
    satisfaction_drop: float = 0.5
    satisfaction_floor: float = 3.5
    min_respondents: int = 5


def contract_progress(data: ContractingData) -> pd.DataFrame:
    """Planned, delivered and paid per contract × period, with cumulative ratios.

    Returns columns ``contract_id, period, clients_planned, hours_planned, visits_planned,
    payment_planned, clients, hours, visits, quality_score, satisfaction, respondents, paid,
    hours_ratio, visits_ratio, paid_share, delivered_share, quality_min, value``.
    """
    sched = data.schedule.rename(columns={"clients": "clients_planned", "hours":
                                          "hours_planned", "visits": "visits_planned",
                                          "payment": "payment_planned"})
    paid = data.payments.groupby(["contract_id", "period"])["amount"].sum().rename("paid")
    df = sched.merge(data.deliveries, on=["contract_id", "period"], how="outer")
    df = df.merge(paid.reset_index(), on=["contract_id", "period"], how="outer")
    df = df.sort_values(["contract_id", "period"], kind="stable").reset_index(drop=True)
    for col in ("hours_planned", "visits_planned", "hours", "visits", "payment_planned",
                "paid"):
        df[col] = df[col].astype("Float64").fillna(0).astype(float)
    g = df.groupby("contract_id")
    cum = {c: g[c].cumsum() for c in ("hours_planned", "visits_planned", "hours", "visits",
                                      "paid")}
    with np.errstate(divide="ignore", invalid="ignore"):
        df["hours_ratio"] = np.where(cum["hours_planned"] > 0,
                                     cum["hours"] / cum["hours_planned"], np.nan)
        df["visits_ratio"] = np.where(cum["visits_planned"] > 0,
                                      cum["visits"] / cum["visits_planned"], np.nan)
    con = data.contracts.set_index("contract_id")
    df["value"] = df["contract_id"].map(con["value"]).astype(float)
    total_hours = df["contract_id"].map(con["hours"]).astype(float)
    df["paid_share"] = cum["paid"] / df["value"]
    df["delivered_share"] = np.where(total_hours > 0, cum["hours"] / total_hours, np.nan)
    lot = data.contracts.set_index("contract_id")["award_id"].map(
        data.awards.set_index("award_id")["lot_id"])
    qmin = lot.map(data.lots.set_index("lot_id")["order_id"]).map(
        data.orders.set_index("order_id")["quality_min"])
    df["quality_min"] = df["contract_id"].map(qmin).astype(float)
    return df


def monitoring_flags(data: ContractingData, rules: FlagRules | None = None
                     ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The monitoring flags of every contract.

    Returns
    -------
    (progress, flags)
        ``progress``: :func:`contract_progress` with one boolean column per flag of
        :data:`FLAGS`; ``flags``: one row per raised flag (``contract_id, period, flag,
        value, threshold``), in contract, period and :data:`FLAGS` order.
    """
    r = rules or FlagRules()
    df = contract_progress(data)
    reported = df["hours"].gt(0) | df["visits"].gt(0) | df["quality_score"].notna()
    low = df[["hours_ratio", "visits_ratio"]].min(axis=1, skipna=True)
    df["delivery_behind"] = reported & (low < r.delivery_min)
    lead = df["paid_share"] - df["delivered_share"]
    df["payments_ahead"] = lead > r.payment_lead
    df["quality_below"] = df["quality_score"].astype(float) < df["quality_min"]
    sat = df["satisfaction"].astype(float).where(
        df["respondents"].astype("Float64").fillna(0).astype(float) >= r.min_respondents)
    prev = sat.groupby(df["contract_id"]).transform(lambda s: s.ffill().shift(1))
    df["satisfaction_drop"] = ((prev - sat) >= r.satisfaction_drop - 1e-9) | (
        sat < r.satisfaction_floor)
    df[list(FLAGS)] = df[list(FLAGS)].fillna(False).astype(bool)
    values = {"delivery_behind": (low, r.delivery_min),
              "payments_ahead": (lead, r.payment_lead),
              "quality_below": (df["quality_score"].astype(float), df["quality_min"]),
              "satisfaction_drop": (sat, r.satisfaction_floor)}
    parts = []
    for flag in FLAGS:
        m = df[flag]
        v, thr = values[flag]
        thr = thr[m] if isinstance(thr, pd.Series) else np.full(int(m.sum()), thr)
        parts.append(pd.DataFrame({"contract_id": df.loc[m, "contract_id"],
                                   "period": df.loc[m, "period"], "flag": flag,
                                   "value": np.asarray(v[m], dtype=float),
                                   "threshold": np.asarray(thr, dtype=float)}))
    flags = pd.concat(parts, ignore_index=True)
    flags["_o"] = flags["flag"].map({f: i for i, f in enumerate(FLAGS)})
    flags = flags.sort_values(["contract_id", "period", "_o"], kind="stable").drop(columns="_o")
    return df, flags.reset_index(drop=True)


def money_flows(data: ContractingData) -> pd.DataFrame:
    """Per NGO: applications, amount applied for, lots won, amount awarded and disbursed.

    ``awarded`` sums the values of active awards; ``contracted`` the contract values;
    ``disbursed`` the payments made.
    """
    apps = data.applications
    applied = apps.groupby("ngo_id").agg(applications=("application_id", "size"),
                                         applied_for=("price", "sum"))
    aw = data.awards[data.awards["status"] == "active"].merge(
        apps[["application_id", "ngo_id"]], on="application_id")
    awarded = aw.groupby("ngo_id").agg(awards=("award_id", "size"), awarded=("value", "sum"))
    con = data.contracts.merge(aw[["award_id", "ngo_id"]], on="award_id")
    contracted = con.groupby("ngo_id")["value"].sum().rename("contracted")
    pay = data.payments.merge(con[["contract_id", "ngo_id"]], on="contract_id")
    disbursed = pay.groupby("ngo_id")["amount"].sum().rename("disbursed")
    out = data.ngos[["ngo_id", "name"]].set_index("ngo_id")
    out = out.join(applied).join(awarded).join(contracted).join(disbursed)
    for col in ("applications", "awards"):
        out[col] = out[col].fillna(0).astype(int)
    for col in ("applied_for", "awarded", "contracted", "disbursed"):
        out[col] = out[col].fillna(0.0).round(2)
    return out.reset_index()
