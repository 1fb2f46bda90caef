"""Write tables to an Excel workbook or a SQLite database, with a catalog that reads them back.

This is how a municipality moves from the demo's CSV files to the storage it actually keeps:
``socialkit export --catalog catalogs/demo.yaml --to excel --out DIR`` gives a workbook in the
layout the Excel template catalog (``catalogs/excel_template.yaml``) reads, to be filled with
real data.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd

from ..errors import SocialkitError
from ..files import text_cells, write_outputs
from .catalog import catalog_text, template_catalog

__all__ = ["EXPORTERS", "export_tables"]


def _to_excel(tables: dict[str, pd.DataFrame], target: Path) -> None:
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for name, frame in tables.items():
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            sheet.freeze_panes = "A2"
            for i, col in enumerate(frame.columns, start=1):
                width = max(len(str(col)), *(len(str(v)) for v in frame[col].head(200)))
                sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(width + 2, 40)
        text_cells(writer.book)  # a name such as '=HYPERLINK(...)' stays text


def _to_sqlite(tables: dict[str, pd.DataFrame], target: Path) -> None:
    with sqlite3.connect(target) as con:
        for name, frame in tables.items():
            frame.to_sql(name, con, index=False, if_exists="replace")


#: kind -> (file name, writer)
EXPORTERS = {
    "excel": ("socialkit_data.xlsx", _to_excel),
    "sqlite": ("socialkit.sqlite", _to_sqlite),
}


def export_tables(tables: dict[str, pd.DataFrame], out: str | Path, kind: str = "excel",
                  force: bool = False) -> Path:
    """Write ``tables`` as ``kind`` into ``out`` with a ``catalog.yaml``; return the catalog path.

    The workbook (or database) and the catalog are written all or nothing, and never over
    files socialkit did not write — such as the catalog whose tables are being exported —
    unless ``force`` (:func:`socialkit.files.write_outputs`).
    """
    if kind not in EXPORTERS:
        raise SocialkitError(f"--to {kind}: expected one of {', '.join(EXPORTERS)}")
    out = Path(out).expanduser()
    filename, writer = EXPORTERS[kind]
    spec = template_catalog(kind)
    spec["entries"] = {k: v for k, v in spec["entries"].items() if k in tables}
    spec["data"] = {k: v for k, v in spec["data"].items()
                    if k == "workbook" or k.removesuffix("_query") in tables}
    if kind == "sqlite":
        spec["user_parameters"]["db_url"]["default"] = f"sqlite:///{(out / filename).resolve()}"
    files = {filename: lambda tmp: writer(tables, tmp), "catalog.yaml": catalog_text(spec)}
    written = write_outputs(files, out, command="socialkit export", force=force)
    return written["catalog.yaml"]
