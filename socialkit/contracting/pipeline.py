"""Where each competition of the state social order stands, and each provider's record.

Language-free tables for the dashboard's contracting page and for notebooks (the display
layer, :mod:`socialkit.contracting.display` and ``socialkit/views/contracting.py``, puts them
into words):

* :func:`competition_pipeline` — one row per competition: its customer, dates, lots,
  applications, the stage it has reached and the money awarded and contracted;
* :func:`provider_registry` — one row per organisation that applied: its money flows
  (:func:`~socialkit.contracting.monitor.money_flows`), its contracts and how many of them the
  implementation monitoring flagged (:func:`~socialkit.contracting.monitor.monitoring_flags`).

Stages, in the order a competition passes them (the furthest reached is reported):
``open`` (the deadline for applications has not passed), ``evaluation`` (it has, no award
yet), ``awarded`` (an active award, no contract signed), ``contracted`` (a contract signed
for at least one lot). ``contested`` is separate: an award of the competition has a complaint.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .model import ContractingData
from .monitor import FlagRules, money_flows, monitoring_flags

__all__ = ["STAGES", "competition_pipeline", "contract_status", "provider_registry"]

#: The stages of a competition, in order.
STAGES: tuple[str, ...] = ("open", "evaluation", "awarded", "contracted")


def _contract_ngo(data: ContractingData) -> pd.DataFrame:
    """``contract_id, award_id, ngo_id, competition_id`` of every contract."""
    aw = data.awards[["award_id", "application_id"]].merge(
        data.applications[["application_id", "ngo_id", "competition_id"]], on="application_id")
    return data.contracts[["contract_id", "award_id"]].merge(aw, on="award_id")


def competition_pipeline(data: ContractingData, today: dt.date | str | None = None
                         ) -> pd.DataFrame:
    """One row per competition, in published order.

    Columns ``competition_id, customer_id, service_type, published, deadline, lots,
    applications, organisations, stage, contested, awarded, contracted, currency``:
    ``service_type`` of its first lot's order; ``organisations`` the number of organisations
    that applied; ``awarded`` the value of its active awards, ``contracted`` of its contracts.

    >>> from socialkit.contracting.demo import generate_region_year
    >>> p = competition_pipeline(generate_region_year("homel", 2025), "2026-12-07")
    >>> sorted(set(p["stage"]))
    ['contracted']
    >>> bool(p["contested"].any())
    True
    """
    day = pd.Timestamp(dt.date.today() if today is None else today)
    comp = data.competitions
    lots = data.lots.merge(data.orders[["order_id", "service_type"]], on="order_id",
                           how="left")
    first = lots.drop_duplicates("competition_id").set_index("competition_id")["service_type"]
    apps = data.applications.groupby("competition_id").agg(
        applications=("application_id", "size"), organisations=("ngo_id", "nunique"))
    aw = data.awards.merge(data.lots[["lot_id", "competition_id"]], on="lot_id")
    active = aw[aw["status"] == "active"]
    complaint = aw["complaint"].astype("string").fillna("").str.strip() != ""
    contested = aw[complaint].groupby("competition_id").size()
    con = data.contracts.merge(active[["award_id", "competition_id"]], on="award_id")
    out = pd.DataFrame({
        "competition_id": comp["competition_id"].astype(str),
        "customer_id": comp["customer_id"].astype(str),
        "published": comp["published"].astype(str),
        "deadline": comp["deadline"].astype(str),
        "currency": comp["currency"].astype(str),
    })
    ids = out["competition_id"]
    out.insert(2, "service_type", ids.map(first))
    out["lots"] = ids.map(lots.groupby("competition_id").size()).fillna(0).astype(int)
    out["applications"] = ids.map(apps["applications"]).fillna(0).astype(int)
    out["organisations"] = ids.map(apps["organisations"]).fillna(0).astype(int)
    out["awarded"] = ids.map(active.groupby("competition_id")["value"].sum()).fillna(0.0)
    out["contracted"] = ids.map(con.groupby("competition_id")["value"].sum()).fillna(0.0)
    has_award = ids.isin(set(active["competition_id"]))
    has_contract = ids.isin(set(con["competition_id"]))
    closed = pd.to_datetime(out["deadline"], errors="coerce") <= day
    out["stage"] = [("contracted" if c else "awarded" if a else
                     "evaluation" if d else "open")
                    for c, a, d in zip(has_contract, has_award, closed, strict=True)]
    out["contested"] = ids.map(contested).fillna(0).astype(int) > 0
    out = out[["competition_id", "customer_id", "service_type", "published", "deadline",
               "lots", "applications", "organisations", "stage", "contested", "awarded",
               "contracted", "currency"]]
    return out.sort_values(["published", "competition_id"], kind="stable").reset_index(drop=True)


def provider_registry(data: ContractingData, rules: FlagRules | None = None) -> pd.DataFrame:
    """One row per organisation that applied: who it is, its money flows and its record.

    Columns ``ngo_id, kind, district, applications, awards, contracts, contracts_flagged,
    flags, applied_for, awarded, contracted, disbursed`` (``contracts_flagged``: its contracts
    with at least one monitoring flag; ``flags``: flags raised in all, contract × period).

    >>> from socialkit.contracting.demo import generate_region_year
    >>> r = provider_registry(generate_region_year("mahiliou", 2025))
    >>> bool((r["contracts_flagged"] <= r["contracts"]).all())
    True
    """
    flows = money_flows(data)
    flows = flows[flows["applications"] > 0].drop(columns="name")
    _, flags = monitoring_flags(data, rules)
    k = _contract_ngo(data)
    per_contract = flags.groupby("contract_id").size()
    k = k.assign(flags=k["contract_id"].map(per_contract).fillna(0).astype(int))
    by = k.groupby("ngo_id").agg(contracts=("contract_id", "size"),
                                 contracts_flagged=("flags", lambda s: int((s > 0).sum())),
                                 flags=("flags", "sum"))
    ngos = data.ngos.set_index("ngo_id")
    out = flows.set_index("ngo_id").join(by)
    for col in ("contracts", "contracts_flagged", "flags"):
        out[col] = out[col].fillna(0).astype(int)
    out.insert(0, "district", ngos["district"].reindex(out.index).astype("string"))
    out.insert(0, "kind", ngos["kind"].reindex(out.index).astype("string"))
    out = out.reset_index()
    return out[["ngo_id", "kind", "district", "applications", "awards", "contracts",
                "contracts_flagged", "flags", "applied_for", "awarded", "contracted",
                "disbursed"]]


def contract_status(data: ContractingData, rules: FlagRules | None = None) -> pd.DataFrame:
    """One row per contract: who delivers what, and how far it has come.

    Columns ``contract_id, competition_id, customer_id, ngo_id, service_type, value, currency,
    latest, delivered, paid_share, flags``: ``latest`` is the latest period with a return
    (hours or visits delivered; missing before the first), ``delivered`` the lower of the
    cumulative hours and visits ratios in it, ``paid_share`` the payments to date over the
    value, ``flags`` a tuple of ``(flag, (period, …))`` in :data:`~.monitor.FLAGS` order.
    """
    progress, flags = monitoring_flags(data, rules)
    k = _contract_ngo(data)
    comp = data.competitions.set_index("competition_id")
    lot_order = data.awards.set_index("award_id")["lot_id"].map(
        data.lots.set_index("lot_id")["order_id"])
    service = lot_order.map(data.orders.set_index("order_id")["service_type"])
    reported = progress[progress["hours"].gt(0) | progress["visits"].gt(0)]
    last = reported.groupby("contract_id").tail(1).set_index("contract_id")
    paid = data.payments.groupby("contract_id")["amount"].sum()
    by_contract = {c: tuple((f, tuple(g["period"])) for f, g in fl.groupby("flag", sort=False))
                   for c, fl in flags.groupby("contract_id", sort=False)}
    con = data.contracts.set_index("contract_id")
    rows = []
    for r in k.itertuples():
        cid = r.contract_id
        lp = last.loc[cid] if cid in last.index else None
        value = float(con.at[cid, "value"])
        rows.append({
            "contract_id": cid, "competition_id": r.competition_id,
            "customer_id": comp.at[r.competition_id, "customer_id"], "ngo_id": r.ngo_id,
            "service_type": service.get(r.award_id), "value": value,
            "currency": comp.at[r.competition_id, "currency"],
            "latest": None if lp is None else lp["period"],
            "delivered": float("nan") if lp is None else min(lp["hours_ratio"],
                                                             lp["visits_ratio"]),
            "paid_share": paid.get(cid, 0.0) / value if value else float("nan"),
            "flags": by_contract.get(cid, ()),
        })
    cols = ["contract_id", "competition_id", "customer_id", "ngo_id", "service_type", "value",
            "currency", "latest", "delivered", "paid_share", "flags"]
    return pd.DataFrame(rows, columns=cols)
