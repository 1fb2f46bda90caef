"""Analyses of the data collected with the Vojvodina instruments (issue 17): pure functions
over the accepted records, read through the intake catalog (``catalogs/store_*.yaml``) or
handed over by a surface that has the store; never the store itself.

* :func:`wide_records` — the catalog's ``accepted_values`` (one row per field) as one row per
  record and one numeric column per field.
* :func:`dv_tables` — domestic-violence counts per period (and municipality or CSW) by sex,
  age group and relation to the perpetrator, forms of violence and measures taken, through
  :mod:`socialkit.disclosure` (threshold and secondary suppression).
"""

from .dv import DV_DIMENSIONS, DVTables, dv_tables, wide_records

__all__ = ["DV_DIMENSIONS", "DVTables", "dv_tables", "wide_records"]
