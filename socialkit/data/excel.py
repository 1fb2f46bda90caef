"""Checks on an Excel workbook before any of its cells is read.

An ``.xlsx`` file is a zip archive of XML; a 1.5 MB file can hold gigabytes of XML (a "zip
bomb") that a reader would inflate into memory before it reports anything. :func:`check_workbook`
looks at the archive's table of contents (:meth:`zipfile.ZipFile.infolist`: the uncompressed
size of every part, without inflating it) and at each sheet's declared dimensions (openpyxl
``read_only``, which reads the ``<dimension>`` element only), and refuses a workbook over the
limits in milliseconds. :func:`formula_cells` lists cells that hold a formula: socialkit does
not compute formulas, and the value a reader gets for one is whatever Excel last cached, or
nothing, so such a cell is refused rather than read as empty.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from .. import config
from ..errors import DataValidationError, Problem

__all__ = ["MAX_CELLS", "MAX_UNCOMPRESSED_BYTES", "check_workbook", "formula_cells"]

#: Largest total uncompressed size of a workbook's parts (``SOCIALKIT_MAX_XLSX_MB``, in MB).
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
#: Most cells a sheet may declare (rows × columns).
MAX_CELLS = 20_000_000


def _limit() -> int:
    return config.max_xlsx_bytes(MAX_UNCOMPRESSED_BYTES)


def check_workbook(path: str | Path, source: str | None = None) -> None:
    """Refuse a workbook that is not a zip archive, inflates beyond the limit, or declares a
    sheet larger than :data:`MAX_CELLS`.

    Raises
    ------
    DataValidationError
        Naming the file (and the sheet), what was found and what was expected.
    """
    path = Path(path)
    source = source or str(path)
    limit = _limit()
    try:
        with zipfile.ZipFile(path) as zf:
            total = sum(max(info.file_size, 0) for info in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DataValidationError([Problem(
            source=source, message=f"cannot open as an Excel workbook (.xlsx): {exc}", code="not_xlsx",
            expected="an .xlsx file saved by Excel, LibreOffice or socialkit",
            expected_code="xlsx_file")]) from None
    if total > limit:
        raise DataValidationError([Problem(
            source=source, message=f"the workbook inflates to {total / 2**20:,.0f} MB",
            code="xlsx_too_large", params={"mb": round(total / 2**20)},
            expected=f"at most {limit / 2**20:,.0f} MB of uncompressed content "
                     "(set SOCIALKIT_MAX_XLSX_MB to allow more, or use CSV or a database)",
            expected_code="xlsx_limit", expected_params={"limit": round(limit / 2**20)})])
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise DataValidationError([Problem(
            source=source, message=f"cannot open as an Excel workbook (.xlsx): {exc}",
            code="not_xlsx", expected="an .xlsx file saved by Excel, LibreOffice or "
            "socialkit", expected_code="xlsx_file")]) from None
    try:
        problems = []
        for ws in wb.worksheets:
            rows, cols = ws.max_row or 0, ws.max_column or 0
            if rows * cols > MAX_CELLS:
                problems.append(Problem(
                    source=f"{source}, sheet '{ws.title}'", code="sheet_too_large",
                    params={"rows": rows, "columns": cols},
                    message=f"the sheet declares {rows:,} rows × {cols:,} columns",
                    expected=f"at most {MAX_CELLS:,} cells", expected_code="max_cells",
                    expected_params={"cells": MAX_CELLS}))
    finally:
        wb.close()
    if problems:
        raise DataValidationError(problems)


def formula_cells(path: str | Path, sheets: list[str] | None = None, source: str | None = None,
                  limit: int = 50) -> list[Problem]:
    """A problem for each cell holding a formula (at most ``limit``), in ``sheets`` or all."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    source = source or str(path)
    wb = load_workbook(path, read_only=True, data_only=False)
    problems: list[Problem] = []
    try:
        for ws in wb.worksheets:
            if sheets is not None and ws.title not in sheets:
                continue
            header: list[str] = []
            for r, row in enumerate(ws.iter_rows(), start=1):
                if r == 1:
                    header = [str(c.value) if c.value is not None else "" for c in row]
                for k, cell in enumerate(row):
                    if getattr(cell, "data_type", None) != "f":
                        continue
                    column = header[k] if k < len(header) and header[k] else get_column_letter(
                        k + 1)
                    problems.append(Problem(
                        source=f"{source}, sheet '{ws.title}'", row=r, column=column,
                        value=cell.value, message="a formula, not a value", code="formula",
                        expected="a value typed in (socialkit does not compute formulas: copy "
                                 "the cells and paste them as values)",
                        expected_code="typed_value"))
                    if len(problems) >= limit:
                        return problems
    finally:
        wb.close()
    return problems
