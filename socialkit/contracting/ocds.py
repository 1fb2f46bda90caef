"""Open Contracting Data Standard 1.1: releases, a release package, compiled records, validation.

One contracting process (one ``ocid``) per competition, with up to five releases, each tagged
with the stage it reports:

=================  ====================================================================
release (tag)      what it carries (socialkit table → OCDS field)
=================  ====================================================================
planning           order → ``planning.rationale`` (the evidence for the volume),
                   ``planning.budget.amount`` (maximum subsidy of the lots)
tender             competition → ``tender`` (title, ``tenderPeriod.endDate`` = deadline,
                   ``procurementMethod`` open, ``mainProcurementCategory`` services,
                   ``eligibilityCriteria`` = the pass/fail criteria,
                   ``awardCriteria`` ratedCriteria / priceOnly / qualityOnly and
                   ``awardCriteriaDetails`` = the published weights or order of importance),
                   lots → ``tender.lots`` (lots extension), order volume → ``tender.items``
                   (clients, hours, visits as quantities)
award              applications → ``tender.tenderers``, ``numberOfTenderers``; awards →
                   ``awards`` (value, supplier, ``relatedLots``, a complaint in
                   ``description``)
contract           contracts → ``contracts`` (value, period, ``dateSigned``, deliverables
                   as items)
implementation     payments → ``contracts.implementation.transactions``; schedule and
                   deliveries → ``contracts.implementation.milestones`` (one delivery
                   milestone per period: met when the hours delivered reach 95 % of the
                   plan, partiallyMet from half of it, notMet below, scheduled before a
                   return)
=================  ====================================================================

Conventions: ``ocid`` is ``OCID_PREFIX-<competition_id>``; the prefix ``ocds-skit00`` looks
like a registered one but is **synthetic** (not registered with the Open Contracting
Partnership) — a publisher replaces it with its own. Release ids are ``<ocid>-<tag>``; dates
are Minsk time (+03:00); amounts in the competition's currency. Lots are the one extension
used (``tender.lots``, ``items.relatedLot``, ``awards.relatedLots``), declared in the package.

Validation (:func:`validate_package`) uses the OCDS 1.1 schemas shipped in
``socialkit/contracting/schema`` with ``jsonschema`` (Draft 4, formats checked), every
``$ref`` resolved locally. Compiling (:func:`compile_records`) uses ``ocdsmerge`` with the same
local release schema, so neither step needs the network.
"""

from __future__ import annotations

import json
from functools import cache, partial
from typing import Any

import pandas as pd

from ..config import OCDS_SCHEMA_DIR
from ..errors import DataValidationError, Problem
from .model import ContractingData

__all__ = [
    "LOTS_EXTENSION",
    "OCID_PREFIX",
    "build_releases",
    "compile_records",
    "record_package",
    "release_package",
    "validate_package",
]

OCID_PREFIX = "ocds-skit00"
LOTS_EXTENSION = ("https://raw.githubusercontent.com/open-contracting-extensions/"
                  "ocds_lots_extension/v1.1.5/extension.json")
_TZ = "+03:00"


def _dt(value: str, time: str = "00:00:00") -> str:
    """An ISO date or date-time as an RFC 3339 date-time in Minsk time."""
    value = str(value).replace(" ", "T")
    if "T" not in value:
        value = f"{value}T{time}"
    if value.count(":") == 1:
        value += ":00"
    return value + _TZ


def _money(amount: float, currency: str) -> dict[str, Any]:
    return {"amount": round(float(amount), 2), "currency": currency}


def _org(row: pd.Series | Any, id_col: str) -> dict[str, str]:
    name = getattr(row, "name_ru", None)
    name = name if isinstance(name, str) and name else row.name
    return {"id": str(getattr(row, id_col)), "name": str(name)}


def _period_end(period: str) -> pd.Timestamp:
    if "-Q" in period:
        return pd.Period(period, "Q").end_time.normalize()
    return pd.Period(period, "M" if "-" in period else "Y").end_time.normalize()


