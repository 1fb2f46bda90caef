"""pandera schemas for every table of the data model (see ARCHITECTURE.md).

Each schema coerces types (ids to strings, counts to nullable ``Int64``) and checks ranges and
allowed values. :data:`SCHEMAS` maps a table name to its schema; :data:`KEYS` to the columns
that identify a row. Periods are ISO strings: a year (``2021``), a quarter (``2021Q1``) or a
month (``2021-03``).

Ids match :data:`ID_PATTERN`: 1 to 64 letters, digits, ``_``, ``.`` and ``-``, starting
with a letter, a digit or ``_``; so an id is never ``.`` or ``..`` and never holds a path
separator, a space or a control character, and it can name a file or a report folder safely.
Counts are whole numbers from 0 to :data:`MAX_COUNT`; other numbers must be finite (no
``inf``), and values and scores are not negative.
"""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa

__all__ = [
    "FACILITY_KINDS",
    "ID_PATTERN",
    "KEYS",
    "MAX_COUNT",
    "PASSPORT_INDICATORS",
    "PERIOD_PATTERN",
    "ROUND_PATTERN",
    "SCHEMAS",
    "TABLES",
]

#: Kinds of facilities the data model knows.
FACILITY_KINDS: tuple[str, ...] = (
    "social_service_centre",
    "admin_service_centre",
    "primary_care",
    "pharmacy",
    "school",
)
#: Vulnerable groups counted in the social passport.
PASSPORT_INDICATORS: tuple[str, ...] = (
    "elderly_alone",
    "disability",
    "idp",
    "families_difficult",
    "children_no_care",
    "low_income",
    "unemployed",
)
#: ISO period: year, quarter or month.
PERIOD_PATTERN = r"^\d{4}(Q[1-4]|-(0[1-9]|1[0-2]))?$"
#: Assessment round: a month, ``YYYY-MM``.
ROUND_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
#: A stable id: safe as a file or folder name (no ``.``/``..``, separators, spaces, controls).
ID_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,63}$"
_ID = ID_PATTERN
#: Largest count accepted: more people than live in any country a municipality belongs to.
MAX_COUNT = 100_000_000

_SEX = ("female", "male", "total")
_AGE = ("0-17", "18-59", "60+", "total")


def _id(unique: bool = False, nullable: bool = False) -> pa.Column:
    return pa.Column(str, pa.Check.str_matches(_ID), unique=unique, nullable=nullable)


def _count(nullable: bool = True) -> pa.Column:
    return pa.Column("Int64", [pa.Check.ge(0), pa.Check.le(MAX_COUNT)], nullable=nullable)


def _number(*checks: pa.Check, nullable: bool = True) -> pa.Column:
    """A float column: finite (no ``inf``) and passing ``checks``."""
    return pa.Column(float, [_FINITE, *checks], nullable=nullable)


#: A float is finite: ``inf`` and ``-inf`` are not numbers a table may hold.
_FINITE = pa.Check(lambda s: np.isfinite(s.astype("float64")), name="finite",
                   error="finite")


def _text(nullable: bool = False) -> pa.Column:
    return pa.Column(str, nullable=nullable)


def _lat() -> pa.Column:
    return pa.Column(float, pa.Check.in_range(-90.0, 90.0), nullable=False)


def _lon() -> pa.Column:
    return pa.Column(float, pa.Check.in_range(-180.0, 180.0), nullable=False)


def _schema(name: str, columns: dict[str, pa.Column], unique: list[str] | None = None):
    return pa.DataFrameSchema(
        columns, name=name, coerce=True, strict=False, unique=unique, report_duplicates="all"
    )


SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "municipalities": _schema(
        "municipalities",
        {
            "municipality_id": _id(unique=True),
            "name": _text(),
            "name_local": _text(nullable=True),
            "country": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{2}$")),
            "region": _text(),
            "district": _text(nullable=True),
            # names in the local language (optional; reports in it use them when present)
            "region_local": pa.Column(str, nullable=True, required=False),
            "district_local": pa.Column(str, nullable=True, required=False),
            # Belarusian names beside the Russian ``*_local`` ones (optional)
            "name_be": pa.Column(str, nullable=True, required=False),
            "region_be": pa.Column(str, nullable=True, required=False),
            "district_be": pa.Column(str, nullable=True, required=False),
            "population": _count(),
            "area_km2": _number(pa.Check.gt(0)),
            "lat": _lat(),
            "lon": _lon(),
        },
    ),
    "settlements": _schema(
        "settlements",
        {
            "settlement_id": _id(unique=True),
            "municipality_id": _id(),
            "name": _text(),
            "name_local": _text(nullable=True),
            "name_be": pa.Column(str, nullable=True, required=False),  # Belarusian (optional)
            "kind": pa.Column(str, pa.Check.isin(["city", "town", "village"])),
            "lat": _lat(),
            "lon": _lon(),
            "population": _count(),
            "pop_0_17": _count(),
            "pop_18_59": _count(),
            "pop_60_plus": _count(),
        },
    ),
    "facilities": _schema(
        "facilities",
        {
            "facility_id": _id(unique=True),
            "municipality_id": _id(),
            "settlement_id": _id(nullable=True),
            "kind": pa.Column(str, pa.Check.isin(list(FACILITY_KINDS))),
            "name": _text(nullable=True),
            "lat": _lat(),
            "lon": _lon(),
            "capacity": _count(),
        },
    ),
    "passport_values": _schema(
        "passport_values",
        {
            "municipality_id": _id(),
            "settlement_id": _id(nullable=True),
            "year": pa.Column(int, pa.Check.in_range(1990, 2100)),
            "indicator_id": pa.Column(str, pa.Check.isin(list(PASSPORT_INDICATORS))),
            "value": _count(),
        },
        unique=["municipality_id", "settlement_id", "year", "indicator_id"],
    ),
    "maturity_responses": _schema(
        "maturity_responses",
        {
            "municipality_id": _id(),
            "round": pa.Column(str, pa.Check.str_matches(ROUND_PATTERN)),
            "item_id": _id(),
            "score": _number(pa.Check.ge(0)),
            "respondent_role": _text(nullable=True),
        },
        unique=["municipality_id", "round", "item_id"],
    ),
    "indicator_values": _schema(
        "indicator_values",
        {
            "indicator_id": _id(),
            "municipality_id": _id(),
            "period": pa.Column(str, pa.Check.str_matches(PERIOD_PATTERN)),
            "sex": pa.Column(str, pa.Check.isin(list(_SEX))),
            "age_group": pa.Column(str, pa.Check.isin(list(_AGE))),
            "value": _number(pa.Check.ge(0)),
            "source": _text(nullable=True),
        },
        unique=["indicator_id", "municipality_id", "period", "sex", "age_group"],
    ),
    "indicator_targets": _schema(
        "indicator_targets",
        {
            "indicator_id": _id(),
            "municipality_id": _id(),
            "period": pa.Column(str, pa.Check.str_matches(PERIOD_PATTERN)),
            "sex": pa.Column(str, pa.Check.isin(list(_SEX))),
            "age_group": pa.Column(str, pa.Check.isin(list(_AGE))),
            "kind": pa.Column(str, pa.Check.isin(["baseline", "target"])),
            "value": _number(pa.Check.ge(0), nullable=False),
        },
        unique=["indicator_id", "municipality_id", "period", "sex", "age_group", "kind"],
    ),
    "services": _schema(
        "services",
        {
            "service_id": _id(unique=True),
            "municipality_id": _id(),
            "name": _text(),
            "name_local": _text(nullable=True),
            "provider": _text(),
            "provider_local": pa.Column(str, nullable=True, required=False),
            "provider_type": pa.Column(str, pa.Check.isin(["municipal", "ngo"])),
            "kind": _text(),
        },
    ),
    "service_scores": _schema(
        "service_scores",
        {
            "service_id": _id(),
            "criterion_id": _id(),
            "evaluator": _text(),
            "score": _number(pa.Check.ge(0)),
        },
        unique=["service_id", "criterion_id", "evaluator"],
    ),
}

#: Table names in the order they are generated, validated and listed.
TABLES: tuple[str, ...] = tuple(SCHEMAS)

#: Columns identifying a row of each table.
KEYS: dict[str, list[str]] = {
    "municipalities": ["municipality_id"],
    "settlements": ["settlement_id"],
    "facilities": ["facility_id"],
    "passport_values": ["municipality_id", "settlement_id", "year", "indicator_id"],
    "maturity_responses": ["municipality_id", "round", "item_id"],
    "indicator_values": ["indicator_id", "municipality_id", "period", "sex", "age_group"],
    "indicator_targets": [
        "indicator_id", "municipality_id", "period", "sex", "age_group", "kind",
    ],
    "services": ["service_id"],
    "service_scores": ["service_id", "criterion_id", "evaluator"],
}
