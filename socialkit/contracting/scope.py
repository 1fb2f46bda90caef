"""A region-year seen by one customer: its orders, competitions and what follows from them.

A district executive committee sees its own social orders, competitions, applications,
evaluations, awards, contracts and monitoring returns — the scope of the customer's territory
that the notebooks and dashboard pages apply. Organisations, evaluators and customers stay
whole (they are the reference tables the rest points to).
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import ContractingData

__all__ = ["for_customer"]


def for_customer(data: ContractingData, customer_id: str | Iterable[str] | None
                 ) -> ContractingData:
    """``data`` restricted to the competitions of ``customer_id`` — one customer's id or
    several (``None``: all of it).

    >>> from socialkit.contracting.demo import generate_region_year
    >>> d = for_customer(generate_region_year("homel", 2025), "hom-mazyr-ec")
    >>> sorted(d.competitions["competition_id"]), len(d.contracts)
    (['hom-2025-c02'], 1)
    """
    if customer_id is None:
        return data
    wanted = {customer_id} if isinstance(customer_id, str) else set(customer_id)
    comps = data.competitions[data.competitions["customer_id"].isin(wanted)]
    ids = set(comps["competition_id"])
    lots = data.lots[data.lots["competition_id"].isin(ids)]
    apps = data.applications[data.applications["competition_id"].isin(ids)]
    app_ids = set(apps["application_id"])
    awards = data.awards[data.awards["lot_id"].isin(set(lots["lot_id"]))]
    contracts = data.contracts[data.contracts["award_id"].isin(set(awards["award_id"]))]
    k = set(contracts["contract_id"])

    def by(frame, column, keep):
        return frame[frame[column].isin(keep)]

    return data.replace(
        orders=by(data.orders, "order_id", set(lots["order_id"])), competitions=comps,
        lots=lots, criteria=by(data.criteria, "competition_id", ids),
        required_documents=by(data.required_documents, "competition_id", ids),
        applications=apps,
        application_documents=by(data.application_documents, "application_id", app_ids),
        eligibility=by(data.eligibility, "application_id", app_ids),
        declarations=by(data.declarations, "competition_id", ids),
        scores=by(data.scores, "application_id", app_ids), awards=awards,
        contracts=contracts, schedule=by(data.schedule, "contract_id", k),
        deliveries=by(data.deliveries, "contract_id", k),
        payments=by(data.payments, "contract_id", k))