def _criteria_text(crit: pd.DataFrame, weighting: str) -> str:
    award = crit[crit["stage"] == "award"]
    if weighting == "weights":
        parts = [f"{r.name} ({r.criterion_id}, {r.aspect}): {r.weight:g} %"
                 for r in award.itertuples()]
        return "Award criteria with published weights: " + "; ".join(parts)
    award = award.sort_values("importance")
    parts = [f"{int(r.importance)}. {r.name} ({r.criterion_id}, {r.aspect})"
             for r in award.itertuples()]
    return "Award criteria in decreasing order of importance: " + "; ".join(parts)


def _award_kind(crit: pd.DataFrame) -> str:
    aspects = set(crit.loc[crit["stage"] == "award", "aspect"])
    return "priceOnly" if aspects == {"price"} else (
        "qualityOnly" if aspects == {"quality"} else "ratedCriteria")


def _milestone_status(planned: float, delivered: float | None) -> str:
    if delivered is None or pd.isna(delivered):
        return "scheduled"
    if planned <= 0 or delivered >= 0.95 * planned:
        return "met"
    return "partiallyMet" if delivered >= planned / 2 else "notMet"


def _release(base: dict[str, Any], tag: str, date: str, **body: Any) -> dict[str, Any]:
    ocid = base["ocid"]
    return {"ocid": ocid, "id": f"{ocid}-{tag}", "date": date, "tag": [tag],
            **{k: v for k, v in base.items() if k != "ocid"}, **body}


