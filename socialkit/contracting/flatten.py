"""A spreadsheet of the compiled OCDS releases for staff: one sheet per object.

Own flattening rather than ``flattentool``: the five sheets staff asked for (tenders, awards,
contracts, transactions, milestones) with one row per object, the ``ocid`` (and the contract
id) repeated as the key that joins them, and columns named by their OCDS path (``/`` between
the levels, as flattentool names them) — ``flattentool`` itself would add ~20 dependencies
(ZODB among them) for a layout with one sheet per array path that staff then have to join.

The workbook (:func:`write_flat_workbook`) is written for staff in the language of the data:
sheet names and a first header row of column titles in that language
(``contracting.flat.*`` messages), a second header row with the OCDS path of each column (so
a program can still find every field, as with flattentool's path headers), the data from the
third row; an extra sheet gives the money flows per organisation (applied for → awarded →
contracted → disbursed).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..files import excel_safe_frame

__all__ = ["COLUMN_KEYS", "SHEETS", "flatten_compiled", "write_flat_workbook"]

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


#: Column (OCDS path, or a money-flows column) → the key of its title
#: (``contracting.flat.col.<key>``); columns meaning the same share a key.
COLUMN_KEYS: dict[str, str] = {
    "ocid": "ocid", "buyer/id": "buyer_id", "buyer/name": "buyer",
    "tender/id": "tender_id", "tender/title": "tender", "tender/status": "tender_status",
    "tender/value/amount": "tender_value", "tender/value/currency": "currency",
    "tender/tenderPeriod/endDate": "deadline", "tender/awardCriteria": "award_criteria",
    "tender/awardCriteriaDetails": "award_criteria_details",
    "tender/numberOfTenderers": "tenderers", "planning/budget/amount/amount": "budget",
    "planning/rationale": "rationale",
    "awards/id": "award_id", "awards/status": "award_status", "awards/date": "award_date",
    "awards/value/amount": "award_value", "awards/value/currency": "currency",
    "awards/relatedLots": "lots", "awards/suppliers/id": "ngo_id",
    "awards/suppliers/name": "ngo", "awards/description": "award_description",
    "contracts/id": "contract_id", "contracts/awardID": "award_id",
    "contracts/status": "contract_status", "contracts/dateSigned": "signed",
    "contracts/period/startDate": "start", "contracts/period/endDate": "end",
    "contracts/value/amount": "contract_value", "contracts/value/currency": "currency",
    "contracts/implementation/transactions/id": "payment_id",
    "contracts/implementation/transactions/date": "payment_date",
    "contracts/implementation/transactions/value/amount": "payment_value",
    "contracts/implementation/transactions/value/currency": "currency",
    "contracts/implementation/transactions/payer/name": "payer",
    "contracts/implementation/transactions/payee/name": "payee",
    "contracts/implementation/milestones/id": "milestone_id",
    "contracts/implementation/milestones/title": "milestone",
    "contracts/implementation/milestones/dueDate": "due",
    "contracts/implementation/milestones/status": "milestone_status",
    "ngo_id": "ngo_id", "name": "ngo", "applications": "applications",
    "applied_for": "applied_for", "awards": "awards", "awarded": "awarded",
    "contracted": "contracted", "disbursed": "disbursed",
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


def write_flat_workbook(sheets: dict[str, pd.DataFrame], path, lang: str = "en",
                        money_flows: pd.DataFrame | None = None) -> None:
    """Write the sheets (and ``money_flows`` per organisation, if given) to an ``.xlsx``.

    Each sheet: its name and a row of column titles in ``lang``, a row of the columns' OCDS
    paths (or money-flows column names), then the data; the two header rows stay in view.
    """
    from openpyxl.styles import Font

    from ..i18n import t

    frames = dict(sheets)
    if money_flows is not None:
        frames["money_flows"] = money_flows
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in frames.items():
            title = t(f"contracting.flat.sheet.{name}", lang)[:31]
            safe = excel_safe_frame(frame)
            safe.to_excel(writer, sheet_name=title, index=False, header=False, startrow=2)
            ws = writer.sheets[title]
            for j, col in enumerate(frame.columns, start=1):
                key = COLUMN_KEYS.get(str(col))
                ws.cell(1, j, t(f"contracting.flat.col.{key}", lang) if key else str(col))
                ws.cell(1, j).font = Font(bold=True)
                ws.cell(2, j, str(col)).font = Font(italic=True, color="666666")
                ws.column_dimensions[ws.cell(1, j).column_letter].width = 18
            ws.freeze_panes = "A3"
