"""The tables of a region-year of state social order, as pandera schemas.

One folder (or one workbook, one sheet per table) holds one region-year. Every table is keyed
by stable string ids; dates are ISO (``2025-03-01``), date-times ISO with a time
(``2025-03-01T17:00``); money is in the competition's currency (BYN by default).

Texts are entered in English (``name``, ``title``, ``target_group`` …) and, for Belarus'
readers, in Russian and Belarusian in the optional ``<column>_ru`` and ``<column>_be`` columns
(``name_ru``, ``title_ru``, ``evidence_ru`` …). Reports, calls and the OCDS export show each text
in the reader's language by the suite's one rule (:func:`socialkit.i18n.display_name` with the
country ``BY``: a Russian or Belarusian reader sees ``<column>_be``/``<column>_ru``, others the
English text; :func:`~socialkit.contracting.model.local_text`).

=====================  ======================================================================
table                  what one row is
=====================  ======================================================================
customers              a customer: a district executive committee (райисполком)
ngos                   a non-governmental organisation that may apply
evaluators             a member of a competition commission
orders                 a social order: service, target group, volume, territory, period,
                       maximum subsidy, quality standard and the evidence for the volume
competitions           a subsidy competition: deadline, score scale, weighting method
lots                   a lot of a competition, delivering one order
criteria               a criterion: ``eligibility`` / ``selection`` (pass/fail) or ``award``
                       (``price`` or ``quality``, with a weight or an order of importance)
required_documents     a document every application to a competition must carry
applications           an application of an NGO to a lot, with its price (subsidy asked)
application_documents  a document an application carries
eligibility            the pass/fail result of one application on one eligibility or
                       selection criterion, with its reason
declarations           an evaluator's declaration of no conflict of interest
scores                 one evaluator's score of one application on one quality criterion,
                       with a justification
awards                 the award decision of a lot (status; a complaint if contested)
contracts              the subsidy contract: value, deliverables (clients, hours, visits)
schedule               planned deliverables and payment per contract and period
deliveries             delivered clients, hours and visits, quality check score and client
                       satisfaction per contract and period (the monitoring returns)
payments               a payment (disbursement) under a contract
=====================  ======================================================================
"""

from __future__ import annotations

import pandera.pandas as pa

__all__ = ["KEYS", "SCHEMAS", "TABLES"]

_ID = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"
_DATE = r"^\d{4}-\d{2}-\d{2}$"
_DATETIME = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?$"
_PERIOD = r"^\d{4}(-Q[1-4]|-\d{2})?$"


def _id(unique: bool = False, nullable: bool = False) -> pa.Column:
    return pa.Column(str, pa.Check.str_matches(_ID), unique=unique, nullable=nullable)


def _text(nullable: bool = False) -> pa.Column:
    return pa.Column(str, nullable=nullable)


def _local(*fields: str) -> dict[str, pa.Column]:
    """Optional ``<field>_ru`` and ``<field>_be`` columns: the text in Russian, Belarusian."""
    return {f"{f}_{suffix}": pa.Column(str, nullable=True, required=False)
            for f in fields for suffix in ("ru", "be")}


def _date(nullable: bool = False, time: bool = False) -> pa.Column:
    return pa.Column(str, pa.Check.str_matches(_DATETIME if time else _DATE), nullable=nullable)


def _count(nullable: bool = False) -> pa.Column:
    return pa.Column("Int64", pa.Check.ge(0), nullable=nullable)


def _money(nullable: bool = False) -> pa.Column:
    return pa.Column(float, pa.Check.ge(0), nullable=nullable)


def _choice(*values: str, nullable: bool = False) -> pa.Column:
    return pa.Column(str, pa.Check.isin(list(values)), nullable=nullable)


def _schema(name: str, columns: dict[str, pa.Column], unique: list[str] | None = None):
    return pa.DataFrameSchema(columns, name=name, coerce=True, strict=False, unique=unique,
                              report_duplicates="all")


SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "customers": _schema("customers", {
        "customer_id": _id(unique=True), "name": _text(), "name_ru": _text(nullable=True),
        "name_be": pa.Column(str, nullable=True, required=False),
        "region": _text(), "district": _text(), **_local("region")}),
    "ngos": _schema("ngos", {
        "ngo_id": _id(unique=True), "name": _text(), "name_ru": _text(nullable=True),
        "name_be": pa.Column(str, nullable=True, required=False),
        "kind": _text(), "district": _text(nullable=True)}),
    "evaluators": _schema("evaluators", {"evaluator_id": _id(unique=True), "name": _text(),
                                         **_local("name")}),
    "orders": _schema("orders", {
        "order_id": _id(unique=True), "customer_id": _id(), "service_type": _text(),
        "target_group": _text(), "eligibility": _text(), "clients": _count(),
        "hours": _count(), "visits": _count(), "territory": _text(),
        "period_start": _date(), "period_end": _date(), "max_subsidy": _money(),
        "quality_standard": _text(), "quality_min": pa.Column(float, pa.Check.in_range(0, 100)),
        "evidence": _text(), "evidence_indicator": _text(nullable=True),
        "evidence_value": pa.Column(float, nullable=True),
        **_local("target_group", "eligibility", "territory", "quality_standard", "evidence")}),
    "competitions": _schema("competitions", {
        "competition_id": _id(unique=True), "customer_id": _id(), "title": _text(),
        "published": _date(), "deadline": _date(time=True),
        "scale_min": pa.Column(float), "scale_max": pa.Column(float),
        "weighting": _choice("weights", "order"), "currency": _text(), **_local("title")}),
    "lots": _schema("lots", {
        "lot_id": _id(unique=True), "competition_id": _id(), "order_id": _id(),
        "title": _text(), "max_subsidy": _money(), **_local("title")}),
    "criteria": _schema("criteria", {
        "competition_id": _id(), "criterion_id": _id(),
        "stage": _choice("eligibility", "selection", "award"), "name": _text(),
        "aspect": _choice("price", "quality", nullable=True),
        "weight": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
        "importance": pa.Column("Int64", pa.Check.ge(1), nullable=True), **_local("name")},
        unique=["competition_id", "criterion_id"]),
    "required_documents": _schema("required_documents", {
        "competition_id": _id(), "document": _text()}, unique=["competition_id", "document"]),
    "applications": _schema("applications", {
        "application_id": _id(unique=True), "competition_id": _id(), "lot_id": _id(),
        "ngo_id": _id(), "submitted": _date(time=True), "price": pa.Column(float, pa.Check.gt(0)),
        "clients": _count(), "hours": _count(), "visits": _count()}),
    "application_documents": _schema("application_documents", {
        "application_id": _id(), "document": _text()}, unique=["application_id", "document"]),
    "eligibility": _schema("eligibility", {
        "application_id": _id(), "criterion_id": _id(), "passed": pa.Column(bool),
        "reason": _text(nullable=True), **_local("reason")}, unique=["application_id", "criterion_id"]),
    "declarations": _schema("declarations", {
        "competition_id": _id(), "evaluator_id": _id(), "signed": _date(),
        "no_conflict": pa.Column(bool)}, unique=["competition_id", "evaluator_id"]),
    "scores": _schema("scores", {
        "application_id": _id(), "criterion_id": _id(), "evaluator_id": _id(),
        "score": pa.Column(float), "justification": _text()},
        unique=["application_id", "criterion_id", "evaluator_id"]),
    "awards": _schema("awards", {
        "award_id": _id(unique=True), "lot_id": _id(unique=True), "application_id": _id(),
        "date": _date(), "value": _money(), "status": _choice("active", "pending", "cancelled"),
        "complaint": _text(nullable=True), **_local("complaint")}),
    "contracts": _schema("contracts", {
        "contract_id": _id(unique=True), "award_id": _id(unique=True), "signed": _date(),
        "start": _date(), "end": _date(), "value": _money(), "clients": _count(),
        "hours": _count(), "visits": _count()}),
    "schedule": _schema("schedule", {
        "contract_id": _id(), "period": pa.Column(str, pa.Check.str_matches(_PERIOD)),
        "clients": _count(), "hours": _count(), "visits": _count(), "payment": _money()},
        unique=["contract_id", "period"]),
    "deliveries": _schema("deliveries", {
        "contract_id": _id(), "period": pa.Column(str, pa.Check.str_matches(_PERIOD)),
        "clients": _count(), "hours": _count(), "visits": _count(),
        "quality_score": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
        "satisfaction": pa.Column(float, pa.Check.in_range(1, 5), nullable=True),
        "respondents": _count(nullable=True)}, unique=["contract_id", "period"]),
    "payments": _schema("payments", {
        "payment_id": _id(unique=True), "contract_id": _id(), "date": _date(),
        "period": pa.Column(str, pa.Check.str_matches(_PERIOD)), "amount": _money()}),
}

#: The tables of a region-year, in reading order (references point to earlier tables).
TABLES: tuple[str, ...] = tuple(SCHEMAS)

#: Each table's key columns (for messages about duplicate rows).
KEYS: dict[str, list[str]] = {
    name: (list(s.unique) if s.unique else [c for c, col in s.columns.items() if col.unique][:1])
    for name, s in SCHEMAS.items()}
