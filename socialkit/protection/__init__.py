"""Analyses of the data collected with the Vojvodina instruments (issue 17): pure functions
over the accepted records, read through the intake catalog (``catalogs/store_*.yaml``) or
handed over by a surface that has the store; never the store itself.

* :func:`wide_records` — the catalog's ``accepted_values`` (one row per field) as one row per
  record and one numeric column per field.
* :func:`dv_tables` — domestic-violence counts per period (and municipality or CSW) by sex,
  age group and relation to the perpetrator, forms of violence and measures taken, through
  :mod:`socialkit.disclosure` (threshold and secondary suppression).
* :func:`export_records` — a record-level export, only when k-anonymity holds over the form's
  quasi-identifiers (or generalised / suppressed until it does; ``record_exports.yaml``).
"""

from .dv import DV_DIMENSIONS, DVTables, dv_tables, wide_records
from .exports import RecordExport, export_records, export_spec, record_classes

__all__ = ["DV_DIMENSIONS", "DVTables", "RecordExport", "dv_tables", "export_records",
           "export_spec", "record_classes", "wide_records"]
