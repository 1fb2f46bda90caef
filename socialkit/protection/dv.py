"""Domestic-violence tables from the accepted quarterly records, published only through
disclosure control.

The domestic-violence instrument (``socialkit/frameworks/forms/domestic_violence.xlsx``)
counts victims once per quarter per centre for social work, with the disaggregations the
EIGE indicators and the UN Women/WHO guidance ask for. :func:`dv_tables` adds the centres up
per period and per ``unit`` (municipality, CSW, or the whole province) and returns three
tidy tables:

* ``victims`` — victims by sex, by age group and by the relation of the main perpetrator,
  each breakdown with its total. These cells add up (the categories of a breakdown to its
  total; the units to the all-units row), so they go through
  :func:`socialkit.disclosure.suppress_counts`: counts of 1 … threshold − 1 are suppressed
  (primary) and so is whatever would let a reader get them back by subtraction (secondary),
  along both the categories and the units;
* ``forms`` — victims by form of violence (a victim may suffer several, so these do not add
  up to a total) and ``measures`` — the response (urgent measures, protection orders,
  individual plans, referrals): each cell is a count of people or decisions and is published
  through :func:`socialkit.disclosure.publish` (small counts blanked).

A suppressed cell is NA with ``suppression`` = ``primary`` or ``secondary``; labels are the
form's own labels in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..disclosure import publish, suppress_counts
from ..forms import form_path, load_form

__all__ = ["DV_DIMENSIONS", "DVTables", "dv_tables", "wide_records"]

#: Breakdowns of the victims that add up to ``victims_total``: dimension -> fields.
DV_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "sex": ("victims_female", "victims_male"),
    "age": ("victims_age_0_17", "victims_age_18_29", "victims_age_30_64", "victims_age_65"),
    "relation": ("perpetrator_partner", "perpetrator_former_partner", "perpetrator_family",
                 "perpetrator_other"),
}
_TOTAL = "victims_total"
_FORMS = ("violence_physical", "violence_psychological", "violence_sexual",
          "violence_economic", "violence_stalking", "ipv_women_18", "femicides")
_MEASURES = ("reports_received", "urgent_measures", "urgent_measures_extended",
             "protection_orders_requested", "protection_orders_issued", "individual_plans",
             "referrals_shelter", "referrals_health", "referrals_legal",
             "referrals_counselling")
#: The label of the all-units row.
ALL = "total"


@dataclass(frozen=True)
class DVTables:
    """The published domestic-violence tables (see the module docstring)."""

    victims: pd.DataFrame
    forms: pd.DataFrame
    measures: pd.DataFrame


def wide_records(values: pd.DataFrame) -> pd.DataFrame:
    """The catalog's ``accepted_values`` (``record_id, …, institution_id, municipality_id,
    period, field, value``) as one row per record and one column per field; values that read
    as numbers become numbers.

    >>> long = pd.DataFrame({"record_id": [1, 1], "institution_id": ["c", "c"],
    ...     "municipality_id": ["m", "m"], "period": ["2026Q1"] * 2,
    ...     "field": ["victims_total", "victims_male"], "value": ["12", "5"]})
    >>> wide_records(long)[["victims_total", "victims_male"]].iloc[0].tolist()
    [12, 5]
    """
    keys = [c for c in ("record_id", "institution_id", "municipality_id", "period")
            if c in values.columns]
    if values.empty:
        return pd.DataFrame(columns=keys)
    wide = values.pivot_table(index=keys, columns="field", values="value",
                              aggfunc="first").reset_index()
    wide.columns.name = None
    for col in wide.columns:
        if col in keys:
            continue
        num = pd.to_numeric(wide[col], errors="coerce")
        if num.notna().sum() == wide[col].notna().sum():
            wide[col] = num.astype("Int64") if (num.dropna() % 1 == 0).all() else num
    return wide


def _sum(records: pd.DataFrame, fields, unit: str | None) -> pd.DataFrame:
    keys = (["period"] if unit is None else [unit, "period"])
    frame = records.reindex(columns=[*keys, *fields]).copy()
    for f in fields:
        frame[f] = pd.to_numeric(frame[f], errors="coerce")
    # a count missing everywhere in a group stays missing (missing is not 0)
    return frame.groupby(keys, dropna=False)[list(fields)].sum(min_count=1).reset_index()


def dv_tables(records: pd.DataFrame, *, unit: str | None = "municipality_id",
              lang: str = "en", threshold: int | None = None) -> DVTables:
    """The published domestic-violence tables of the accepted records.

    Parameters
    ----------
    records
        One row per accepted record of ``domestic_violence``: ``period``, ``unit`` (when
        given) and the form's fields (:func:`wide_records`, or ``Store.accepted``).
    unit
        ``"municipality_id"``, ``"institution_id"``, or ``None`` for the whole province
        (the records given).
    lang
        Language of the labels.
    threshold
        Counts 1 … threshold − 1 are suppressed (default: the suite's, 5).

    Returns
    -------
    DVTables
        ``victims``: ``[unit,] period, dimension, category, label, victims, suppressed,
        suppression`` (``category`` ``total`` is the breakdown's total; ``unit`` ``total`` the
        sum over the units); ``forms`` and ``measures``: ``[unit,] period, field, label,
        count``.
    """
    form = load_form(form_path("domestic_violence"))
    fields = [_TOTAL, *[f for dims in DV_DIMENSIONS.values() for f in dims]]
    sums = _sum(records, fields, unit)
    if unit is not None and len(sums):
        overall = _sum(records, fields, None)
        overall.insert(0, unit, ALL)
        sums = pd.concat([sums, overall], ignore_index=True)
    keys = (["period"] if unit is None else [unit, "period"])
    rows = []
    for dim, dim_fields in DV_DIMENSIONS.items():
        for field in (*dim_fields, _TOTAL):
            part = sums[keys].copy()
            part["dimension"] = dim
            part["category"] = "total" if field == _TOTAL else field
            part["label"] = form.label(field, lang)
            part["victims"] = sums[field].astype("Float64").round().astype("Int64")
            rows.append(part)
    victims = (pd.concat(rows, ignore_index=True) if rows else
               pd.DataFrame(columns=[*keys, "dimension", "category", "label", "victims"]))
    by = ["category"] + ([unit] if unit is not None else [])
    totals = {"category": "total"} | ({unit: ALL} if unit is not None else {})
    victims = suppress_counts(victims, "victims", by=by, total_rows=totals,
                              within=["period", "dimension"], threshold=threshold)
    victims = victims.sort_values([*keys, "dimension"], kind="stable").reset_index(drop=True)

    def counts(names) -> pd.DataFrame:
        s = _sum(records, names, unit)
        long = s.melt(id_vars=keys, value_vars=list(names), var_name="field",
                      value_name="count")
        long["label"] = long["field"].map(lambda f: form.label(f, lang))
        long["count"] = long["count"].astype("Float64").round().astype("Int64")
        long = long[[*keys, "field", "label", "count"]]
        return publish(long, counts=["count"], threshold=threshold).reset_index(drop=True)

    return DVTables(victims, counts(_FORMS), counts(_MEASURES))