def build_releases(data: ContractingData) -> dict[str, list[dict[str, Any]]]:
    """The OCDS releases of every competition: ``{ocid: [release, …]}`` in date order.

    Parameters
    ----------
    data : ContractingData
        A validated region-year (:func:`~socialkit.contracting.read_contracting`).
    """
    out: dict[str, list[dict[str, Any]]] = {}
    customers = data.customers.set_index("customer_id", drop=False)
    ngos = data.ngos.set_index("ngo_id", drop=False)
    orders = data.orders.set_index("order_id", drop=False)
    apps = data.applications
    awards = data.awards.merge(apps[["application_id", "ngo_id"]], on="application_id",
                               how="left")
    contracts = data.contracts.merge(awards[["award_id", "lot_id", "ngo_id"]], on="award_id")
    deliveries = data.deliveries.set_index(["contract_id", "period"])
    for comp in data.competitions.itertuples(index=False):
        cid = comp.competition_id
        ocid = f"{OCID_PREFIX}-{cid}"
        cur = comp.currency
        buyer = _org(customers.loc[comp.customer_id], "customer_id")
        buyer_party = {**buyer, "roles": ["buyer", "procuringEntity", "payer"]}
        lots = data.lots[data.lots["competition_id"] == cid]
        crit = data.criteria[data.criteria["competition_id"] == cid]
        lot_orders = orders.loc[lots["order_id"]]
        base = {"ocid": ocid, "initiationType": "tender", "language": "ru", "buyer": buyer}
        release = partial(_release, base)
        rels = [release(
            "planning", _dt(comp.published, "09:00:00"), parties=[buyer_party],
            planning={"rationale": " | ".join(lot_orders["evidence"]),
                      "budget": {"id": f"{cid}-budget",
                                 "description": "Maximum subsidy of the state social order",
                                 "amount": _money(lots["max_subsidy"].sum(), cur)}})]
        items = []
        for lot, o in zip(lots.itertuples(), lot_orders.itertuples(), strict=True):
            for unit in ("clients", "hours", "visits"):
                items.append({"id": f"{lot.lot_id}-{unit}",
                              "description": f"{o.service_type}: {o.target_group} "
                                             f"({o.territory}, {o.period_start} – "
                                             f"{o.period_end})",
                              "quantity": int(getattr(o, unit)), "unit": {"name": unit},
                              "relatedLot": lot.lot_id})
        passfail = crit[crit["stage"] != "award"]
        tender = {
            "id": cid, "title": comp.title, "status": "active",
            "procuringEntity": buyer, "items": items,
            "value": _money(lots["max_subsidy"].sum(), cur),
            "procurementMethod": "open",
            "procurementMethodDetails": "State social order subsidy competition "
                                        "(Council of Ministers Resolution No. 1219)",
            "mainProcurementCategory": "services",
            "awardCriteria": _award_kind(crit),
            "awardCriteriaDetails": _criteria_text(crit, comp.weighting),
            "eligibilityCriteria": "; ".join(f"[{r.stage}] {r.name}"
                                             for r in passfail.itertuples()),
            "submissionMethod": ["written"],
            "tenderPeriod": {"startDate": _dt(comp.published, "12:00:00"),
                             "endDate": _dt(comp.deadline, "23:59:59")},
            "lots": [{"id": r.lot_id, "title": r.title, "status": "active",
                      "value": _money(r.max_subsidy, cur)} for r in lots.itertuples()],
        }
        rels.append(release("tender", _dt(comp.published, "12:00:00"),
                            parties=[buyer_party], tender=tender))
        comp_awards = awards[awards["lot_id"].isin(lots["lot_id"])]
        if len(comp_awards):
            comp_apps = apps[apps["competition_id"] == cid]
            tenderers = [_org(ngos.loc[n], "ngo_id") for n in dict.fromkeys(comp_apps["ngo_id"])]
            winners = set(comp_awards["ngo_id"])
            parties = [buyer_party] + [
                {**t, "roles": ["tenderer", "supplier"] if t["id"] in winners else ["tenderer"]}
                for t in tenderers]
            aw = []
            for r in comp_awards.itertuples():
                entry = {"id": r.award_id, "status": r.status, "date": _dt(r.date, "12:00:00"),
                         "value": _money(r.value, cur), "relatedLots": [r.lot_id],
                         "suppliers": [_org(ngos.loc[r.ngo_id], "ngo_id")]}
                if isinstance(r.complaint, str) and r.complaint:
                    entry["description"] = f"Contested: {r.complaint}"
                aw.append(entry)
            rels.append(release(
                "award", max(a["date"] for a in aw), parties=parties,
                tender={"id": cid, "status": "complete", "numberOfTenderers": len(tenderers),
                        "tenderers": tenderers},
                awards=aw))
        comp_contracts = contracts[contracts["lot_id"].isin(lots["lot_id"])]
        if len(comp_contracts):
            cons = []
            for r in comp_contracts.itertuples():
                cons.append({"id": r.contract_id, "awardID": r.award_id, "status": "active",
                             "dateSigned": _dt(r.signed, "12:00:00"),
                             "period": {"startDate": _dt(r.start), "endDate":
                                        _dt(r.end, "23:59:59")},
                             "value": _money(r.value, cur),
                             "items": [{"id": f"{r.contract_id}-{u}", "quantity":
                                        int(getattr(r, u)), "unit": {"name": u},
                                        "relatedLot": r.lot_id}
                                       for u in ("clients", "hours", "visits")]})
            rels.append(release("contract", max(c["dateSigned"] for c in cons),
                                parties=rels[-1]["parties"], contracts=cons))
            impl, dates = [], []
            for r in comp_contracts.itertuples():
                pays = data.payments[data.payments["contract_id"] == r.contract_id]
                sched = data.schedule[data.schedule["contract_id"] == r.contract_id]
                if not len(pays) and not any((r.contract_id, p) in deliveries.index
                                             for p in sched["period"]):
                    continue
                payee = _org(ngos.loc[r.ngo_id], "ngo_id")
                trans = [{"id": p.payment_id, "date": _dt(p.date, "12:00:00"),
                          "value": _money(p.amount, cur), "payer": buyer, "payee": payee}
                         for p in pays.sort_values(["date", "payment_id"]).itertuples()]
                miles = []
                for s in sched.sort_values("period").itertuples():
                    got = (deliveries.at[(r.contract_id, s.period), "hours"]
                           if (r.contract_id, s.period) in deliveries.index else None)
                    miles.append({"id": f"{r.contract_id}-{s.period}", "type": "delivery",
                                  "title": f"{s.period}: {s.hours} hours, {s.visits} visits, "
                                           f"{s.clients} clients",
                                  "dueDate": _dt(_period_end(s.period).strftime("%Y-%m-%d"),
                                                 "23:59:59"),
                                  "status": _milestone_status(float(s.hours), got)})
                dates += [t["date"] for t in trans]
                dates += [m["dueDate"] for m in miles if m["status"] != "scheduled"]
                impl.append({"id": r.contract_id, "awardID": r.award_id,
                             "implementation": {"transactions": trans, "milestones": miles}})
            if impl:
                rels.append(release("implementation", max(dates), contracts=impl))
        out[ocid] = rels
    return out


