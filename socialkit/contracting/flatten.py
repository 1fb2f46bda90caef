"""A spreadsheet of the compiled OCDS releases for staff: one sheet per object.

Own flattening rather than ``flattentool``: the five sheets staff asked for (tenders, awards,
contracts, transactions, milestones) with one row per object, the ``ocid`` (and the contract
id) repeated as the key that joins them, and columns named by their OCDS path (``/`` between
the levels, as flattentool names them) — ``flattentool`` itself would add ~20 dependencies
(ZODB among them) for a layout with one sheet per array path that staff then have to join.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..files import excel_safe_frame

__all__ = ["SHEETS", "flatten_compiled", "write_flat_workbook"]

#: Sheet name → the columns it carries (OCDS paths, ``/``-separated).
SHEETS: dict[str, list[str]] = {
    "tenders": ["ocid", "buyer/id", "buyer/name", "tender/id", "tender/title", "tender/status",
                "tender/value/amount", "tender/value/currency", "tender/tenderPeriod/endDate",
                "tender/awardCriteria", "tender/awardCriteriaDetails",
                "tender/numberOfTenderers", "planning/budget/amount/amount",
                "planning/rationale"],
    "awards": ["ocid", "awards/id", "awards/status", "awards/date", "awards/value/amount",
               "awards/value/currency", "awards/relatedLots", "awards/suppliers/id",
               "awards/suppliers/name", "awards/description"],
    "contracts": ["ocid", "contracts/id", "contracts/awardID", "contracts/status",
                  "contracts/dateSigned", "contracts/period/startDate",
                  "contracts/period/endDate", "contracts/value/amount",
                  "contracts/value/currency"],
    "transactions": ["ocid", "contracts/id", "contracts/implementation/transactions/id",
                     "contracts/implementation/transactions/date",
                     "contracts/implementation/transactions/value/amount",
                     "contracts/implementation/transactions/value/currency",
                     "contracts/implementation/transactions/payer/name",
                     "contracts/implementation/transactions/payee/name"],
    "milestones": ["ocid", "contracts/id", "contracts/implementation/milestones/id",
                   "contracts/implementation/milestones/title",
                   "contracts/implementation/milestones/dueDate",
                   "contracts/implementation/milestones/status"],
}


def _get(obj: Any, path: str) -> Any:
    for part in path.split("/"):
        if isinstance(obj, list):
            vals = [_get(o, part) for o in obj]
            return "; ".join(str(v) for v in vals if v is not None) or None
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    if isinstance(obj, list):
        return "; ".join(map(str, obj)) or None
    return obj


def _rows(objs: list[dict[str, Any]], prefix: str, columns: list[str],
          keys: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for obj in objs:
        row = dict(keys)
        for col in columns:
            if col not in row and col.startswith(prefix + "/"):
                row[col] = _get(obj, col[len(prefix) + 1:])
        out.append(row)
    return out


def flatten_compiled(compiled: dict[str, dict[str, Any]]) -> dict[str, pd.DataFrame]:
    """``{sheet: frame}`` of :data:`SHEETS` from compiled releases (``{ocid: release}``)."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in SHEETS}
    for ocid, rel in compiled.items():
        t = {"ocid": ocid}
        for col in SHEETS["tenders"][1:]:
            t[col] = _get(rel, col)
        rows["tenders"].append(t)
        rows["awards"] += _rows(rel.get("awards", []), "awards", SHEETS["awards"],
                                {"ocid": ocid})
        for con in rel.get("contracts", []):
            rows["contracts"] += _rows([con], "contracts", SHEETS["contracts"], {"ocid": ocid})
            impl = con.get("implementation", {})
            key = {"ocid": ocid, "contracts/id": con["id"]}
            rows["transactions"] += _rows(impl.get("transactions", []),
                                          "contracts/implementation/transactions",
                                          SHEETS["transactions"], key)
            rows["milestones"] += _rows(impl.get("milestones", []),
                                        "contracts/implementation/milestones",
                                        SHEETS["milestones"], key)
    return {name: pd.DataFrame(rows[name], columns=cols) for name, cols in SHEETS.items()}


def write_flat_workbook(sheets: dict[str, pd.DataFrame], path) -> None:
    """Write the sheets (and an extra ``money_flows`` sheet if given) to an ``.xlsx``."""
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            excel_safe_frame(frame).to_excel(writer, sheet_name=name, index=False)