def release_package(releases: dict[str, list[dict[str, Any]]], *, uri: str,
                    publisher: str = "socialkit") -> dict[str, Any]:
    """An OCDS 1.1 release package of every release (``publishedDate``: the latest release)."""
    flat = [r for rels in releases.values() for r in rels]
    return {"uri": uri, "version": "1.1", "extensions": [LOTS_EXTENSION],
            "publishedDate": max((r["date"] for r in flat), default=_dt("1970-01-01")),
            "publisher": {"name": publisher}, "releases": flat}


@cache
def _schema(name: str) -> dict[str, Any]:
    return json.loads((OCDS_SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))


@cache
def _merger():
    import ocdsmerge

    return ocdsmerge.Merger(schema=_schema("release-schema"))


def compile_records(releases: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Per ``ocid``, the compiled release (``ocdsmerge``, the shipped release schema's rules)."""
    merger = _merger()
    return {ocid: merger.create_compiled_release(rels) for ocid, rels in releases.items()}


def record_package(releases: dict[str, list[dict[str, Any]]], *, uri: str,
                   publisher: str = "socialkit") -> dict[str, Any]:
    """An OCDS 1.1 record package: per process its releases and its compiled release."""
    compiled = compile_records(releases)
    flat = [r for rels in releases.values() for r in rels]
    return {"uri": uri, "version": "1.1", "extensions": [LOTS_EXTENSION],
            "publishedDate": max((r["date"] for r in flat), default=_dt("1970-01-01")),
            "publisher": {"name": publisher},
            "records": [{"ocid": ocid, "releases": rels, "compiledRelease": compiled[ocid]}
                        for ocid, rels in releases.items()]}


@cache
def _validator(kind: str):
    from jsonschema import Draft4Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    names = ("release-schema", "release-package-schema", "record-package-schema",
             "versioned-release-validation-schema")
    registry = Registry().with_resources(
        (_schema(n)["id"], Resource.from_contents(_schema(n), default_specification=DRAFT4))
        for n in names)
    return Draft4Validator(_schema(f"{kind}-package-schema"), registry=registry,
                           format_checker=FormatChecker())


def validate_package(package: dict[str, Any], kind: str = "release", *,
                     source: str = "OCDS package", raise_on_error: bool = True
                     ) -> list[Problem]:
    """Validate a ``release`` or ``record`` package against the shipped OCDS 1.1 schema.

    Returns every problem (JSON path as the column); raises
    :class:`~socialkit.errors.DataValidationError` with all of them unless
    ``raise_on_error`` is false.
    """
    if kind not in ("release", "record"):
        raise ValueError(f"kind {kind!r}: expected 'release' or 'record'")
    problems = [Problem(source=source, column="/".join(map(str, e.absolute_path)) or "/",
                        message=f"{e.message} (rule: OCDS 1.1 {e.validator})")
                for e in sorted(_validator(kind).iter_errors(package),
                                key=lambda e: list(map(str, e.absolute_path)))]
    if problems and raise_on_error:
        raise DataValidationError(problems, header=f"{len(problems)} problem(s): the {kind} "
                                  "package does not validate against OCDS 1.1")
    return problems
